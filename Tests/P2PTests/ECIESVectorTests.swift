import Testing
import Primitives
import Signatures
import P2P

/// devp2p ECIES (go-ethereum crypto/ecies, ECIES_AES128_SHA256). Vectors from go-ethereum v1.13.15
/// crypto/ecies/ecies_test.go; the KDF vector is in SignaturesTests/ConcatKDFTests.swift. That the
/// decryption is byte-compatible is shown by the EIP-8 packets (RLPxEIP8VectorTests), which are
/// ECIES messages made by another implementation.
@Suite struct ECIESVectorTests {
    /// ecies_test.go `TestSharedKeyStatic`: the ECDH shared key (x-coordinate, 32 bytes) of two fixed keys.
    @Test func gethSharedKeyStatic() {
        let key1 = RLPxTestSupport.key("7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad")
        let key2 = RLPxTestSupport.key("6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9")
        let expected = RLPxTestSupport.bytes("167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62")
        #expect(key1.sharedSecret(with: key2.publicKey) == expected)
        #expect(key2.sharedSecret(with: key1.publicKey) == expected)
    }

    /// ecies_test.go `TestSharedKeyPadding`: keys whose public coordinates are given (one private key
    /// starts with a zero byte); the shared key is the same from both sides and 32 bytes long.
    @Test func gethSharedKeyPadding() {
        let key0 = RLPxTestSupport.key("1adf5c18167d96a1f9a0b1ef63be8aa27eaf6032c233b2b38f7850cf5b859fd9")
        let key1 = RLPxTestSupport.key("0097a076fc7fcd9208240668e31c9abee952cbb6e375d1b8febc7499d6e16f1a")
        #expect(key0.publicKey.x == RLPxTestSupport.hash("1a8ed022ff7aec59dc1b440446bdda5ff6bcb3509a8b109077282b361efffbd8"))
        #expect(key0.publicKey.y == RLPxTestSupport.hash("e040bd480b1deccc3bc40bd5b1fdcb7bfd352500b477cb9471366dbd4493f923"))
        #expect(key1.publicKey.x == RLPxTestSupport.hash("6ab3ac374251f638d0abb3ef596d1dc67955b507c104e5f2009724812dc027b8"))
        #expect(key1.publicKey.y == RLPxTestSupport.hash("8ad915f2b503a8be6facab6588731fefeb584fd2dfa9a77a5e0bba1ec439e4fa"))
        let shared0 = key0.sharedSecret(with: key1.publicKey)
        #expect(shared0.count == 32)
        #expect(shared0 == key1.sharedSecret(with: key0.publicKey))
    }

    /// ecies_test.go `TestBox`: fixed keys; a message to key 2 opens with key 2 and not with key 1.
    @Test func gethBox() throws {
        let key1 = RLPxTestSupport.key("4b50fa71f5c3eeb8fdc452224b2395af2fcc3d125e06c32c82e048c0559db03f")
        let key2 = RLPxTestSupport.key("d0b043b4c5d657670778242d82d68a29d25d7d711127d17b8e299f156dad361a")
        let message = Array("Hello, world.".utf8)
        let sealed = RLPxECIES.encrypt(message, to: key2.publicKey)
        #expect(sealed.count == message.count + 113)
        #expect(sealed[0] == 0x04)
        #expect(try RLPxECIES.decrypt(sealed, with: key2) == message)
        #expect(throws: RLPxError.eciesMACMismatch) { _ = try RLPxECIES.decrypt(sealed, with: key1) }
    }

    /// ecies_test.go `TestDecryptShared2`: the shared MAC data (s2) must match.
    @Test func gethDecryptShared2() throws {
        let key = PrivateKey.generate()
        let message = Array("Hello, world.".utf8)
        let shared2 = Array("shared data 2".utf8)
        let sealed = RLPxECIES.encrypt(message, to: key.publicKey, sharedMacData: shared2)
        #expect(try RLPxECIES.decrypt(sealed, with: key, sharedMacData: shared2) == message)
        #expect(throws: RLPxError.eciesMACMismatch) { _ = try RLPxECIES.decrypt(sealed, with: key) }
        #expect(throws: RLPxError.eciesMACMismatch) {
            _ = try RLPxECIES.decrypt(sealed, with: key, sharedMacData: Array("garbage".utf8))
        }
    }

    /// ecies_test.go `TestBasicKeyValidation`: a first byte other than 0x04 is not a key.
    @Test(arguments: [UInt8(0), 1, 5, 6, 7, 8, 9])
    func gethBasicKeyValidation(prefix: UInt8) {
        let key = PrivateKey.generate()
        var sealed = RLPxECIES.encrypt(Array("Hello, world.".utf8), to: key.publicKey)
        sealed[0] = prefix
        #expect(throws: RLPxError.eciesInvalidEphemeralKey(prefix: prefix)) { _ = try RLPxECIES.decrypt(sealed, with: key) }
    }

    /// The layout: with a fixed ephemeral key and IV, the message starts 0x04 ‖ R ‖ iv and the
    /// ciphertext is AES-128-CTR under the first 16 bytes of concatKDF(z) (checked with the
    /// separately tested AESCTR, ConcatKDF and ECDH), and the tag is HMAC-SHA256(SHA-256(k[16..<32]), iv ‖ c ‖ s2).
    @Test func layoutMatchesTheConstruction() throws {
        let recipient = RLPxTestSupport.key("d0b043b4c5d657670778242d82d68a29d25d7d711127d17b8e299f156dad361a")
        let ephemeral = RLPxTestSupport.key("4b50fa71f5c3eeb8fdc452224b2395af2fcc3d125e06c32c82e048c0559db03f")
        let iv = [UInt8](0..<16)
        let message = Array("Hello, world.".utf8)
        let shared2: [UInt8] = [0x01, 0xB3]
        let sealed = RLPxECIES.encrypt(message, to: recipient.publicKey, sharedMacData: shared2, ephemeralKey: ephemeral, iv: iv)
        let z = ephemeral.sharedSecret(with: recipient.publicKey)
        let k = ConcatKDF.sha256(secret: z, byteCount: 32)
        var stream = try AESCTR(key: Array(k[0..<16]), iv: iv)
        let ciphertext = stream.process(message)
        let tag = HMAC.sha256(key: SHA256.hash(k[16..<32]).bytes, message: iv + ciphertext + shared2)
        #expect(sealed == ephemeral.publicKey.uncompressedBytes + iv + ciphertext + tag.bytes)
    }

    @Test func tooShortMessageIsRefused() {
        let key = PrivateKey.generate()
        #expect(throws: RLPxError.eciesMessageTooShort(length: 113, minimum: 114)) {
            _ = try RLPxECIES.decrypt([UInt8](repeating: 4, count: 113), with: key)
        }
        #expect(RLPxError.eciesMessageTooShort(length: 113, minimum: 114).description == "ECIES message is 113 bytes, expected at least 114")
    }
}
