// F_p² = F_p[i]/(i² + 1), the field of G2's coordinates. EIP-197 encodes an element a·i + b as the
// two 32-byte words (a, b): imaginary part first.

extension BN256 {
    /// An element real + imaginary·i of F_p².
    struct Fp2: Equatable, Sendable {
        /// The coefficient of 1.
        var real: Fp
        /// The coefficient of i.
        var imaginary: Fp

        @inline(__always)
        init(real: Fp, imaginary: Fp) {
            self.real = real; self.imaginary = imaginary
        }

        /// 0.
        static let zero = Fp2(real: .zero, imaginary: .zero)
        /// 1.
        static let one = Fp2(real: .one, imaginary: .zero)

        /// Whether this is 0.
        var isZero: Bool { real.isZero && imaginary.isZero }

        @inline(__always)
        static func + (a: Fp2, b: Fp2) -> Fp2 {
            Fp2(real: a.real + b.real, imaginary: a.imaginary + b.imaginary)
        }

        @inline(__always)
        static func - (a: Fp2, b: Fp2) -> Fp2 {
            Fp2(real: a.real - b.real, imaginary: a.imaginary - b.imaginary)
        }

        @inline(__always)
        static prefix func - (a: Fp2) -> Fp2 {
            Fp2(real: -a.real, imaginary: -a.imaginary)
        }

        /// Karatsuba: three F_p products instead of four.
        @inline(__always)
        static func * (a: Fp2, b: Fp2) -> Fp2 {
            let realProduct = a.real * b.real
            let imaginaryProduct = a.imaginary * b.imaginary
            let crossSum = (a.real + a.imaginary) * (b.real + b.imaginary)
            return Fp2(real: realProduct - imaginaryProduct,
                       imaginary: crossSum - realProduct - imaginaryProduct)
        }

        /// The product with an element of the base field.
        @inline(__always)
        static func * (a: Fp2, b: Fp) -> Fp2 {
            Fp2(real: a.real * b, imaginary: a.imaginary * b)
        }

        @inline(__always)
        static func += (a: inout Fp2, b: Fp2) { a = a + b }
        @inline(__always)
        static func -= (a: inout Fp2, b: Fp2) { a = a - b }
        @inline(__always)
        static func *= (a: inout Fp2, b: Fp2) { a = a * b }

        /// (a + bi)² = (a + b)(a − b) + 2ab·i: two F_p products.
        @inline(__always)
        func squared() -> Fp2 {
            let product = real * imaginary
            return Fp2(real: (real + imaginary) * (real - imaginary), imaginary: product.doubled())
        }

        /// 2·self.
        @inline(__always)
        func doubled() -> Fp2 { Fp2(real: real.doubled(), imaginary: imaginary.doubled()) }

        /// a − bi, which is also the p-power Frobenius map on F_p².
        @inline(__always)
        func conjugated() -> Fp2 { Fp2(real: real, imaginary: -imaginary) }

        /// self·ξ with ξ = 9 + i: (a + bi)(9 + i) = (9a − b) + (a + 9b)i, by additions only.
        @inline(__always)
        func multipliedByXi() -> Fp2 {
            func nineTimes(_ x: Fp) -> Fp { x.doubled().doubled().doubled() + x }
            return Fp2(real: nineTimes(real) - imaginary, imaginary: real + nineTimes(imaginary))
        }

        /// (a + bi)⁻¹ = (a − bi)/(a² + b²); 0 maps to 0.
        func inverted() -> Fp2 {
            let normInverse = (real.squared() + imaginary.squared()).inverted()
            return Fp2(real: real * normInverse, imaginary: -(imaginary * normInverse))
        }
    }
}

extension BN256.Fp2: BN256.CoordinateField {
    /// b' = 3/ξ of the twist E': y² = x³ + 3/(9 + i) that carries G2 (EIP-197).
    static let curveB = BN256.Fp2(
        real: BN256.Fp(limb0: 0x3bf9_38e3_77b8_02a8, limb1: 0x020b_1b27_3633_535d,
                       limb2: 0x26b7_edf0_4975_5260, limb3: 0x2514_c632_4384_a86d),
        imaginary: BN256.Fp(limb0: 0x38e7_eccc_d1dc_ff67, limb1: 0x65f0_b37d_93ce_0d3e,
                            limb2: 0xd749_d0dd_22ac_00aa, limb3: 0x0141_b9ce_4a68_8d4d))
}
