// Unsigned division and the modular opcodes: DIV, MOD, ADDMOD, MULMOD (Yellow Paper appendix H:
// "μ's[0] ≡ 0 if μs[1] = 0"; ADDMOD and MULMOD "are not subject to the 2^256 modulo").
//
// Long division is Knuth's algorithm D (TAOCP vol. 2, §4.3.1) over 64-bit limbs: normalise so the
// divisor's top limb has its high bit set, estimate each quotient limb from the top two dividend
// limbs and the top divisor limb, correct the estimate with the second divisor limb (after which it is
// at most one too large), multiply-and-subtract, and add back in the rare case it was. The limbs live
// in homogeneous tuples on the stack, read through a rebound pointer, so nothing is allocated.
// Fast paths come first: zero divisor, dividend below divisor, both in one limb, and a one-limb
// divisor (plain short division).
//
// Each 128-by-64-bit step divides by a normalised limb through its precomputed reciprocal
// (Möller and Granlund, "Improved division by invariant integers", IEEE Trans. Computers 60(2), 2011,
// algorithm 4): two multiplications and a few adds, where `UInt64.dividingFullWidth` would call the
// 128-bit software division of the runtime library for every limb.

extension UInt256 {
    /// Divides, returning the quotient and remainder (the EVM's DIV and MOD together).
    /// - Parameter divisor: the divisor; zero gives a zero quotient and a zero remainder, as the EVM
    ///   defines DIV and MOD by zero.
    /// - Returns: `⌊self / divisor⌋` and `self mod divisor`.
    @inlinable
    public func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        if (divisor.w1 | divisor.w2 | divisor.w3) == 0 {
            if divisor.w0 == 0 { return (.zero, .zero) }
            if (w1 | w2 | w3) == 0 {
                let (q, r) = w0.quotientAndRemainder(dividingBy: divisor.w0)
                return (UInt256(q), UInt256(r))
            }
            return dividedByLimb(divisor.w0)
        }
        if self < divisor { return (.zero, self) }
        return UInt256.longDivision(self, divisor)
    }

    /// Divides with EVM semantics (DIV): division by zero gives zero.
    /// - Parameter divisor: the divisor.
    /// - Returns: `⌊self / divisor⌋`, or zero when `divisor` is zero.
    @inlinable @inline(__always)
    public func quotient(dividingBy divisor: UInt256) -> UInt256 {
        quotientAndRemainder(dividingBy: divisor).quotient
    }

    /// The remainder with EVM semantics (MOD): modulo zero gives zero.
    /// - Parameter divisor: the divisor.
    /// - Returns: `self mod divisor`, or zero when `divisor` is zero.
    @inlinable @inline(__always)
    public func remainder(dividingBy divisor: UInt256) -> UInt256 {
        quotientAndRemainder(dividingBy: divisor).remainder
    }

    /// Adds two values and reduces modulo a third with a 257-bit intermediate sum (the EVM's ADDMOD).
    /// - Parameters:
    ///   - a: the first addend.
    ///   - b: the second addend.
    ///   - m: the modulus; zero gives zero.
    /// - Returns: `(a + b) mod m` computed without wrapping, or zero when `m` is zero.
    @inlinable
    public static func addMod(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        if m.isZero { return .zero }
        let (sum, carry) = a.addingReportingOverflow(b)
        if !carry { return sum.remainder(dividingBy: m) }
        // The true sum needs 257 bits. Reduce each addend first: a' + b' < 2m, so one conditional
        // subtraction (taken modulo 2^256, which the dropped carry makes exact) finishes the job.
        let ra = a.remainder(dividingBy: m), rb = b.remainder(dividingBy: m)
        let (reduced, reducedCarry) = ra.addingReportingOverflow(rb)
        return reducedCarry || !(reduced < m) ? reduced &- m : reduced
    }

    /// Multiplies two values and reduces modulo a third with a 512-bit intermediate product
    /// (the EVM's MULMOD).
    /// - Parameters:
    ///   - a: the multiplicand.
    ///   - b: the multiplier.
    ///   - m: the modulus; zero gives zero.
    /// - Returns: `(a × b) mod m` computed without wrapping, or zero when `m` is zero.
    @inlinable
    public static func mulMod(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
        if m.isZero { return .zero }
        let product = productLimbs(a, b)
        if (product.4 | product.5 | product.6 | product.7) == 0 {
            return UInt256(words: product.0, product.1, product.2, product.3).remainder(dividingBy: m)
        }
        return wideRemainder(product, m)
    }

    // MARK: - Internals

    /// The reciprocal ⌊(2^128 − 1) / d⌋ − 2^64 of a normalised limb `d` (top bit set).
    @inlinable @inline(__always)
    static func reciprocal(of divisor: UInt64) -> UInt64 {
        divisor.dividingFullWidth((~divisor, .max)).quotient
    }

    /// Divides the two-limb value `(high, low)` by a normalised limb with `high < divisor`, using the
    /// divisor's reciprocal (Möller–Granlund algorithm 4).
    @inlinable @inline(__always)
    static func divide(
        _ high: UInt64, _ low: UInt64, by divisor: UInt64, reciprocal: UInt64
    ) -> (quotient: UInt64, remainder: UInt64) {
        let product = reciprocal.multipliedFullWidth(by: high)
        let (estimateLow, carry) = product.low.addingReportingOverflow(low)
        var estimate = product.high &+ high &+ (carry ? 1 : 0) &+ 1
        var remainder = low &- estimate &* divisor
        if remainder > estimateLow {
            estimate &-= 1
            remainder &+= divisor
        }
        if remainder >= divisor {
            estimate &+= 1
            remainder &-= divisor
        }
        return (estimate, remainder)
    }

    /// Short division by a single non-zero limb, from the top limb down.
    @inlinable
    func dividedByLimb(_ divisor: UInt64) -> (quotient: UInt256, remainder: UInt256) {
        // Normalise so the divisor's top bit is set; the dividend gains a fifth limb `x4 < d`.
        let shift = divisor.leadingZeroBitCount
        let normalised = divisor << shift
        let x = self << shift
        let x4 = shift == 0 ? 0 : w3 >> (64 - shift)
        let inverse = UInt256.reciprocal(of: normalised)
        let (q3, r3) = UInt256.divide(x4, x.w3, by: normalised, reciprocal: inverse)
        let (q2, r2) = UInt256.divide(r3, x.w2, by: normalised, reciprocal: inverse)
        let (q1, r1) = UInt256.divide(r2, x.w1, by: normalised, reciprocal: inverse)
        let (q0, r0) = UInt256.divide(r1, x.w0, by: normalised, reciprocal: inverse)
        return (UInt256(words: q0, q1, q2, q3), UInt256(r0 >> shift))
    }

    /// Divides `dividend` by a divisor of two to four limbs with `dividend ≥ divisor`.
    @usableFromInline
    static func longDivision(_ dividend: UInt256, _ divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        var numerator: (UInt64, UInt64, UInt64, UInt64, UInt64) = (dividend.w0, dividend.w1, dividend.w2, dividend.w3, 0)
        var quotient: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let count = (dividend.bitWidth + 63) >> 6
        let remainder = withUnsafeMutablePointer(to: &numerator) { numeratorTuple in
            withUnsafeMutablePointer(to: &quotient) { quotientTuple in
                numeratorTuple.withMemoryRebound(to: UInt64.self, capacity: 5) { u in
                    quotientTuple.withMemoryRebound(to: UInt64.self, capacity: 4) { q in
                        knuthDivide(u, count: count, by: divisor, quotient: q)
                    }
                }
            }
        }
        return (UInt256(words: quotient.0, quotient.1, quotient.2, quotient.3), remainder)
    }

    /// The remainder of an eight-limb (512-bit) value, not below 2^256, modulo a non-zero divisor.
    @usableFromInline
    static func wideRemainder(
        _ value: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64), _ divisor: UInt256
    ) -> UInt256 {
        var numerator: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (value.0, value.1, value.2, value.3, value.4, value.5, value.6, value.7, 0)
        var quotient: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let count = value.7 != 0 ? 8 : value.6 != 0 ? 7 : value.5 != 0 ? 6 : 5
        return withUnsafeMutablePointer(to: &numerator) { numeratorTuple in
            numeratorTuple.withMemoryRebound(to: UInt64.self, capacity: 9) { u in
                if (divisor.w1 | divisor.w2 | divisor.w3) == 0 {
                    // Reduce from the top: each step keeps the running remainder below the divisor.
                    let shift = divisor.w0.leadingZeroBitCount
                    let normalised = divisor.w0 << shift
                    let inverse = reciprocal(of: normalised)
                    // The normalised dividend gains a top limb below the divisor, which starts the remainder.
                    var remainder = shift == 0 ? 0 : u[count - 1] >> (64 - shift)
                    var index = count - 1
                    while index >= 0 {
                        let lowerBits = shift == 0 || index == 0 ? 0 : u[index - 1] >> (64 - shift)
                        remainder = divide(remainder, u[index] << shift | lowerBits, by: normalised, reciprocal: inverse).remainder
                        index -= 1
                    }
                    return UInt256(remainder >> shift)
                }
                return withUnsafeMutablePointer(to: &quotient) { quotientTuple in
                    quotientTuple.withMemoryRebound(to: UInt64.self, capacity: 8) { q in
                        knuthDivide(u, count: count, by: divisor, quotient: q)
                    }
                }
            }
        }
    }

    /// Knuth's algorithm D (TAOCP §4.3.1) on limb buffers.
    ///
    /// - Parameters:
    ///   - u: the dividend's `count` limbs, least significant first, followed by one spare writable
    ///     limb; it is overwritten.
    ///   - count: the dividend's limb count, at least the divisor's.
    ///   - divisor: a divisor of two to four significant limbs.
    ///   - q: room for `count − n + 1` quotient limbs, where `n` is the divisor's limb count.
    /// - Returns: the remainder.
    @usableFromInline
    static func knuthDivide(
        _ u: UnsafeMutablePointer<UInt64>, count m: Int, by divisor: UInt256, quotient q: UnsafeMutablePointer<UInt64>
    ) -> UInt256 {
        let n = (divisor.bitWidth + 63) >> 6
        precondition(n >= 2 && m >= n, "knuthDivide needs a divisor of 2–4 limbs and a dividend at least as long")
        // D1: normalise so the divisor's top limb has its high bit set; the dividend gains a limb.
        let shift = divisor.leadingZeroBitCount & 63
        let normalised = divisor << shift
        var divisorLimbs = (normalised.w0, normalised.w1, normalised.w2, normalised.w3)
        if shift == 0 {
            u[m] = 0
        } else {
            u[m] = u[m - 1] >> (64 - shift)
            var i = m - 1
            while i > 0 {
                u[i] = u[i] << shift | u[i - 1] >> (64 - shift)
                i -= 1
            }
            u[0] <<= shift
        }
        return withUnsafeMutablePointer(to: &divisorLimbs) { divisorTuple in
            divisorTuple.withMemoryRebound(to: UInt64.self, capacity: 4) { v in
                let top = v[n - 1], next = v[n - 2]
                let inverse = reciprocal(of: top)
                // D2–D7: one quotient limb per step, from the most significant down.
                var j = m - n
                while j >= 0 {
                    // D3: estimate q̂ from the top two limbs; u[j+n] ≤ top always holds here.
                    var estimate: UInt64, partial: UInt64, partialOverflow: Bool
                    if u[j + n] >= top {
                        estimate = .max
                        (partial, partialOverflow) = u[j + n - 1].addingReportingOverflow(top)
                    } else {
                        (estimate, partial) = divide(u[j + n], u[j + n - 1], by: top, reciprocal: inverse)
                        partialOverflow = false
                    }
                    // Refine with the second divisor limb until q̂·v[n−2] ≤ r̂·B + u[j+n−2].
                    while !partialOverflow {
                        let product = estimate.multipliedFullWidth(by: next)
                        let lowLimb = u[j + n - 2]
                        guard product.high > partial || (product.high == partial && product.low > lowLimb) else { break }
                        estimate -= 1
                        (partial, partialOverflow) = partial.addingReportingOverflow(top)
                    }
                    // D4: multiply and subtract q̂·v from u[j...j+n].
                    var carry: UInt64 = 0
                    for i in 0..<n {
                        let (high, low) = multiplyAdd(estimate, v[i], carry, 0)
                        let (difference, borrow) = u[i + j].subtractingReportingOverflow(low)
                        u[i + j] = difference
                        carry = high &+ (borrow ? 1 : 0)
                    }
                    let (topLimb, negative) = u[j + n].subtractingReportingOverflow(carry)
                    u[j + n] = topLimb
                    // D5–D6: q̂ was one too large (probability about 2/B); add the divisor back.
                    if negative {
                        estimate -= 1
                        var addCarry = false
                        for i in 0..<n {
                            let (sum1, carry1) = u[i + j].addingReportingOverflow(v[i])
                            let (sum2, carry2) = sum1.addingReportingOverflow(addCarry ? 1 : 0)
                            u[i + j] = sum2
                            addCarry = carry1 || carry2
                        }
                        u[j + n] &+= addCarry ? 1 : 0
                    }
                    q[j] = estimate
                    j -= 1
                }
                // D8: the remainder is u[0..<n], shifted back.
                return UInt256(words: u[0], u[1], n > 2 ? u[2] : 0, n > 3 ? u[3] : 0) >> shift
            }
        }
    }
}
