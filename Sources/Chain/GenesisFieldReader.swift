import Primitives

/// Reads typed values out of genesis JSON, naming the field in every error.
///
/// Numbers follow go-ethereum's genesis conventions (`math.HexOrDecimal64/256`): a JSON number, a
/// decimal string, or a 0x-prefixed hex string. Byte fields are 0x-prefixed hex.
enum GenesisFieldReader {
    static func object(_ value: JSONValue?, _ field: String) throws(GenesisError) -> [String: JSONValue] {
        guard let value else { throw .missingField(field) }
        guard case .object(let members) = value else { throw .wrongType(field: field, expected: "an object", found: value.kind) }
        return members
    }

    static func array(_ value: JSONValue, _ field: String) throws(GenesisError) -> [JSONValue] {
        guard case .array(let elements) = value else { throw .wrongType(field: field, expected: "an array", found: value.kind) }
        return elements
    }

    static func string(_ value: JSONValue, _ field: String) throws(GenesisError) -> String {
        guard case .string(let text) = value else { throw .wrongType(field: field, expected: "a string", found: value.kind) }
        return text
    }

    static func uint256(_ value: JSONValue, _ field: String) throws(GenesisError) -> UInt256 {
        let text: String
        switch value {
        case .number(let digits):
            text = digits
        case .string(let string):
            text = string
        default:
            throw .wrongType(field: field, expected: "a number or a numeric string", found: value.kind)
        }
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard text.count > 2 else { throw .invalidNumber(field: field, value: value.quoted) }
            do throws(HexError) {
                return try UInt256(hex: text)
            } catch {
                if case .wrongLength = error { throw .numberTooLarge(field: field, value: value.quoted, maximum: "2^256-1") }
                throw .invalidNumber(field: field, value: value.quoted)
            }
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidNumber(field: field, value: value.quoted)
        }
        guard let parsed = UInt256(decimal: text) else {
            throw .numberTooLarge(field: field, value: value.quoted, maximum: "2^256-1")
        }
        return parsed
    }

    static func uint64(_ value: JSONValue, _ field: String) throws(GenesisError) -> UInt64 {
        guard let narrow = try uint256(value, field).uint64IfFits else {
            throw .numberTooLarge(field: field, value: value.quoted, maximum: String(UInt64.max))
        }
        return narrow
    }

    static func bytes(_ value: JSONValue, _ field: String) throws(GenesisError) -> [UInt8] {
        let text = try string(value, field)
        do throws(HexError) {
            return try Hex.decode(text)
        } catch {
            throw .invalidHex(field: field, value: value.quoted)
        }
    }

    static func hash(_ value: JSONValue, _ field: String) throws(GenesisError) -> Hash32 {
        let decoded = try bytes(value, field)
        guard decoded.count == 32 else { throw .wrongLength(field: field, value: value.quoted, expected: 32, actual: decoded.count) }
        return Hash32(decoded)
    }

    /// A 32-byte word given as a number or as hex of at most 32 bytes (storage slots and values).
    static func word(_ value: JSONValue, _ field: String) throws(GenesisError) -> UInt256 {
        try uint256(value, field)
    }

    static func address(_ text: String, _ field: String) throws(GenesisError) -> Address {
        do throws(AddressError) {
            return try Address(hex: text)
        } catch {
            throw .invalidAddress(field: field, value: "\"\(text.prefix(80))\"")
        }
    }

    static func address(_ value: JSONValue, _ field: String) throws(GenesisError) -> Address {
        try address(try string(value, field), field)
    }
}
