/// Writing JSON text compactly (no spaces), strings escaped as Go's encoding/json escapes them
/// (including `<`, `>`, `&`, U+2028 and U+2029), so that bodies match go-ethereum's byte for byte.
extension JSON {
    /// The value as compact UTF-8 JSON text.
    public var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The value as compact UTF-8 JSON bytes.
    public var serializedBytes: [UInt8] { Array(serialized.utf8) }

    /// Appends the value's compact JSON text.
    /// - Parameter output: the text to append to.
    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): JSON.writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                JSON.writeString(member.0, to: &output)
                output += ":"
                member.1.write(to: &output)
            }
            output += "}"
        }
    }

    private static let hexDigits = Array("0123456789abcdef")

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 { output += unicodeEscape(scalar.value) } else { output.unicodeScalars.append(scalar) }
            }
        }
        output += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        var text = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) { text.append(hexDigits[Int((value >> UInt32(shift)) & 0xf)]) }
        return text
    }
}
