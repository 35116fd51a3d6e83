import COpenSSL
import Primitives

/// The modular exponentiation precompile at 0x05: input layout from EIP-198, price from EIP-2565
/// (Berlin).
///
/// Input: base length, exponent length and modulus length as 32-byte big-endian integers, then the
/// base, exponent and modulus as big-endian integers of those lengths, the whole right-padded with
/// zeros. Output: base^exponent mod modulus as a big-endian integer of exactly modulus-length bytes
/// (zero bytes when the modulus is 0; empty when the modulus length is 0).
///
/// Gas (EIP-2565): max(200, ⌊complexity · iterations ÷ 3⌋) where complexity = ⌈max(base length,
/// modulus length) ÷ 8⌉² and iterations = max(1, adjusted exponent length). Lengths of 2^64 or
/// more, or a price of 2^64 or more, give `UInt64.max`, so the call runs out of gas before any
/// byte of a huge operand is read.
///
/// Limit: `run` refuses (fails) inputs priced above `maximumRunnableGas`, 2^40 gas, more than any
/// block can hold, so that it never allocates operands no caller can have paid for. Arithmetic is
/// OpenSSL's BIGNUM `BN_mod_exp` (DESIGN.md §1a).
public struct ModularExponentiationPrecompile: Precompile {
    /// The highest price `run` attempts; see the type's documentation.
    public static let maximumRunnableGas: UInt64 = 1 << 40

    /// Creates the precompile.
    public init() {}

    /// The EIP-2565 price of this input.
    /// - Parameter input: the call data.
    /// - Returns: the gas required, or `UInt64.max` when it cannot be represented.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        // With base and modulus both empty the multiplication complexity is zero, so EIP-2565's
        // product is zero and the 200 floor applies whatever the exponent length (even ≥ 2^64).
        if PrecompileInput.uint64Word(input, at: 0) == 0 && PrecompileInput.uint64Word(input, at: 64) == 0 {
            return 200
        }
        guard let lengths = Lengths(input) else { return .max }
        let largest = max(lengths.base, lengths.modulus)
        let words = largest / 8 + (largest % 8 == 0 ? 0 : 1)
        let (complexity, complexityOverflow) = words.multipliedReportingOverflow(by: words)
        if complexityOverflow { return .max }

        // The adjusted exponent length of EIP-198: from the first (up to) 32 bytes of the exponent,
        // plus 8 per byte beyond them.
        let headLength = Int(min(lengths.exponent, 32))
        let headBitLength = Self.bitLength(input, offset: lengths.exponentOffset, count: headLength)
        var iterations: UInt64
        if lengths.exponent <= 32 {
            iterations = headBitLength == 0 ? 0 : headBitLength - 1
        } else {
            let (tail, tailOverflow) = (lengths.exponent - 32).multipliedReportingOverflow(by: 8)
            if tailOverflow { return .max }
            let (sum, sumOverflow) = tail.addingReportingOverflow(headBitLength == 0 ? 0 : headBitLength - 1)
            if sumOverflow { return .max }
            iterations = sum
        }
        iterations = max(iterations, 1)
        let (product, productOverflow) = complexity.multipliedReportingOverflow(by: iterations)
        if productOverflow { return .max }
        return max(200, product / 3)
    }

    /// Computes base^exponent mod modulus.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: modulus-length bytes, or a failure for an input priced above
    ///   `maximumRunnableGas`.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        let gas = requiredGas(input: input)
        guard gas <= Self.maximumRunnableGas else {
            return .failure("modexp: input priced at \(gas) gas exceeds the \(Self.maximumRunnableGas) gas "
                + "this node will run (lengths: \(Self.lengthsText(input)))")
        }
        // An unreadable exponent length is priced only when base and modulus are empty: the
        // result is the empty modulus.
        guard let lengths = Lengths(input) else { return .success([]) }
        // The price bounds every length: complexity ≤ 3·2^40 keeps base and modulus under 15 MB.
        let baseLength = Int(lengths.base), exponentLength = Int(lengths.exponent)
        let modulusLength = Int(lengths.modulus)
        if modulusLength == 0 { return .success([]) }

        let context = BN_CTX_new()
        let base = BN_new(), exponent = BN_new(), modulus = BN_new(), result = BN_new()
        defer {
            BN_free(base); BN_free(exponent); BN_free(modulus); BN_free(result)
            BN_CTX_free(context)
        }
        guard let context, let base, let exponent, let modulus, let result else {
            return .failure("modexp: OpenSSL could not allocate big numbers")
        }
        // Operands past the end of the input are zero-padded. Only the modulus can be padded in a
        // way that matters: if any byte of the exponent or base were missing, every byte of the
        // modulus (which follows them) would be too, and a zero modulus answers before they are read.
        let exponentOffset = 96 + baseLength, modulusOffset = exponentOffset + exponentLength
        Self.readPadded(input, offset: modulusOffset, count: modulusLength, into: modulus)
        if BN_is_zero(modulus) == 1 {
            return .success([UInt8](repeating: 0, count: modulusLength))
        }
        Self.readPadded(input, offset: 96, count: baseLength, into: base)
        Self.readPadded(input, offset: exponentOffset, count: exponentLength, into: exponent)
        if BN_num_bits(exponent) <= Self.shortExponentBits {
            guard Self.shortModExp(result, base, exponent, modulus, context) else {
                return .failure("modexp: OpenSSL big-number arithmetic failed for a short exponent")
            }
        } else if BN_is_odd(modulus) == 1 {
            guard BN_mod_exp(result, base, exponent, modulus, context) == 1 else {
                return .failure("modexp: OpenSSL BN_mod_exp failed")
            }
        } else {
            guard Self.evenModExp(result, base, exponent, modulus, context) else {
                return .failure("modexp: OpenSSL big-number arithmetic failed for an even modulus")
            }
        }
        var output = [UInt8](repeating: 0, count: modulusLength)
        guard BN_bn2binpad(result, &output, Int32(modulusLength)) == Int32(modulusLength) else {
            return .failure("modexp: result does not fit \(modulusLength) bytes")
        }
        return .success(output)
    }

    /// The three lengths of the EIP-198 header, each below 2^64.
    private struct Lengths {
        var base: UInt64, exponent: UInt64, modulus: UInt64

        /// Reads the header, or `nil` when a length is 2^64 or more.
        init?(_ input: [UInt8]) {
            guard let base = PrecompileInput.uint64Word(input, at: 0),
                  let exponent = PrecompileInput.uint64Word(input, at: 32),
                  let modulus = PrecompileInput.uint64Word(input, at: 64) else { return nil }
            self.base = base; self.exponent = exponent; self.modulus = modulus
        }

        /// Where the exponent starts, or `Int.max` (past any input) if that does not fit.
        var exponentOffset: Int {
            base > UInt64(Int.max - 96) ? Int.max : 96 + Int(base)
        }
    }

    /// The bit length of the big-endian integer in `count` zero-padded bytes at `offset`.
    private static func bitLength(_ input: [UInt8], offset: Int, count: Int) -> UInt64 {
        for index in 0..<count {
            let position = offset > Int.max - index ? Int.max : offset + index
            let byte = PrecompileInput.byte(input, at: position)
            if byte != 0 {
                return UInt64(count - index - 1) * 8 + UInt64(8 - byte.leadingZeroBitCount)
            }
        }
        return 0
    }

    /// Reads `count` zero-padded bytes at `offset` as a big-endian integer into `number`: the bytes
    /// inside the input, shifted left by the missing ones (so the padding is never materialised).
    /// Exponents up to this many bits go through `shortModExp`.
    static let shortExponentBits: Int32 = 32

    /// base^exponent mod modulus by plain square-and-multiply with division-based reduction, for
    /// short exponents: `BN_mod_exp` first sets up Montgomery multiplication (an inverse and
    /// R² mod m), which costs more than the handful of products a short exponent needs (geth's
    /// nagydani-1 vectors: exponent 3 or 65537 with a 64-byte modulus).
    private static func shortModExp(
        _ result: OpaquePointer, _ base: OpaquePointer, _ exponent: OpaquePointer, _ modulus: OpaquePointer,
        _ context: OpaquePointer
    ) -> Bool {
        let reduced = BN_new()
        defer { BN_free(reduced) }
        guard let reduced, BN_nnmod(reduced, base, modulus, context) == 1,
              BN_set_word(result, 1) == 1 else { return false }
        var bit = BN_num_bits(exponent) - 1
        while bit >= 0 {
            guard BN_mod_sqr(result, result, modulus, context) == 1 else { return false }
            if BN_is_bit_set(exponent, bit) == 1 {
                guard BN_mod_mul(result, result, reduced, modulus, context) == 1 else { return false }
            }
            bit -= 1
        }
        // Exponent 0 leaves 1, which is 0 modulo 1.
        return BN_nnmod(result, result, modulus, context) == 1
    }

    /// base^exponent mod an even modulus m = 2^k · q (q odd), by the Chinese remainder theorem:
    /// OpenSSL's `BN_mod_exp` has Montgomery multiplication only for odd moduli and falls back to
    /// a reciprocal method for even ones, 6–8× slower than revm on geth's even-modulus vectors
    /// (docs/performance.md). Here the odd part goes through Montgomery (`BN_mod_exp`), the
    /// power-of-two part through square-and-multiply truncated to k bits (no division), and
    /// x = r_q + q·((r_2 − r_q)·q⁻¹ mod 2^k) joins them; x < q·2^k = m.
    private static func evenModExp(
        _ result: OpaquePointer, _ base: OpaquePointer, _ exponent: OpaquePointer, _ modulus: OpaquePointer,
        _ context: OpaquePointer
    ) -> Bool {
        var k: Int32 = 0
        while BN_is_bit_set(modulus, k) == 0 { k += 1 }  // the modulus is not zero
        let odd = BN_new(), oddResult = BN_new(), twoResult = BN_new(), truncatedBase = BN_new()
        let power = BN_new(), difference = BN_new(), lift = BN_new()
        var inverse: OpaquePointer?
        defer {
            BN_free(odd); BN_free(oddResult); BN_free(twoResult); BN_free(truncatedBase)
            BN_free(power); BN_free(difference); BN_free(lift); BN_free(inverse)
        }
        guard let odd, let oddResult, let twoResult, let truncatedBase, let power, let difference, let lift,
              BN_rshift(odd, modulus, k) == 1,
              BN_mod_exp(oddResult, base, exponent, odd, context) == 1,  // 0 when q = 1
              BN_copy(truncatedBase, base) != nil, BN_set_word(twoResult, 1) == 1,
              BN_set_word(power, 0) == 1, BN_set_bit(power, k) == 1 else { return false }
        // BN_mask_bits reports an error when the number is already shorter than k bits, and then
        // leaves it as it is, which is the truncation wanted: its result is not checked.
        _ = BN_mask_bits(truncatedBase, k)
        var bit = BN_num_bits(exponent) - 1
        if k <= 256 {
            // Modulo 2^k ≤ 2^256, wrapping 256-bit products are exact: no big numbers in the loop.
            var bytes = [UInt8](repeating: 0, count: 32)
            guard BN_bn2binpad(truncatedBase, &bytes, 32) == 32 else { return false }
            let word = UInt256(bigEndianBytes: bytes)
            var power = UInt256.one
            while bit >= 0 {
                power = power &* power
                if BN_is_bit_set(exponent, bit) == 1 { power = power &* word }
                bit -= 1
            }
            if k < 256 { power = power & ((UInt256.one << Int(k)) &- UInt256.one) }
            guard BN_bin2bn(power.bigEndianBytes, 32, twoResult) != nil else { return false }
        } else {
            while bit >= 0 {
                guard BN_sqr(twoResult, twoResult, context) == 1 else { return false }
                _ = BN_mask_bits(twoResult, k)
                if BN_is_bit_set(exponent, bit) == 1 {
                    guard BN_mul(twoResult, twoResult, truncatedBase, context) == 1 else { return false }
                    _ = BN_mask_bits(twoResult, k)
                }
                bit -= 1
            }
        }
        _ = BN_mask_bits(twoResult, k)
        inverse = BN_mod_inverse(nil, odd, power, context)
        guard let inverse,
              BN_mod_sub(difference, twoResult, oddResult, power, context) == 1,
              BN_mod_mul(lift, difference, inverse, power, context) == 1,
              BN_mul(result, odd, lift, context) == 1,
              BN_add(result, result, oddResult) == 1 else { return false }
        return true
    }

    private static func readPadded(_ input: [UInt8], offset: Int, count: Int, into number: OpaquePointer) {
        let available = offset >= input.count ? 0 : min(count, input.count - offset)
        input.withUnsafeBufferPointer { buffer in
            _ = BN_bin2bn(available == 0 ? nil : buffer.baseAddress! + offset, Int32(available), number)
        }
        let missing = count - available
        if missing > 0 && BN_is_zero(number) != 1 { BN_lshift(number, number, Int32(missing * 8)) }
    }

    /// The header's three length words as text, for failure messages.
    private static func lengthsText(_ input: [UInt8]) -> String {
        [0, 32, 64].map { offset in
            PrecompileInput.uint64Word(input, at: offset).map(String.init) ?? "≥ 2^64"
        }.joined(separator: ", ")
    }
}
