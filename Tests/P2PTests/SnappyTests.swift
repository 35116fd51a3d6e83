import Testing
import P2P

/// Snappy block format (google/snappy format_description.txt): a varint of the decoded length, then
/// literal and copy elements. The hand-built blocks below follow that description byte by byte.
@Suite struct SnappyTests {
    @Test func emptyInputIsTheSinglePreambleByte() throws {
        #expect(Snappy.compress([]) == [0x00])
        #expect(try Snappy.decompress([0x00]) == [])
    }

    @Test func literalBlockFromTheFormatDescription() throws {
        // Length 5 (varint 0x05), one literal element of 5 bytes: tag (5 − 1) << 2 | 0b00 = 0x10.
        let block: [UInt8] = [0x05, 0x10] + Array("hello".utf8)
        #expect(try Snappy.decompress(block) == Array("hello".utf8))
    }

    @Test func copyElementRepeatsEarlierBytes() throws {
        // "abab" + copy: length 8; literal "ab" (tag 0x04); copy-1 with length 6, offset 2:
        // tag = (offset >> 8) << 5 | (6 − 4) << 2 | 0b01 = 0x09, then the offset's low byte 0x02.
        let block: [UInt8] = [0x08, 0x04, 0x61, 0x62, 0x09, 0x02]
        #expect(try Snappy.decompress(block) == Array("abababab".utf8))
    }

    @Test func roundTripsRepetitiveAndRandomData() throws {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let repetitive = [UInt8](repeating: 0xAB, count: 100_000)
        for input in [random, repetitive, Array("a".utf8)] {
            #expect(try Snappy.decompress(Snappy.compress(input)) == input)
        }
        #expect(Snappy.compress(repetitive).count < 5_000)
    }

    @Test func refusesBlocksAnnouncingMoreThanTheLimitBeforeAllocating() {
        // Varint 0x80 0x80 0x80 0x10 = 2^25 = 32 MiB, twice devp2p's limit; no body needed.
        #expect(throws: SnappyError.tooLarge(announced: 1 << 25, limit: 16 * 1024 * 1024)) {
            try Snappy.decompress([0x80, 0x80, 0x80, 0x10])
        }
        #expect(throws: SnappyError.tooLarge(announced: 6, limit: 5)) {
            try Snappy.decompress([0x06, 0x14] + Array("hello!".utf8), limit: 5)
        }
    }

    @Test func refusesMalformedBlocks() {
        // A copy before any literal (offset 2 into nothing), a truncated literal, a bad varint, and
        // a block whose elements produce fewer bytes than announced.
        for block: [UInt8] in [[0x08, 0x09, 0x02], [0x05, 0x10, 0x61], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                               [0x06, 0x10] + Array("hello".utf8), [], [0x00, 0x00]] {
            #expect(throws: SnappyError.malformed, "\(block)") { try Snappy.decompress(block) }
        }
    }
}
