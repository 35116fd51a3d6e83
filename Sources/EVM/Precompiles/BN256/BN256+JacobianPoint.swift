// Points of y² = x³ + b in Jacobian coordinates (X, Y, Z) ↔ affine (X/Z², Y/Z³), with Z = 0 for
// the point at infinity. The formulas for a = 0 curves are "dbl-2009-l" and "add-2007-bl" of the
// Explicit-Formulas Database (Bernstein and Lange); they need no inversion, so a scalar
// multiplication inverts once, at the end.

extension BN256 {
    /// A point of G1 (over F_p) or of the G2 twist (over F_p²) in Jacobian coordinates.
    struct JacobianPoint<Field: CoordinateField>: Sendable {
        var x: Field, y: Field, z: Field

        /// The point at infinity, the group's identity.
        static var infinity: JacobianPoint { JacobianPoint(x: .one, y: .one, z: .zero) }

        @inline(__always)
        init(x: Field, y: Field, z: Field) {
            self.x = x; self.y = y; self.z = z
        }

        /// The point with the given affine coordinates (assumed on the curve).
        init(affineX: Field, affineY: Field) {
            self.init(x: affineX, y: affineY, z: .one)
        }

        /// Whether this is the point at infinity.
        var isInfinity: Bool { z.isZero }

        /// Whether the affine point (x, y) satisfies y² = x³ + b.
        static func isOnCurve(x: Field, y: Field) -> Bool {
            y.squared() == x.squared() * x + Field.curveB
        }

        /// The affine coordinates, or `nil` for the point at infinity.
        var affine: (x: Field, y: Field)? {
            if isInfinity { return nil }
            if z == .one { return (x, y) }  // an input point passed through (P + ∞, 1·P): no inversion
            let zInverse = z.inverted()
            let zInverseSquared = zInverse.squared()
            return (x * zInverseSquared, y * zInverseSquared * zInverse)
        }

        /// 2·self ("dbl-2009-l").
        func doubled() -> JacobianPoint {
            if isInfinity { return self }
            let a = x.squared(), b = y.squared(), c = b.squared()
            let d = ((x + b).squared() - a - c).doubled()
            let e = a.doubled() + a
            let f = e.squared()
            let newX = f - d.doubled()
            let newY = e * (d - newX) - c.doubled().doubled().doubled()
            let newZ = (y * z).doubled()
            return JacobianPoint(x: newX, y: newY, z: newZ)
        }

        /// self + other ("add-2007-bl"), falling back to doubling when the points are equal.
        func adding(_ other: JacobianPoint) -> JacobianPoint {
            if isInfinity { return other }
            if other.isInfinity { return self }
            let z1Squared = z.squared(), z2Squared = other.z.squared()
            let u1 = x * z2Squared, u2 = other.x * z1Squared
            let s1 = y * other.z * z2Squared, s2 = other.y * z * z1Squared
            let h = u2 - u1
            let rHalf = s2 - s1
            if h.isZero {
                // Same x: either the same point (double it) or its negative (the sum is infinity).
                return rHalf.isZero ? doubled() : .infinity
            }
            let i = h.doubled().squared()
            let j = h * i
            let r = rHalf.doubled()
            let v = u1 * i
            let newX = r.squared() - j - v.doubled()
            let newY = r * (v - newX) - (s1 * j).doubled()
            let newZ = ((z + other.z).squared() - z1Squared - z2Squared) * h
            return JacobianPoint(x: newX, y: newY, z: newZ)
        }

        /// self + (x, y) for an affine point ("madd-2007-bl"), four F products cheaper than
        /// `adding(_:)`.
        func adding(affineX otherX: Field, affineY otherY: Field) -> JacobianPoint {
            if isInfinity { return JacobianPoint(affineX: otherX, affineY: otherY) }
            let z1Squared = z.squared()
            let u2 = otherX * z1Squared, s2 = otherY * z * z1Squared
            let h = u2 - x
            let rHalf = s2 - y
            if h.isZero {
                return rHalf.isZero ? doubled() : .infinity
            }
            let hSquared = h.squared()
            let i = hSquared.doubled().doubled()
            let j = h * i
            let r = rHalf.doubled()
            let v = x * i
            let newX = r.squared() - j - v.doubled()
            let newY = r * (v - newX) - (y * j).doubled()
            let newZ = (z + h).squared() - z1Squared - hSquared
            return JacobianPoint(x: newX, y: newY, z: newZ)
        }

        /// k·self by double-and-add from the most significant bit, adding self in affine form.
        /// - Parameter scalar: k as 64-bit limbs, most significant first.
        func multiplied(by scalar: [UInt64]) -> JacobianPoint {
            guard let base = z == .one ? (x, y) : affine else { return .infinity }
            var result = JacobianPoint.infinity
            for limb in scalar {
                for bit in stride(from: 63, through: 0, by: -1) {
                    result = result.doubled()
                    if (limb >> UInt64(bit)) & 1 == 1 { result = result.adding(affineX: base.x, affineY: base.y) }
                }
            }
            return result
        }
    }

    /// A point of G1, over F_p.
    typealias G1Point = JacobianPoint<Fp>
    /// A point of the G2 twist, over F_p².
    typealias G2Point = JacobianPoint<Fp2>

    /// The BN parameter u (the curve family's generator) of alt_bn128.
    static let parameterU: UInt64 = 0x44e9_92b4_4a69_09f1
}
