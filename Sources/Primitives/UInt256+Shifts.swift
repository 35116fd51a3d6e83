// Shifts and byte access: SHL, SHR, SAR (EIP-145), BYTE and SIGNEXTEND (Yellow Paper appendix H).
//
// A shift by n bits moves whole limbs by n / 64 first, then bits by n % 64 across neighbouring
// limbs; a bit shift of zero is handled apart because `x >> 64` is not a no-op in the limb step.

extension UInt256 {
    /// Shifts left by a bit count, filling with zeros; bits past bit 255 are lost.
    /// - Parameters:
    ///   - a: the value to shift.
    ///   - n: the bit count; 256 or more gives zero, and a negative count shifts right instead.
    /// - Returns: `(a × 2^n) mod 2^256`.
    @inlinable
    public static func << (a: UInt256, n: Int) -> UInt256 {
        if n < 0 { return n == Int.min ? .zero : a >> -n }
        if n >= 256 { return .zero }
        let bits = UInt64(n & 63)
        var x0: UInt64, x1: UInt64, x2: UInt64, x3: UInt64
        switch n >> 6 {
        case 0: (x0, x1, x2, x3) = (a.w0, a.w1, a.w2, a.w3)
        case 1: (x0, x1, x2, x3) = (0, a.w0, a.w1, a.w2)
        case 2: (x0, x1, x2, x3) = (0, 0, a.w0, a.w1)
        default: (x0, x1, x2, x3) = (0, 0, 0, a.w0)
        }
        if bits == 0 { return UInt256(words: x0, x1, x2, x3) }
        let back = 64 - bits
        return UInt256(words: x0 &<< bits,
                       x1 &<< bits | x0 &>> back,
                       x2 &<< bits | x1 &>> back,
                       x3 &<< bits | x2 &>> back)
    }

    /// Shifts right by a bit count, filling with zeros.
    /// - Parameters:
    ///   - a: the value to shift.
    ///   - n: the bit count; 256 or more gives zero, and a negative count shifts left instead.
    /// - Returns: `⌊a / 2^n⌋`.
    @inlinable
    public static func >> (a: UInt256, n: Int) -> UInt256 {
        if n < 0 { return n == Int.min ? .zero : a << -n }
        if n >= 256 { return .zero }
        let bits = UInt64(n & 63)
        var x0: UInt64, x1: UInt64, x2: UInt64, x3: UInt64
        switch n >> 6 {
        case 0: (x0, x1, x2, x3) = (a.w0, a.w1, a.w2, a.w3)
        case 1: (x0, x1, x2, x3) = (a.w1, a.w2, a.w3, 0)
        case 2: (x0, x1, x2, x3) = (a.w2, a.w3, 0, 0)
        default: (x0, x1, x2, x3) = (a.w3, 0, 0, 0)
        }
        if bits == 0 { return UInt256(words: x0, x1, x2, x3) }
        let back = 64 - bits
        return UInt256(words: x0 &>> bits | x1 &<< back,
                       x1 &>> bits | x2 &<< back,
                       x2 &>> bits | x3 &<< back,
                       x3 &>> bits)
    }

    /// Shifts left in place.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - n: the bit count, as for `<<`.
    @inlinable
    public static func <<= (a: inout UInt256, n: Int) { a = a << n }

    /// Shifts right in place.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - n: the bit count, as for `>>`.
    @inlinable
    public static func >>= (a: inout UInt256, n: Int) { a = a >> n }

    /// The shift amount as an `Int` when it is below 256, else `nil` (every such shift saturates).
    @inlinable
    var smallShift: Int? {
        (w1 | w2 | w3) == 0 && w0 < 256 ? Int(w0) : nil
    }

    /// Shifts left by a word-sized amount (the EVM's SHL, EIP-145).
    /// - Parameter shift: the bit count, read as unsigned; 256 or more gives zero.
    /// - Returns: `(self × 2^shift) mod 2^256`.
    @inlinable
    public func shiftedLeft(by shift: UInt256) -> UInt256 {
        guard let n = shift.smallShift else { return .zero }
        return self << n
    }

    /// Shifts right with zero fill by a word-sized amount (the EVM's SHR, EIP-145).
    /// - Parameter shift: the bit count, read as unsigned; 256 or more gives zero.
    /// - Returns: `⌊self / 2^shift⌋`.
    @inlinable
    public func shiftedRight(by shift: UInt256) -> UInt256 {
        guard let n = shift.smallShift else { return .zero }
        return self >> n
    }

    /// Shifts right with sign fill by a word-sized amount (the EVM's SAR, EIP-145): the value is
    /// read as two's complement, so the result is `⌊self / 2^shift⌋` rounded toward −∞.
    /// - Parameter shift: the bit count, read as unsigned; 256 or more gives 0 for a non-negative
    ///   value and −1 (all bits set) for a negative one.
    /// - Returns: the shifted value.
    @inlinable
    public func arithmeticShiftedRight(by shift: UInt256) -> UInt256 {
        // For negative x, x >> n with sign fill equals ~(~x >> n) with zero fill.
        let negative = isNegative
        guard let n = shift.smallShift else { return negative ? .max : .zero }
        return negative ? ~(~self >> n) : self >> n
    }

    /// One byte of the big-endian representation (the EVM's BYTE).
    /// - Parameter index: the byte position, 0 being the most significant; 32 or more gives zero.
    /// - Returns: that byte as a value in 0...255.
    @inlinable
    public func byte(at index: UInt256) -> UInt256 {
        guard (index.w1 | index.w2 | index.w3) == 0, index.w0 < 32 else { return .zero }
        let position = Int(index.w0)
        let limb: UInt64
        switch position >> 3 {
        case 0: limb = w3
        case 1: limb = w2
        case 2: limb = w1
        default: limb = w0
        }
        return UInt256((limb >> UInt64((7 - (position & 7)) * 8)) & 0xff)
    }

    /// Extends the sign of a two's-complement number that occupies the low `byteIndex + 1` bytes
    /// (the EVM's SIGNEXTEND).
    /// - Parameter byteIndex: the index, counted from the least significant byte, of the byte holding
    ///   the sign bit; 31 or more leaves the value unchanged.
    /// - Returns: the value with every bit above bit `8 × byteIndex + 7` set to that bit.
    @inlinable
    public func signExtended(fromByte byteIndex: UInt256) -> UInt256 {
        guard (byteIndex.w1 | byteIndex.w2 | byteIndex.w3) == 0, byteIndex.w0 < 31 else { return self }
        let signBit = Int(byteIndex.w0) * 8 + 7
        let mask = UInt256.max >> (255 - signBit)          // bits 0...signBit
        let isSet = (self >> signBit).w0 & 1 != 0
        return isSet ? self | ~mask : self & mask
    }
}
