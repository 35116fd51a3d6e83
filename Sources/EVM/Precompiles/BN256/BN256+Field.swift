extension BN256 {
    /// The coordinate fields of the two curve groups, F_p for G1 and F_p² for G2, so that one
    /// implementation of Jacobian point arithmetic serves both (the optimiser specialises it).
    protocol CoordinateField: Equatable, Sendable {
        /// The additive identity.
        static var zero: Self { get }
        /// The multiplicative identity.
        static var one: Self { get }
        /// b in the short Weierstrass equation y² = x³ + b of the curve over this field: 3 for
        /// G1 over F_p, 3/ξ for the G2 twist over F_p².
        static var curveB: Self { get }
        /// Whether this is 0.
        var isZero: Bool { get }
        static func + (a: Self, b: Self) -> Self
        static func - (a: Self, b: Self) -> Self
        static func * (a: Self, b: Self) -> Self
        static prefix func - (a: Self) -> Self
        /// self².
        func squared() -> Self
        /// 2·self.
        func doubled() -> Self
        /// self⁻¹ (0 for 0).
        func inverted() -> Self
    }
}

extension BN256.Fp: BN256.CoordinateField {
    /// b = 3 in E: y² = x³ + 3 (EIP-196).
    static let curveB = BN256.Fp(limb0: 0x7a17_caa9_50ad_28d7, limb1: 0x1f6a_c17a_e155_21b9,
                                 limb2: 0x334b_ea4e_696b_d284, limb3: 0x2a1f_6744_ce17_9d8e)
}
