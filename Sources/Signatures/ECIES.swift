/// GoldenGrain ECIES v1: public-key encryption to a secp256k1 key (SEC 1 §5.1 shape, with
/// HKDF-SHA256 and AES-256-GCM in place of SEC 1's KDF, MAC and XOR stream).
///
/// Byte layout (docs/formats.md, "ECIES"):
///
///     ephemeral public key (65: 0x04 ‖ x ‖ y) ‖ nonce (12) ‖ ciphertext (len(plaintext)) ‖ tag (16)
///
/// Sealing draws an ephemeral key e, computes the ECDH x-coordinate of e·Q (32 bytes, not hashed;
/// see `PrivateKey.sharedSecret(with:)`), derives a 32-byte key with HKDF-SHA256 (empty salt, info
/// "GoldenGrain ECIES v1"), and encrypts with AES-256-GCM under a random 12-byte nonce with no
/// associated data. The ephemeral key is bound to the AES key through ECDH; a fresh ephemeral key
/// per message means the AES key never repeats, so the random nonce is belt and braces.
public enum ECIES {
    /// The HKDF info string that separates this use from any other.
    public static let info: [UInt8] = Array("GoldenGrain ECIES v1".utf8)
    /// Bytes a sealed message adds to its plaintext: 65 + 12 + 16.
    public static let overhead = 65 + AESGCM.nonceByteCount + AESGCM.tagByteCount

    /// Encrypts a message to a public key.
    /// - Parameters:
    ///   - plaintext: the message.
    ///   - recipient: the recipient's public key.
    /// - Returns: the sealed message, `plaintext.count + 93` bytes.
    public static func seal(_ plaintext: [UInt8], to recipient: PublicKey) -> [UInt8] {
        let ephemeral = PrivateKey.generate()
        let key = derivedKey(sharedSecret: ephemeral.sharedSecret(with: recipient))
        let nonce = SecureRandom.bytes(count: AESGCM.nonceByteCount)
        let sealed: [UInt8]
        do {
            sealed = try AESGCM.seal(key: key, nonce: nonce, plaintext: plaintext)
        } catch {
            preconditionFailure("AES-GCM rejected a key and nonce of the right lengths: \(error)")
        }
        var output = ephemeral.publicKey.uncompressedBytes
        output.reserveCapacity(overhead + plaintext.count)
        output += nonce
        output += sealed
        return output
    }

    /// Decrypts a message sealed to this key.
    /// - Parameters:
    ///   - sealed: the output of `seal`.
    ///   - privateKey: the recipient's private key.
    /// - Returns: the plaintext.
    /// - Throws: `ECIESError.tooShort` with the length, `.invalidEphemeralPublicKey`, or
    ///   `.authenticationFailed` if the message was altered or sealed to another key.
    public static func open(_ sealed: [UInt8], with privateKey: PrivateKey) throws(ECIESError) -> [UInt8] {
        guard sealed.count >= overhead else { throw .tooShort(length: sealed.count, minimum: overhead) }
        guard sealed[0] == 0x04, let ephemeral = try? PublicKey(bytes: sealed[0..<65]) else {
            throw .invalidEphemeralPublicKey
        }
        let key = derivedKey(sharedSecret: privateKey.sharedSecret(with: ephemeral))
        let nonce = Array(sealed[65..<(65 + AESGCM.nonceByteCount)])
        do {
            return try AESGCM.open(key: key, nonce: nonce, sealed: Array(sealed[(65 + AESGCM.nonceByteCount)...]))
        } catch {
            throw .authenticationFailed
        }
    }

    /// HKDF-SHA256(IKM = shared x, salt = empty, info = "GoldenGrain ECIES v1", L = 32).
    private static func derivedKey(sharedSecret: [UInt8]) -> [UInt8] {
        HKDF.sha256(inputKeyMaterial: sharedSecret, salt: [], info: info, outputByteCount: AESGCM.keyByteCount)
    }
}
