/// A parsed JSON value (RFC 8259) that keeps numbers as their text.
///
/// Genesis files hold 256-bit balances and 64-bit fields as JSON numbers or strings; keeping a
/// number's digits (instead of a Double, as Foundation's JSONSerialization does) lets the genesis
/// reader accept or reject each exactly and quote it back in errors. Only what genesis reading needs
/// is here: no output, no comments.
enum JSONValue: Equatable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number, as its literal text (e.g. "31337", "-1", "1e3").
    case number(String)
    case bool(Bool)
    case null

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

    /// Parses a whole JSON text.
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: the value.
    /// - Throws: `GenesisError.invalidJSON` with the byte offset and what was expected there.
    static func parse(_ bytes: [UInt8]) throws(GenesisError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.failure("the end of the input") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        func failure(_ expected: String) -> GenesisError {
            let found = position < bytes.count ? "'\(Character(UnicodeScalar(bytes[position])))'" : "the end"
            return .invalidJSON(offset: position, message: "found \(found), expected \(expected)")
        }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ byte: UInt8, _ description: String) throws(GenesisError) {
            guard position < bytes.count, bytes[position] == byte else { throw failure(description) }
            position += 1
        }

        mutating func parseValue(depth: Int) throws(GenesisError) -> JSONValue {
            guard depth < 64 else { throw .invalidJSON(offset: position, message: "nesting deeper than 64 levels") }
            guard position < bytes.count else { throw failure("a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [String: JSONValue] = [:]
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    let keyOffset = position
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("a member name in quotes") }
                    let key = try parseString()
                    guard members[key] == nil else {
                        throw .invalidJSON(offset: keyOffset, message: "duplicate member \"\(key)\"")
                    }
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"), "':'")
                    skipWhitespace()
                    members[key] = try parseValue(depth: depth + 1)
                    skipWhitespace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    return .object(members)
                }
            case UInt8(ascii: "["):
                position += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
                while true {
                    skipWhitespace()
                    elements.append(try parseValue(depth: depth + 1))
                    skipWhitespace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "t"):
                try literal("true"); return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false"); return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null"); return .null
            default:
                return .number(try parseNumber())
            }
        }

        mutating func literal(_ word: String) throws(GenesisError) {
            let utf8 = Array(word.utf8)
            guard position + utf8.count <= bytes.count, Array(bytes[position ..< position + utf8.count]) == utf8 else {
                throw failure("'\(word)'")
            }
            position += utf8.count
        }

        mutating func parseNumber() throws(GenesisError) -> String {
            let start = position
            let allowed = Set("0123456789+-.eE".utf8)
            while position < bytes.count, allowed.contains(bytes[position]) { position += 1 }
            guard position > start else { throw failure("a value") }
            let text = String(decoding: bytes[start ..< position], as: UTF8.self)
            // RFC 8259 grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
            var index = text.startIndex
            func digits() -> Int {
                var count = 0
                while index < text.endIndex, text[index].isASCII, text[index].isNumber { index = text.index(after: index); count += 1 }
                return count
            }
            if text[index] == "-" { index = text.index(after: index) }
            let integerStart = index
            let integerDigits = digits()
            var valid = integerDigits > 0 && !(integerDigits > 1 && text[integerStart] == "0")
            if valid, index < text.endIndex, text[index] == "." { index = text.index(after: index); valid = digits() > 0 }
            if valid, index < text.endIndex, text[index] == "e" || text[index] == "E" {
                index = text.index(after: index)
                if index < text.endIndex, text[index] == "+" || text[index] == "-" { index = text.index(after: index) }
                valid = digits() > 0
            }
            guard valid, index == text.endIndex else {
                throw .invalidJSON(offset: start, message: "\(text) is not a JSON number")
            }
            return text
        }

        mutating func parseString() throws(GenesisError) -> String {
            position += 1  // the opening quote
            var scalars: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: scalars, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw failure("an escape") }
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0c)
                    case UInt8(ascii: "n"): scalars.append(0x0a)
                    case UInt8(ascii: "r"): scalars.append(0x0d)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        guard position + 4 <= bytes.count,
                              let code = UInt32(String(decoding: bytes[position ..< position + 4], as: UTF8.self), radix: 16) else {
                            throw failure("four hex digits after \\u")
                        }
                        position += 4
                        // Surrogate pairs are not needed by genesis files; a lone surrogate becomes U+FFFD.
                        let scalar = UnicodeScalar(code) ?? "\u{FFFD}"
                        scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default:
                        position -= 1
                        throw failure("a valid escape character")
                    }
                case 0x00 ..< 0x20:
                    position -= 1
                    throw failure("no control character inside a string")
                default:
                    scalars.append(byte)
                }
            }
            throw failure("a closing quote")
        }
    }
}
