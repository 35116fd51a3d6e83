// F_p⁶ = F_p²[v]/(v³ − ξ), ξ = 9 + i: the middle floor of the tower, an element being
// c0 + c1·v + c2·v². Only the pairing uses it.

extension BN256 {
    /// An element c0 + c1·v + c2·v² of F_p⁶.
    struct Fp6: Equatable, Sendable {
        var c0: Fp2, c1: Fp2, c2: Fp2

        @inline(__always)
        init(_ c0: Fp2, _ c1: Fp2, _ c2: Fp2) {
            self.c0 = c0; self.c1 = c1; self.c2 = c2
        }

        /// 0.
        static let zero = Fp6(.zero, .zero, .zero)
        /// 1.
        static let one = Fp6(.one, .zero, .zero)

        @inline(__always)
        static func + (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }

        @inline(__always)
        static func - (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }

        @inline(__always)
        static prefix func - (a: Fp6) -> Fp6 { Fp6(-a.c0, -a.c1, -a.c2) }

        /// Karatsuba over three coefficients: six F_p² products.
        static func * (a: Fp6, b: Fp6) -> Fp6 {
            let t0 = a.c0 * b.c0, t1 = a.c1 * b.c1, t2 = a.c2 * b.c2
            let c0 = ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).multipliedByXi() + t0
            let c1 = (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.multipliedByXi()
            let c2 = (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1
            return Fp6(c0, c1, c2)
        }

        /// The product with an element of F_p².
        @inline(__always)
        static func * (a: Fp6, b: Fp2) -> Fp6 { Fp6(a.c0 * b, a.c1 * b, a.c2 * b) }

        /// The product with the sparse element b0 + b1·v, as line functions produce: five F_p²
        /// products.
        @inline(__always)
        func multiplied(by b0: Fp2, _ b1: Fp2) -> Fp6 {
            let t0 = c0 * b0, t1 = c1 * b1
            let r0 = (c2 * b1).multipliedByXi() + t0
            let r1 = (c0 + c1) * (b0 + b1) - t0 - t1
            let r2 = c2 * b0 + t1
            return Fp6(r0, r1, r2)
        }

        /// self·v: (c0, c1, c2)·v = (ξ·c2, c0, c1) because v³ = ξ.
        @inline(__always)
        func multipliedByV() -> Fp6 { Fp6(c2.multipliedByXi(), c0, c1) }

        /// self².
        func squared() -> Fp6 { self * self }

        /// self⁻¹, from the adjugate of multiplication by self.
        func inverted() -> Fp6 {
            let a = c0.squared() - (c1 * c2).multipliedByXi()
            let b = c2.squared().multipliedByXi() - c0 * c1
            let c = c1.squared() - c0 * c2
            let norm = c0 * a + (c2 * b + c1 * c).multipliedByXi()
            let normInverse = norm.inverted()
            return Fp6(a * normInverse, b * normInverse, c * normInverse)
        }
    }
}
