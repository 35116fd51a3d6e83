import Primitives
import Signatures

/// devp2p's ECIES: go-ethereum `crypto/ecies` with the `ECIES_AES128_SHA256` parameters, the public-key
/// encryption of RLPx handshake messages (devp2p rlpx.md, "ECIES Encryption").
///
/// Layout of a message to recipient key K_B:
///
///     0x04 ‖ R (64: ephemeral public key x ‖ y) ‖ iv (16) ‖ c (len(m)) ‖ d (32)
///
/// with z = the x-coordinate of r·K_B (32 bytes, not hashed), k = concatKDF-SHA256(z, 32 bytes, no
/// other info), kE = k[0..<16], kM = SHA-256(k[16..<32]), c = AES-128-CTR(kE, iv, m), and
/// d = HMAC-SHA256(kM, iv ‖ c ‖ sharedMacData). EIP-8 handshakes pass the packet's 2-byte size prefix
/// as `sharedMacData`; pre-EIP-8 packets pass nothing. Unlike GoldenGrain's own `ECIES` (HKDF and
/// AES-GCM, in Signatures), this construction exists only to speak the wire protocol.
public enum RLPxECIES {
    /// Bytes added to the plaintext: 65 (ephemeral key) + 16 (IV) + 32 (tag).
    public static let overhead = 65 + 16 + 32

    /// Encrypts a message to a public key.
    /// - Parameters:
    ///   - message: the plaintext (non-empty for go-ethereum to accept it).
    ///   - recipient: the recipient's static public key.
    ///   - sharedMacData: bytes covered by the tag but not sent (go-ethereum's s2).
    ///   - ephemeralKey: r; fresh per message (a parameter so tests can fix it).
    ///   - iv: the 16-byte AES-CTR initial counter block; fresh per message.
    /// - Returns: `message.count + 113` bytes.
    public static func encrypt(_ message: [UInt8], to recipient: PublicKey, sharedMacData: [UInt8] = [],
                               ephemeralKey: PrivateKey = .generate(),
                               iv: [UInt8] = SecureRandom.bytes(count: 16)) -> [UInt8] {
        precondition(iv.count == 16, "ECIES IV is \(iv.count) bytes, expected 16")
        let (encryptionKey, macKey) = deriveKeys(sharedSecret: ephemeralKey.sharedSecret(with: recipient))
        let ciphertext: [UInt8]
        do {
            var stream = try AESCTR(key: encryptionKey, iv: iv)
            ciphertext = stream.process(message)
        } catch {
            preconditionFailure("AES-128-CTR refused a 16-byte key and IV: \(error)")
        }
        let tag = HMAC.sha256(key: macKey, message: iv + ciphertext + sharedMacData)
        var output = ephemeralKey.publicKey.uncompressedBytes
        output.reserveCapacity(message.count + overhead)
        output += iv
        output += ciphertext
        output += tag.bytes
        return output
    }

    /// Checks the tag and decrypts a message.
    /// - Parameters:
    ///   - message: the ECIES message as `encrypt` lays it out.
    ///   - key: the recipient's static private key.
    ///   - sharedMacData: the bytes the sender covered with the tag.
    /// - Returns: the plaintext.
    /// - Throws: `RLPxError.eciesMessageTooShort`, `.eciesInvalidEphemeralKey` or `.eciesMACMismatch`.
    public static func decrypt(_ message: ArraySlice<UInt8>, with key: PrivateKey,
                               sharedMacData: [UInt8] = []) throws(RLPxError) -> [UInt8] {
        guard message.count > overhead else {
            throw .eciesMessageTooShort(length: message.count, minimum: overhead + 1)
        }
        let start = message.startIndex
        guard message[start] == 0x04,
              let ephemeral = try? PublicKey(bytes: message[start ..< start + 65]) else {
            throw .eciesInvalidEphemeralKey(prefix: message[start])
        }
        let (encryptionKey, macKey) = deriveKeys(sharedSecret: key.sharedSecret(with: ephemeral))
        let body = Array(message[(start + 65) ..< (message.endIndex - 32)])
        let expected = HMAC.sha256(key: macKey, message: body + sharedMacData).bytes
        guard constantTimeEqual(expected, message[(message.endIndex - 32)...]) else { throw .eciesMACMismatch }
        do {
            var stream = try AESCTR(key: encryptionKey, iv: Array(body[0..<16]))
            return stream.process(Array(body[16...]))
        } catch {
            preconditionFailure("AES-128-CTR refused a 16-byte key and IV: \(error)")
        }
    }

    /// Checks the tag and decrypts a message held in an array.
    /// - Parameters:
    ///   - message: the ECIES message.
    ///   - key: the recipient's static private key.
    ///   - sharedMacData: the bytes the sender covered with the tag.
    /// - Returns: the plaintext.
    /// - Throws: as `decrypt(_:with:sharedMacData:)` on a slice.
    public static func decrypt(_ message: [UInt8], with key: PrivateKey,
                               sharedMacData: [UInt8] = []) throws(RLPxError) -> [UInt8] {
        try decrypt(message[...], with: key, sharedMacData: sharedMacData)
    }

    /// kE and kM from the ECDH x-coordinate (go-ethereum `deriveKeys` with key length 16).
    static func deriveKeys(sharedSecret: [UInt8]) -> (encryption: [UInt8], mac: [UInt8]) {
        let keys = ConcatKDF.sha256(secret: sharedSecret, byteCount: 32)
        return (Array(keys[0..<16]), SHA256.hash(keys[16..<32]).bytes)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEqual(_ a: [UInt8], _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) { difference |= x ^ y }
    return difference == 0
}
