// Wrapping (mod 2^256) addition, subtraction and multiplication, the bitwise operators, and EXP.
//
// Carries travel through `addingReportingOverflow` / `subtractingReportingOverflow` of each limb,
// and limb products come from `UInt64.multipliedFullWidth(by:)`, so the compiler emits add-with-carry
// and 64×64→128 multiplies with no allocation. Yellow Paper appendix H: ADD, MUL, SUB, EXP, AND, OR,
// XOR, NOT.

extension UInt256 {
    /// Computes `a × b + c + d` of 64-bit limbs as a 128-bit result; it cannot overflow because
    /// (2^64 − 1)^2 + 2(2^64 − 1) = 2^128 − 1.
    @inlinable @inline(__always)
    static func multiplyAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> (high: UInt64, low: UInt64) {
        // One 64×64→128 multiply and an ADD/ADC pair per addend; Bool carries would branch.
        let sum = UInt128(a) &* UInt128(b) &+ UInt128(c) &+ UInt128(d)
        return (UInt64(truncatingIfNeeded: sum >> 64), UInt64(truncatingIfNeeded: sum))
    }

    /// Adds two limbs and a carry (0 or 1), returning the low limb and the carry out (0 or 1).
    /// Written through a 128-bit sum because LLVM lowers a chain of these to ADD/ADC, while chains
    /// of `addingReportingOverflow` with a Bool carry become compare-and-branch code.
    @inlinable @inline(__always)
    static func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (sum: UInt64, carry: UInt64) {
        let sum = UInt128(a) &+ UInt128(b) &+ UInt128(carry)
        return (UInt64(truncatingIfNeeded: sum), UInt64(truncatingIfNeeded: sum >> 64))
    }

    /// Adds two values and reports whether the true sum needed a 257th bit.
    /// - Parameter other: the value to add.
    /// - Returns: the sum modulo 2^256 and whether it overflowed.
    @inlinable @inline(__always)
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = Self.addWithCarry(w0, other.w0, 0)
        let (r1, c1) = Self.addWithCarry(w1, other.w1, c0)
        let (r2, c2) = Self.addWithCarry(w2, other.w2, c1)
        let (r3, c3) = Self.addWithCarry(w3, other.w3, c2)
        return (UInt256(words: r0, r1, r2, r3), c3 != 0)
    }

    /// Subtracts a value and reports whether the true difference was negative.
    /// - Parameter other: the value to subtract.
    /// - Returns: the difference modulo 2^256 and whether it borrowed (that is, `self < other`).
    @inlinable @inline(__always)
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        // a − b = a + ~b + 1 (two's complement); the subtraction borrows exactly when that sum
        // does not carry out. The same ADD/ADC chain as addition.
        let (r0, c0) = Self.addWithCarry(w0, ~other.w0, 1)
        let (r1, c1) = Self.addWithCarry(w1, ~other.w1, c0)
        let (r2, c2) = Self.addWithCarry(w2, ~other.w2, c1)
        let (r3, c3) = Self.addWithCarry(w3, ~other.w3, c2)
        return (UInt256(words: r0, r1, r2, r3), c3 == 0)
    }

    /// Adds two values modulo 2^256 (the EVM's ADD).
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: `(a + b) mod 2^256`.
    @inlinable @inline(__always)
    public static func &+ (a: UInt256, b: UInt256) -> UInt256 {
        a.addingReportingOverflow(b).partialValue
    }

    /// Subtracts modulo 2^256 (the EVM's SUB).
    /// - Parameters:
    ///   - a: the minuend.
    ///   - b: the subtrahend.
    /// - Returns: `(a − b) mod 2^256`.
    @inlinable @inline(__always)
    public static func &- (a: UInt256, b: UInt256) -> UInt256 {
        a.subtractingReportingOverflow(b).partialValue
    }

    /// Multiplies modulo 2^256 (the EVM's MUL), computing only the low four limbs of the product.
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: `(a × b) mod 2^256`.
    @inlinable @inline(__always)
    public static func &* (a: UInt256, b: UInt256) -> UInt256 {
        // Schoolbook by rows of `a`; limbs at or above 2^256 are never formed.
        var carry: UInt64
        var r0: UInt64, r1: UInt64, r2: UInt64, r3: UInt64
        (carry, r0) = multiplyAdd(a.w0, b.w0, 0, 0)
        (carry, r1) = multiplyAdd(a.w0, b.w1, carry, 0)
        (carry, r2) = multiplyAdd(a.w0, b.w2, carry, 0)
        r3 = a.w0 &* b.w3 &+ carry

        (carry, r1) = multiplyAdd(a.w1, b.w0, r1, 0)
        (carry, r2) = multiplyAdd(a.w1, b.w1, r2, carry)
        r3 = r3 &+ a.w1 &* b.w2 &+ carry

        (carry, r2) = multiplyAdd(a.w2, b.w0, r2, 0)
        r3 = r3 &+ a.w2 &* b.w1 &+ carry

        r3 = r3 &+ a.w3 &* b.w0
        return UInt256(words: r0, r1, r2, r3)
    }

    /// Multiplies two values into the full 512-bit product.
    /// - Parameter other: the multiplier.
    /// - Returns: the high and low 256-bit halves of `self × other`.
    @inlinable
    public func multipliedFullWidth(by other: UInt256) -> (high: UInt256, low: UInt256) {
        let p = UInt256.productLimbs(self, other)
        return (UInt256(words: p.4, p.5, p.6, p.7), UInt256(words: p.0, p.1, p.2, p.3))
    }

    /// The eight limbs of the 512-bit product `a × b`, least significant first.
    @inlinable @inline(__always)
    static func productLimbs(_ a: UInt256, _ b: UInt256)
        -> (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) {
        var carry: UInt64
        var r0: UInt64, r1: UInt64, r2: UInt64, r3: UInt64, r4: UInt64, r5: UInt64, r6: UInt64, r7: UInt64
        (carry, r0) = multiplyAdd(a.w0, b.w0, 0, 0)
        (carry, r1) = multiplyAdd(a.w0, b.w1, carry, 0)
        (carry, r2) = multiplyAdd(a.w0, b.w2, carry, 0)
        (r4, r3) = multiplyAdd(a.w0, b.w3, carry, 0)

        (carry, r1) = multiplyAdd(a.w1, b.w0, r1, 0)
        (carry, r2) = multiplyAdd(a.w1, b.w1, r2, carry)
        (carry, r3) = multiplyAdd(a.w1, b.w2, r3, carry)
        (r5, r4) = multiplyAdd(a.w1, b.w3, r4, carry)

        (carry, r2) = multiplyAdd(a.w2, b.w0, r2, 0)
        (carry, r3) = multiplyAdd(a.w2, b.w1, r3, carry)
        (carry, r4) = multiplyAdd(a.w2, b.w2, r4, carry)
        (r6, r5) = multiplyAdd(a.w2, b.w3, r5, carry)

        (carry, r3) = multiplyAdd(a.w3, b.w0, r3, 0)
        (carry, r4) = multiplyAdd(a.w3, b.w1, r4, carry)
        (carry, r5) = multiplyAdd(a.w3, b.w2, r5, carry)
        (r7, r6) = multiplyAdd(a.w3, b.w3, r6, carry)
        return (r0, r1, r2, r3, r4, r5, r6, r7)
    }

    /// Adds in place modulo 2^256.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - b: the value to add.
    @inlinable
    public static func &+= (a: inout UInt256, b: UInt256) { a = a &+ b }

    /// Subtracts in place modulo 2^256.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - b: the value to subtract.
    @inlinable
    public static func &-= (a: inout UInt256, b: UInt256) { a = a &- b }

    /// Multiplies in place modulo 2^256.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - b: the multiplier.
    @inlinable
    public static func &*= (a: inout UInt256, b: UInt256) { a = a &* b }

    /// Inverts every bit (the EVM's NOT).
    /// - Parameter a: the operand.
    /// - Returns: `2^256 − 1 − a`.
    @inlinable
    public static prefix func ~ (a: UInt256) -> UInt256 {
        UInt256(words: ~a.w0, ~a.w1, ~a.w2, ~a.w3)
    }

    /// Bitwise AND (the EVM's AND).
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: the bits set in both.
    @inlinable
    public static func & (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(words: a.w0 & b.w0, a.w1 & b.w1, a.w2 & b.w2, a.w3 & b.w3)
    }

    /// Bitwise OR (the EVM's OR).
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: the bits set in either.
    @inlinable
    public static func | (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(words: a.w0 | b.w0, a.w1 | b.w1, a.w2 | b.w2, a.w3 | b.w3)
    }

    /// Bitwise exclusive OR (the EVM's XOR).
    /// - Parameters:
    ///   - a: the left operand.
    ///   - b: the right operand.
    /// - Returns: the bits set in exactly one.
    @inlinable
    public static func ^ (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(words: a.w0 ^ b.w0, a.w1 ^ b.w1, a.w2 ^ b.w2, a.w3 ^ b.w3)
    }

    /// Bitwise AND in place.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - b: the mask.
    @inlinable
    public static func &= (a: inout UInt256, b: UInt256) { a = a & b }

    /// Bitwise OR in place.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - b: the bits to set.
    @inlinable
    public static func |= (a: inout UInt256, b: UInt256) { a = a | b }

    /// Bitwise exclusive OR in place.
    /// - Parameters:
    ///   - a: the value to update.
    ///   - b: the bits to flip.
    @inlinable
    public static func ^= (a: inout UInt256, b: UInt256) { a = a ^ b }

    /// Raises the value to a power modulo 2^256 (the EVM's EXP), by square-and-multiply over the
    /// exponent's bits from least significant up.
    /// - Parameter exponent: the power; `x.power(0)` is 1 for every `x`, including zero.
    /// - Returns: `self^exponent mod 2^256`.
    @inlinable
    public func power(_ exponent: UInt256) -> UInt256 {
        var result = UInt256.one
        var base = self
        // Only the exponent's significant bits are visited, so a small exponent costs few squarings.
        var remaining = exponent.bitWidth
        var limbIndex = 0
        while remaining > 0 {
            var limb: UInt64
            switch limbIndex {
            case 0: limb = exponent.w0
            case 1: limb = exponent.w1
            case 2: limb = exponent.w2
            default: limb = exponent.w3
            }
            var bits = Swift.min(64, remaining)
            remaining -= bits
            while bits > 0 {
                if limb & 1 != 0 { result = result &* base }
                limb >>= 1
                bits -= 1
                if remaining > 0 || bits > 0 { base = base &* base }
            }
            limbIndex += 1
        }
        return result
    }
}
