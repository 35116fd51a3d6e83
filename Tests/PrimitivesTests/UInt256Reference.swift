import BigInt
import Primitives
import Testing

/// An independent model of the EVM word built on attaswift/BigInt, and the seeded inputs that the
/// property tests feed to both it and `UInt256`.
///
/// Every EVM operation is written here straight from its definition in the Yellow Paper appendix H
/// (and EIP-145 for the shifts), on unbounded integers: nothing is shared with the implementation
/// under test except the limb constructor `UInt256(words:_:_:_:)` and the `w0...w3` fields.
enum UInt256Reference {
    /// 2^256.
    static let modulus = BigUInt(1) << 256
    /// 2^255, the smallest word whose two's-complement reading is negative.
    static let signBoundary = BigUInt(1) << 255

    /// The word as an unbounded unsigned integer.
    static func big(_ value: UInt256) -> BigUInt {
        BigUInt(value.w3) << 192 + BigUInt(value.w2) << 128 + BigUInt(value.w1) << 64 + BigUInt(value.w0)
    }

    /// The word's two's-complement reading, in [−2^255, 2^255).
    static func signed(_ value: UInt256) -> BigInt {
        let unsigned = big(value)
        return unsigned >= signBoundary ? BigInt(unsigned) - BigInt(modulus) : BigInt(unsigned)
    }

    /// An unbounded unsigned integer reduced modulo 2^256, as a word.
    static func word(_ value: BigUInt) -> UInt256 {
        let reduced = value % modulus
        let mask = BigUInt(UInt64.max)
        func limb(_ index: Int) -> UInt64 { UInt64((reduced >> (64 * index)) & mask) }
        return UInt256(words: limb(0), limb(1), limb(2), limb(3))
    }

    /// A signed integer reduced modulo 2^256 (its two's-complement word).
    static func word(signed value: BigInt) -> UInt256 {
        let reduced = value.magnitude % modulus
        return value.sign == .minus && !reduced.isZero ? word(modulus - reduced) : word(reduced)
    }

    // MARK: EVM operations on unbounded integers (Yellow Paper appendix H)

    static func div(_ a: UInt256, _ b: UInt256) -> UInt256 {
        big(b).isZero ? word(0) : word(big(a) / big(b))
    }

    static func mod(_ a: UInt256, _ b: UInt256) -> UInt256 {
        big(b).isZero ? word(0) : word(big(a) % big(b))
    }

    /// SDIV: 0 if b = 0, else sgn(a·b)·⌊|a / b|⌋ (so −2^255 / −1 = 2^255, which wraps to −2^255).
    static func sdiv(_ a: UInt256, _ b: UInt256) -> UInt256 {
        let x = signed(a), y = signed(b)
        if y.isZero { return word(0) }
        let magnitude = x.magnitude / y.magnitude
        let negative = (x.sign == .minus) != (y.sign == .minus)
        return word(signed: BigInt(sign: negative ? .minus : .plus, magnitude: magnitude))
    }

    /// SMOD: 0 if b = 0, else sgn(a)·(|a| mod |b|).
    static func smod(_ a: UInt256, _ b: UInt256) -> UInt256 {
        let x = signed(a), y = signed(b)
        if y.isZero { return word(0) }
        let magnitude = x.magnitude % y.magnitude
        return word(signed: BigInt(sign: x.sign == .minus ? .minus : .plus, magnitude: magnitude))
    }

    static func addmod(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        big(m).isZero ? word(0) : word((big(a) + big(b)) % big(m))
    }

    static func mulmod(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        big(m).isZero ? word(0) : word((big(a) * big(b)) % big(m))
    }

    static func exp(_ a: UInt256, _ b: UInt256) -> UInt256 {
        word(big(a).power(big(b), modulus: modulus))
    }

    /// EIP-145 SHL: (value × 2^shift) mod 2^256, and 0 for shift ≥ 256.
    static func shl(_ value: UInt256, _ shift: UInt256) -> UInt256 {
        big(shift) >= 256 ? word(0) : word(big(value) * BigUInt(2).power(Int(big(shift))))
    }

    /// EIP-145 SHR: ⌊value / 2^shift⌋.
    static func shr(_ value: UInt256, _ shift: UInt256) -> UInt256 {
        big(shift) >= 256 ? word(0) : word(big(value) / BigUInt(2).power(Int(big(shift))))
    }

    /// EIP-145 SAR: ⌊value / 2^shift⌋ with value signed, rounding toward −∞.
    static func sar(_ value: UInt256, _ shift: UInt256) -> UInt256 {
        let x = signed(value)
        let divisor = BigUInt(2).power(Int(Swift.min(big(shift), 300)))
        if x.sign == .minus && !x.isZero {
            // ⌊−m / d⌋ = −⌈m / d⌉
            let ceiling = (x.magnitude + divisor - 1) / divisor
            return word(signed: BigInt(sign: .minus, magnitude: ceiling))
        }
        return word(x.magnitude / divisor)
    }

    /// BYTE: byte `index` of the 32-byte big-endian form, 0 for index ≥ 32.
    static func byte(_ value: UInt256, _ index: UInt256) -> UInt256 {
        guard big(index) < 32 else { return word(0) }
        return word((big(value) >> (8 * (31 - Int(big(index))))) % 256)
    }

    /// SIGNEXTEND: bits above bit t = 8b + 7 copy bit t; b ≥ 31 leaves the value alone.
    static func signextend(_ value: UInt256, _ byteIndex: UInt256) -> UInt256 {
        guard big(byteIndex) < 31 else { return value }
        let t = 8 * Int(big(byteIndex)) + 7
        let low = big(value) % (BigUInt(1) << (t + 1))
        return low >= (BigUInt(1) << t) ? word(low + modulus - (BigUInt(1) << (t + 1))) : word(low)
    }

    static func hex(_ value: UInt256) -> String { "0x" + String(big(value), radix: 16) }

    // MARK: Inputs

    /// Values at the edges of limbs, signs and the word: 0, 1, 2, 2^63, 2^64 ± 1, 2^128 ± 1, 2^255,
    /// 2^256 − 1 and their neighbours.
    static let edgeValues: [UInt256] = {
        var values: [BigUInt] = [0, 1, 2, 3, 7, 10, 255, 256]
        for exponent in [32, 63, 64, 65, 127, 128, 129, 191, 192, 254, 255] {
            let power = BigUInt(1) << exponent
            values += [power - 1, power, power + 1]
        }
        values += [modulus - 2, modulus - 1]
        return values.map(word)
    }()

    /// 2^k − 1, 2^k and 2^k + 1 for every k in 0..<256, reduced mod 2^256.
    static let powersOfTwo: [UInt256] = (0..<256).flatMap { exponent -> [UInt256] in
        let power = BigUInt(1) << exponent
        return [word(power - 1), word(power), word(power + 1)]
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014),
/// the seeded generator behind the property tests, so every failure can be replayed.
struct UInt256TestGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One limb, biased toward the patterns that reach rare branches of long division
    /// (all ones, top bit only, tiny values) as well as uniform ones.
    mutating func limb() -> UInt64 {
        switch next() % 8 {
        case 0: return 0
        case 1: return .max
        case 2: return 1 << 63
        case 3: return .max - next() % 4
        case 4: return next() % 4
        default: return next()
        }
    }

    /// A word with a random number of leading zero limbs and a mix of structured and uniform limbs.
    mutating func word() -> UInt256 {
        let mode = next() % 4
        var limbs = mode == 0
            ? (limb(), limb(), limb(), limb())
            : (next(), next(), next(), next())
        switch next() % 5 {
        case 0: limbs.1 = 0; limbs.2 = 0; limbs.3 = 0
        case 1: limbs.2 = 0; limbs.3 = 0
        case 2: limbs.3 = 0
        default: break
        }
        let value = UInt256(words: limbs.0, limbs.1, limbs.2, limbs.3)
        // Now and then cut to a random bit width so every length appears.
        return mode == 1 ? UInt256Reference.word(UInt256Reference.big(value) >> Int(next() % 256)) : value
    }

    /// A shift amount or byte index: mostly below `limit`, sometimes any word.
    mutating func smallOrWord(below limit: UInt64) -> UInt256 {
        next() % 5 == 0 ? word() : UInt256(next() % limit)
    }
}

/// Runs a property over edge inputs and seeded random ones, recording the first few mismatches
/// with their inputs so that a failure can be reproduced by hand.
enum UInt256Check {
    /// How many random inputs each property sees, on top of the edge inputs.
    static let randomCount = 4000

    static func unary<R: Equatable>(
        _ name: String, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation,
        _ implementation: (UInt256) -> R, _ reference: (UInt256) -> R
    ) {
        var generator = UInt256TestGenerator(seed: seed)
        var inputs = UInt256Reference.edgeValues + UInt256Reference.powersOfTwo
        for _ in 0..<randomCount { inputs.append(generator.word()) }
        var failures = 0
        for a in inputs where failures < 5 {
            let actual = implementation(a), expected = reference(a)
            if actual != expected {
                failures += 1
                Issue.record("\(name)(\(UInt256Reference.hex(a))) = \(actual), expected \(expected)",
                             sourceLocation: sourceLocation)
            }
        }
    }

    static func binary<R: Equatable>(
        _ name: String, seed: UInt64, second: ((inout UInt256TestGenerator) -> UInt256)? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ implementation: (UInt256, UInt256) -> R, _ reference: (UInt256, UInt256) -> R
    ) {
        var generator = UInt256TestGenerator(seed: seed)
        var inputs: [(UInt256, UInt256)] = []
        let edges = UInt256Reference.edgeValues
        for a in edges { for b in edges { inputs.append((a, b)) } }
        for _ in 0..<randomCount {
            let a = generator.word()
            let b = second.map { $0(&generator) } ?? generator.word()
            inputs.append((a, b))
        }
        if second != nil {
            for a in edges { for shift in 0..<300 { inputs.append((a, UInt256(UInt64(shift)))) } }
        }
        var failures = 0
        for (a, b) in inputs where failures < 5 {
            let actual = implementation(a, b), expected = reference(a, b)
            if actual != expected {
                failures += 1
                Issue.record("""
                    \(name)(\(UInt256Reference.hex(a)), \(UInt256Reference.hex(b))) = \(actual), expected \(expected)
                    """, sourceLocation: sourceLocation)
            }
        }
    }

    static func ternary(
        _ name: String, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation,
        _ implementation: (UInt256, UInt256, UInt256) -> UInt256,
        _ reference: (UInt256, UInt256, UInt256) -> UInt256
    ) {
        var generator = UInt256TestGenerator(seed: seed)
        var inputs: [(UInt256, UInt256, UInt256)] = []
        let edges = UInt256Reference.edgeValues
        for a in edges { for b in edges { for m in edges { inputs.append((a, b, m)) } } }
        for _ in 0..<randomCount { inputs.append((generator.word(), generator.word(), generator.word())) }
        var failures = 0
        for (a, b, m) in inputs where failures < 5 {
            let actual = implementation(a, b, m), expected = reference(a, b, m)
            if actual != expected {
                failures += 1
                Issue.record("""
                    \(name)(\(UInt256Reference.hex(a)), \(UInt256Reference.hex(b)), \(UInt256Reference.hex(m))) \
                    = \(actual), expected \(expected)
                    """, sourceLocation: sourceLocation)
            }
        }
    }
}
