/// Why AES-256-GCM sealing or opening failed.
public enum AESGCMError: Error, Equatable, CustomStringConvertible {
    /// The key was not 32 bytes (AES-256).
    case invalidKeyLength(Int)
    /// The nonce was not 12 bytes (the GCM IV length NIST SP 800-38D §8.2 recommends).
    case invalidNonceLength(Int)
    /// The sealed input was shorter than the 16-byte tag.
    case sealedDataTooShort(Int)
    /// The tag did not match: wrong key, nonce or AAD, or the data was altered.
    case authenticationFailed

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .invalidKeyLength(let length): return "AES-256-GCM key is \(length) bytes, expected 32"
        case .invalidNonceLength(let length): return "AES-GCM nonce is \(length) bytes, expected 12"
        case .sealedDataTooShort(let length): return "AES-GCM sealed data is \(length) bytes, expected at least 16 (the tag)"
        case .authenticationFailed: return "AES-GCM authentication failed: wrong key, nonce or associated data, or the data was altered"
        }
    }
}
