import Signatures

/// A model file encrypted for sale (DESIGN.md §5 step 3): AES-256-GCM under a fresh key K that the
/// developer seals to the enclave. docs/formats.md, "## Encrypted model file":
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic `GGE1` |
/// | 4 | 12 | AES-GCM nonce (random) |
/// | 16 | n | ciphertext of the n-byte model file |
/// | 16 + n | 16 | GCM tag |
///
/// The associated data is the 4-byte magic `GGE1` (it names the format and its version), so a
/// file relabelled as another version fails authentication. The plaintext is any model file
/// (GGM or GGF); its keccak-256 is the `modelHash` the contract records.
public enum EncryptedModel {
    /// The format's magic, also the AES-GCM associated data.
    public static let magic = "GGE1"
    /// Bytes before the ciphertext: magic and nonce.
    public static let headerByteCount = 16

    /// Encrypts a model file with a fresh random nonce.
    /// - Parameters:
    ///   - plaintext: the model file.
    ///   - key: 32 bytes.
    /// - Returns: the encrypted file.
    /// - Throws: `InferenceError.invalidKeyLength` if the key is not 32 bytes.
    public static func seal(_ plaintext: [UInt8], key: [UInt8]) throws(InferenceError) -> [UInt8] {
        try seal(plaintext, key: key, nonce: SecureRandom.bytes(count: AESGCM.nonceByteCount))
    }

    /// Encrypts a model file with a given nonce (for test vectors; never reuse a nonce under one key).
    /// - Parameters:
    ///   - plaintext: the model file.
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes.
    /// - Returns: the encrypted file.
    /// - Throws: `InferenceError.invalidKeyLength` if the key is not 32 bytes.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]) throws(InferenceError) -> [UInt8] {
        guard key.count == AESGCM.keyByteCount else { throw .invalidKeyLength(key.count) }
        precondition(nonce.count == AESGCM.nonceByteCount, "nonce is \(nonce.count) bytes, expected 12")
        let aad = Array(magic.utf8)
        do {
            return aad + nonce + (try AESGCM.seal(key: key, nonce: nonce, plaintext: plaintext, aad: aad))
        } catch {
            preconditionFailure("AES-GCM rejected lengths checked above: \(error)")
        }
    }

    /// Checks and decrypts an encrypted model file.
    /// - Parameters:
    ///   - file: the encrypted file.
    ///   - key: 32 bytes.
    /// - Returns: the model file.
    /// - Throws: `InferenceError.invalidKeyLength`, `.badMagic`, `.truncated` (shorter than the
    ///   32-byte header and tag) or `.authenticationFailed` (wrong key or altered bytes).
    public static func open(_ file: [UInt8], key: [UInt8]) throws(InferenceError) -> [UInt8] {
        guard key.count == AESGCM.keyByteCount else { throw .invalidKeyLength(key.count) }
        var reader = ByteReader(file)
        try reader.readMagic(magic)
        let nonce = try reader.readUInt8Array(count: AESGCM.nonceByteCount, "nonce")
        try reader.require(AESGCM.tagByteCount, reading: "ciphertext and tag")
        do {
            return try AESGCM.open(key: key, nonce: nonce, sealed: Array(file[headerByteCount...]), aad: Array(magic.utf8))
        } catch {
            throw .authenticationFailed
        }
    }
}
