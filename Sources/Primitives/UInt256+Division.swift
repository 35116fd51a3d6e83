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
            if divisor.w0 & (divisor.w0 &- 1) == 0 {
                // A power of two below 2^64 (compiled code divides by 2^8, 2^32, ... to shift right):
                // a shift and a mask.
                let shift = divisor.w0.trailingZeroBitCount
                return (limbShiftedRight(by: shift), UInt256(w0 & (divisor.w0 &- 1)))
            }
            if (w1 | w2 | w3) == 0 {
                let (q, r) = w0.quotientAndRemainder(dividingBy: divisor.w0)
                return (UInt256(q), UInt256(r))
            }
            return dividedByLimb(divisor.w0)
        }
        if self < divisor { return (.zero, self) }
        return UInt256.longDivision(self, divisor)
    }

    /// `self >> shift` for `0 ≤ shift < 64`, without the general shift's range checks.
    @inlinable @inline(__always)
    func limbShiftedRight(by shift: Int) -> UInt256 {
        if shift == 0 { return self }
        let back = 64 &- shift
        return UInt256(words: w0 &>> shift | w1 &<< back, w1 &>> shift | w2 &<< back,
                       w2 &>> shift | w3 &<< back, w3 &>> shift)
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
        if a < m && b < m {
            // Both already reduced (the usual case in field arithmetic): a + b < 2m, so at most one
            // subtraction, taken modulo 2^256 when the sum carried.
            return carry || !(sum < m) ? sum &- m : sum
        }
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
        return mulModNonZero(a, b, m)
    }

    /// MULMOD's body for a non-zero modulus, out of line so that the 16 limb products and the
    /// reduction do not grow the interpreter's dispatch loop.
    @usableFromInline
    static func mulModNonZero(_ a: UInt256, _ b: UInt256, _ m: UInt256) -> UInt256 {
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
        let count = dividend.w3 != 0 ? 4 : dividend.w2 != 0 ? 3 : 2  // dividend ≥ divisor ≥ 2^64
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

    /// The reciprocal ⌊(2^192 − 1) / d⌋ − 2^64 of a normalised two-limb divisor `d = high·2^64 + low`
    /// (top bit of `high` set), for `divide3by2` (Möller–Granlund algorithm 6).
    @inlinable @inline(__always)
    static func reciprocal(high d1: UInt64, low d0: UInt64) -> UInt64 {
        var v = reciprocal(of: d1)
        var p = d1 &* v &+ d0
        if p < d0 {
            v &-= 1
            if p >= d1 {
                v &-= 1
                p &-= d1
            }
            p &-= d1
        }
        let t = v.multipliedFullWidth(by: d0)
        p &+= t.high
        if p < t.high {
            v &-= 1
            if (UInt128(p) << 64 | UInt128(t.low)) >= (UInt128(d1) << 64 | UInt128(d0)) { v &-= 1 }
        }
        return v
    }

    /// Divides the three-limb value `(u2, u1, u0)` by a normalised two-limb divisor `(d1, d0)` with
    /// `(u2, u1) < (d1, d0)`, through its reciprocal (Möller–Granlund algorithm 5): the quotient limb
    /// and the two-limb remainder.
    @inlinable @inline(__always)
    static func divide3by2(
        _ u2: UInt64, _ u1: UInt64, _ u0: UInt64, by d1: UInt64, _ d0: UInt64, reciprocal v: UInt64
    ) -> (quotient: UInt64, remainder: UInt128) {
        let d = UInt128(d1) << 64 | UInt128(d0)
        let q = UInt128(v) &* UInt128(u2) &+ (UInt128(u2) << 64 | UInt128(u1))
        var quotient = UInt64(truncatingIfNeeded: q >> 64)
        let qLow = UInt64(truncatingIfNeeded: q)
        let r1 = u1 &- quotient &* d1
        var r = (UInt128(r1) << 64 | UInt128(u0)) &- UInt128(d0) &* UInt128(quotient) &- d
        quotient &+= 1
        if UInt64(truncatingIfNeeded: r >> 64) >= qLow {
            quotient &-= 1
            r &+= d
        }
        if r >= d {
            quotient &+= 1
            r &-= d
        }
        return (quotient, r)
    }

    /// Long division on limb buffers: Knuth's algorithm D (TAOCP §4.3.1) with each quotient limb
    /// taken from the top three dividend limbs and the top two divisor limbs by `divide3by2`, which
    /// leaves it at most one too large, so one add-back at most (the scheme of intx's
    /// `udivrem_by_reciprocal`). The divisor is normalised once per call.
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
        let n = divisor.w3 != 0 ? 4 : divisor.w2 != 0 ? 3 : 2
        precondition(divisor.w1 | divisor.w2 | divisor.w3 != 0 && m >= n,
                     "knuthDivide needs a divisor of 2–4 limbs and a dividend at least as long")
        // D1: normalise so the divisor's top limb has its high bit set; the dividend gains a limb.
        let shift = (n == 4 ? divisor.w3 : n == 3 ? divisor.w2 : divisor.w1).leadingZeroBitCount
        var divisorLimbs = (divisor.w0, divisor.w1, divisor.w2, divisor.w3)
        if shift == 0 {
            u[m] = 0
        } else {
            let back = 64 &- shift
            divisorLimbs = (divisor.w0 &<< shift, divisor.w1 &<< shift | divisor.w0 &>> back,
                            divisor.w2 &<< shift | divisor.w1 &>> back, divisor.w3 &<< shift | divisor.w2 &>> back)
            u[m] = u[m - 1] &>> back
            var i = m - 1
            while i > 0 {
                u[i] = u[i] &<< shift | u[i - 1] &>> back
                i -= 1
            }
            u[0] = u[0] &<< shift
        }
        return withUnsafeMutablePointer(to: &divisorLimbs) { divisorTuple in
            divisorTuple.withMemoryRebound(to: UInt64.self, capacity: 4) { v in
                let top = v[n - 1], next = v[n - 2]
                let inverse = reciprocal(high: top, low: next)
                // D2–D7: one quotient limb per step, from the most significant down. Invariant: the
                // window's top n limbs u[j+1...j+n] are below the divisor.
                var j = m - n
                while j >= 0 {
                    let w = u + j
                    let u2 = w[n], u1 = w[n - 1], u0 = w[n - 2]
                    var estimate: UInt64
                    if u2 == top && u1 == next {
                        // The quotient limb is B − 1 (the 3-by-2 division would overflow).
                        estimate = .max
                        w[n] = u2 &- subtractProduct(w, v, count: n, multiplier: estimate)
                    } else {
                        let (quotient, r) = divide3by2(u2, u1, u0, by: top, next, reciprocal: inverse)
                        estimate = quotient
                        // The top three limbs now hold r; subtract q̂ times the divisor's lower limbs.
                        let borrow = subtractProduct(w, v, count: n - 2, multiplier: estimate)
                        let r0 = UInt64(truncatingIfNeeded: r), r1 = UInt64(truncatingIfNeeded: r >> 64)
                        let borrow1: UInt64 = r0 < borrow ? 1 : 0
                        w[n - 2] = r0 &- borrow
                        let negative = r1 < borrow1
                        w[n - 1] = r1 &- borrow1
                        w[n] = 0
                        if negative {
                            // D5–D6: q̂ was one too large; add the divisor back.
                            estimate &-= 1
                            var carry: UInt64 = 0
                            for i in 0..<(n - 1) {
                                (w[i], carry) = addWithCarry(w[i], v[i], carry)
                            }
                            w[n - 1] = w[n - 1] &+ v[n - 1] &+ carry
                        }
                    }
                    q[j] = estimate
                    j -= 1
                }
                // D8: the remainder is u[0..<n], shifted back.
                let r0 = u[0], r1 = u[1], r2 = n > 2 ? u[2] : 0, r3 = n > 3 ? u[3] : 0
                if shift == 0 { return UInt256(words: r0, r1, r2, r3) }
                return UInt256(words: r0, r1, r2, r3).limbShiftedRight(by: shift)
            }
        }
    }

    /// `w[0..<count] −= multiplier × v[0..<count]`, returning the limb borrowed out of the top.
    @inlinable @inline(__always)
    static func subtractProduct(
        _ w: UnsafeMutablePointer<UInt64>, _ v: UnsafeMutablePointer<UInt64>, count: Int, multiplier: UInt64
    ) -> UInt64 {
        var borrow: UInt64 = 0
        for i in 0..<count {
            let s = w[i] &- borrow
            let p = v[i].multipliedFullWidth(by: multiplier)
            borrow = p.high &+ (w[i] < s ? 1 : 0)
            let difference = s &- p.low
            borrow &+= s < difference ? 1 : 0
            w[i] = difference
        }
        return borrow
    }
}
