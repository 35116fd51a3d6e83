import Primitives
import Testing

/// Seeded property tests: round trips, and every non-canonical variant of a canonical encoding is rejected
/// with the right reason at the right offset. Failing inputs are printed with their seed and iteration.
@Suite struct RLPPropertyTests {
    static let seed: UInt64 = 0x601d_6a41_2025

    @Test func decodeInvertsEncode() throws {
        var generator = RLPSplitMix64(seed: Self.seed)
        for iteration in 0 ..< 400 {
            let item = RLPTestSupport.randomItem(depth: 4, using: &generator)
            let encoded = RLP.encode(item)
            #expect(encoded.count == item.encodedLength)
            let decoded = try RLP.decode(encoded)
            #expect(decoded == item, "seed \(Self.seed) iteration \(iteration): input \(Hex.encode(encoded))")
            if decoded != item { return }
        }
    }

    @Test func writerMatchesTreeEncoder() {
        var generator = RLPSplitMix64(seed: Self.seed ^ 1)
        for iteration in 0 ..< 300 {
            let item = RLPTestSupport.randomItem(depth: 5, using: &generator)
            var writer = RLPWriter()
            write(item, into: &writer)
            let encoded = writer.finish()
            #expect(encoded == RLP.encode(item), "seed \(Self.seed ^ 1) iteration \(iteration): \(item)")
            if encoded != RLP.encode(item) { return }
        }
    }

    private func write(_ item: RLPItem, into writer: inout RLPWriter) {
        switch item {
        case .bytes(let bytes): writer.append(bytes: bytes)
        case .list(let items): writer.appendList { list in for element in items { write(element, into: &list) } }
        }
    }

    @Test func uintRoundTrips() throws {
        var generator = RLPSplitMix64(seed: Self.seed ^ 2)
        for _ in 0 ..< 1000 {
            let value = generator.next() >> (generator.next() % 64)
            var reader = RLPReader(RLP.encode(uint: value))
            #expect(try reader.readUInt64() == value, "value \(value)")
            #expect(reader.isAtEnd)
        }
    }

    /// A short string (1…55 bytes, a single one ≥ 0x80) re-encoded with a long header 0xb8 is rejected.
    @Test func longHeaderOnShortStringIsRejected() {
        var generator = RLPSplitMix64(seed: Self.seed ^ 3)
        for iteration in 0 ..< 200 {
            let length = 1 + Int(generator.next() % 55)  // 0 would also be a zero length byte
            var bytes = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if length == 1 { bytes[0] |= 0x80 }
            let variant = [0xb8, UInt8(length)] + bytes
            let prefix = RLP.encode(bytes: [0x42, 0x43])
            let nested = listWrapping(prefix + variant)
            #expect(throws: RLPError.longHeaderForShortPayload(offset: 0, header: 0xb8, length: length),
                    "seed \(Self.seed ^ 3) iteration \(iteration): \(Hex.encode(variant))") { try RLP.decode(variant) }
            // The same variant inside a list is reported at its own offset, after the list header and the prefix.
            let offset = RLP.headerLength(payloadLength: prefix.count + variant.count) + prefix.count
            #expect(throws: RLPError.longHeaderForShortPayload(offset: offset, header: 0xb8, length: length),
                    "seed \(Self.seed ^ 3) iteration \(iteration): \(Hex.encode(nested))") { try RLP.decode(nested) }
        }
    }

    /// A short list re-encoded with a long header 0xf8 is rejected.
    @Test func longHeaderOnShortListIsRejected() {
        var generator = RLPSplitMix64(seed: Self.seed ^ 4)
        for iteration in 0 ..< 200 {
            let length = 1 + Int(generator.next() % 55)  // 0 would also be a zero length byte
            let payload = [UInt8](repeating: 0x01, count: length)  // `length` one-byte items
            let variant = [0xf8, UInt8(length)] + payload
            #expect(throws: RLPError.longHeaderForShortPayload(offset: 0, header: 0xf8, length: length),
                    "iteration \(iteration): \(Hex.encode(variant))") { try RLP.decode(variant) }
        }
    }

    /// Every byte below 0x80 wrapped in a 0x81 header is rejected; every byte from 0x80 up is accepted so.
    @Test(arguments: 0 ... 255)
    func singleByteWrapping(_ byte: Int) throws {
        let encoded: [UInt8] = [0x81, UInt8(byte)]
        if byte < 0x80 {
            #expect(throws: RLPError.singleByteWrapped(offset: 0, byte: UInt8(byte))) { try RLP.decode(encoded) }
        } else {
            #expect(try RLP.decode(encoded) == .bytes([UInt8(byte)]))
        }
    }

    /// A long string or list whose length field gains a leading zero byte is rejected.
    @Test func paddedLengthIsRejected() {
        var generator = RLPSplitMix64(seed: Self.seed ^ 5)
        for iteration in 0 ..< 100 {
            let length = 56 + Int(generator.next() % 2000)
            let isList = generator.next() & 1 == 1
            let payload = [UInt8](repeating: 0x05, count: length)
            let canonical = isList
                ? RLP.encode(.list(payload.map { .bytes([$0]) }))
                : RLP.encode(bytes: payload)
            let lengthOfLength = Int(canonical[0] - (isList ? 0xf7 : 0xb7))
            let variant = [canonical[0] + 1, 0x00] + canonical[1...]
            #expect(throws: RLPError.leadingZeroInLength(offset: 0, header: variant[0]),
                    "iteration \(iteration): length \(length), \(lengthOfLength)-byte length field") { try RLP.decode(variant) }
        }
    }

    /// Any canonical encoding followed by extra bytes is rejected at the first extra byte.
    @Test func trailingBytesAreRejected() {
        var generator = RLPSplitMix64(seed: Self.seed ^ 6)
        for iteration in 0 ..< 200 {
            let encoded = RLP.encode(RLPTestSupport.randomItem(depth: 3, using: &generator))
            let extra = Int(generator.next() % 3) + 1
            let variant = encoded + [UInt8](repeating: 0x80, count: extra)
            #expect(throws: RLPError.trailingBytes(offset: encoded.count, count: extra), "iteration \(iteration)") {
                try RLP.decode(variant)
            }
        }
    }

    /// Any canonical encoding cut short is rejected (never read out of bounds).
    @Test func truncatedInputIsRejected() {
        var generator = RLPSplitMix64(seed: Self.seed ^ 7)
        for iteration in 0 ..< 200 {
            let encoded = RLP.encode(RLPTestSupport.randomItem(depth: 3, using: &generator))
            let cut = Int(generator.next() % UInt64(encoded.count))
            #expect(throws: RLPError.self, "iteration \(iteration): \(Hex.encode(encoded.prefix(cut)))") {
                try RLP.decode(Array(encoded.prefix(cut)))
            }
        }
    }

    private func listWrapping(_ payload: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        RLP.appendListHeader(payloadLength: payload.count, to: &out)
        return out + payload
    }
}
