// The signed opcodes: SDIV, SMOD, SLT, SGT (Yellow Paper appendix H).
//
// The EVM reads a word as a two's-complement integer in [−2^255, 2^255) for these. Division works on
// magnitudes and then fixes the sign: SDIV is sgn(a·b)·⌊|a| / |b|⌋ (rounding toward zero), SMOD is
// sgn(a)·(|a| mod |b|), and both give zero for a zero divisor. The one quotient that does not fit,
// −2^255 / −1, wraps back to −2^255, which the magnitude method yields on its own.

extension UInt256 {
    /// Whether the two's-complement sign bit (bit 255) is set.
    @inlinable
    public var isNegative: Bool { w3 >> 63 != 0 }

    /// The two's-complement negation, `0 &- self`.
    @inlinable
    public var negated: UInt256 { UInt256.zero &- self }

    /// The absolute value of the two's-complement reading, as an unsigned value (2^255 for −2^255).
    @inlinable
    var magnitude: UInt256 { isNegative ? negated : self }

    /// Divides as signed integers, rounding toward zero (the EVM's SDIV).
    /// - Parameter divisor: the divisor, read as two's complement; zero gives zero.
    /// - Returns: the two's-complement quotient; −2^255 / −1 gives −2^255.
    @inlinable @inline(__always)
    public func signedQuotient(dividingBy divisor: UInt256) -> UInt256 {
        let quotient = magnitude.quotient(dividingBy: divisor.magnitude)
        return isNegative != divisor.isNegative ? quotient.negated : quotient
    }

    /// The signed remainder, which takes the dividend's sign (the EVM's SMOD).
    /// - Parameter divisor: the divisor, read as two's complement; zero gives zero.
    /// - Returns: `sgn(self) × (|self| mod |divisor|)` in two's complement.
    @inlinable @inline(__always)
    public func signedRemainder(dividingBy divisor: UInt256) -> UInt256 {
        let remainder = magnitude.remainder(dividingBy: divisor.magnitude)
        return isNegative ? remainder.negated : remainder
    }

    /// Compares as two's-complement signed integers (the EVM's SLT).
    /// - Parameter other: the right operand.
    /// - Returns: whether `self < other` as signed integers.
    @inlinable
    public func signedLessThan(_ other: UInt256) -> Bool {
        let negative = isNegative
        // Same sign: the unsigned order agrees with the signed one.
        return negative != other.isNegative ? negative : self < other
    }

    /// Compares as two's-complement signed integers (the EVM's SGT).
    /// - Parameter other: the right operand.
    /// - Returns: whether `self > other` as signed integers.
    @inlinable
    public func signedGreaterThan(_ other: UInt256) -> Bool {
        other.signedLessThan(self)
    }
}
