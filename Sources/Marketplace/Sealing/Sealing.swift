import Inference
import Primitives
import Signatures

/// The protocol's file and key handling (DESIGN.md §5 steps 2–4), built from the existing formats:
///
/// - A file (test set or model) is encrypted under a fresh 32-byte key K with AES-256-GCM in the
///   `GGE1` layout of docs/formats.md, "Encrypted model file" (`Inference.EncryptedModel`): magic,
///   random nonce, ciphertext, tag, the magic as associated data. Test sets use the same layout.
/// - K is sealed to a secp256k1 public key with GoldenGrain ECIES v1 (docs/formats.md, "ECIES";
///   `Signatures.ECIES`): 32 + 93 = 125 bytes, inside the contract's `Bytes[256]`.
/// - The hash the contract records (datasetHash, modelHash) is keccak256 of the plaintext file.
public enum Sealing {
    /// The length of K.
    public static let keyByteCount = AESGCM.keyByteCount
    /// The length of K sealed with ECIES: the key plus 65 (ephemeral key) + 12 (nonce) + 16 (tag).
    public static let sealedKeyByteCount = keyByteCount + ECIES.overhead

    /// A file encrypted for the marketplace, with what the owner keeps.
    public struct EncryptedFile: Sendable {
        /// The `GGE1` file to store at the URI.
        public let encrypted: [UInt8]
        /// The fresh key K (secret until sealed).
        public let key: [UInt8]
        /// keccak256 of the plaintext: the hash put on chain.
        public let plaintextHash: Hash32
    }

    /// keccak256 of a plaintext file, as the contract records it.
    /// - Parameter plaintext: the file.
    /// - Returns: its hash.
    public static func hash(_ plaintext: [UInt8]) -> Hash32 { Keccak256.hash(plaintext) }

    /// Encrypts a file under a fresh random key.
    /// - Parameter plaintext: the file (GGD test set, GGM model, …).
    /// - Returns: the encrypted file, K and the plaintext's hash.
    public static func encrypt(_ plaintext: [UInt8]) -> EncryptedFile {
        let key = SecureRandom.bytes(count: keyByteCount)
        do {
            return EncryptedFile(encrypted: try EncryptedModel.seal(plaintext, key: key), key: key,
                                 plaintextHash: hash(plaintext))
        } catch {
            preconditionFailure("a fresh 32-byte key was refused: \(error)")
        }
    }

    /// Decrypts a file and, if given, checks its hash.
    /// - Parameters:
    ///   - encrypted: the `GGE1` file.
    ///   - key: K.
    ///   - expectedHash: the hash recorded on chain, or nil to skip the check.
    /// - Returns: the plaintext.
    /// - Throws: `SealingError.invalidKeyLength`, `.decryptionFailed` (wrong key, altered or
    ///   malformed file) or `.hashMismatch` naming both hashes.
    public static func decrypt(_ encrypted: [UInt8], key: [UInt8], expectedHash: Hash32? = nil) throws(SealingError) -> [UInt8] {
        guard key.count == keyByteCount else { throw .invalidKeyLength(key.count) }
        let plaintext: [UInt8]
        do { plaintext = try EncryptedModel.open(encrypted, key: key) } catch {
            throw .decryptionFailed("\(error)")
        }
        if let expectedHash {
            let actual = hash(plaintext)
            guard actual == expectedHash else { throw .hashMismatch(expected: expectedHash, actual: actual) }
        }
        return plaintext
    }

    /// Seals K to a public key with ECIES.
    /// - Parameters:
    ///   - key: K, 32 bytes.
    ///   - publicKey: the recipient's key: 64 bytes x ‖ y as the contract stores it (65-byte
    ///     uncompressed and 33-byte compressed forms are accepted too).
    /// - Returns: 125 bytes.
    /// - Throws: `SealingError.invalidKeyLength` or `.invalidPublicKey`.
    public static func sealKey(_ key: [UInt8], to publicKey: [UInt8]) throws(SealingError) -> [UInt8] {
        guard key.count == keyByteCount else { throw .invalidKeyLength(key.count) }
        let recipient: PublicKey
        do { recipient = try PublicKey(bytes: publicKey) } catch { throw .invalidPublicKey("\(error)") }
        return ECIES.seal(key, to: recipient)
    }

    /// Opens a sealed K.
    /// - Parameters:
    ///   - sealed: the ECIES message.
    ///   - privateKey: the recipient's key.
    /// - Returns: K, 32 bytes.
    /// - Throws: `SealingError.openFailed` (sealed to someone else or altered) or `.invalidKeyLength`
    ///   if what was sealed is not a 32-byte key.
    public static func openKey(_ sealed: [UInt8], with privateKey: PrivateKey) throws(SealingError) -> [UInt8] {
        let key: [UInt8]
        do { key = try ECIES.open(sealed, with: privateKey) } catch { throw .openFailed("\(error)") }
        guard key.count == keyByteCount else { throw .invalidKeyLength(key.count) }
        return key
    }

    /// Re-seals K to another key (the enclave to the buyer, step 4).
    /// - Parameters:
    ///   - sealed: K sealed to `privateKey`.
    ///   - privateKey: the current recipient's key.
    ///   - publicKey: the new recipient (64 bytes x ‖ y).
    /// - Returns: K sealed to `publicKey`.
    /// - Throws: as `openKey` and `sealKey`.
    public static func resealKey(_ sealed: [UInt8], with privateKey: PrivateKey, to publicKey: [UInt8]) throws(SealingError) -> [UInt8] {
        try sealKey(try openKey(sealed, with: privateKey), to: publicKey)
    }
}

/// Why a file or key could not be sealed or opened.
public enum SealingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// K is not 32 bytes.
    case invalidKeyLength(Int)
    /// The recipient's public key is not a secp256k1 point in a known encoding.
    case invalidPublicKey(String)
    /// The sealed key does not open with this private key, or was altered.
    case openFailed(String)
    /// The encrypted file does not decrypt with K (wrong key, altered bytes, not `GGE1`).
    case decryptionFailed(String)
    /// The decrypted file's keccak256 is not the hash on chain.
    case hashMismatch(expected: Hash32, actual: Hash32)

    public var description: String {
        switch self {
        case .invalidKeyLength(let count): return "file key is \(count) bytes, expected 32"
        case .invalidPublicKey(let reason): return "invalid recipient public key: \(reason)"
        case .openFailed(let reason): return "sealed key does not open: \(reason)"
        case .decryptionFailed(let reason): return "encrypted file does not decrypt: \(reason)"
        case .hashMismatch(let expected, let actual): return "file hash is \(actual), expected \(expected)"
        }
    }
}
