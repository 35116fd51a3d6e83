/// Why a P-256 public key was rejected.
public enum P256Error: Error, Equatable, CustomStringConvertible {
    /// Raw key bytes were not 64 bytes (x ‖ y).
    case invalidPublicKeyLength(Int)
    /// A coordinate was not below the field prime p (EIP-7951 requires 0 ≤ x, y < p).
    case coordinateOutOfRange(coordinate: String, value: String)
    /// (x, y) is not a point on P-256, or is the point at infinity.
    case publicKeyNotOnCurve(String)
    /// DER bytes were not a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) OpenSSL could parse.
    case invalidSubjectPublicKeyInfo(length: Int)
    /// The key is not an elliptic-curve key on P-256 (prime256v1, secp256r1).
    case notP256Key(String)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .invalidPublicKeyLength(let length):
            return "P-256 public key is \(length) bytes, expected 64 (x ‖ y)"
        case .coordinateOutOfRange(let coordinate, let value):
            return "P-256 public key \(coordinate) \(value) is not below the field prime p"
        case .publicKeyNotOnCurve(let hex):
            return "P-256 public key \(hex) is not a point on the curve (or is the point at infinity)"
        case .invalidSubjectPublicKeyInfo(let length):
            return "\(length) bytes of DER are not a SubjectPublicKeyInfo that OpenSSL can parse"
        case .notP256Key(let found):
            return "public key is \(found), expected an EC key on P-256 (prime256v1)"
        }
    }
}
