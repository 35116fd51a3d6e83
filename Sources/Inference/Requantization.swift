// Fixed-point requantization as gemmlowp defines it (gemmlowp `doc/quantization.md`, "the
// output stage"): a real factor M in (0, 1) is held as a Q31 multiplier M0 in [2³⁰, 2³¹) and a
// right shift s with M ≈ M0 · 2⁻³¹ · 2⁻ˢ. Applying it to an int32 accumulator x is
//
//   y = roundingRightShift(saturatingRoundingDoublingHighMultiply(x, M0), s)
//
// where the high multiply is x·M0 / 2³¹ rounded to nearest with ties toward +∞ (gemmlowp adds
// 2³⁰, or 1 − 2³⁰ for a negative product, then divides truncating; the one overflow,
// Int32.min · Int32.min, saturates), and roundingRightShift rounds half away from zero. The two
// roundings can differ from one exact rounding (21 × 0.25 = 5.25 becomes 6); that is the defined
// result. Integer-only, so every machine gets the same y.

/// The integer requantization step of a GGM Dense layer.
public enum Requantization {
    /// The smallest normalized Q31 multiplier, 2³⁰ (0.5).
    public static let minimumMultiplier: Int32 = 1 << 30
    /// The largest right shift.
    public static let maximumShift: UInt8 = 31

    /// Rounds `(a · b) / 2³¹` to nearest, ties toward +∞, saturating the single overflow case.
    /// - Parameters:
    ///   - a: an int32 value.
    ///   - b: a Q31 multiplier.
    /// - Returns: the rounded high half of the doubled product.
    @inlinable
    public static func saturatingRoundingDoublingHighMultiply(_ a: Int32, _ b: Int32) -> Int32 {
        if a == .min && b == .min { return .max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? 1 << 30 : 1 - (1 << 30)
        return Int32(truncatingIfNeeded: (product + nudge) / (1 << 31))
    }

    /// Divides by 2^`exponent`, rounding half away from zero.
    /// - Parameters:
    ///   - value: the dividend.
    ///   - exponent: 0…31.
    /// - Returns: the rounded quotient.
    @inlinable
    public static func roundingRightShift(_ value: Int32, by exponent: UInt8) -> Int32 {
        let mask = Int32(truncatingIfNeeded: (Int64(1) << Int64(exponent)) - 1)
        let remainder = value & mask
        let threshold = (mask >> 1) + (value < 0 ? 1 : 0)
        return (value >> Int32(exponent)) + (remainder > threshold ? 1 : 0)
    }

    /// Requantizes an accumulator to int8: multiply, shift, then saturate to −128…127.
    /// - Parameters:
    ///   - accumulator: the int32 sum.
    ///   - multiplier: the Q31 multiplier M0.
    ///   - shift: the right shift s.
    /// - Returns: the int8 result.
    @inlinable
    public static func requantize(_ accumulator: Int32, multiplier: Int32, shift: UInt8) -> Int8 {
        let scaled = roundingRightShift(saturatingRoundingDoublingHighMultiply(accumulator, multiplier), by: shift)
        return Int8(clamping: scaled)
    }

    /// Splits a real factor into a Q31 multiplier and a right shift.
    /// - Parameter factor: M, with 2⁻³² ≤ M < 1.
    /// - Returns: (M0, s) with M0 in [2³⁰, 2³¹) and M ≈ M0 · 2⁻³¹⁻ˢ, or nil if M is out of range.
    public static func multiplierAndShift(for factor: Double) -> (multiplier: Int32, shift: UInt8)? {
        guard factor.isFinite, factor > 0, factor < 1 else { return nil }
        var fraction = factor
        var shift = 0
        while fraction < 0.5 { fraction *= 2; shift += 1 }
        var multiplier = (fraction * 2_147_483_648.0).rounded()
        if multiplier == 2_147_483_648.0 { multiplier /= 2; shift -= 1 }
        guard shift >= 0, shift <= Int(maximumShift) else { return nil }
        return (Int32(multiplier), UInt8(shift))
    }
}
