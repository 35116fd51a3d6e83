/// Why an ECIES message could not be opened.
public enum ECIESError: Error, Equatable, CustomStringConvertible {
    /// The sealed message is shorter than the 93-byte overhead (65 + 12 + 16).
    case tooShort(length: Int, minimum: Int)
    /// The first 65 bytes are not an uncompressed secp256k1 point (0x04 ‖ x ‖ y on the curve).
    case invalidEphemeralPublicKey
    /// The AES-GCM tag did not verify: the message was altered or sealed to another key.
    case authenticationFailed

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .tooShort(let length, let minimum):
            return "ECIES message is \(length) bytes, expected at least \(minimum) (65-byte ephemeral key, 12-byte nonce, 16-byte tag)"
        case .invalidEphemeralPublicKey:
            return "ECIES ephemeral public key is not an uncompressed secp256k1 point (0x04 ‖ x ‖ y on the curve)"
        case .authenticationFailed:
            return "ECIES authentication failed: the message was altered or sealed to a different key"
        }
    }
}
