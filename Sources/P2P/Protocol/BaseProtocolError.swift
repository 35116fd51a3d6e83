import Primitives

/// Why a base-protocol message (Hello, Disconnect) was refused.
public enum BaseProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field is not the RLP the message requires (the message, the field, and the RLP reason).
    case malformedField(message: String, field: String, RLPError)
    /// A list has fewer items than the message requires.
    case missingFields(message: String, expected: String, actual: Int)
    /// A capability entry has a number of items other than two (name, version).
    case wrongCapabilityFieldCount(index: Int, actual: Int)
    /// The Hello's node id is not a 64-byte public key (x ‖ y without the 0x04 prefix).
    case invalidNodeIdLength(Int)
    /// A disconnect reason does not fit in one byte.
    case disconnectReasonTooLarge(byteCount: Int)
    /// The Disconnect payload is a list of more than one item.
    case wrongDisconnectFieldCount(Int)

    /// A user-facing message naming the values found and what was expected.
    public var description: String {
        switch self {
        case .malformedField(let message, let field, let error):
            return "\(message) field \(field): \(error)"
        case .missingFields(let message, let expected, let actual):
            return "\(message) has \(actual) fields, expected \(expected)"
        case .wrongCapabilityFieldCount(let index, let actual):
            return "Hello capability \(index) has \(actual) fields, expected 2 (name, version)"
        case .invalidNodeIdLength(let length):
            return "Hello node id is \(length) bytes, expected 64 (an uncompressed secp256k1 public key without 0x04)"
        case .disconnectReasonTooLarge(let byteCount):
            return "Disconnect reason is a \(byteCount)-byte integer, expected one byte"
        case .wrongDisconnectFieldCount(let count):
            return "Disconnect payload is a list of \(count) items, expected [reason]"
        }
    }
}

/// Runs one field read, turning its `RLPError` into a `BaseProtocolError` naming the message and field.
@inline(__always)
func readField<T>(_ message: String, _ field: String, from reader: inout RLPReader,
                  _ read: (inout RLPReader) throws(RLPError) -> T) throws(BaseProtocolError) -> T {
    do throws(RLPError) {
        return try read(&reader)
    } catch {
        throw .malformedField(message: message, field: field, error)
    }
}
