import Testing
import Primitives
import Signatures

/// secp256k1 keys, signing and recovery against published Ethereum examples.
@Suite struct Secp256k1Tests {
    /// EIP-155's worked example: private key 0x4646…46, signing hash of the example transaction.
    static let eip155Key = [UInt8](repeating: 0x46, count: 32)
    static let eip155SigningHash = "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"

    /// EIP-155 ("Example"): the key 0x46…46 has address 0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F.
    @Test func eip155KeyAddress() throws {
        let key = try PrivateKey(bytes: Self.eip155Key)
        #expect(key.address == (try Address(hex: "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")))
        #expect(key.publicKey.address == key.address)
    }

    /// EIP-155 ("Example"): signing the signing hash gives the published r and s, v = 37 on chain 1
    /// (37 = 0 + 1 × 2 + 35, so recovery id 0).
    @Test func eip155Signature() throws {
        let key = try PrivateKey(bytes: Self.eip155Key)
        let signature = key.sign(hash: try Hash32(hex: Self.eip155SigningHash))
        let r = TestSupport.decimalTo32Bytes("18515461264373351373200002665853028612451056578545711640558177340181847433846")
        let s = TestSupport.decimalTo32Bytes("46948507304638947509940763649030358759909902576025900602547168820602576006531")
        #expect(signature.r.bytes == r)
        #expect(signature.s.bytes == s)
        #expect(signature.recoveryId == 0)
        #expect(signature.isLowS)
    }

    /// Recovering EIP-155's published signature gives back the published sender.
    @Test func eip155Recovery() throws {
        let signature = try RecoverableSignature(
            r: TestSupport.decimalTo32Bytes("18515461264373351373200002665853028612451056578545711640558177340181847433846"),
            s: TestSupport.decimalTo32Bytes("46948507304638947509940763649030358759909902576025900602547168820602576006531"),
            recoveryId: 0)
        let hash = try Hash32(hex: Self.eip155SigningHash)
        #expect(try signature.recoverAddress(from: hash) == (try Address(hex: "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")))
        #expect(try signature.recoverPublicKey(from: hash) == (try PrivateKey(bytes: Self.eip155Key)).publicKey)
    }

    /// The 65-byte r ‖ s ‖ v form round-trips, and v = 27/28 is read as recovery id 0/1.
    @Test func serializedSignatureRoundTrip() throws {
        let key = try PrivateKey(bytes: Self.eip155Key)
        let signature = key.sign(hash: try Hash32(hex: Self.eip155SigningHash))
        #expect(signature.bytes.count == 65)
        #expect(try RecoverableSignature(bytes: signature.bytes) == signature)
        var legacy = signature.bytes
        legacy[64] += 27
        #expect(try RecoverableSignature(bytes: legacy) == signature)
    }

    /// EIP-2: s above n/2 is not low-s. n − s of the EIP-155 signature is the high twin.
    @Test func highSIsDetected() throws {
        // n − s, computed by hand from SEC 2's n and EIP-155's s.
        let n = TestSupport.bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        let s = TestSupport.decimalTo32Bytes("46948507304638947509940763649030358759909902576025900602547168820602576006531")
        var highS = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var value = Int(n[index]) - Int(s[index]) - borrow
            borrow = value < 0 ? 1 : 0
            if value < 0 { value += 256 }
            highS[index] = UInt8(value)
        }
        let r = TestSupport.decimalTo32Bytes("18515461264373351373200002665853028612451056578545711640558177340181847433846")
        let twin = try RecoverableSignature(r: r, s: highS, recoveryId: 1)
        #expect(!twin.isLowS)
        // The high-s twin with the flipped recovery id recovers the same key (ECDSA malleability).
        #expect(try twin.recoverAddress(from: try Hash32(hex: Self.eip155SigningHash))
                == (try Address(hex: "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")))
    }

    @Test func zeroPrivateKeyIsRejected() {
        #expect(throws: SignatureError.privateKeyOutOfRange) {
            try PrivateKey(bytes: [UInt8](repeating: 0, count: 32))
        }
    }

    /// SEC 2 §2.4.1: n itself is not a valid key, n − 1 is.
    @Test func groupOrderBoundary() throws {
        #expect(throws: SignatureError.privateKeyOutOfRange) {
            try PrivateKey(bytes: TestSupport.bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"))
        }
        _ = try PrivateKey(bytes: TestSupport.bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"))
    }

    @Test func shortPrivateKeyIsRejected() {
        #expect(throws: SignatureError.invalidPrivateKeyLength(31)) {
            try PrivateKey(bytes: [UInt8](repeating: 1, count: 31))
        }
    }

    @Test func signatureComponentsMustBeInRange() throws {
        let zero = [UInt8](repeating: 0, count: 32)
        let one = [UInt8](repeating: 0, count: 31) + [1]
        #expect(throws: SignatureError.componentOutOfRange(component: "r", value: .zero)) {
            try RecoverableSignature(r: zero, s: one, recoveryId: 0)
        }
        let n = TestSupport.bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        #expect(throws: SignatureError.componentOutOfRange(component: "s", value: Hash32(n))) {
            try RecoverableSignature(r: one, s: n, recoveryId: 0)
        }
        #expect(throws: SignatureError.invalidRecoveryId(2)) {
            try RecoverableSignature(r: one, s: one, recoveryId: 2)
        }
    }

    /// SEC 2 §2.4.1 generator G = 1·G: the compressed, uncompressed and raw forms all parse to it.
    @Test func publicKeyEncodings() throws {
        let one = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        let gy = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
        #expect(one.publicKey.bytes == TestSupport.bytes(gx + gy))
        #expect(one.publicKey.uncompressedBytes == TestSupport.bytes("04" + gx + gy))
        #expect(one.publicKey.compressedBytes == TestSupport.bytes("02" + gx))  // Gy is even
        #expect(try PublicKey(bytes: TestSupport.bytes("02" + gx)) == one.publicKey)
        #expect(try PublicKey(bytes: TestSupport.bytes("04" + gx + gy)) == one.publicKey)
        #expect(try PublicKey(bytes: TestSupport.bytes(gx + gy)) == one.publicKey)
    }

    @Test func offCurvePublicKeyIsRejected() {
        let bytes = [UInt8](repeating: 0, count: 63) + [1]
        #expect(throws: SignatureError.publicKeyNotOnCurve(Hex.encode(bytes))) { try PublicKey(bytes: bytes) }
        #expect(throws: SignatureError.invalidPublicKeyLength(63)) { try PublicKey(bytes: [UInt8](repeating: 1, count: 63)) }
        #expect(throws: SignatureError.invalidPublicKeyPrefix(0x05, length: 65)) {
            try PublicKey(bytes: [0x05] + [UInt8](repeating: 1, count: 64))
        }
    }

    /// ECDH is symmetric: a·(bG) = b·(aG), and the secret is the bare x-coordinate.
    /// With a = 1 the shared point is B itself, so the secret must equal B's x (SEC 1 §3.3.1).
    @Test func sharedSecretIsXCoordinate() throws {
        let one = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let other = try PrivateKey(bytes: Self.eip155Key)
        #expect(one.sharedSecret(with: other.publicKey) == other.publicKey.x.bytes)
        #expect(other.sharedSecret(with: one.publicKey) == one.sharedSecret(with: other.publicKey))
    }

    /// BIP-32's tweak-add: 1 + 1 = 2, and 2·G's x is SEC 2's published 2G.
    @Test func tweakAdd() throws {
        let one = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let two = try one.adding(tweak: [UInt8](repeating: 0, count: 31) + [1])
        #expect(two.bytes == [UInt8](repeating: 0, count: 31) + [2])
        // (n − 1) + 1 = 0 mod n is not a valid key.
        let maximum = try PrivateKey(bytes: TestSupport.bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"))
        #expect(throws: SignatureError.invalidTweak) { try maximum.adding(tweak: [UInt8](repeating: 0, count: 31) + [1]) }
    }

    /// Signing is deterministic (RFC 6979) and low-s, and the signature recovers its signer.
    @Test func generatedKeysSignAndRecover() throws {
        for round in 0..<8 {
            let key = PrivateKey.generate()
            let hash = Keccak256.hash(Array("message \(round)".utf8))
            let signature = key.sign(hash: hash)
            #expect(signature == key.sign(hash: hash))
            #expect(signature.isLowS)
            #expect(try signature.recoverAddress(from: hash) == key.address)
        }
    }

    @Test func descriptionHidesThePrivateKey() throws {
        let key = try PrivateKey(bytes: Self.eip155Key)
        #expect(!key.description.contains("4646"))
    }
}
