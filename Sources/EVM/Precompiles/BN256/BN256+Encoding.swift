// The byte encodings of EIP-196 and EIP-197. A G1 point is x ‖ y, two 32-byte big-endian integers;
// a G2 point is x ‖ y with each F_p² coordinate a·i + b written as a ‖ b (imaginary part first),
// 128 bytes in all. The point at infinity is all zeros. Coordinates must be below p and the point
// must lie on its curve; G2 points must also lie in the order-r subgroup.

extension BN256 {
    /// Reads a G1 point from 64 bytes at `offset`.
    /// - Parameters:
    ///   - input: the buffer, already padded so the 64 bytes are in range.
    ///   - offset: where the point starts.
    /// - Returns: the point (infinity for all zeros).
    /// - Throws: `BN256Error` when a coordinate is ≥ p or the point is not on y² = x³ + 3.
    static func readG1(_ input: [UInt8], at offset: Int) throws(BN256Error) -> G1Point {
        let x = try readCoordinate(input, at: offset)
        let y = try readCoordinate(input, at: offset + 32)
        if x.isZero && y.isZero { return .infinity }
        guard G1Point.isOnCurve(x: x, y: y) else {
            throw .pointNotOnCurve(group: "G1", x: Array(input[offset..<offset + 32]),
                                   y: Array(input[offset + 32..<offset + 64]))
        }
        return G1Point(affineX: x, affineY: y)
    }

    /// Reads a G2 point from 128 bytes at `offset` and checks that it lies in G2.
    /// - Parameters:
    ///   - input: the buffer, holding the 128 bytes.
    ///   - offset: where the point starts.
    /// - Returns: the affine point, or `nil` for the point at infinity (all zeros).
    /// - Throws: `BN256Error` when a coordinate is ≥ p, the point is not on the twist, or it is
    ///   not in the subgroup of order r.
    static func readG2(_ input: [UInt8], at offset: Int) throws(BN256Error) -> (x: Fp2, y: Fp2)? {
        let x = Fp2(real: try readCoordinate(input, at: offset + 32),
                    imaginary: try readCoordinate(input, at: offset))
        let y = Fp2(real: try readCoordinate(input, at: offset + 96),
                    imaginary: try readCoordinate(input, at: offset + 64))
        if x.isZero && y.isZero { return nil }
        let xBytes = Array(input[offset..<offset + 64]), yBytes = Array(input[offset + 64..<offset + 128])
        guard G2Point.isOnCurve(x: x, y: y) else { throw .pointNotOnCurve(group: "G2", x: xBytes, y: yBytes) }
        guard isInG2(x: x, y: y) else { throw .pointNotInSubgroup(x: xBytes, y: yBytes) }
        return (x, y)
    }

    /// Whether a point of the twist lies in G2, the subgroup of order r.
    ///
    /// Rather than checking [r]Q = O (254 doublings), this checks ψ(Q) = [6u²]Q (127 doublings),
    /// where ψ is the untwist-Frobenius-twist endomorphism (x, y) ↦ (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)).
    /// El Housni, Guillevic and Piellard, "Co-factor clearing and subgroup membership testing on
    /// pairing-friendly curves" (AFRICACRYPT 2022), §5, prove the two equivalent for BN curves.
    /// - Parameters:
    ///   - x: the affine x, on the twist.
    ///   - y: the affine y.
    /// - Returns: whether the point has order r.
    static func isInG2(x: Fp2, y: Fp2) -> Bool {
        let point = G2Point(affineX: x, affineY: y)
        let endomorphism = (x: x.conjugated() * Fp12.frobeniusCoefficient2,
                            y: y.conjugated() * Fp12.frobeniusCoefficient3)
        guard let multiple = point.multiplied(by: sixUSquared).affine else { return false }
        return multiple.x == endomorphism.x && multiple.y == endomorphism.y
    }

    /// 6u² as 64-bit limbs, most significant first.
    static let sixUSquared: [UInt64] = [0x6f4d_8248_eeb8_59fb, 0xf83e_9682_e87c_fd46]

    /// The 64-byte encoding x ‖ y of a G1 point (all zeros for infinity).
    /// - Parameter point: the point.
    /// - Returns: 64 bytes.
    static func encodeG1(_ point: G1Point) -> [UInt8] {
        guard let affine = point.affine else { return [UInt8](repeating: 0, count: 64) }
        return affine.x.bigEndianBytes + affine.y.bigEndianBytes
    }

    /// A 32-byte coordinate, rejected when ≥ p.
    private static func readCoordinate(_ input: [UInt8], at offset: Int) throws(BN256Error) -> Fp {
        guard let value = Fp.fromBigEndian(input, at: offset) else {
            throw .coordinateNotInField(Array(input[offset..<offset + 32]))
        }
        return value
    }
}
