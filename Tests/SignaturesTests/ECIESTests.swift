import Testing
import Signatures

/// GoldenGrain ECIES v1 (docs/formats.md): round trip, tamper detection and typed errors.
@Suite struct ECIESTests {
    static let recipient = try! PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32))
    static let plaintext = Array("model key: 32 bytes of AES-256 material".utf8)

    @Test func roundTrip() throws {
        let sealed = ECIES.seal(Self.plaintext, to: Self.recipient.publicKey)
        #expect(sealed.count == Self.plaintext.count + 93)
        #expect(sealed[0] == 0x04)
        #expect(try ECIES.open(sealed, with: Self.recipient) == Self.plaintext)
    }

    @Test func emptyPlaintextRoundTrip() throws {
        let sealed = ECIES.seal([], to: Self.recipient.publicKey)
        #expect(sealed.count == 93)
        #expect(try ECIES.open(sealed, with: Self.recipient) == [])
    }

    /// Sealing twice gives different bytes (fresh ephemeral key and nonce).
    @Test func sealingIsRandomized() {
        #expect(ECIES.seal(Self.plaintext, to: Self.recipient.publicKey) != ECIES.seal(Self.plaintext, to: Self.recipient.publicKey))
    }

    /// Flipping any one bit of nonce, ciphertext or tag fails authentication; a flipped bit in the
    /// ephemeral key either leaves the curve (invalid point) or changes the shared secret
    /// (authentication fails). Nothing ever decrypts.
    @Test func everyFlippedBitIsRejected() {
        let sealed = ECIES.seal(Self.plaintext, to: Self.recipient.publicKey)
        for position in 0..<sealed.count {
            for bit in [0, 7] {
                var tampered = sealed
                tampered[position] ^= UInt8(1 << bit)
                do {
                    _ = try ECIES.open(tampered, with: Self.recipient)
                    Issue.record("tampered byte \(position) bit \(bit) was accepted")
                } catch {
                    if position >= 65 {
                        #expect(error == .authenticationFailed, "byte \(position) bit \(bit)")
                    } else {
                        #expect(error == .authenticationFailed || error == .invalidEphemeralPublicKey, "byte \(position) bit \(bit)")
                    }
                }
            }
        }
    }

    @Test func wrongKeyFailsAuthentication() {
        let sealed = ECIES.seal(Self.plaintext, to: Self.recipient.publicKey)
        #expect(throws: ECIESError.authenticationFailed) { try ECIES.open(sealed, with: PrivateKey.generate()) }
    }

    @Test func tooShortIsTyped() {
        #expect(throws: ECIESError.tooShort(length: 92, minimum: 93)) {
            try ECIES.open([UInt8](repeating: 4, count: 92), with: Self.recipient)
        }
    }

    @Test func compressedEphemeralPrefixIsRejected() {
        var sealed = ECIES.seal(Self.plaintext, to: Self.recipient.publicKey)
        sealed[0] = 0x02
        #expect(throws: ECIESError.invalidEphemeralPublicKey) { try ECIES.open(sealed, with: Self.recipient) }
    }
}
