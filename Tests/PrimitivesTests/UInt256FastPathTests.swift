import BigInt
import Primitives
import Testing

/// The arithmetic fast paths added for the EVM benchmarks (issue 18), each against the BigInt model
/// in `UInt256Reference`: DIV/MOD by a power of two below 2^64 (a shift and a mask), ADDMOD with
/// both operands already reduced (one conditional subtraction), and the long division behind MOD and
/// MULMOD (Knuth's algorithm D with 3-by-2 quotient estimates), including its q̂ = 2^64 − 1 branch.
@Suite struct UInt256FastPathTests {
    typealias R = UInt256Reference

    /// Operands at the edges the issue names: 0, 1, 2^64 − 1, 2^128, 2^256 − 1, and neighbours.
    static let edges: [UInt256] = [
        0, 1, 2, UInt256(UInt64.max), UInt256(words: 0, 1, 0, 0), UInt256(words: 0, 0, 1, 0),
        UInt256(words: .max, .max, 0, 0), UInt256(words: 1, 0, 1, 0), UInt256(words: 0, 0, 0, 1 << 63),
        .max, UInt256.max &- 1,
    ]

    /// The bn254 base field prime that weierstrudel and the BN256 precompiles reduce by.
    static let bn254 = UInt256(words: 0x3C20_8C16_D87C_FD47, 0x9781_6A91_6871_CA8D,
                               0xB850_45B6_8181_585D, 0x3064_4E72_E131_A029)

    /// Moduli of one to four limbs: powers of two and their neighbours, every normalisation shift
    /// class, a top bit set (no shift), and the field primes.
    static func moduli(_ generator: inout UInt256TestGenerator) -> [UInt256] {
        var values = edges + [bn254, UInt256(words: 0, 0, 1, 1), UInt256(words: 1, 0, 0, 1)]
        for _ in 0..<60 { values.append(generator.word()) }
        return values
    }

    @Test func divisionByPowersOfTwoBelow2To64() {
        var generator = UInt256TestGenerator(seed: 1801)
        var failures = 0
        for exponent in 0..<64 {
            let divisor = UInt256(UInt64(1) << exponent)
            let dividends = Self.edges + (0..<200).map { _ in generator.word() }
            for a in dividends where failures < 5 {
                let result = a.quotientAndRemainder(dividingBy: divisor)
                if result.quotient != R.div(a, divisor) || result.remainder != R.mod(a, divisor)
                    || a.quotient(dividingBy: divisor) != R.div(a, divisor)
                    || a.remainder(dividingBy: divisor) != R.mod(a, divisor) {
                    failures += 1
                    Issue.record("\(R.hex(a)) / 2^\(exponent) gave (\(R.hex(result.quotient)), \(R.hex(result.remainder))), expected (\(R.hex(R.div(a, divisor))), \(R.hex(R.mod(a, divisor))))")
                }
            }
        }
    }

    @Test func signedDivisionByPowersOfTwo() {
        var generator = UInt256TestGenerator(seed: 1802)
        var failures = 0
        for exponent in 0..<64 {
            for negative in [false, true] {
                let magnitude = UInt256(UInt64(1) << exponent)
                let divisor = negative ? magnitude.negated : magnitude
                for a in Self.edges + (0..<100).map({ _ in generator.word() }) where failures < 5 {
                    let quotient = a.signedQuotient(dividingBy: divisor), remainder = a.signedRemainder(dividingBy: divisor)
                    if quotient != R.sdiv(a, divisor) || remainder != R.smod(a, divisor) {
                        failures += 1
                        Issue.record("SDIV/SMOD(\(R.hex(a)), \(R.hex(divisor))) = (\(R.hex(quotient)), \(R.hex(remainder))), expected (\(R.hex(R.sdiv(a, divisor))), \(R.hex(R.smod(a, divisor))))")
                    }
                }
            }
        }
    }

    @Test func addModWithReducedOperands() {
        var generator = UInt256TestGenerator(seed: 1803)
        var failures = 0
        for m in Self.moduli(&generator) where !m.isZero {
            // Reduced operands, including m − 1 + m − 1 (which carries past 2^256 for m > 2^255).
            var operands: [UInt256] = [0, 1, m &- 1, m &- 2, m.quotient(dividingBy: 2)]
            for _ in 0..<40 { operands.append(generator.word().remainder(dividingBy: m)) }
            for a in operands where a < m {
                for b in operands where b < m && failures < 5 {
                    let actual = UInt256.addMod(a, b, m), expected = R.addmod(a, b, m)
                    if actual != expected {
                        failures += 1
                        Issue.record("ADDMOD(\(R.hex(a)), \(R.hex(b)), \(R.hex(m))) = \(R.hex(actual)), expected \(R.hex(expected))")
                    }
                }
            }
        }
        // Modulus zero gives zero, whatever the operands.
        for a in Self.edges { #expect(UInt256.addMod(a, a, 0) == 0, "ADDMOD(\(R.hex(a)), \(R.hex(a)), 0) must be 0") }
    }

    @Test func mulModByEveryModulusWidth() {
        var generator = UInt256TestGenerator(seed: 1804)
        var failures = 0
        for m in Self.moduli(&generator) {
            var operands = Self.edges + [m, m &- 1, m &+ 1]
            for _ in 0..<25 { operands.append(generator.word()) }
            for a in operands {
                for b in operands where failures < 5 {
                    let actual = UInt256.mulMod(a, b, m), expected = R.mulmod(a, b, m)
                    if actual != expected {
                        failures += 1
                        Issue.record("MULMOD(\(R.hex(a)), \(R.hex(b)), \(R.hex(m))) = \(R.hex(actual)), expected \(R.hex(expected))")
                    }
                }
            }
        }
    }

    @Test func mulModInTheBN254Field() {
        // weierstrudel's workload: reduced operands, a 254-bit prime, long chains of products.
        var generator = UInt256TestGenerator(seed: 1805)
        var x = UInt256(words: generator.next(), generator.next(), generator.next(), 0x0123)
        var y = UInt256(words: generator.next(), generator.next(), generator.next(), 0x0456)
        var bigX = R.big(x), bigY = R.big(y)
        let p = R.big(Self.bn254)
        for step in 0..<20_000 {
            x = UInt256.mulMod(x, y, Self.bn254)
            y = UInt256.addMod(x, y, Self.bn254)
            bigX = bigX * bigY % p
            bigY = (bigX + bigY) % p
            if R.big(x) != bigX || R.big(y) != bigY {
                Issue.record("step \(step): got (\(R.hex(x)), \(R.hex(y))), expected (0x\(String(bigX, radix: 16)), 0x\(String(bigY, radix: 16)))")
                return
            }
        }
    }

    @Test func longDivisionQuotientLimbOverflowBranch() {
        // A three-limb divisor with its top bit set (no normalisation shift) and a dividend whose
        // running remainder keeps the divisor's top two limbs: the second quotient limb is 2^64 − 1,
        // which the 3-by-2 estimate cannot produce, so the algorithm takes its overflow branch.
        var generator = UInt256TestGenerator(seed: 1806)
        var failures = 0
        for _ in 0..<UInt256Check.randomCount where failures < 5 {
            let v0 = generator.next() | 1, v1 = generator.next(), v2 = generator.next() | 1 << 63
            let divisor = UInt256(words: v0, v1, v2, 0)
            let dividend = UInt256(words: generator.next(), generator.next() % v0, v1, v2)
            let result = dividend.quotientAndRemainder(dividingBy: divisor)
            if result.quotient != R.div(dividend, divisor) || result.remainder != R.mod(dividend, divisor) {
                failures += 1
                Issue.record("\(R.hex(dividend)) / \(R.hex(divisor)) gave (\(R.hex(result.quotient)), \(R.hex(result.remainder)))")
            }
            // The same shape one limb wider, through MULMOD's 512-bit reduction: (m − 1)² ≡ 1 and m·b ≡ 0.
            let m = UInt256(words: v0, v1, v2, generator.next() | 1 << 63)
            let b = generator.word()
            #expect(UInt256.mulMod(m &- 1, m &- 1, m) == 1, "MULMOD(m − 1, m − 1, m) for m = \(R.hex(m))")
            #expect(UInt256.mulMod(m, b, m) == 0, "MULMOD(m, \(R.hex(b)), m) for m = \(R.hex(m))")
        }
    }
}
