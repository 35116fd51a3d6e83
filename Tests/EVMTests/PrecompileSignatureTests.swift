import Testing
import EVM
import Primitives

/// ecrecover (0x01) and P256VERIFY (0x100) edges beyond the fixture files: invalid input gives
/// empty output, never a failure (Yellow Paper appendix E; EIP-7951).
@Suite struct PrecompileSignatureTests {
    /// The "ValidKey" case of ecRecover.json: hash, v = 28, r, s (a high s), signed by
    /// 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b.
    static let hash = "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
    static let r = "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
    static let highS = "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549"
    /// n − highS, worked with Python integers (n the secp256k1 group order).
    static let lowS = "1146bf4e2fc4de1c94f1b81868960f68bc842490f1b6bc98387ba6b57599fbf8"
    static let n = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
    static let signer = "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b"

    static func input(v: UInt8, r: String = r, s: String) -> [UInt8] {
        try! [UInt8](hex: hash) + [UInt8](repeating: 0, count: 31) + [v] + [UInt8](hex: r) + [UInt8](hex: s)
    }

    /// (r, s) and (r, n − s) with the other parity recover the same key: both forms are accepted.
    @Test func ecrecoverAcceptsTheLowSTwin() {
        let (gas, output) = PrecompileCaller.call(0x01, Self.input(v: 27, s: Self.lowS))
        #expect(output == .success(try! [UInt8](hex: Self.signer)))
        #expect(gas == 3000)
    }

    @Test(arguments: [UInt8(0), 1, 26, 29, 0xff])
    func ecrecoverRejectsV(_ v: UInt8) {
        #expect(PrecompileCaller.call(0x01, Self.input(v: v, s: Self.highS)).output == .success([]))
    }

    @Test func ecrecoverRejectsSEqualToN() {
        #expect(PrecompileCaller.call(0x01, Self.input(v: 28, s: Self.n)).output == .success([]))
    }

    @Test func ecrecoverRejectsZeroR() {
        let zero = String(repeating: "0", count: 64)
        #expect(PrecompileCaller.call(0x01, Self.input(v: 28, r: zero, s: Self.highS)).output == .success([]))
    }

    /// An empty input is padded to 128 zero bytes: v = 0 is invalid, so the output is empty.
    @Test func ecrecoverOfEmptyInputIsEmpty() {
        let (gas, output) = PrecompileCaller.call(0x01, [])
        #expect(output == .success([]))
        #expect(gas == 3000)
    }

    /// EIP-7951: any length other than 160 gives empty output, at the full 6900 gas.
    @Test(arguments: [0, 159, 161, 192])
    func p256VerifyRejectsLength(_ length: Int) {
        let (gas, output) = PrecompileCaller.call(0x100, [UInt8](repeating: 1, count: length))
        #expect(output == .success([]))
        #expect(gas == 6900)
    }

    /// The first valid fixture case with one extra trailing byte no longer verifies.
    @Test func p256VerifyRejectsValidSignatureWithTrailingByte() throws {
        let valid = try #require(PrecompileVectors.load("p256Verify").first { !$0.expectedBytes.isEmpty })
        #expect(PrecompileCaller.call(0x100, valid.inputBytes).output == .success(valid.expectedBytes))
        #expect(PrecompileCaller.call(0x100, valid.inputBytes + [0]).output == .success([]))
    }
}
