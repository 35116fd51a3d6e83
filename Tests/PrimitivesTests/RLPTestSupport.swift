import Foundation
import Primitives

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so property tests replay exactly.
struct RLPSplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

enum RLPTestSupport {
    /// Big-endian bytes of a non-negative decimal integer, minimal (empty for zero). Test-only helper
    /// for the "#"-prefixed big integers of ethereum/tests RLPTests.
    static func bigEndianBytes(decimal: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []  // big-endian, no leading zeros
        for character in decimal {
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            var carry = digit
            for index in bytes.indices.reversed() {
                let product = Int(bytes[index]) * 10 + carry
                bytes[index] = UInt8(product & 0xff)
                carry = product >> 8
            }
            while carry > 0 {
                bytes.insert(UInt8(carry & 0xff), at: 0)
                carry >>= 8
            }
        }
        return bytes
    }

    /// A random byte string whose length clusters around the encoding's boundaries (0, 1, 55, 56).
    static func randomBytes(using generator: inout RLPSplitMix64) -> [UInt8] {
        let lengths = [0, 1, 1, 1, 2, 20, 32, 54, 55, 56, 57, 200, 255, 256, 1030]
        let length = lengths[Int(generator.next() % UInt64(lengths.count))]
        return (0 ..< length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// A random item tree at most `depth` lists deep.
    static func randomItem(depth: Int, using generator: inout RLPSplitMix64) -> RLPItem {
        if depth == 0 || generator.next() % 3 != 0 {
            return .bytes(randomBytes(using: &generator))
        }
        let count = Int(generator.next() % 6)
        return .list((0 ..< count).map { _ in randomItem(depth: depth - 1, using: &generator) })
    }
}
