import Primitives

/// Reads typed values out of genesis JSON, naming the field in every error.
///
/// Numbers follow go-ethereum's genesis conventions (`math.HexOrDecimal64/256`): a JSON number, a
/// decimal string, or a 0x-prefixed hex string. Byte fields are 0x-prefixed hex.
enum GenesisFieldReader {
    /// Parses a whole genesis text with the shared JSON reader (numbers keep their digits, so
    /// 256-bit balances are read exactly and quoted back as written).
    static func parse(_ bytes: [UInt8]) throws(GenesisError) -> JSON {
        do throws(JSONParseError) { return try JSON.parse(bytes) } catch {
            throw .invalidJSON(offset: error.offset, message: error.reason)
        }
    }

    /// An object's members by name; a name given twice is an error rather than a silent choice.
    static func object(_ value: JSON?, _ field: String) throws(GenesisError) -> [String: JSON] {
        guard let value else { throw .missingField(field) }
        guard case .object(let members) = value else { throw .wrongType(field: field, expected: "an object", found: value.kind) }
        var byName: [String: JSON] = [:]
        for (name, member) in members {
            guard byName.updateValue(member, forKey: name) == nil else {
                throw .duplicateField(field == "genesis" ? name : field + "." + name)
            }
        }
        return byName
    }

    /// An object's members in the order written, checked as `object` checks them. Loops that fill a
    /// table from members use this order, so that the same file always reads the same way (a
    /// dictionary's order differs from one instance to the next).
    static func members(_ value: JSON?, _ field: String) throws(GenesisError) -> [(String, JSON)] {
        _ = try object(value, field)
        guard case .object(let members)? = value else { return [] }
        return members
    }

    static func array(_ value: JSON, _ field: String) throws(GenesisError) -> [JSON] {
        guard case .array(let elements) = value else { throw .wrongType(field: field, expected: "an array", found: value.kind) }
        return elements
    }

    static func string(_ value: JSON, _ field: String) throws(GenesisError) -> String {
        guard case .string(let text) = value else { throw .wrongType(field: field, expected: "a string", found: value.kind) }
        return text
    }

    static func uint256(_ value: JSON, _ field: String) throws(GenesisError) -> UInt256 {
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

    static func uint64(_ value: JSON, _ field: String) throws(GenesisError) -> UInt64 {
        guard let narrow = try uint256(value, field).uint64IfFits else {
            throw .numberTooLarge(field: field, value: value.quoted, maximum: String(UInt64.max))
        }
        return narrow
    }

    static func bytes(_ value: JSON, _ field: String) throws(GenesisError) -> [UInt8] {
        let text = try string(value, field)
        do throws(HexError) {
            return try Hex.decode(text)
        } catch {
            throw .invalidHex(field: field, value: value.quoted)
        }
    }

    static func hash(_ value: JSON, _ field: String) throws(GenesisError) -> Hash32 {
        let decoded = try bytes(value, field)
        guard decoded.count == 32 else { throw .wrongLength(field: field, value: value.quoted, expected: 32, actual: decoded.count) }
        return Hash32(decoded)
    }

    /// A 32-byte word given as a number or as hex of at most 32 bytes (storage slots and values).
    static func word(_ value: JSON, _ field: String) throws(GenesisError) -> UInt256 {
        try uint256(value, field)
    }

    static func address(_ text: String, _ field: String) throws(GenesisError) -> Address {
        do throws(AddressError) {
            return try Address(hex: text)
        } catch {
            throw .invalidAddress(field: field, value: "\"\(text.prefix(80))\"")
        }
    }

    static func address(_ value: JSON, _ field: String) throws(GenesisError) -> Address {
        try address(try string(value, field), field)
    }
}

extension JSON {
    /// What the value is, for messages ("an object", "a string", …).
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value as it would appear in a message: strings quoted, numbers as written.
    var quoted: String {
        switch self {
        case .string(let text): return "\"\(text.prefix(80))\""
        case .number(let text): return text
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .object, .array: return kind
        }
    }
}
