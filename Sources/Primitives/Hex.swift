/// Hexadecimal text for byte strings, as Ethereum JSON uses it ("0x"-prefixed, lower case).
public enum Hex {
    @usableFromInline static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lower-case hex.
    /// - Parameters:
    ///   - bytes: the bytes to encode.
    ///   - prefix: whether to start with "0x" (the default).
    /// - Returns: the hex text.
    public static func encode<C: Collection>(_ bytes: C, prefix: Bool = true) -> String where C.Element == UInt8 {
        let length = bytes.count * 2 + (prefix ? 2 : 0)
        return String(unsafeUninitializedCapacity: length) { out in
            var i = 0
            if prefix { out[0] = UInt8(ascii: "0"); out[1] = UInt8(ascii: "x"); i = 2 }
            for byte in bytes {
                out[i] = digits[Int(byte >> 4)]
                out[i + 1] = digits[Int(byte & 0x0f)]
                i += 2
            }
            return length
        }
    }

    /// Decodes hex text, with or without a "0x" prefix. An odd number of digits is read as if a
    /// leading zero were present only when `allowOddLength` is set (as for JSON quantities).
    /// - Parameters:
    ///   - text: the hex text.
    ///   - allowOddLength: accept an odd digit count by padding with a leading zero.
    /// - Returns: the decoded bytes.
    /// - Throws: `HexError` naming the bad character or the odd length.
    public static func decode(_ text: some StringProtocol, allowOddLength: Bool = false) throws(HexError) -> [UInt8] {
        var utf8 = Array(text.utf8)
        var start = 0
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
            start = 2
        }
        if (utf8.count - start) % 2 != 0 {
            guard allowOddLength else { throw .oddLength(String(text)) }
            utf8.insert(UInt8(ascii: "0"), at: start)
        }
        var out = [UInt8]()
        out.reserveCapacity((utf8.count - start) / 2)
        var i = start
        while i < utf8.count {
            guard let hi = nibble(utf8[i]) else { throw .invalidCharacter(String(text), position: i) }
            guard let lo = nibble(utf8[i + 1]) else { throw .invalidCharacter(String(text), position: i + 1) }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    @inline(__always) static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Why hex text could not be decoded.
public enum HexError: Error, Equatable, CustomStringConvertible {
    /// The text has an odd number of hex digits where whole bytes were expected.
    case oddLength(String)
    /// A character that is not a hex digit appears at the given offset.
    case invalidCharacter(String, position: Int)
    /// The decoded value has the wrong number of bytes for its type.
    case wrongLength(String, expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .oddLength(let text): return "hex string \"\(text.prefix(80))\" has an odd number of digits"
        case .invalidCharacter(let text, let position):
            return "hex string \"\(text.prefix(80))\" has a non-hex character at offset \(position)"
        case .wrongLength(let text, let expected, let actual):
            return "hex string \"\(text.prefix(80))\" is \(actual) bytes, expected \(expected)"
        }
    }
}

extension Array where Element == UInt8 {
    /// Decodes hex text ("0x" optional) into bytes.
    /// - Parameter hex: the hex text.
    /// - Throws: `HexError` if the text is not whole bytes of hex.
    public init(hex: some StringProtocol) throws(HexError) {
        self = try Hex.decode(hex)
    }

    /// The bytes as "0x"-prefixed lower-case hex.
    public var hexString: String { Hex.encode(self) }
}

extension ArraySlice where Element == UInt8 {
    /// The bytes as "0x"-prefixed lower-case hex.
    public var hexString: String { Hex.encode(self) }
}
