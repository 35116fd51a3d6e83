import Primitives

/// Why a secp256k1 key or signature was rejected.
public enum SignatureError: Error, Equatable, CustomStringConvertible {
    /// A private key was not exactly 32 bytes.
    case invalidPrivateKeyLength(Int)
    /// A private key was zero or not below the group order n (SEC 1 §3.2.1); its value is not shown.
    case privateKeyOutOfRange
    /// A public key was not 33 (compressed), 64 (x ‖ y) or 65 (0x04 ‖ x ‖ y) bytes.
    case invalidPublicKeyLength(Int)
    /// A 33- or 65-byte public key began with a prefix byte other than 0x02/0x03 or 0x04.
    case invalidPublicKeyPrefix(UInt8, length: Int)
    /// The public key's coordinates are not a point on secp256k1.
    case publicKeyNotOnCurve(String)
    /// A serialized recoverable signature was not 65 bytes (r ‖ s ‖ v).
    case invalidSignatureLength(Int)
    /// A signature component (r or s) was not 32 bytes.
    case invalidComponentLength(component: String, length: Int)
    /// A signature component (r or s) was zero or not below n.
    case componentOutOfRange(component: String, value: Hash32)
    /// The recovery id (or v) was not 0/1 (27/28).
    case invalidRecoveryId(UInt8)
    /// No public key could be recovered from the signature over the given hash.
    case recoveryFailed(hash: Hash32)
    /// A BIP-32 tweak was not below n, or adding it gave the zero key.
    case invalidTweak

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .invalidPrivateKeyLength(let length):
            return "private key is \(length) bytes, expected 32"
        case .privateKeyOutOfRange:
            return "private key is zero or not below the secp256k1 group order n; expected a value in [1, n-1]"
        case .invalidPublicKeyLength(let length):
            return "public key is \(length) bytes, expected 33 (compressed), 64 (x ‖ y) or 65 (0x04 ‖ x ‖ y)"
        case .invalidPublicKeyPrefix(let prefix, let length):
            let expected = length == 33 ? "0x02 or 0x03" : "0x04"
            return "\(length)-byte public key starts with \(Hex.encode([prefix])), expected \(expected)"
        case .publicKeyNotOnCurve(let hex):
            return "public key \(hex) is not a point on secp256k1"
        case .invalidSignatureLength(let length):
            return "signature is \(length) bytes, expected 65 (r ‖ s ‖ v)"
        case .invalidComponentLength(let component, let length):
            return "signature \(component) is \(length) bytes, expected 32"
        case .componentOutOfRange(let component, let value):
            return "signature \(component) \(value) is not in [1, n-1] (n is the secp256k1 group order)"
        case .invalidRecoveryId(let value):
            return "recovery id \(value) is invalid, expected 0 or 1 (v 27 or 28)"
        case .recoveryFailed(let hash):
            return "no public key can be recovered from the signature over hash \(hash)"
        case .invalidTweak:
            return "tweak is not below the secp256k1 group order n, or the tweaked private key is zero"
        }
    }
}
