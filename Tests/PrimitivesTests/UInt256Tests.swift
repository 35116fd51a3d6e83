import Primitives
import Testing

/// Known answers for `UInt256` from published sources; the random comparisons against BigInt live in
/// `UInt256PropertyTests`.
@Suite struct UInt256Tests {
    /// A word from 64 hex digits, as the sources print them.
    static func word(_ hex: String) -> UInt256 {
        do { return try UInt256(hex: hex) } catch { fatalError("bad test vector \(hex): \(error)") }
    }

    static let max = "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

    // MARK: EIP-145 "Test Cases" (https://eips.ethereum.org/EIPS/eip-145), every row: value, shift, result.

    struct ShiftCase: Sendable, CustomTestStringConvertible {
        let value: String, shift: String, result: String
        var testDescription: String { "\(value) by \(shift) → \(result)" }
    }

    static let eip145ShiftLeft: [ShiftCase] = [
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x00",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x01",
              result: "0x0000000000000000000000000000000000000000000000000000000000000002"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0xff",
              result: "0x8000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x0100",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x0101",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x00",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x01",
              result: "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0xff",
              result: "0x8000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x0100",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000000", shift: "0x01",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x01",
              result: "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"),
    ]

    static let eip145ShiftRight: [ShiftCase] = [
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x00",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x01",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0x01",
              result: "0x4000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0xff",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0x0100",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0x0101",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x00",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x01",
              result: "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0xff",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x0100",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000000", shift: "0x01",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
    ]

    static let eip145ArithmeticShiftRight: [ShiftCase] = [
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x00",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000001", shift: "0x01",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0x01",
              result: "0xc000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0xff",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0x0100",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0x8000000000000000000000000000000000000000000000000000000000000000", shift: "0x0101",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x00",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x01",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0xff",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x0100",
              result: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        .init(value: "0x0000000000000000000000000000000000000000000000000000000000000000", shift: "0x01",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x4000000000000000000000000000000000000000000000000000000000000000", shift: "0xfe",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0xf8",
              result: "0x000000000000000000000000000000000000000000000000000000000000007f"),
        .init(value: "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0xfe",
              result: "0x0000000000000000000000000000000000000000000000000000000000000001"),
        .init(value: "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0xff",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
        .init(value: "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", shift: "0x0100",
              result: "0x0000000000000000000000000000000000000000000000000000000000000000"),
    ]

    @Test(arguments: eip145ShiftLeft)
    func eip145ShiftLeftTable(_ row: ShiftCase) {
        #expect(Self.word(row.value).shiftedLeft(by: Self.word(row.shift)) == Self.word(row.result))
    }

    @Test(arguments: eip145ShiftRight)
    func eip145ShiftRightTable(_ row: ShiftCase) {
        #expect(Self.word(row.value).shiftedRight(by: Self.word(row.shift)) == Self.word(row.result))
    }

    @Test(arguments: eip145ArithmeticShiftRight)
    func eip145ArithmeticShiftRightTable(_ row: ShiftCase) {
        #expect(Self.word(row.value).arithmeticShiftedRight(by: Self.word(row.shift)) == Self.word(row.result))
    }

    // MARK: Opcode examples published on evm.codes (the "Examples" box of each opcode page)

    @Test func evmCodesArithmeticExamples() {
        let max = Self.word(Self.max)
        let maxMinusOne = Self.word("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe")
        #expect(UInt256(10) &+ 10 == 20)                               // ADD
        #expect(max &+ 1 == 0)
        #expect(UInt256(10) &* 10 == 100)                              // MUL
        #expect(max &* 2 == maxMinusOne)
        #expect(UInt256(10) &- 10 == 0)                                // SUB
        #expect(UInt256(0) &- 1 == max)
        #expect(UInt256(10).quotient(dividingBy: 10) == 1)             // DIV
        #expect(UInt256(1).quotient(dividingBy: 2) == 0)
        #expect(UInt256(10).remainder(dividingBy: 3) == 1)             // MOD
        #expect(UInt256(17).remainder(dividingBy: 5) == 2)
        #expect(UInt256.addMod(10, 10, 8) == 4)                         // ADDMOD
        #expect(UInt256.addMod(max, 2, 2) == 1)
        #expect(UInt256.mulMod(10, 10, 8) == 4)                         // MULMOD
        #expect(UInt256.mulMod(max, max, 12) == 9)
        #expect(UInt256(10).power(2) == 100)                            // EXP
        #expect(UInt256(2).power(2) == 4)
    }

    @Test func evmCodesSignedExamples() {
        let max = Self.word(Self.max)
        let minusTwo = Self.word("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe")
        let minusThree = Self.word("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd")
        let minusEight = Self.word("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8")
        #expect(UInt256(10).signedQuotient(dividingBy: 10) == 1)        // SDIV
        #expect(minusTwo.signedQuotient(dividingBy: max) == 2)
        #expect(UInt256(10).signedRemainder(dividingBy: 3) == 1)        // SMOD
        #expect(minusEight.signedRemainder(dividingBy: minusThree) == minusTwo)
        #expect(UInt256(0xff).signExtended(fromByte: 0) == max)         // SIGNEXTEND
        #expect(UInt256(0x7f).signExtended(fromByte: 0) == 0x7f)
        #expect(UInt256(9).signedLessThan(10))                          // SLT
        #expect(max.signedLessThan(0))
        #expect(UInt256(10).signedGreaterThan(9))                       // SGT
        #expect(UInt256(0).signedGreaterThan(max))
        #expect(UInt256(0xff).byte(at: 31) == 0xff)                     // BYTE
        #expect(UInt256(0xff00).byte(at: 30) == 0xff)
    }

    /// Yellow Paper appendix H, SDIV: "−2^255 / −1 = −2^255" (the one overflowing quotient wraps).
    @Test func signedQuotientOfMinimumByMinusOne() {
        let minimum = Self.word("0x8000000000000000000000000000000000000000000000000000000000000000")
        #expect(minimum.signedQuotient(dividingBy: .max) == minimum)
        #expect(minimum.signedRemainder(dividingBy: .max) == 0)
    }

    /// Yellow Paper appendix H: DIV, MOD, SDIV, SMOD, ADDMOD and MULMOD by zero give zero.
    @Test func divisionByZeroGivesZero() {
        let max = UInt256.max
        #expect(max.quotient(dividingBy: 0) == 0)
        #expect(max.remainder(dividingBy: 0) == 0)
        #expect(max.quotientAndRemainder(dividingBy: 0).quotient == 0)
        #expect(max.quotientAndRemainder(dividingBy: 0).remainder == 0)
        #expect(max.signedQuotient(dividingBy: 0) == 0)
        #expect(max.signedRemainder(dividingBy: 0) == 0)
        #expect(UInt256.addMod(max, max, 0) == 0)
        #expect(UInt256.mulMod(max, max, 0) == 0)
    }

    /// 0^0 = 1 in the EVM (Yellow Paper appendix H, EXP: μ's[0] ≡ μs[0]^μs[1], with x^0 = 1).
    @Test func zeroToTheZeroIsOne() {
        #expect(UInt256(0).power(0) == 1)
        #expect(UInt256(0).power(1) == 0)
    }

    // MARK: Constants and conversions (values from the definitions)

    @Test func constants() {
        #expect(UInt256.zero == UInt256(words: 0, 0, 0, 0))
        #expect(UInt256.one == UInt256(words: 1, 0, 0, 0))
        #expect(UInt256.max == UInt256(words: .max, .max, .max, .max))
        #expect(UInt256.max.description == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(UInt256.zero.isZero && !UInt256.one.isZero)
    }

    @Test func integerConversions() {
        #expect(UInt256(exactly: -1) == nil)
        #expect(UInt256(exactly: Int.max) == UInt256(UInt64(Int.max)))
        #expect(UInt256(words: 0, 1, 0, 0).uint64IfFits == nil)
        #expect(UInt256(words: .max, 0, 0, 0).uint64IfFits == .max)
        #expect(UInt256(words: .max, 0, 0, 0).intIfFits == nil)
        #expect(UInt256(words: 7, 1, 0, 0).low64 == 7)
    }

    /// Ethereum JSON-RPC quantities (execution-apis "hex encoding" rules: "0x0" for zero,
    /// "0x41" for 65, "0x400" for 1024; no leading zeros).
    @Test func jsonQuantityExamples() throws {
        #expect(UInt256(0).hexQuantity == "0x0")
        #expect(UInt256(65).hexQuantity == "0x41")
        #expect(UInt256(1024).hexQuantity == "0x400")
        #expect(try UInt256(hex: "0x400") == 1024)
        #expect(try UInt256(hex: "0x0") == 0)
        #expect(try UInt256(hex: "41") == 65)
        #expect(try UInt256(hex: "0X00000000000000000000000000000000000000000000000000000000000000000041") == 65)
    }

    /// Our own choice, not the JSON-RPC rule (which calls "0x" invalid): no digits read as zero,
    /// as an empty RLP integer does.
    @Test func emptyHexIsZero() throws {
        #expect(try UInt256(hex: "0x") == 0)
        #expect(try UInt256(hex: "") == 0)
    }

    @Test func hexRejectsNonHexCharacters() {
        #expect(throws: HexError.invalidCharacter("0x12g4", position: 4)) { try UInt256(hex: "0x12g4") }
        #expect(throws: HexError.invalidCharacter("0x-1", position: 2)) { try UInt256(hex: "0x-1") }
    }

    @Test func hexRejectsMoreThan32Bytes() {
        let tooLong = "0x1" + String(repeating: "0", count: 64)
        #expect(throws: HexError.wrongLength(tooLong, expected: 32, actual: 33)) { try UInt256(hex: tooLong) }
    }

    @Test func decimalRejectsBadText() {
        #expect(UInt256(decimal: "") == nil)
        #expect(UInt256(decimal: "-1") == nil)
        #expect(UInt256(decimal: "1 000") == nil)
        #expect(UInt256(decimal: "0x10") == nil)
        // 2^256, one more than the largest word.
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639935") == .max)
        #expect(UInt256(decimal: "0042") == 42)
    }

    /// RLP (Yellow Paper appendix B) writes integers big-endian with no leading zeros: 0 is empty,
    /// 1024 is 0x04 0x00.
    @Test func minimalBytesForRLP() {
        #expect(UInt256(0).minimalBigEndianBytes == [])
        #expect(UInt256(1024).minimalBigEndianBytes == [0x04, 0x00])
        #expect(UInt256(0).bigEndianBytes == [UInt8](repeating: 0, count: 32))
        #expect(UInt256(0).byteWidth == 0 && UInt256(0).bitWidth == 0 && UInt256(0).leadingZeroBitCount == 256)
    }

    @Test func hash32KeepsByteOrder() throws {
        let hash = try Hash32(hex: "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20")
        let value = UInt256(hash)
        #expect(value.w3 == 0x0102_0304_0506_0708 && value.w0 == 0x191a_1b1c_1d1e_1f20)
        #expect(value.hash32 == hash)
        #expect(value.bigEndianBytes == hash.bytes)
    }
}
