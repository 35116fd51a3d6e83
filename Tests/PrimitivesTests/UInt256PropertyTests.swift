import BigInt
import Foundation
import Primitives
import Testing

/// Every `UInt256` operation against the BigInt model in `UInt256Reference`, on edge values and
/// 4000 seeded random inputs each (SplitMix64; the seed is in each test, failures print the inputs).
@Suite struct UInt256PropertyTests {
    typealias R = UInt256Reference

    // MARK: Wrapping arithmetic

    @Test func additionWrapsModulo2To256() {
        UInt256Check.binary("ADD", seed: 1, { $0 &+ $1 }, { R.word(R.big($0) + R.big($1)) })
    }

    @Test func subtractionWrapsModulo2To256() {
        UInt256Check.binary("SUB", seed: 2, { $0 &- $1 }, { R.word(R.big($0) + R.modulus - R.big($1)) })
    }

    @Test func multiplicationWrapsModulo2To256() {
        UInt256Check.binary("MUL", seed: 3, { $0 &* $1 }, { R.word(R.big($0) * R.big($1)) })
    }

    @Test func compoundAssignmentsMatchOperators() {
        UInt256Check.binary("compound", seed: 4, { a, b -> [UInt256] in
            var sum = a, difference = a, product = a, and = a, or = a, xor = a
            sum &+= b; difference &-= b; product &*= b; and &= b; or |= b; xor ^= b
            return [sum, difference, product, and, or, xor]
        }, { a, b in
            let x = R.big(a), y = R.big(b)
            return [R.word(x + y), R.word(x + R.modulus - y), R.word(x * y), R.word(x & y), R.word(x | y), R.word(x ^ y)]
        })
    }

    @Test func additionReportsOverflow() {
        UInt256Check.binary("addingReportingOverflow", seed: 5, { a, b -> [String] in
            let result = a.addingReportingOverflow(b)
            return [R.hex(result.partialValue), "\(result.overflow)"]
        }, { a, b in
            let sum = R.big(a) + R.big(b)
            return [R.hex(R.word(sum)), "\(sum >= R.modulus)"]
        })
    }

    @Test func subtractionReportsBorrow() {
        UInt256Check.binary("subtractingReportingOverflow", seed: 6, { a, b -> [String] in
            let result = a.subtractingReportingOverflow(b)
            return [R.hex(result.partialValue), "\(result.overflow)"]
        }, { a, b in
            [R.hex(R.word(R.big(a) + R.modulus - R.big(b))), "\(R.big(a) < R.big(b))"]
        })
    }

    @Test func fullWidthMultiplication() {
        UInt256Check.binary("multipliedFullWidth", seed: 7, { a, b -> [UInt256] in
            let result = a.multipliedFullWidth(by: b)
            return [result.high, result.low]
        }, { a, b in
            let product = R.big(a) * R.big(b)
            return [R.word(product >> 256), R.word(product)]
        })
    }

    @Test func powerWrapsModulo2To256() {
        UInt256Check.binary("EXP", seed: 8, { $0.power($1) }, R.exp)
    }

    @Test func powerWithSmallExponents() {
        UInt256Check.binary("EXP small", seed: 9, second: { $0.smallOrWord(below: 300) }, { $0.power($1) }, R.exp)
    }

    // MARK: Bitwise

    @Test func bitwiseOperators() {
        UInt256Check.binary("AND/OR/XOR", seed: 10, { [$0 & $1, $0 | $1, $0 ^ $1] }, { a, b in
            [R.word(R.big(a) & R.big(b)), R.word(R.big(a) | R.big(b)), R.word(R.big(a) ^ R.big(b))]
        })
    }

    @Test func bitwiseNot() {
        UInt256Check.unary("NOT", seed: 11, { ~$0 }, { R.word(R.modulus - 1 - R.big($0)) })
    }

    // MARK: Division

    @Test func unsignedQuotient() {
        UInt256Check.binary("DIV", seed: 12, { $0.quotient(dividingBy: $1) }, R.div)
    }

    @Test func unsignedRemainder() {
        UInt256Check.binary("MOD", seed: 13, { $0.remainder(dividingBy: $1) }, R.mod)
    }

    @Test func quotientAndRemainderTogether() {
        UInt256Check.binary("quotientAndRemainder", seed: 14, { a, b -> [UInt256] in
            let result = a.quotientAndRemainder(dividingBy: b)
            return [result.quotient, result.remainder]
        }, { [R.div($0, $1), R.mod($0, $1)] })
    }

    @Test func divisionByStructuredDivisors() {
        // Dividends and divisors built only from limbs such as 0, 1, 2^63 and 2^64 − 1 push algorithm D
        // into its rare q̂ = B − 1 and add-back branches.
        var generator = UInt256TestGenerator(seed: 15)
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            let a = UInt256(words: generator.limb(), generator.limb(), generator.limb(), generator.limb())
            let b = UInt256(words: generator.limb(), generator.limb(), generator.limb(), generator.next() % 3 == 0 ? 0 : generator.limb())
            let result = a.quotientAndRemainder(dividingBy: b)
            if result.quotient != R.div(a, b) || result.remainder != R.mod(a, b) {
                failures += 1
                Issue.record("quotientAndRemainder(\(R.hex(a)), \(R.hex(b))) = (\(result.quotient), \(result.remainder))")
            }
        }
    }

    @Test func divisionBySingleLimbDivisors() {
        // One-limb divisors take the short-division path, with each possible normalisation shift.
        UInt256Check.binary("DIV/MOD one limb", seed: 35, second: { generator in
            UInt256(generator.next() >> (generator.next() % 64) | (generator.next() % 2))
        }, { a, b -> [UInt256] in
            let result = a.quotientAndRemainder(dividingBy: b)
            return [result.quotient, result.remainder]
        }, { [R.div($0, $1), R.mod($0, $1)] })
    }

    @Test func mulModBySingleLimbModulus() {
        var generator = UInt256TestGenerator(seed: 36)
        var failures = 0
        for _ in 0..<UInt256Check.randomCount where failures < 5 {
            let a = generator.word(), b = generator.word()
            let m = UInt256(generator.next() >> (generator.next() % 64) | 1)
            let actual = UInt256.mulMod(a, b, m), expected = R.mulmod(a, b, m)
            if actual != expected {
                failures += 1
                Issue.record("MULMOD(\(R.hex(a)), \(R.hex(b)), \(R.hex(m))) = \(actual), expected \(expected)")
            }
        }
    }

    @Test func signedQuotient() {
        UInt256Check.binary("SDIV", seed: 16, { $0.signedQuotient(dividingBy: $1) }, R.sdiv)
    }

    @Test func signedRemainder() {
        UInt256Check.binary("SMOD", seed: 17, { $0.signedRemainder(dividingBy: $1) }, R.smod)
    }

    @Test func addModWith257BitSum() {
        UInt256Check.ternary("ADDMOD", seed: 18, UInt256.addMod, R.addmod)
    }

    @Test func mulModWith512BitProduct() {
        UInt256Check.ternary("MULMOD", seed: 19, UInt256.mulMod, R.mulmod)
    }

    // MARK: Shifts and bytes

    @Test func shiftLeft() {
        UInt256Check.binary("SHL", seed: 20, second: { $0.smallOrWord(below: 300) },
                            { $0.shiftedLeft(by: $1) }, R.shl)
    }

    @Test func logicalShiftRight() {
        UInt256Check.binary("SHR", seed: 21, second: { $0.smallOrWord(below: 300) },
                            { $0.shiftedRight(by: $1) }, R.shr)
    }

    @Test func arithmeticShiftRight() {
        UInt256Check.binary("SAR", seed: 22, second: { $0.smallOrWord(below: 300) },
                            { $0.arithmeticShiftedRight(by: $1) }, R.sar)
    }

    @Test func shiftOperatorsTakeIntCounts() {
        // Negative counts shift the other way, as Swift's smart shifts on BinaryInteger do.
        UInt256Check.binary("<< and >>", seed: 23, second: { $0.smallOrWord(below: 600) }, { a, b -> [UInt256] in
            let n = Int(b.w0 % 600) - 300
            var left = a, right = a
            left <<= n; right >>= n
            return [a << n, a >> n, left, right]
        }, { a, b in
            let n = Int(b.w0 % 600) - 300
            let x = R.big(a)
            let shiftedLeft = n >= 0 ? R.word(x << n) : R.word(x >> -n)
            let shiftedRight = n >= 0 ? R.word(x >> n) : R.word(x << -n)
            return [shiftedLeft, shiftedRight, shiftedLeft, shiftedRight]
        })
    }

    @Test func byteAtIndex() {
        UInt256Check.binary("BYTE", seed: 24, second: { $0.smallOrWord(below: 40) }, { $0.byte(at: $1) }, R.byte)
    }

    @Test func signExtension() {
        UInt256Check.binary("SIGNEXTEND", seed: 25, second: { $0.smallOrWord(below: 40) },
                            { $0.signExtended(fromByte: $1) }, R.signextend)
    }

    // MARK: Comparison and sign

    @Test func unsignedComparisons() {
        UInt256Check.binary("LT/GT/EQ", seed: 26, { [$0 < $1, $0 > $1, $0 == $1, $0 <= $1, $0 >= $1] }, { a, b in
            let x = R.big(a), y = R.big(b)
            return [x < y, x > y, x == y, x <= y, x >= y]
        })
    }

    @Test func signedComparisons() {
        UInt256Check.binary("SLT/SGT", seed: 27, { [$0.signedLessThan($1), $0.signedGreaterThan($1)] }, { a, b in
            [R.signed(a) < R.signed(b), R.signed(a) > R.signed(b)]
        })
    }

    @Test func hashingAgreesWithEquality() {
        UInt256Check.binary("hashValue", seed: 28, { a, b in a == b ? a.hashValue == b.hashValue : true }, { _, _ in true })
    }

    @Test func signAndNegation() {
        UInt256Check.unary("isNegative/negated", seed: 29, { [R.hex($0.negated), "\($0.isNegative)"] }, { a in
            [R.hex(R.word(signed: -R.signed(a))), "\(R.signed(a) < 0)"]
        })
    }

    // MARK: Widths and conversions

    @Test func widthsAndLimbViews() {
        UInt256Check.unary("widths", seed: 30, { a -> [String] in
            ["\(a.isZero)", "\(a.leadingZeroBitCount)", "\(a.bitWidth)", "\(a.byteWidth)",
             "\(a.low64)", "\(String(describing: a.uint64IfFits))", "\(String(describing: a.intIfFits))"]
        }, { a in
            let x = R.big(a)
            let width = x.isZero ? 0 : String(x, radix: 2).count
            let fits64 = x <= BigUInt(UInt64.max)
            let fitsInt = x <= BigUInt(Int.max)
            return ["\(x.isZero)", "\(256 - width)", "\(width)", "\((width + 7) / 8)",
                    "\(UInt64(x & BigUInt(UInt64.max)))",
                    "\(String(describing: fits64 ? Optional(UInt64(x)) : nil))",
                    "\(String(describing: fitsInt ? Optional(Int(x)) : nil))"]
        })
    }

    @Test func bigEndianByteForms() {
        UInt256Check.unary("bytes", seed: 31, { a -> [[UInt8]] in
            var stored = [UInt8](repeating: 0xAA, count: 35)
            stored.withUnsafeMutableBytes { a.storeBigEndian(to: $0.baseAddress! + 3) }
            return [a.bigEndianBytes, a.minimalBigEndianBytes, Array(stored[3...]), a.hash32.bytes]
        }, { a in
            let minimal = [UInt8](R.big(a).serialize())
            let padded = [UInt8](repeating: 0, count: 32 - minimal.count) + minimal
            return [padded, minimal, padded, padded]
        })
    }

    @Test func bigEndianBytesRoundTrip() {
        UInt256Check.unary("init(bigEndianBytes:)", seed: 32, { a -> [UInt256] in
            let minimal = [UInt8](R.big(a).serialize())
            let padded = [UInt8](repeating: 0, count: 32 - minimal.count) + minimal
            var unaligned = [UInt8](repeating: 0x55, count: 33)
            unaligned.replaceSubrange(1..., with: padded)
            let loaded = unaligned.withUnsafeBytes { UInt256(loadingBigEndianFrom: $0.baseAddress! + 1) }
            return [UInt256(bigEndianBytes: minimal), UInt256(bigEndianBytes: padded),
                    UInt256(bigEndianBytes: minimal.lazy.map { $0 }),  // a non-contiguous collection
                    loaded, UInt256(Hash32(padded))]
        }, { a in [a, a, a, a, a] })
    }

    @Test func decimalText() {
        UInt256Check.unary("description", seed: 33, { a -> [String] in
            [a.description, UInt256(decimal: a.description).map(R.hex) ?? "nil"]
        }, { a in [String(R.big(a)), R.hex(a)] })
    }

    @Test func hexText() {
        UInt256Check.unary("hexQuantity", seed: 34, { a -> [String] in
            let padded = Hex.encode(a.bigEndianBytes)
            return [a.hexQuantity,
                    (try? UInt256(hex: a.hexQuantity)).map(R.hex) ?? "nil",
                    (try? UInt256(hex: padded.uppercased().replacingOccurrences(of: "0X", with: "0x"))).map(R.hex) ?? "nil",
                    (try? UInt256(hex: padded.dropFirst(2))).map(R.hex) ?? "nil"]
        }, { a in
            let hex = "0x" + String(R.big(a), radix: 16)
            return [hex, hex, hex, hex]
        })
    }
}
