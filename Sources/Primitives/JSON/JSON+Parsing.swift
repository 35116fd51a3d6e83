/// Reading JSON text. The parser is strict RFC 8259 (no comments, no trailing commas) and bounded:
/// nesting deeper than `JSON.maximumDepth` is an error rather than a stack overflow, so a hostile
/// request body cannot crash the node.
extension JSON {
    /// The deepest nesting of arrays and objects the parser accepts.
    public static let maximumDepth = 128

    /// Parses a whole JSON text; whitespace may surround the value.
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: the value.
    /// - Throws: `JSONParseError` with the byte offset where the text stops being JSON.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        var parser = JSONParser(bytes: Array(bytes))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.failure("the end of the input") }
        return value
    }

    /// Parses a JSON text given as a string.
    /// - Parameter text: the JSON text.
    /// - Returns: the value.
    /// - Throws: `JSONParseError` where the text stops being JSON.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(Array(text.utf8))
    }
}

/// Why a text is not JSON: where parsing stopped, what was there and what the grammar wanted.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The offset of the first byte that does not fit the grammar (the text's length if it ended early).
    public var offset: Int
    /// What was found and what was expected there ("found '}', expected a value").
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - offset: the byte offset.
    ///   - reason: what was found and expected.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// A message naming the offset and the reason.
    public var description: String { "invalid JSON at byte offset \(offset): \(reason)" }
}

private struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0a, 0x0d: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        guard depth < JSON.maximumDepth else {
            throw JSONParseError(offset: position, reason: "nesting deeper than \(JSON.maximumDepth) levels")
        }
        guard position < bytes.count else { throw failure("a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(String, JSON)] = []
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { throw failure("a member name in quotes") }
                let key = try parseString()
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw failure("':'") }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue(depth: depth + 1)))
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { position += 1; continue }
                if peek(UInt8(ascii: "}")) { position += 1; return .object(members) }
                throw failure("',' or '}'")
            }
        case UInt8(ascii: "["):
            position += 1
            var elements: [JSON] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { position += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { position += 1; continue }
                if peek(UInt8(ascii: "]")) { position += 1; return .array(elements) }
                throw failure("',' or ']'")
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

    /// The error at the current position: what is there, and `expected`.
    func failure(_ expected: String) -> JSONParseError {
        let found: String
        if position >= bytes.count {
            found = "the end"
        } else if bytes[position] >= 0x20 && bytes[position] < 0x7f {
            found = "'\(Character(Unicode.Scalar(bytes[position])))'"
        } else {
            found = "byte 0x" + String(bytes[position], radix: 16)
        }
        return JSONParseError(offset: position, reason: "found \(found), expected \(expected)")
    }

    func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

    mutating func literal(_ word: String) throws(JSONParseError) {
        let letters = Array(word.utf8)
        let count = letters.count
        for index in 0..<count where position + index >= bytes.count || bytes[position + index] != letters[index] {
            position += index
            throw failure("'\(word)'")
        }
        position += count
    }

    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = position
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let signed = peek(UInt8(ascii: "-"))
        if signed { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw failure(signed ? "a digit" : "a value") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw failure("a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw failure("a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flush(position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw failure("an escaped control character (a string holds none raw)") }
            if byte != UInt8(ascii: "\\") { position += 1; continue }
            flush(position)
            position += 1
            guard position < bytes.count else { throw failure("an escape character") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hexUnit()
                if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let saved = position
                    position += 2
                    let low = try hexUnit()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = saved
                    }
                }
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default:
                position -= 1
                throw failure("an escape character (one of \" \\ / b f n r t u)")
            }
            runStart = position
        }
        throw failure("'\"' closing the string")
    }

    mutating func hexUnit() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
