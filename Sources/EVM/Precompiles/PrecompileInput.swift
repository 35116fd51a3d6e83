// Reading precompile call data the way the Yellow Paper (appendix E) and the precompile EIPs
// describe it: a precompile sees its input as if it were followed by infinitely many zero bytes, so
// a field that runs past the end of the call data is right-padded with zeros. These helpers read
// such fields without copying the padding into memory first.

/// Word-based gas pricing and zero-padded reads shared by the precompiles in this folder.
enum PrecompileInput {
    /// The number of 32-byte words needed to hold `byteCount` bytes, rounded up (the Yellow Paper's
    /// ⌈|I| ÷ 32⌉ in the sha256, ripemd160 and identity gas formulas).
    /// - Parameter byteCount: the input length in bytes.
    /// - Returns: the word count.
    static func wordCount(_ byteCount: Int) -> UInt64 {
        (UInt64(byteCount) + 31) / 32
    }

    /// Gas for a precompile priced `base + perWord · words`, as sha256, ripemd160 and identity are.
    /// - Parameters:
    ///   - base: the fixed part.
    ///   - perWord: the price of each 32-byte word of input, rounded up.
    ///   - byteCount: the input length.
    /// - Returns: the gas, saturating at `UInt64.max` (it cannot overflow for any real input).
    static func linearGas(base: UInt64, perWord: UInt64, byteCount: Int) -> UInt64 {
        let (product, overflow) = perWord.multipliedReportingOverflow(by: wordCount(byteCount))
        if overflow { return .max }
        let (total, overflowTotal) = base.addingReportingOverflow(product)
        return overflowTotal ? .max : total
    }

    /// `count` bytes of `input` starting at `offset`, right-padded with zeros where the input ends.
    /// - Parameters:
    ///   - input: the call data.
    ///   - offset: where the field starts; may lie past the end of the input.
    ///   - count: the field's length.
    /// - Returns: exactly `count` bytes.
    static func paddedBytes(_ input: [UInt8], offset: Int, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard offset < input.count else { return out }
        let available = min(count, input.count - offset)
        for index in 0..<available { out[index] = input[offset + index] }
        return out
    }

    /// The byte at `offset`, or zero past the end of the input.
    /// - Parameters:
    ///   - input: the call data.
    ///   - offset: the byte's position.
    /// - Returns: the byte, or 0 where the implicit zero padding is.
    @inline(__always)
    static func byte(_ input: [UInt8], at offset: Int) -> UInt8 {
        offset < input.count ? input[offset] : 0
    }

    /// A 32-byte big-endian word at `offset` (zero-padded), reduced to `UInt64` if it fits.
    /// - Parameters:
    ///   - input: the call data.
    ///   - offset: where the word starts.
    /// - Returns: the value, or `nil` when it is 2^64 or more.
    static func uint64Word(_ input: [UInt8], at offset: Int) -> UInt64? {
        for index in 0..<24 where byte(input, at: offset + index) != 0 { return nil }
        var value: UInt64 = 0
        for index in 24..<32 { value = value << 8 | UInt64(byte(input, at: offset + index)) }
        return value
    }

    /// `bytes` left-padded with zeros to `length` (a shorter result of a longer field, such as a
    /// 20-byte hash placed in a 32-byte word).
    /// - Parameters:
    ///   - bytes: the value, at most `length` bytes long.
    ///   - length: the width of the result.
    /// - Returns: `length` bytes, `bytes` at the end.
    static func leftPadded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        precondition(bytes.count <= length, "value of \(bytes.count) bytes does not fit \(length)")
        return [UInt8](repeating: 0, count: length - bytes.count) + bytes
    }
}
