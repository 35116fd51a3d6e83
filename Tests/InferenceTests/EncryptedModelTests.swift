import Inference
import Testing

struct EncryptedModelTests {
    let key = [UInt8](repeating: 0x42, count: 32)

    @Test("seal then open returns the model, with the documented layout")
    func roundTrip() throws {
        let nonce = [UInt8](0..<12)
        let sealed = try EncryptedModel.seal(Fixtures.modelBytes, key: key, nonce: nonce)
        #expect(Array(sealed[0..<4]) == Array("GGE1".utf8))
        #expect(Array(sealed[4..<16]) == nonce)
        #expect(sealed.count == 16 + Fixtures.modelBytes.count + 16)
        #expect(try EncryptedModel.open(sealed, key: key) == Fixtures.modelBytes)
    }

    @Test("a wrong key or a changed byte fails authentication")
    func tampering() throws {
        var sealed = try EncryptedModel.seal(Fixtures.modelBytes, key: key)
        #expect(throws: InferenceError.authenticationFailed) {
            try EncryptedModel.open(sealed, key: [UInt8](repeating: 0x43, count: 32))
        }
        sealed[100] ^= 1
        #expect(throws: InferenceError.authenticationFailed) { try EncryptedModel.open(sealed, key: key) }
    }

    @Test("a short key and a short file are rejected with their sizes")
    func badSizes() {
        #expect(throws: InferenceError.invalidKeyLength(31)) { try EncryptedModel.seal([1], key: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: InferenceError.truncated(offset: 16, reading: "ciphertext and tag", needed: 16, available: 3)) {
            try EncryptedModel.open(Array("GGE1".utf8) + [UInt8](repeating: 0, count: 15), key: key)
        }
    }
}
