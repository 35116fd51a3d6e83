// The optimal ate pairing on alt_bn128 (Vercauteren, "Optimal pairings", 2010), as the product
// check of EIP-197 needs it:
//
//   e(P, Q) = ( f_{6u+2,Q}(P) · ℓ_{[6u+2]Q, π(Q)}(P) · ℓ_{[6u+2]Q+π(Q), −π²(Q)}(P) )^((p¹²−1)/r)
//
// The Miller loop keeps T in homogeneous projective coordinates (x = X/Z, y = Y/Z) on the twist and
// evaluates each line at P straight into the sparse form a + b·w + c·w³, using the formulas of
// Costello, Lange and Naehrig, "Faster pairing computations on curves with high-degree twists"
// (PKC 2010), §5. Lines are only defined up to a factor in F_p², which the final exponentiation
// removes. Several pairs share one loop so that f is squared once per bit for all of them.
//
// The final exponentiation splits (p¹² − 1)/r into the easy part (p⁶ − 1)(p² + 1) and the hard part
// (p⁴ − p² + 1)/r = λ0 + λ1·p + λ2·p² + λ3·p³ with, in the BN parameter u,
//   λ3 = 1, λ2 = 6u² + 1, λ1 = −36u³ − 18u² − 12u + 1, λ0 = −36u³ − 30u² − 18u − 2
// (Scott, Benger, Charlemagne, Dominguez Perez and Kachisa, "On the final exponentiation for
// calculating pairings on ordinary elliptic curves", 2009; the identity was checked with Python
// integers). After the easy part f lies in the cyclotomic subgroup, where f⁻¹ is a conjugation.

extension BN256 {
    /// One (P, Q) pair of the product, both points affine and neither at infinity.
    struct PairingTerm: Sendable {
        /// P ∈ G1.
        var p: (x: Fp, y: Fp)
        /// Q ∈ G2, on the twist.
        var q: (x: Fp2, y: Fp2)
    }

    /// 6u + 2 without its leading one (bit 64): the Miller loop runs over these 64 bits.
    private static let millerLoopBits: UInt64 = 0x9d79_7039_be76_3ba8

    /// Whether ∏ e(Pᵢ, Qᵢ) = 1 in F_p¹², the check of EIP-197.
    /// - Parameter terms: the pairs; an empty product is 1.
    /// - Returns: whether the product of the pairings is the identity.
    static func pairingProductIsOne(_ terms: [PairingTerm]) -> Bool {
        if terms.isEmpty { return true }
        return finalExponentiation(millerLoop(terms)).isOne
    }

    /// The Miller loop value ∏ f_{6u+2,Qᵢ}(Pᵢ)·(two Frobenius lines), before exponentiation.
    static func millerLoop(_ terms: [PairingTerm]) -> Fp12 {
        // T for each term, in homogeneous projective coordinates, starting at Q.
        var xs = terms.map { $0.q.x }, ys = terms.map { $0.q.y }
        var zs = [Fp2](repeating: .one, count: terms.count)
        var f = Fp12.one
        for bit in stride(from: 63, through: 0, by: -1) {
            f = f.squared()
            for index in terms.indices {
                let term = terms[index]
                doublingStep(&xs[index], &ys[index], &zs[index], p: term.p, f: &f)
                if (millerLoopBits >> UInt64(bit)) & 1 == 1 {
                    additionStep(&xs[index], &ys[index], &zs[index], q: term.q, p: term.p, f: &f)
                }
            }
        }
        for index in terms.indices {
            let term = terms[index]
            // π(Q) on the twist is (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)); −π²(Q) is (x·ξ^((p²−1)/3), y)
            // because ξ^((p²−1)/2) = −1.
            let frobeniusQ = (x: term.q.x.conjugated() * Fp12.frobeniusCoefficient2,
                              y: term.q.y.conjugated() * Fp12.frobeniusCoefficient3)
            let negatedFrobeniusSquaredQ = (x: term.q.x * Fp12.frobeniusSquaredCoefficient2, y: term.q.y)
            additionStep(&xs[index], &ys[index], &zs[index], q: frobeniusQ, p: term.p, f: &f)
            additionStep(&xs[index], &ys[index], &zs[index], q: negatedFrobeniusSquaredQ, p: term.p, f: &f)
        }
        return f
    }

    /// T ← 2T, f ← f·ℓ_{T,T}(P) (Costello–Lange–Naehrig doubling with a = 0).
    @inline(__always)
    private static func doublingStep(_ x: inout Fp2, _ y: inout Fp2, _ z: inout Fp2,
                                     p: (x: Fp, y: Fp), f: inout Fp12) {
        let twoInverse = Fp.twoInverse
        let a = (x * y) * twoInverse
        let b = y.squared(), c = z.squared()
        let e = Fp2.curveB * (c.doubled() + c)
        let threeE = e.doubled() + e
        let g = (b + threeE) * twoInverse
        let h = (y + z).squared() - (b + c)
        let i = e - b
        let j = x.squared()
        x = a * (b - threeE)
        y = g.squared() - (e.squared().doubled() + e.squared())
        z = b * h
        f.multiplyByLine(-(h * p.y), (j.doubled() + j) * p.x, i)
    }

    /// T ← T + Q, f ← f·ℓ_{T,Q}(P) (mixed addition, Q affine).
    @inline(__always)
    private static func additionStep(_ x: inout Fp2, _ y: inout Fp2, _ z: inout Fp2,
                                     q: (x: Fp2, y: Fp2), p: (x: Fp, y: Fp), f: inout Fp12) {
        let theta = y - q.y * z
        let lambda = x - q.x * z
        let c = theta.squared(), d = lambda.squared()
        let e = lambda * d
        let fValue = z * c, g = x * d
        let h = e + fValue - g.doubled()
        let newY = theta * (g - h) - y * e
        x = lambda * h
        y = newY
        z = z * e
        f.multiplyByLine(lambda * p.y, -(theta * p.x), theta * q.x - lambda * q.y)
    }

    /// f^((p¹² − 1)/r).
    static func finalExponentiation(_ f: Fp12) -> Fp12 {
        // Easy part: f^((p⁶ − 1)(p² + 1)).
        let easy1 = f.conjugated() * f.inverted()
        let easy = easy1.frobeniusSquared() * easy1
        // Hard part, from f^u, f^(u²), f^(u³).
        let fu = easy.powerBNParameter()
        let fu2 = fu.powerBNParameter()
        let fu3 = fu2.powerBNParameter()
        func sixth(_ value: Fp12) -> Fp12 { (value.cyclotomicSquared() * value).cyclotomicSquared() }
        let fu6 = sixth(fu), fu12 = fu6.cyclotomicSquared(), fu18 = fu12 * fu6
        let fu2_6 = sixth(fu2), fu2_12 = fu2_6.cyclotomicSquared(), fu2_18 = fu2_12 * fu2_6
        let fu2_30 = fu2_18 * fu2_12
        let fu3_4 = fu3.cyclotomicSquared().cyclotomicSquared()
        let fu3_36 = fu3_4.cyclotomicSquared().cyclotomicSquared().cyclotomicSquared() * fu3_4
        let power0 = (fu3_36 * fu2_30 * fu18 * easy.cyclotomicSquared()).conjugated()   // f^λ0
        let power1 = (fu3_36 * fu2_18 * fu12).conjugated() * easy              // f^λ1
        let power2 = fu2_6 * easy                                               // f^λ2
        return power0 * power1.frobenius() * power2.frobeniusSquared() * easy.frobeniusCubed()
    }
}

extension BN256.Fp {
    /// 1/2 mod p, that is (p + 1)/2, in Montgomery form.
    static let twoInverse = BN256.Fp(limb0: 0x87be_e7d2_4f06_0572, limb1: 0xd0fd_2add_2f1c_6ae5,
                                     limb2: 0x8f5f_7492_fcfd_4f44, limb3: 0x1f37_631a_3d9c_bfac)
}
