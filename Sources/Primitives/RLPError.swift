/// Why RLP input was rejected. Every case names the byte offset (from the start of the input the
/// reader was created over) where the offending item or header starts.
///
/// The decoder is strict: it accepts exactly one encoding per value, as the Yellow Paper,
/// appendix B, defines it and as go-ethereum's `rlp` package enforces it (`ErrCanonSize`,
/// `ErrCanonInt`, `ErrValueTooLarge`, …).
public enum RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input, or the enclosing list, ended where the header of another item was expected.
    case unexpectedEnd(offset: Int)
    /// An item's declared length (or its length field) runs past the end of the input or of the enclosing list.
    case lengthPastEnd(offset: Int, declared: Int, available: Int)
    /// A string header 0x81 wraps a single byte below 0x80, which must be encoded as the byte itself.
    case singleByteWrapped(offset: Int, byte: UInt8)
    /// A long-form header (0xb8–0xbf or 0xf8–0xff) carries a payload shorter than 56 bytes.
    case longHeaderForShortPayload(offset: Int, header: UInt8, length: Int)
    /// The length field of a long-form header starts with a zero byte.
    case leadingZeroInLength(offset: Int, header: UInt8)
    /// The length field of a long-form header is larger than any input this machine can hold.
    case lengthOverflow(offset: Int, header: UInt8)
    /// Bytes remain after the top-level item, or after the last item a reader was asked to consume.
    case trailingBytes(offset: Int, count: Int)
    /// An integer's big-endian encoding starts with a zero byte (zero itself must be the empty string 0x80).
    case leadingZeroInInteger(offset: Int)
    /// An integer has more bytes than its type can hold.
    case integerTooLarge(offset: Int, byteCount: Int, maximumByteCount: Int)
    /// A list was expected but a byte string was found.
    case expectedList(offset: Int, header: UInt8)
    /// A byte string was expected but a list was found.
    case expectedBytes(offset: Int, header: UInt8)
    /// A byte string has a different length from the one its field requires.
    case wrongLength(offset: Int, expected: Int, actual: Int)
    /// Lists nest deeper than `RLPReader.maximumDepth`, which no Ethereum structure needs.
    case nestingTooDeep(offset: Int, limit: Int)

    /// The byte offset at which the offending item or header starts.
    public var offset: Int {
        switch self {
        case .unexpectedEnd(let offset), .lengthPastEnd(let offset, _, _), .singleByteWrapped(let offset, _),
             .longHeaderForShortPayload(let offset, _, _), .leadingZeroInLength(let offset, _),
             .lengthOverflow(let offset, _), .trailingBytes(let offset, _), .leadingZeroInInteger(let offset),
             .integerTooLarge(let offset, _, _), .expectedList(let offset, _), .expectedBytes(let offset, _),
             .wrongLength(let offset, _, _), .nestingTooDeep(let offset, _):
            return offset
        }
    }

    /// A user-facing message naming the offset, the values found and what was expected.
    public var description: String {
        let at = "RLP at offset \(offset)"
        switch self {
        case .unexpectedEnd:
            return "\(at): expected an item, found the end of the input"
        case .lengthPastEnd(_, let declared, let available):
            return "\(at): header declares \(declared) bytes but only \(available) remain"
        case .singleByteWrapped(_, let byte):
            return "\(at): string header 0x81 wraps single byte \(Self.hex(byte)), expected the byte itself"
        case .longHeaderForShortPayload(_, let header, let length):
            return "\(at): long-form header \(Self.hex(header)) for a \(length)-byte payload, expected the short form below 56 bytes"
        case .leadingZeroInLength(_, let header):
            return "\(at): length field of header \(Self.hex(header)) starts with a zero byte, expected a minimal length"
        case .lengthOverflow(_, let header):
            return "\(at): length field of header \(Self.hex(header)) exceeds \(Int.max), expected a length that fits in memory"
        case .trailingBytes(_, let count):
            return "\(at): \(count) trailing byte\(count == 1 ? "" : "s") after the item, expected the end of the input"
        case .leadingZeroInInteger:
            return "\(at): integer starts with a zero byte, expected a minimal big-endian encoding"
        case .integerTooLarge(_, let byteCount, let maximumByteCount):
            return "\(at): integer of \(byteCount) bytes, expected at most \(maximumByteCount)"
        case .expectedList(_, let header):
            return "\(at): found a byte string (header \(Self.hex(header))), expected a list"
        case .expectedBytes(_, let header):
            return "\(at): found a list (header \(Self.hex(header))), expected a byte string"
        case .wrongLength(_, let expected, let actual):
            return "\(at): byte string of \(actual) bytes, expected exactly \(expected)"
        case .nestingTooDeep(_, let limit):
            return "\(at): lists nested deeper than \(limit) levels"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
    }
}
