import Testing
import EVM
import Primitives

/// modexp (0x05) edges from EIP-198 (input layout, padding, zero modulus) and EIP-2565 (gas),
/// beyond the fixture files. Expected values are worked by hand from the EIPs' formulas.
@Suite struct PrecompileModExpTests {
    /// The 96-byte header: three 32-byte big-endian lengths.
    private func header(base: UInt64, exponent: UInt64, modulus: UInt64) -> [UInt8] {
        [base, exponent, modulus].flatMap { length in
            [UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: length >> (56 - 8 * UInt64($0))) }
        }
    }

    @Test func threeToTheFifthModSeven() {
        // 3^5 = 243 = 34·7 + 5; complexity ⌈1/8⌉² = 1, iterations max(1, bitlen(5) − 1 = 2) → 200 minimum.
        let (gas, output) = PrecompileCaller.call(0x05, header(base: 1, exponent: 1, modulus: 1) + [3, 5, 7])
        #expect(output == .success([5]))
        #expect(gas == 200)
    }

    @Test func zeroModulusLengthGivesEmptyOutput() {
        let (gas, output) = PrecompileCaller.call(0x05, header(base: 1, exponent: 1, modulus: 0) + [3, 5])
        #expect(output == .success([]))
        #expect(gas == 200)
    }

    @Test func zeroModulusGivesModulusLengthZeros() {
        let (_, output) = PrecompileCaller.call(0x05, header(base: 1, exponent: 1, modulus: 3) + [3, 5, 0, 0, 0])
        #expect(output == .success([0, 0, 0]))
    }

    /// A modulus that runs past the input is right-padded: 0x07 followed by a padding byte is 0x0700.
    @Test func truncatedModulusIsRightPadded() {
        // 3^5 mod 0x0700 = 243, written in two bytes.
        let (_, output) = PrecompileCaller.call(0x05, header(base: 1, exponent: 1, modulus: 2) + [3, 5, 7])
        #expect(output == .success([0x00, 0xf3]))
    }

    /// A missing modulus is all padding, so the output is zeros whatever the base and exponent.
    @Test func inputOfOnlyTheHeaderGivesZeros() {
        let (_, output) = PrecompileCaller.call(0x05, header(base: 4, exponent: 4, modulus: 4))
        #expect(output == .success([0, 0, 0, 0]))
    }

    @Test func moduloOneIsZero() {
        let (_, output) = PrecompileCaller.call(0x05, header(base: 1, exponent: 1, modulus: 1) + [3, 5, 1])
        #expect(output == .success([0]))
    }

    /// EIP-2565: exponent length 64 with a zero head: iterations 8·(64 − 32) = 256; modulus
    /// length 32: complexity (32 ÷ 8)² = 16; gas ⌊16·256 ÷ 3⌋ = 1365.
    @Test func longExponentIsPricedPerByteBeyond32() {
        let input = header(base: 0, exponent: 64, modulus: 32) + [UInt8](repeating: 0, count: 64)
            + [UInt8](repeating: 0, count: 31) + [9]
        #expect(PrecompileCaller.precompile(0x05).requiredGas(input: input) == 1365)
    }

    /// A length word of 2^64 or more cannot be paid for: `UInt64.max`, and running it fails.
    @Test func lengthAbove64BitsCostsUInt64Max() {
        var input = header(base: 1, exponent: 1, modulus: 1)
        input[0] = 1  // base length ≥ 2^248
        let precompile = PrecompileCaller.precompile(0x05)
        #expect(precompile.requiredGas(input: input) == .max)
        guard case .failure = precompile.run(input: input, context: PrecompileCaller.context) else {
            Issue.record("an unpayable modexp must fail rather than allocate")
            return
        }
    }

    /// A modulus length of 2^40 fits 64 bits but its complexity (2^37)² overflows: `UInt64.max`,
    /// checked before any operand byte is read.
    @Test func hugeModulusLengthCostsUInt64Max() {
        let input = header(base: 0, exponent: 0, modulus: 1 << 40)
        #expect(PrecompileCaller.precompile(0x05).requiredGas(input: input) == .max)
    }

    /// A huge exponent length with tiny operands is priced, not refused: iterations
    /// 8·(2^32 − 32) = 34359738112, complexity 1, gas ⌊34359738112 ÷ 3⌋ = 11453246037.
    @Test func hugeExponentLengthIsPricedExactly() {
        let input = header(base: 1, exponent: 1 << 32, modulus: 1)
        #expect(PrecompileCaller.precompile(0x05).requiredGas(input: input) == 11_453_246_037)
    }

    /// Base and modulus both empty: EIP-2565's multiplication complexity is 0, so the product is 0
    /// and the 200 floor applies even for an exponent length of 2^255 (ethereum/tests
    /// stPreCompiledContracts/modexp.json cases 76–79 call it with exactly this header).
    @Test func emptyBaseAndModulusCostTheFloorWhateverTheExponentLength() {
        var input = header(base: 0, exponent: 0, modulus: 0)
        input[32] = 0x80  // exponent length 2^255
        let precompile = PrecompileCaller.precompile(0x05)
        #expect(precompile.requiredGas(input: input) == 200)
        #expect(precompile.run(input: input, context: PrecompileCaller.context) == .success([]))
    }
}
