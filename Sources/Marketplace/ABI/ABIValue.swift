import Primitives

/// A value to encode with, or decoded from, an `ABIType`.
///
/// The value does not carry its type's sizes: the same `.uint` encodes as uint8 or uint256, and the
/// type given to `ABI.encode` checks that it fits. Both `T[]` and `T[k]` take `.array`; tuples and
/// structs take `.tuple` with the components in order. Signed integers are held as their 256-bit
/// two's complement (`ABIValue.signed(-1)` is `.int` of 2²⁵⁶ − 1), as the EVM holds them.
public enum ABIValue: Hashable, Sendable, CustomStringConvertible {
    /// An unsigned integer (`uint<M>`).
    case uint(UInt256)
    /// A signed integer (`int<M>`) as 256-bit two's complement.
    case int(UInt256)
    /// An `address`.
    case address(Address)
    /// A `bool`.
    case bool(Bool)
    /// A `bytes<M>` value: exactly M bytes.
    case fixedBytes([UInt8])
    /// A `bytes` value.
    case bytes([UInt8])
    /// A `string` value.
    case string(String)
    /// The elements of a `T[]` or `T[k]`.
    case array([ABIValue])
    /// The components of a tuple, in order.
    case tuple([ABIValue])

    /// A signed integer (`.int`) from a machine word, sign-extended to 256 bits.
    /// - Parameter value: the value.
    /// - Returns: `.int`.
    public static func signed(_ value: Int64) -> ABIValue {
        value >= 0 ? .int(UInt256(UInt64(value))) : .int(UInt256(UInt64(bitPattern: value)).signExtended(fromByte: 7))
    }

    /// A `bytes32` from a hash.
    /// - Parameter hash: the 32 bytes.
    /// - Returns: `.fixedBytes` of 32 bytes.
    public static func bytes32(_ hash: Hash32) -> ABIValue { .fixedBytes(hash.bytes) }

    /// The integer of a `.uint` or `.int` (two's complement for the latter).
    public var uintValue: UInt256? {
        switch self {
        case .uint(let value), .int(let value): return value
        default: return nil
        }
    }

    /// The integer of a `.uint` if it fits an `Int`.
    public var intValue: Int? { uintValue?.intIfFits }

    /// The address of an `.address`.
    public var addressValue: Address? {
        if case .address(let address) = self { return address }
        return nil
    }

    /// The flag of a `.bool`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The bytes of a `.bytes` or `.fixedBytes`.
    public var bytesValue: [UInt8]? {
        switch self {
        case .bytes(let bytes), .fixedBytes(let bytes): return bytes
        default: return nil
        }
    }

    /// The 32 bytes of a `bytes32` as a hash.
    public var hashValue32: Hash32? {
        if case .fixedBytes(let bytes) = self, bytes.count == 32 { return Hash32(bytes) }
        return nil
    }

    /// The text of a `.string`.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements of an `.array` or the components of a `.tuple`.
    public var elements: [ABIValue]? {
        switch self {
        case .array(let values), .tuple(let values): return values
        default: return nil
        }
    }

    /// A short rendering for messages: decimal integers, hex bytes, quoted strings.
    public var description: String {
        switch self {
        case .uint(let value): return value.description
        case .int(let value): return value.isNegative ? "-" + value.negated.description : value.description
        case .address(let address): return address.checksummed
        case .bool(let flag): return flag ? "true" : "false"
        case .fixedBytes(let bytes), .bytes(let bytes):
            return bytes.count > 64 ? Hex.encode(bytes.prefix(64)) + "…(\(bytes.count) bytes)" : Hex.encode(bytes)
        case .string(let text): return "\"" + (text.count > 64 ? String(text.prefix(64)) + "…" : text) + "\""
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .tuple(let values): return "(" + values.map(\.description).joined(separator: ", ") + ")"
        }
    }

    /// The case's name, for "expected … got …" messages.
    var kindName: String {
        switch self {
        case .uint: return "uint"
        case .int: return "int"
        case .address: return "address"
        case .bool: return "bool"
        case .fixedBytes(let bytes): return "bytes\(bytes.count)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let values): return "array of \(values.count)"
        case .tuple(let values): return "tuple of \(values.count)"
        }
    }
}
