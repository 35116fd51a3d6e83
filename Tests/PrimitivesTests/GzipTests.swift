import Primitives
import Testing

/// gzip known answers. The streams were written by Python 3.11's `gzip.compress(data,
/// compresslevel=…, mtime=0)` (zlib), not by this code; the CRC-32 of "123456789" is the
/// standard check value 0xcbf43926.
@Suite struct GzipTests {
    let text = Array("anvil anvil anvil anvil state state state".utf8)

    @Test func inflatesZlibOutput() throws {
        for hex in ["1f8b08000000000004034bcc2bcbcc5148c4208b4b124b5215904800a6e6a47129000000",  // level 1
                    "1f8b08000000000002034bcc2bcbcc5148c4208b4b124b52914900a6e6a47129000000"] { // level 9
            #expect(try Gzip.decompress(try [UInt8](hex: hex)) == text)
        }
    }

    @Test func crc32CheckValue() {
        #expect(Gzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func storedBlocksRoundTrip() throws {
        for count in [0, 1, 65_535, 65_536, 200_000] {
            let data = (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            let stream = Gzip.compress(data)
            #expect(Gzip.isGzip(stream))
            #expect(try Gzip.decompress(stream) == data)
        }
    }

    @Test func refusesDamagedStreams() throws {
        let stream = try [UInt8](hex: "1f8b08000000000002034bcc2bcbcc5148c4208b4b124b52914900a6e6a47129000000")
        var badCRC = stream
        badCRC[stream.count - 8] ^= 1
        var badLength = stream
        badLength[stream.count - 1] ^= 1
        for (bytes, reason) in [(Array(stream.prefix(20)), "truncated"), (badCRC, "CRC-32 mismatch"),
                                (badLength, "length mismatch"), (Array("{}".utf8), "not gzip")] {
            #expect {
                _ = try Gzip.decompress(bytes)
            } throws: { error in
                "\(error)".contains(reason)
            }
        }
    }
}
