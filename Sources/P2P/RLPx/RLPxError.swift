import Primitives

/// Why an RLPx handshake packet or frame was refused (devp2p rlpx.md, EIP-8).
///
/// Every case is a fault of the remote side or of the bytes on the wire; the session that sees one
/// drops the connection. After a frame error the codec's MAC and cipher states have advanced past
/// the bad frame, so the codec must not be used again.
public enum RLPxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An ECIES message was shorter than its fixed overhead (65-byte key, 16-byte IV, 32-byte tag) plus one byte.
    case eciesMessageTooShort(length: Int, minimum: Int)
    /// An ECIES message did not start with an uncompressed secp256k1 point (0x04 ‖ x ‖ y on the curve).
    case eciesInvalidEphemeralKey(prefix: UInt8)
    /// An ECIES message's HMAC-SHA256 tag did not verify: wrong recipient key, wrong shared MAC data, or altered bytes.
    case eciesMACMismatch
    /// A handshake packet's first two bytes give an EIP-8 size outside the accepted range.
    case handshakeSizeOutOfRange(size: Int, minimum: Int, maximum: Int)
    /// A handshake packet's length is not the one its format and size prefix call for.
    case handshakePacketLengthMismatch(length: Int, expected: Int)
    /// A decrypted auth or ack body does not have the fields the format requires.
    case malformedHandshakeBody(message: String, reason: String)
    /// A public key in a handshake message is not a point of secp256k1.
    case invalidPublicKey(field: String, reason: String)
    /// The auth message's signature is malformed or no key recovers from it.
    case badAuthSignature(reason: String)
    /// A pre-EIP-8 auth message's keccak256(ephemeral public key) differs from the key its signature recovers to.
    case ephemeralKeyHashMismatch(expected: Hash32, actual: Hash32)
    /// A frame header was not the required 32 bytes (16 encrypted header + 16 MAC).
    case headerLengthMismatch(length: Int, expected: Int)
    /// A frame header's MAC did not verify.
    case headerMACMismatch(expected: [UInt8], actual: [UInt8])
    /// A frame body's MAC did not verify.
    case frameMACMismatch(expected: [UInt8], actual: [UInt8])
    /// A frame would be, or claims to be, larger than the limit.
    case frameTooLarge(size: Int, maximum: Int)
    /// A frame body was not the padded frame size plus the 16-byte MAC that its header announced.
    case frameBodyLengthMismatch(length: Int, expected: Int)
    /// The frame does not start with a canonical RLP integer message code.
    case invalidMessageCode(reason: String)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .eciesMessageTooShort(let length, let minimum):
            return "ECIES message is \(length) bytes, expected at least \(minimum)"
        case .eciesInvalidEphemeralKey(let prefix):
            return "ECIES ephemeral key (prefix \(Hex.encode([prefix]))) is not an uncompressed secp256k1 point, expected 0x04 ‖ x ‖ y on the curve"
        case .eciesMACMismatch:
            return "ECIES HMAC-SHA256 tag does not verify: wrong recipient key or shared MAC data, or the message was altered"
        case .handshakeSizeOutOfRange(let size, let minimum, let maximum):
            return "EIP-8 handshake size prefix is \(size), expected \(minimum)…\(maximum)"
        case .handshakePacketLengthMismatch(let length, let expected):
            return "handshake packet is \(length) bytes, expected \(expected)"
        case .malformedHandshakeBody(let message, let reason):
            return "malformed \(message) message: \(reason)"
        case .invalidPublicKey(let field, let reason):
            return "\(field) is not a valid secp256k1 public key: \(reason)"
        case .badAuthSignature(let reason):
            return "bad auth signature: \(reason)"
        case .ephemeralKeyHashMismatch(let expected, let actual):
            return "auth message carries ephemeral key hash \(actual), but the signature recovers a key hashing to \(expected)"
        case .headerLengthMismatch(let length, let expected):
            return "frame header is \(length) bytes, expected \(expected)"
        case .headerMACMismatch(let expected, let actual):
            return "bad frame header MAC \(Hex.encode(actual)), expected \(Hex.encode(expected))"
        case .frameMACMismatch(let expected, let actual):
            return "bad frame MAC \(Hex.encode(actual)), expected \(Hex.encode(expected))"
        case .frameTooLarge(let size, let maximum):
            return "frame size \(size) exceeds the maximum \(maximum)"
        case .frameBodyLengthMismatch(let length, let expected):
            return "frame body is \(length) bytes, expected \(expected) (padded frame and 16-byte MAC)"
        case .invalidMessageCode(let reason):
            return "frame does not start with a message code: \(reason)"
        }
    }
}
