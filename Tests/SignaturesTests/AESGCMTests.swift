import Testing
import Signatures

/// AES-256-GCM against "The Galois/Counter Mode of Operation (GCM)", McGrew & Viega (2005),
/// Appendix B, test cases 13 and 14 (256-bit zero key, 96-bit zero IV).
@Suite struct AESGCMTests {
    static let zeroKey = [UInt8](repeating: 0, count: 32)
    static let zeroNonce = [UInt8](repeating: 0, count: 12)

    /// Test case 13: empty plaintext, tag only.
    @Test func gcmTestCase13() throws {
        let sealed = try AESGCM.seal(key: Self.zeroKey, nonce: Self.zeroNonce, plaintext: [])
        #expect(sealed == TestSupport.bytes("530f8afbc74536b9a963b4f1c4cb738b"))
        #expect(try AESGCM.open(key: Self.zeroKey, nonce: Self.zeroNonce, sealed: sealed) == [])
    }

    /// Test case 14: one zero block.
    @Test func gcmTestCase14() throws {
        let plaintext = [UInt8](repeating: 0, count: 16)
        let sealed = try AESGCM.seal(key: Self.zeroKey, nonce: Self.zeroNonce, plaintext: plaintext)
        #expect(sealed == TestSupport.bytes("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"))
        #expect(try AESGCM.open(key: Self.zeroKey, nonce: Self.zeroNonce, sealed: sealed) == plaintext)
    }

    @Test func wrongAADFailsAuthentication() throws {
        let sealed = try AESGCM.seal(key: Self.zeroKey, nonce: Self.zeroNonce, plaintext: [1, 2, 3], aad: [9])
        #expect(try AESGCM.open(key: Self.zeroKey, nonce: Self.zeroNonce, sealed: sealed, aad: [9]) == [1, 2, 3])
        #expect(throws: AESGCMError.authenticationFailed) {
            try AESGCM.open(key: Self.zeroKey, nonce: Self.zeroNonce, sealed: sealed, aad: [8])
        }
    }

    @Test func badLengthsAreTyped() {
        #expect(throws: AESGCMError.invalidKeyLength(16)) {
            try AESGCM.seal(key: [UInt8](repeating: 0, count: 16), nonce: Self.zeroNonce, plaintext: [])
        }
        #expect(throws: AESGCMError.invalidNonceLength(16)) {
            try AESGCM.seal(key: Self.zeroKey, nonce: [UInt8](repeating: 0, count: 16), plaintext: [])
        }
        #expect(throws: AESGCMError.sealedDataTooShort(15)) {
            try AESGCM.open(key: Self.zeroKey, nonce: Self.zeroNonce, sealed: [UInt8](repeating: 0, count: 15))
        }
    }
}
