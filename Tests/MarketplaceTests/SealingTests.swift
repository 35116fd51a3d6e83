import Marketplace
import Primitives
import Signatures
import Testing

/// File encryption (GGE1) and key sealing (ECIES) for the protocol.
@Suite struct SealingTests {
    @Test func encryptedFileOpensWithPycryptodome() throws {
        let plaintext = Array("GGD1 not really a dataset, but any bytes will do".utf8)
        let file = Sealing.encrypt(plaintext)
        #expect(file.key.count == 32)
        #expect(file.encrypted.count == plaintext.count + 32)
        #expect(file.plaintextHash == Keccak256.hash(plaintext))
        // An independent AES-GCM (pycryptodome) opens the file with the documented layout.
        let opened = try TestSupport.vectors(["gge1-open", "--key", Hex.encode(file.key), "--file", Hex.encode(file.encrypted)])
        #expect(TestSupport.bytes(opened.string("plaintext")) == plaintext)
        #expect(try Sealing.decrypt(file.encrypted, key: file.key, expectedHash: file.plaintextHash) == plaintext)
    }

    @Test func freshKeysEveryTime() {
        let first = Sealing.encrypt([1, 2, 3]), second = Sealing.encrypt([1, 2, 3])
        #expect(first.key != second.key)
        #expect(first.encrypted != second.encrypted)
        #expect(first.plaintextHash == second.plaintextHash)
    }

    @Test func decryptionFailures() throws {
        let file = Sealing.encrypt(Array(repeating: 7, count: 100))
        #expect(throws: SealingError.self) { try Sealing.decrypt(file.encrypted, key: [UInt8](repeating: 0, count: 32)) }
        var altered = file.encrypted
        altered[20] ^= 1
        #expect(throws: SealingError.self) { try Sealing.decrypt(altered, key: file.key) }
        let wrongHash = Keccak256.hash([0])
        #expect(throws: SealingError.hashMismatch(expected: wrongHash, actual: file.plaintextHash)) {
            try Sealing.decrypt(file.encrypted, key: file.key, expectedHash: wrongHash)
        }
        #expect(throws: SealingError.invalidKeyLength(31)) { try Sealing.decrypt(file.encrypted, key: [UInt8](repeating: 0, count: 31)) }
    }

    @Test func keySealedToEnclaveAndResealedToBuyer() throws {
        let enclave = PrivateKey.generate(), buyer = PrivateKey.generate(), stranger = PrivateKey.generate()
        let file = Sealing.encrypt(Array("model".utf8))
        let sealed = try Sealing.sealKey(file.key, to: enclave.publicKey.bytes)
        #expect(sealed.count == Sealing.sealedKeyByteCount)
        #expect(sealed.count == 125)
        #expect(try Sealing.openKey(sealed, with: enclave) == file.key)
        #expect(throws: SealingError.self) { try Sealing.openKey(sealed, with: stranger) }
        let forBuyer = try Sealing.resealKey(sealed, with: enclave, to: buyer.publicKey.bytes)
        #expect(try Sealing.openKey(forBuyer, with: buyer) == file.key)
        #expect(throws: SealingError.self) { try Sealing.openKey(forBuyer, with: enclave) }
        #expect(throws: SealingError.invalidKeyLength(16)) { try Sealing.sealKey([UInt8](repeating: 1, count: 16), to: buyer.publicKey.bytes) }
        #expect(throws: SealingError.self) { try Sealing.sealKey(file.key, to: [UInt8](repeating: 1, count: 64)) }
        // A sealed message that holds something other than a 32-byte key is refused.
        let notAKey = ECIES.seal([1, 2, 3], to: buyer.publicKey)
        #expect(throws: SealingError.invalidKeyLength(3)) { try Sealing.openKey(notAKey, with: buyer) }
    }
}
