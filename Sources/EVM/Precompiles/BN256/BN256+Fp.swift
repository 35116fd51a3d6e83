// Elements of F_p, p the alt_bn128 base field modulus, kept in Montgomery form a·R mod p with
// R = 2^256 in four little-endian 64-bit limbs. Every operation works on values in registers: no
// heap allocation, no arrays. Multiplication is the CIOS Montgomery product in the variant that
// skips the top-carry word, valid because p's top limb is below 2^63 − 1 (p < 2^254); see
// Koç, Acar and Kaliski, "Analyzing and comparing Montgomery multiplication algorithms" (1996),
// and the "no-carry" remark of the gnark-crypto authors' write-up on it.

extension BN256 {
    /// An element of F_p in Montgomery form; every value is fully reduced (below p), so equal
    /// elements have equal limbs.
    struct Fp: Equatable, Sendable {
        /// Limbs of a·R mod p, least significant first.
        var limb0: UInt64, limb1: UInt64, limb2: UInt64, limb3: UInt64

        @inline(__always)
        init(limb0: UInt64, limb1: UInt64, limb2: UInt64, limb3: UInt64) {
            self.limb0 = limb0; self.limb1 = limb1; self.limb2 = limb2; self.limb3 = limb3
        }

        /// The modulus p, least significant limb first.
        static let modulus = (UInt64(0x3c20_8c16_d87c_fd47), UInt64(0x9781_6a91_6871_ca8d),
                              UInt64(0xb850_45b6_8181_585d), UInt64(0x3064_4e72_e131_a029))
        /// −p⁻¹ mod 2^64, the Montgomery reduction factor.
        static let montgomeryFactor: UInt64 = 0x87d2_0782_e486_6389
        /// R² mod p, which converts into Montgomery form by one multiplication.
        static let rSquared = Fp(limb0: 0xf32c_fc5b_538a_fa89, limb1: 0xb5e7_1911_d445_01fb,
                                 limb2: 0x47ab_1eff_0a41_7ff6, limb3: 0x06d8_9f71_cab8_351f)

        /// 0.
        static let zero = Fp(limb0: 0, limb1: 0, limb2: 0, limb3: 0)
        /// 1, that is R mod p.
        static let one = Fp(limb0: 0xd35d_438d_c58f_0d9d, limb1: 0x0a78_eb28_f5c7_0b3d,
                            limb2: 0x666e_a36f_7879_462c, limb3: 0x0e0a_77c1_9a07_df2f)

        /// Whether this is 0.
        var isZero: Bool { (limb0 | limb1 | limb2 | limb3) == 0 }

        /// Reads a 32-byte big-endian integer.
        /// - Parameters:
        ///   - bytes: the buffer.
        ///   - offset: where the 32 bytes start; the caller guarantees they are in range.
        /// - Returns: the element, or `nil` when the integer is not below p (EIP-196 rejects
        ///   coordinates ≥ p rather than reducing them).
        static func fromBigEndian(_ bytes: [UInt8], at offset: Int) -> Fp? {
            func word(_ index: Int) -> UInt64 {
                var value: UInt64 = 0
                for byteIndex in 0..<8 { value = value << 8 | UInt64(bytes[offset + index * 8 + byteIndex]) }
                return value
            }
            let raw = Fp(limb0: word(3), limb1: word(2), limb2: word(1), limb3: word(0))
            guard raw.isBelowModulus else { return nil }
            return raw * rSquared
        }

        /// The 32-byte big-endian encoding of the (ordinary, non-Montgomery) value.
        var bigEndianBytes: [UInt8] {
            let plain = self * Fp(limb0: 1, limb1: 0, limb2: 0, limb3: 0)
            var out = [UInt8](repeating: 0, count: 32)
            for (index, limb) in [plain.limb3, plain.limb2, plain.limb1, plain.limb0].enumerated() {
                for byteIndex in 0..<8 { out[index * 8 + byteIndex] = UInt8(truncatingIfNeeded: limb >> (56 - 8 * byteIndex)) }
            }
            return out
        }

        /// Whether these limbs, read as an integer, are below p.
        @usableFromInline var isBelowModulus: Bool {
            var borrow: UInt64 = 0
            _ = subtractWithBorrow(limb0, Fp.modulus.0, &borrow)
            _ = subtractWithBorrow(limb1, Fp.modulus.1, &borrow)
            _ = subtractWithBorrow(limb2, Fp.modulus.2, &borrow)
            _ = subtractWithBorrow(limb3, Fp.modulus.3, &borrow)
            return borrow != 0
        }

        /// Subtracts p once if the value is at least p (inputs are below 2p).
        @inline(__always)
        mutating func reduceOnce() {
            var borrow: UInt64 = 0
            let difference0 = subtractWithBorrow(limb0, Fp.modulus.0, &borrow)
            let difference1 = subtractWithBorrow(limb1, Fp.modulus.1, &borrow)
            let difference2 = subtractWithBorrow(limb2, Fp.modulus.2, &borrow)
            let difference3 = subtractWithBorrow(limb3, Fp.modulus.3, &borrow)
            if borrow == 0 {
                self = Fp(limb0: difference0, limb1: difference1, limb2: difference2, limb3: difference3)
            }
        }

        @inline(__always)
        static func + (a: Fp, b: Fp) -> Fp {
            // a, b < p < 2^254, so the sum fits in 256 bits.
            var carry: UInt64 = 0
            var sum = Fp(limb0: addWithCarry(a.limb0, b.limb0, &carry),
                         limb1: addWithCarry(a.limb1, b.limb1, &carry),
                         limb2: addWithCarry(a.limb2, b.limb2, &carry),
                         limb3: addWithCarry(a.limb3, b.limb3, &carry))
            sum.reduceOnce()
            return sum
        }

        @inline(__always)
        static func - (a: Fp, b: Fp) -> Fp {
            var borrow: UInt64 = 0
            let difference = Fp(limb0: subtractWithBorrow(a.limb0, b.limb0, &borrow),
                                limb1: subtractWithBorrow(a.limb1, b.limb1, &borrow),
                                limb2: subtractWithBorrow(a.limb2, b.limb2, &borrow),
                                limb3: subtractWithBorrow(a.limb3, b.limb3, &borrow))
            if borrow == 0 { return difference }
            var carry: UInt64 = 0
            return Fp(limb0: addWithCarry(difference.limb0, modulus.0, &carry),
                      limb1: addWithCarry(difference.limb1, modulus.1, &carry),
                      limb2: addWithCarry(difference.limb2, modulus.2, &carry),
                      limb3: addWithCarry(difference.limb3, modulus.3, &carry))
        }

        @inline(__always)
        static prefix func - (a: Fp) -> Fp { Fp.zero - a }

        /// The Montgomery product a·b·R⁻¹ mod p.
        @inline(__always)
        static func * (a: Fp, b: Fp) -> Fp {
            var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0
            @inline(__always)
            func step(_ bWord: UInt64) {
                var carryA: UInt64 = 0
                t0 = multiplyAdd(t0, a.limb0, bWord, &carryA)
                let m = t0 &* montgomeryFactor
                var carryC: UInt64 = 0
                _ = multiplyAdd(t0, m, modulus.0, &carryC)
                t1 = multiplyAdd(t1, a.limb1, bWord, &carryA)
                t0 = multiplyAdd(t1, m, modulus.1, &carryC)
                t2 = multiplyAdd(t2, a.limb2, bWord, &carryA)
                t1 = multiplyAdd(t2, m, modulus.2, &carryC)
                t3 = multiplyAdd(t3, a.limb3, bWord, &carryA)
                t2 = multiplyAdd(t3, m, modulus.3, &carryC)
                t3 = carryC &+ carryA
            }
            step(b.limb0); step(b.limb1); step(b.limb2); step(b.limb3)
            var product = Fp(limb0: t0, limb1: t1, limb2: t2, limb3: t3)
            product.reduceOnce()
            return product
        }

        @inline(__always)
        static func += (a: inout Fp, b: Fp) { a = a + b }
        @inline(__always)
        static func -= (a: inout Fp, b: Fp) { a = a - b }
        @inline(__always)
        static func *= (a: inout Fp, b: Fp) { a = a * b }

        /// self².
        @inline(__always)
        func squared() -> Fp { self * self }

        /// 2·self.
        @inline(__always)
        func doubled() -> Fp { self + self }

        /// R³ mod p as a plain integer: the Montgomery product of a plain inverse with it is the
        /// Montgomery form of the inverse.
        static let rCubed = rSquared * rSquared

        /// self⁻¹; 0 maps to 0 (callers never invert 0).
        ///
        /// The binary extended Euclidean algorithm (Menezes, van Oorschot and Vanstone, Handbook of
        /// Applied Cryptography, algorithm 14.61, in the form for an odd modulus) on the plain integer
        /// a·R behind this Montgomery form: about 500 shift-and-subtract steps on four limbs, where
        /// Fermat's self^(p−2) took 380 Montgomery products (it was 75% of the BN256 ADD precompile,
        /// whose result needs one inversion). The plain inverse (a·R)⁻¹ = a⁻¹·R⁻¹, multiplied by R³ in
        /// Montgomery form, gives a⁻¹·R.
        func inverted() -> Fp {
            if isZero { return .zero }
            let rawOne = Fp(limb0: 1, limb1: 0, limb2: 0, limb3: 0)
            var u = self
            var v = Fp(limb0: Fp.modulus.0, limb1: Fp.modulus.1, limb2: Fp.modulus.2, limb3: Fp.modulus.3)
            // Invariants: x1·(a·R) ≡ u and x2·(a·R) ≡ v (mod p); x1, x2 < p.
            var x1 = rawOne, x2 = Fp.zero
            while u != rawOne && v != rawOne {
                while u.limb0 & 1 == 0 {
                    u.halve()
                    x1.halveModulo()
                }
                while v.limb0 & 1 == 0 {
                    v.halve()
                    x2.halveModulo()
                }
                if u.isAtLeast(v) {
                    u.subtractPlain(v)
                    x1 = x1 - x2
                } else {
                    v.subtractPlain(u)
                    x2 = x2 - x1
                }
            }
            return (u == rawOne ? x1 : x2) * Fp.rCubed
        }

        /// self ≥ other as plain integers.
        @inline(__always)
        func isAtLeast(_ other: Fp) -> Bool {
            var borrow: UInt64 = 0
            _ = subtractWithBorrow(limb0, other.limb0, &borrow)
            _ = subtractWithBorrow(limb1, other.limb1, &borrow)
            _ = subtractWithBorrow(limb2, other.limb2, &borrow)
            _ = subtractWithBorrow(limb3, other.limb3, &borrow)
            return borrow == 0
        }

        /// self −= other as plain integers, for self ≥ other.
        @inline(__always)
        mutating func subtractPlain(_ other: Fp) {
            var borrow: UInt64 = 0
            limb0 = subtractWithBorrow(limb0, other.limb0, &borrow)
            limb1 = subtractWithBorrow(limb1, other.limb1, &borrow)
            limb2 = subtractWithBorrow(limb2, other.limb2, &borrow)
            limb3 = subtractWithBorrow(limb3, other.limb3, &borrow)
        }

        /// self /= 2 as a plain integer (an even one).
        @inline(__always)
        mutating func halve() {
            limb0 = limb0 >> 1 | limb1 << 63
            limb1 = limb1 >> 1 | limb2 << 63
            limb2 = limb2 >> 1 | limb3 << 63
            limb3 >>= 1
        }

        /// self·2⁻¹ mod p for a plain integer below p: halve it, adding p first when it is odd
        /// (the sum stays below 2^255 because p < 2^254).
        @inline(__always)
        mutating func halveModulo() {
            if limb0 & 1 == 1 {
                var carry: UInt64 = 0
                limb0 = addWithCarry(limb0, Fp.modulus.0, &carry)
                limb1 = addWithCarry(limb1, Fp.modulus.1, &carry)
                limb2 = addWithCarry(limb2, Fp.modulus.2, &carry)
                limb3 = addWithCarry(limb3, Fp.modulus.3, &carry)
            }
            halve()
        }
    }
}

extension BN256 {
    /// a + b + carry, returning the low word and leaving the carry (0 or 1) in `carry`.
    @inline(__always)
    static func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (sum, overflow1) = a.addingReportingOverflow(b)
        let (result, overflow2) = sum.addingReportingOverflow(carry)
        carry = (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
        return result
    }

    /// a − b − borrow, returning the low word and leaving the borrow (0 or 1) in `borrow`.
    @inline(__always)
    static func subtractWithBorrow(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
        let (difference, overflow1) = a.subtractingReportingOverflow(b)
        let (result, overflow2) = difference.subtractingReportingOverflow(borrow)
        borrow = (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
        return result
    }

    /// addend + b·c + carry as a 128-bit value: returns the low word and leaves the high word in
    /// `carry` (it cannot overflow: (2^64−1) + (2^64−1)² + (2^64−1) = 2^128 − 1).
    @inline(__always)
    static func multiplyAdd(_ addend: UInt64, _ b: UInt64, _ c: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (high, low) = b.multipliedFullWidth(by: c)
        let (sum, overflow1) = low.addingReportingOverflow(addend)
        let (result, overflow2) = sum.addingReportingOverflow(carry)
        carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
        return result
    }
}
