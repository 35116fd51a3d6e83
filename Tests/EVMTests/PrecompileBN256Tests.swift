import Testing
import EVM
import Primitives

/// bn256 add (0x06), scalar multiplication (0x07) and pairing (0x08) failure cases required by
/// EIP-196 and EIP-197, which the fixture files do not contain. The twist point outside G2 was
/// made with Python integers: the point with x = 1 on y² = x³ + 3/(9 + i), checked to satisfy the
/// twist equation and to have [r]Q ≠ O.
@Suite struct PrecompileBN256Tests {
    /// p, the field modulus.
    static let modulus = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"
    /// The G1 generator (1, 2).
    static let g1Generator = word(1) + word(2)
    /// The G2 generator of EIP-197, encoded x_imaginary ‖ x_real ‖ y_imaginary ‖ y_real.
    static let g2Generator = try! [UInt8](hex:
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        + "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
        + "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
        + "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa")
    /// A point on the twist that is not in G2.
    static let twistPointOutsideG2 = try! [UInt8](hex:
        "0000000000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0d1271953ed9ea0836846e70a1934187998c7f790cb4d7511b7f8da82de048a4"
        + "2869111d5381f072f8e2728fdb825a51aadd70e52c9830e9ab4b871c0531f1bb")

    static func word(_ value: UInt8) -> [UInt8] { [UInt8](repeating: 0, count: 31) + [value] }

    private func expectFailure(_ address: UInt32, _ input: [UInt8], _ comment: Comment) {
        guard case .failure = PrecompileCaller.call(address, input).output else {
            Issue.record(comment)
            return
        }
    }

    @Test func addRejectsCoordinateEqualToModulus() {
        expectFailure(0x06, try! [UInt8](hex: Self.modulus) + Self.word(0) + Self.g1Generator, "x = p must fail")
    }

    @Test func addRejectsPointOffTheCurve() {
        expectFailure(0x06, Self.word(1) + Self.word(3) + Self.g1Generator, "(1, 3) is not on y² = x³ + 3")
    }

    @Test func addOfPointAndItsNegationIsInfinity() {
        // −(1, 2) = (1, p − 2).
        var negatedY = try! [UInt8](hex: Self.modulus)
        negatedY[31] -= 2
        let (gas, output) = PrecompileCaller.call(0x06, Self.g1Generator + Self.word(1) + negatedY)
        #expect(output == .success([UInt8](repeating: 0, count: 64)))
        #expect(gas == 150)
    }

    @Test func scalarMultiplicationRejectsPointOffTheCurve() {
        expectFailure(0x07, Self.word(1) + Self.word(3) + Self.word(2), "(1, 3) is not on the curve")
    }

    /// A short input is right-padded: the generator with no scalar is 0·G = infinity.
    @Test func scalarMultiplicationWithMissingScalarIsInfinity() {
        let (gas, output) = PrecompileCaller.call(0x07, Self.g1Generator)
        #expect(output == .success([UInt8](repeating: 0, count: 64)))
        #expect(gas == 6000)
    }

    @Test func pairingRejectsLengthNotMultipleOf192() {
        expectFailure(0x08, Self.g1Generator + Self.g2Generator + [0], "193 bytes must fail")
    }

    @Test func pairingChargesFullPairsOnly() {
        #expect(PrecompileCaller.precompile(0x08).requiredGas(input: [UInt8](repeating: 0, count: 191)) == 45_000)
        #expect(PrecompileCaller.precompile(0x08).requiredGas(input: [UInt8](repeating: 0, count: 384)) == 113_000)
    }

    @Test func pairingRejectsG2PointOutsideTheSubgroup() {
        expectFailure(0x08, Self.g1Generator + Self.twistPointOutsideG2, "twist point of order ≠ r must fail")
    }

    @Test func pairingRejectsG2PointOffTheTwist() {
        var offTwist = Self.g2Generator
        offTwist[127] ^= 1
        expectFailure(0x08, Self.g1Generator + offTwist, "G2 point off the twist must fail")
    }

    @Test func pairingRejectsG2CoordinateEqualToModulus() {
        var input = Self.g1Generator + Self.g2Generator
        input.replaceSubrange(64..<96, with: try! [UInt8](hex: Self.modulus))
        expectFailure(0x08, input, "x_imaginary = p must fail")
    }

    /// EIP-197 validates every point even when its partner is at infinity.
    @Test func pairingValidatesG2EvenWhenG1IsInfinity() {
        expectFailure(0x08, [UInt8](repeating: 0, count: 64) + Self.twistPointOutsideG2,
                      "the G2 point must be checked although P is infinity")
    }

    /// A pair with a point at infinity contributes 1: e(O, G2) = 1, so the check passes.
    @Test func pairingWithInfinityIsOne() {
        let (gas, output) = PrecompileCaller.call(0x08, [UInt8](repeating: 0, count: 64) + Self.g2Generator)
        #expect(output == .success(Self.word(1)))
        #expect(gas == 79_000)
    }

    /// e(G1, G2) alone is not 1 (the pairing is non-degenerate).
    @Test func pairingOfGeneratorsIsNotOne() {
        let (_, output) = PrecompileCaller.call(0x08, Self.g1Generator + Self.g2Generator)
        #expect(output == .success(Self.word(0)))
    }
}
