import Primitives
import Signatures

/// Why a discovery v4 packet was refused (devp2p discv4.md).
public enum DiscoveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The datagram is shorter than hash, signature and type (98 bytes).
    case tooSmall(size: Int)
    /// The datagram or the packet to send is larger than 1280 bytes.
    case tooLarge(size: Int)
    /// The first 32 bytes are not keccak256 of the rest.
    case hashMismatch(expected: Hash32, actual: Hash32)
    /// The signature is malformed or recovers no public key.
    case invalidSignature(SignatureError)
    /// The packet type byte is not one of 1…6.
    case unknownPacketType(UInt8)
    /// A field is not well-formed RLP of the expected shape.
    case malformedField(packet: String, field: String, RLPError)
    /// The packet's list has fewer items than its required fields.
    case missingFields(packet: String, expected: Int, actual: Int)
    /// A port number does not fit 16 bits.
    case invalidPort(field: String, value: UInt64)
    /// A node id (public key) is not 64 bytes or not a point of secp256k1.
    case invalidNodeId(field: String, length: Int)
    /// An IP address is neither 4 nor 16 bytes.
    case invalidAddress(field: String, length: Int)
    /// An ENRResponse's record is not a well-formed node record.
    case invalidRecord(ENRError)
    /// The packet's expiration time has passed.
    case expired(packet: String, expiration: UInt64, now: UInt64)

    /// A user-facing message naming the bad value and what was expected.
    public var description: String {
        switch self {
        case .tooSmall(let size):
            return "discovery packet too small: \(size) bytes, expected at least 98 (hash, signature, type)"
        case .tooLarge(let size):
            return "discovery packet too large: \(size) bytes, expected at most 1280"
        case .hashMismatch(let expected, let actual):
            return "discovery packet hash mismatch: packet says \(actual), content hashes to \(expected)"
        case .invalidSignature(let error):
            return "discovery packet signature invalid: \(error)"
        case .unknownPacketType(let type):
            return "unknown discovery packet type \(type), expected 1…6"
        case .malformedField(let packet, let field, let error):
            return "malformed \(packet) \(field): \(error)"
        case .missingFields(let packet, let expected, let actual):
            return "\(packet) has \(actual) fields, expected at least \(expected)"
        case .invalidPort(let field, let value):
            return "\(field) \(value) is not a port, expected 0–65535"
        case .invalidNodeId(let field, let length):
            return "\(field) is not a secp256k1 public key (\(length) bytes, expected 64 bytes x ‖ y on the curve)"
        case .invalidAddress(let field, let length):
            return "\(field) is \(length) bytes, expected an IPv4 (4) or IPv6 (16) address"
        case .invalidRecord(let error):
            return "ENRResponse record invalid: \(error)"
        case .expired(let packet, let expiration, let now):
            return "\(packet) expired at \(expiration), now \(now)"
        }
    }
}
