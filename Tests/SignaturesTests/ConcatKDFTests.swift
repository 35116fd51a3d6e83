import Testing
import Signatures

/// NIST SP 800-56 concatenation KDF with SHA-256 against go-ethereum v1.13.15
/// crypto/ecies/ecies_test.go `TestKDF`: Z = "input", no other info, four output lengths.
@Suite struct ConcatKDFTests {
    /// go-ethereum crypto/ecies/ecies_test.go TestKDF, the 64-byte output; the shorter outputs are its prefixes.
    static let expected64 = TestSupport.bytes(
        "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0"
        + "700f1ab918a5f0413b8140f9940d6955f3467fd6672cce1024c5b1effccc0f61")

    @Test(arguments: [
        (6, "858b192fa2ed"),
        (32, "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0"),
        (48, "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0700f1ab918a5f0413b8140f9940d6955"),
        (64, "858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0700f1ab918a5f0413b8140f9940d6955f3467fd6672cce1024c5b1effccc0f61"),
    ])
    func gethTestKDF(length: Int, hex: String) {
        #expect(ConcatKDF.sha256(secret: Array("input".utf8), byteCount: length) == TestSupport.bytes(hex))
    }

    /// The first block is SHA-256(00000001 ‖ Z ‖ OtherInfo) (SP 800-56A §5.8.2.1.1), checked
    /// against the SHA-256 type directly.
    @Test func firstBlockIsHashOfCounterSecretAndOtherInfo() {
        let secret: [UInt8] = [1, 2, 3]
        let otherInfo: [UInt8] = [9, 9]
        let block = SHA256.hash([0, 0, 0, 1] + secret + otherInfo).bytes
        #expect(ConcatKDF.sha256(secret: secret, otherInfo: otherInfo, byteCount: 32) == block)
        #expect(ConcatKDF.sha256(secret: secret, otherInfo: otherInfo, byteCount: 0) == [])
    }
}
