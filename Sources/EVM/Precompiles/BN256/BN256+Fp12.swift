// F_p¹² = F_p⁶[w]/(w² − v): the pairing's target field, an element being c0 + c1·w. Writing
// c0 = a0 + a1·v + a2·v² and c1 = b0 + b1·v + b2·v² with v = w², the element is
// a0 + b0·w + a1·w² + b1·w³ + a2·w⁴ + b2·w⁵, which is how the Frobenius map below acts on it:
// (x·wᵏ)^(p^j) = x^(p^j)·wᵏ·ξ^(k(p^j − 1)/6) since w⁶ = ξ.

extension BN256 {
    /// An element c0 + c1·w of F_p¹².
    struct Fp12: Equatable, Sendable {
        var c0: Fp6, c1: Fp6

        @inline(__always)
        init(_ c0: Fp6, _ c1: Fp6) {
            self.c0 = c0; self.c1 = c1
        }

        /// 1.
        static let one = Fp12(.one, .zero)

        /// Whether this is 1.
        var isOne: Bool { self == .one }

        /// Karatsuba: three F_p⁶ products.
        static func * (a: Fp12, b: Fp12) -> Fp12 {
            let t0 = a.c0 * b.c0, t1 = a.c1 * b.c1
            return Fp12(t0 + t1.multipliedByV(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
        }

        @inline(__always)
        static func *= (a: inout Fp12, b: Fp12) { a = a * b }

        /// (c0 + c1·w)² = c0² + c1²·v + 2c0c1·w, computed with two F_p⁶ products.
        func squared() -> Fp12 {
            let cross = c0 * c1
            let c0Squared = (c0 + c1) * (c0 + c1.multipliedByV()) - cross - cross.multipliedByV()
            return Fp12(c0Squared, cross + cross)
        }

        /// The product with a line value a + b·w + c·w³ (a, b, c in F_p²), the only shape the
        /// Miller loop multiplies by; it costs 13 F_p² products instead of 18.
        /// - Parameters:
        ///   - a: the coefficient of 1.
        ///   - b: the coefficient of w.
        ///   - c: the coefficient of w³ = v·w.
        @inline(__always)
        mutating func multiplyByLine(_ a: Fp2, _ b: Fp2, _ c: Fp2) {
            let t0 = c0 * a
            let t1 = c1.multiplied(by: b, c)
            let cross = (c0 + c1).multiplied(by: a + b, c) - t0 - t1
            self = Fp12(t0 + t1.multipliedByV(), cross)
        }

        /// c0 − c1·w = self^(p⁶); for elements of the cyclotomic subgroup (after the easy part
        /// of the final exponentiation) it is also the inverse.
        func conjugated() -> Fp12 { Fp12(c0, -c1) }

        /// self⁻¹ = (c0 − c1·w)/(c0² − c1²·v).
        func inverted() -> Fp12 {
            let normInverse = (c0.squared() - c1.squared().multipliedByV()).inverted()
            return Fp12(c0 * normInverse, -(c1 * normInverse))
        }

        /// self^p.
        func frobenius() -> Fp12 {
            Fp12(Fp6(c0.c0.conjugated(),
                     c0.c1.conjugated() * Fp12.frobeniusCoefficient2,
                     c0.c2.conjugated() * Fp12.frobeniusCoefficient4),
                 Fp6(c1.c0.conjugated() * Fp12.frobeniusCoefficient1,
                     c1.c1.conjugated() * Fp12.frobeniusCoefficient3,
                     c1.c2.conjugated() * Fp12.frobeniusCoefficient5))
        }

        /// self^(p²).
        func frobeniusSquared() -> Fp12 {
            Fp12(Fp6(c0.c0,
                     c0.c1 * Fp12.frobeniusSquaredCoefficient2,
                     c0.c2 * Fp12.frobeniusSquaredCoefficient4),
                 Fp6(c1.c0 * Fp12.frobeniusSquaredCoefficient1,
                     c1.c1 * Fp12.frobeniusSquaredCoefficient3,
                     c1.c2 * Fp12.frobeniusSquaredCoefficient5))
        }

        /// self^(p³).
        func frobeniusCubed() -> Fp12 { frobeniusSquared().frobenius() }

        /// self² for an element of the cyclotomic subgroup (norm 1 down to F_p², as every value is
        /// after the easy part of the final exponentiation), by Granger and Scott, "Faster squaring
        /// in the cyclotomic subgroup of sixth degree extensions" (PKC 2010): nine F_p² squarings
        /// instead of twelve F_p² products.
        ///
        /// Seen as F_p⁴[w]/(w³ − s) with F_p⁴ = F_p²[s]/(s² − ξ) and s = w³, the element is
        /// A0 + A1·w + A2·w² with A0 = a0 + b1·s, A1 = b0 + a2·s, A2 = a1 + b2·s, and
        /// f² = (3A0² − 2Ā0) + (3s·A2² + 2Ā1)·w + (3A1² − 2Ā2)·w², Ā being x − y·s for x + y·s.
        /// (The identity was checked numerically with Python integers.)
        func cyclotomicSquared() -> Fp12 {
            /// (x + y·s)² = (x² + ξy²) + 2xy·s.
            @inline(__always)
            func squareInFp4(_ x: Fp2, _ y: Fp2) -> (Fp2, Fp2) {
                let xSquared = x.squared(), ySquared = y.squared()
                return (xSquared + ySquared.multipliedByXi(), (x + y).squared() - xSquared - ySquared)
            }
            @inline(__always)
            func thrice(_ value: Fp2) -> Fp2 { value.doubled() + value }
            let (a0, a1, a2, b0, b1, b2) = (c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2)
            let square0 = squareInFp4(a0, b1), square1 = squareInFp4(b0, a2), square2 = squareInFp4(a1, b2)
            let newA0 = thrice(square0.0) - a0.doubled(), newB1 = thrice(square0.1) + b1.doubled()
            let newB0 = thrice(square2.1.multipliedByXi()) + b0.doubled(), newA2 = thrice(square2.0) - a2.doubled()
            let newA1 = thrice(square1.0) - a1.doubled(), newB2 = thrice(square1.1) + b2.doubled()
            return Fp12(Fp6(newA0, newA1, newA2), Fp6(newB0, newB1, newB2))
        }

        /// self^u for the BN parameter u = 0x44e992b44a6909f1, by square-and-multiply; self must be
        /// in the cyclotomic subgroup.
        func powerBNParameter() -> Fp12 {
            var result = self
            let u: UInt64 = BN256.parameterU
            for bit in stride(from: 61, through: 0, by: -1) {  // bit 62 is the leading one
                result = result.cyclotomicSquared()
                if (u >> UInt64(bit)) & 1 == 1 { result *= self }
            }
            return result
        }
    }
}

// Frobenius constants, in Montgomery form, computed once with Python integers from ξ = 9 + i and p.
extension BN256.Fp12 {
    typealias Fp = BN256.Fp
    typealias Fp2 = BN256.Fp2

        /// ξ^(1(p−1)/6) = 8376118865763821496583973867626364092589906065868298776909617916018768340080 +
        /// i·16469823323077808223889137241176536799009286646108169935659301613961712198316
        static let frobeniusCoefficient1 = Fp2(
            real: Fp(limb0: 0xaf9b_a696_3314_4907, limb1: 0xca6b_1d73_87af_b78a,
                     limb2: 0x11bd_ed5e_f08a_2087, limb3: 0x02f3_4d75_1a1f_3a7c),
            imaginary: Fp(limb0: 0xa222_ae23_4c49_2d72, limb1: 0xd00f_02a4_565d_e15b,
                          limb2: 0xdc2f_f3a2_53df_c926, limb3: 0x10a7_5716_b389_9551))

        /// ξ^(2(p−1)/6) = 21575463638280843010398324269430826099269044274347216827212613867836435027261 +
        /// i·10307601595873709700152284273816112264069230130616436755625194854815875713954
        static let frobeniusCoefficient2 = Fp2(
            real: Fp(limb0: 0xb577_3b10_4563_ab30, limb1: 0x347f_91c8_a9aa_6454,
                     limb2: 0x7a00_7127_242e_0991, limb3: 0x1956_bcd8_1182_14ec),
            imaginary: Fp(limb0: 0x6e84_9f1e_a0aa_4757, limb1: 0xaa1c_7b6d_89f8_9141,
                          limb2: 0xb6e7_13cd_fae0_ca3a, limb3: 0x2669_4fbb_4e82_ebc3))

        /// ξ^(3(p−1)/6) = 2821565182194536844548159561693502659359617185244120367078079554186484126554 +
        /// i·3505843767911556378687030309984248845540243509899259641013678093033130930403
        static let frobeniusCoefficient3 = Fp2(
            real: Fp(limb0: 0xe4bb_dd0c_2936_b629, limb1: 0xbb30_f162_e133_bacb,
                     limb2: 0x31a9_d1b6_f964_5366, limb3: 0x2535_70be_a500_f8dd),
            imaginary: Fp(limb0: 0xa1d7_7ce4_5ffe_77c7, limb1: 0x07af_fd11_7826_d1db,
                          limb2: 0x6d16_bd27_bb7e_dc6b, limb3: 0x2c87_2002_85de_fecc))

        /// ξ^(4(p−1)/6) = 2581911344467009335267311115468803099551665605076196740867805258568234346338 +
        /// i·19937756971775647987995932169929341994314640652964949448313374472400716661030
        static let frobeniusCoefficient4 = Fp2(
            real: Fp(limb0: 0x7361_d77f_843a_be92, limb1: 0xa5bb_2bd3_2734_11fb,
                     limb2: 0x9c94_1f31_4b3e_2399, limb3: 0x15df_9cdd_bb9f_d3ec),
            imaginary: Fp(limb0: 0x5ddd_fd15_4bd8_c949, limb1: 0x62cb_29a5_a444_5b60,
                          limb2: 0x37bc_870a_0c7d_d2b9, limb3: 0x2483_0a9d_3171_f0fd))

        /// ξ^(5(p−1)/6) = 685108087231508774477564247770172212460312782337200605669322048753928464687 +
        /// i·8447204650696766136447902020341177575205426561248465145919723016860428151883
        static let frobeniusCoefficient5 = Fp2(
            real: Fp(limb0: 0xc970_692f_4169_0fe7, limb1: 0xe240_3421_2769_4b0b,
                     limb2: 0x32be_e66b_83c4_59e8, limb3: 0x12aa_bced_0ab0_8841),
            imaginary: Fp(limb0: 0x0d48_5d23_40ae_bfa9, limb1: 0x0519_3418_ab2f_cc57,
                          limb2: 0xd3b0_a40b_8a49_10f5, limb3: 0x2f21_ebb5_35d2_925a))

        /// ξ^(1(p²−1)/6) = 21888242871839275220042445260109153167277707414472061641714758635765020556617 (it lies in F_p)
        static let frobeniusSquaredCoefficient1 = Fp(limb0: 0xca8d_8005_00fa_1bf2, limb1: 0xf0c5_d614_68b3_9769,
            limb2: 0x0e20_1271_ad0d_4418, limb3: 0x0429_0f65_bad8_56e6)

        /// ξ^(2(p²−1)/6) = 21888242871839275220042445260109153167277707414472061641714758635765020556616 (it lies in F_p)
        static let frobeniusSquaredCoefficient2 = Fp(limb0: 0x3350_c88e_13e8_0b9c, limb1: 0x7dce_557c_db5e_56b9,
            limb2: 0x6001_b4b8_b615_564a, limb3: 0x2682_e617_0202_17e0)

        /// ξ^(3(p²−1)/6) = 21888242871839275222246405745257275088696311157297823662689037894645226208582 (it lies in F_p)
        static let frobeniusSquaredCoefficient3 = Fp(limb0: 0x68c3_4889_12ed_efaa, limb1: 0x8d08_7f68_72aa_bf4f,
            limb2: 0x51e1_a247_0908_1231, limb3: 0x2259_d6b1_4729_c0fa)

        /// ξ^(4(p²−1)/6) = 2203960485148121921418603742825762020974279258880205651966 (it lies in F_p)
        static let frobeniusSquaredCoefficient4 = Fp(limb0: 0x7193_0c11_d782_e155, limb1: 0xa6bb_947c_ffbe_3323,
            limb2: 0xaa30_3344_d474_1444, limb3: 0x2c3b_3f0d_2659_4943)

        /// ξ^(5(p²−1)/6) = 2203960485148121921418603742825762020974279258880205651967 (it lies in F_p)
        static let frobeniusSquaredCoefficient5 = Fp(limb0: 0x08cf_c388_c494_f1ab, limb1: 0x19b3_1514_8d13_73d4,
            limb2: 0x584e_90fd_cb6c_0213, limb3: 0x09e1_685b_df2f_8849)
}
