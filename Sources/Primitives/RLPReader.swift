/// A strict, zero-copy cursor over RLP input for typed decoding (Yellow Paper, appendix B).
///
/// Each `read…` call consumes one item and returns a slice of the original buffer: no byte is
/// copied and no `RLPItem` tree is built. `enterList()` returns a reader confined to the list's
/// payload and moves this reader past the list, so structures decode as
///
/// ```swift
/// var reader = RLPReader(encoded)
/// var fields = try reader.enterList()
/// let nonce = try fields.readUInt64()
/// let to = try fields.readBytes(exactly: 20)
/// try fields.expectEnd()
/// try reader.expectEnd()
/// ```
///
/// Invariants: every header is checked for canonical form before its payload is returned (no
/// long form below 56 bytes, no leading zero in a length, no 0x81 around a byte below 0x80), and
/// no item may extend past the end of the input or of its enclosing list. Integer reads also reject
/// leading zero bytes. Error offsets count from the start of the buffer the first reader was made
/// over, including for readers returned by `enterList()`.
public struct RLPReader: Sendable {
    /// The deepest list nesting `readItem()` accepts; it bounds recursion on hostile input.
    public static let maximumDepth = 1024

    let input: ArraySlice<UInt8>
    /// Index of `input` that offsets are reported relative to.
    let origin: Int
    var position: Int
    let end: Int

    /// Creates a reader over a whole byte array.
    /// - Parameter bytes: the encoding.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Creates a reader over a slice; offsets in errors count from the slice's start.
    /// - Parameter bytes: the encoding.
    public init(_ bytes: ArraySlice<UInt8>) {
        input = bytes
        origin = bytes.startIndex
        position = bytes.startIndex
        end = bytes.endIndex
    }

    private init(input: ArraySlice<UInt8>, origin: Int, position: Int, end: Int) {
        self.input = input
        self.origin = origin
        self.position = position
        self.end = end
    }

    /// The offset of the next unread byte, counted from the start of the original input.
    public var offset: Int { position - origin }

    /// Whether every byte of this reader's range has been consumed.
    public var isAtEnd: Bool { position >= end }

    /// The number of unread bytes in this reader's range.
    public var remainingCount: Int { end - position }

    /// Whether the next item is a list (without consuming it).
    /// - Returns: true for a list, false for a byte string.
    /// - Throws: `RLPError` if no valid header follows.
    public func nextItemIsList() throws(RLPError) -> Bool {
        try header(at: position).isList
    }

    /// Reads a byte string.
    /// - Returns: the string's bytes, a slice of the input.
    /// - Throws: `RLPError` if the next item is a list or is not canonical.
    public mutating func readBytes() throws(RLPError) -> ArraySlice<UInt8> {
        let start = position
        let header = try header(at: start)
        if header.isList { throw .expectedBytes(offset: start - origin, header: input[start]) }
        position = header.payloadStart + header.payloadLength
        return input[header.payloadStart ..< position]
    }

    /// Reads a byte string that must have exactly `count` bytes (an address, a hash).
    /// - Parameter count: the required length.
    /// - Returns: the string's bytes, a slice of the input.
    /// - Throws: `RLPError.wrongLength` for any other length, or another `RLPError` as `readBytes()`.
    public mutating func readBytes(exactly count: Int) throws(RLPError) -> ArraySlice<UInt8> {
        let start = position
        let bytes = try readBytes()
        guard bytes.count == count else {
            position = start
            throw .wrongLength(offset: start - origin, expected: count, actual: bytes.count)
        }
        return bytes
    }

    /// Reads a canonical unsigned integer as its big-endian bytes (empty for zero), for wide types
    /// such as UInt256 to build from.
    /// - Parameter maximumByteCount: the widest integer accepted, in bytes (32 for UInt256).
    /// - Returns: the minimal big-endian bytes, a slice of the input.
    /// - Throws: `RLPError.leadingZeroInInteger`, `.integerTooLarge`, or another `RLPError` as `readBytes()`.
    public mutating func readIntegerBytes(maximumByteCount: Int) throws(RLPError) -> ArraySlice<UInt8> {
        let start = position
        let bytes = try readBytes()
        if let first = bytes.first, first == 0 {
            position = start
            throw .leadingZeroInInteger(offset: start - origin)
        }
        guard bytes.count <= maximumByteCount else {
            position = start
            throw .integerTooLarge(offset: start - origin, byteCount: bytes.count, maximumByteCount: maximumByteCount)
        }
        return bytes
    }

    /// Reads a canonical unsigned integer of at most 8 bytes.
    /// - Returns: the integer.
    /// - Throws: `RLPError.leadingZeroInInteger`, `.integerTooLarge`, or another `RLPError` as `readBytes()`.
    public mutating func readUInt64() throws(RLPError) -> UInt64 {
        let bytes = try readIntegerBytes(maximumByteCount: 8)
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Reads a list header and returns a reader over the list's payload; this reader moves past the list.
    /// - Returns: a reader confined to the list's items.
    /// - Throws: `RLPError` if the next item is a byte string or is not canonical.
    public mutating func enterList() throws(RLPError) -> RLPReader {
        let start = position
        let header = try header(at: start)
        if !header.isList { throw .expectedList(offset: start - origin, header: input[start]) }
        position = header.payloadStart + header.payloadLength
        return RLPReader(input: input, origin: origin, position: header.payloadStart, end: position)
    }

    /// Reads a list by handing a reader over its items to `body`, then checks `body` consumed them all.
    /// - Parameter body: decodes the list's items from the reader it is given.
    /// - Returns: what `body` returns.
    /// - Throws: `RLPError` from the header, from `body`, or `.trailingBytes` if items remain.
    public mutating func readList<T>(_ body: (inout RLPReader) throws(RLPError) -> T) throws(RLPError) -> T {
        var items = try enterList()
        let result = try body(&items)
        try items.expectEnd()
        return result
    }

    /// Reads the next item whole, header included, without interpreting it (a transaction inside
    /// a block body, an embedded trie node).
    /// - Returns: the item's complete encoding, a slice of the input.
    /// - Throws: `RLPError` if the item's header is not canonical or runs past the end.
    public mutating func readRawItem() throws(RLPError) -> ArraySlice<UInt8> {
        let start = position
        let header = try header(at: start)
        position = header.payloadStart + header.payloadLength
        return input[start ..< position]
    }

    /// Skips the next item, checking only its header.
    /// - Throws: `RLPError` if the item's header is not canonical or runs past the end.
    public mutating func skipItem() throws(RLPError) {
        _ = try readRawItem()
    }

    /// Reads the next item as a tree, validating every nested header.
    /// - Returns: the item.
    /// - Throws: `RLPError` for the first non-canonical or truncated header found, or
    ///   `.nestingTooDeep` past `maximumDepth` levels.
    public mutating func readItem() throws(RLPError) -> RLPItem {
        try readItem(depth: 0)
    }

    /// Checks that nothing is left to read.
    /// - Throws: `RLPError.trailingBytes` naming the offset and count of unread bytes.
    public func expectEnd() throws(RLPError) {
        if position < end { throw .trailingBytes(offset: position - origin, count: end - position) }
    }

    // MARK: Internals

    private mutating func readItem(depth: Int) throws(RLPError) -> RLPItem {
        let start = position
        let header = try header(at: start)
        position = header.payloadStart + header.payloadLength
        if !header.isList {
            return .bytes(Array(input[header.payloadStart ..< position]))
        }
        guard depth < Self.maximumDepth else { throw .nestingTooDeep(offset: start - origin, limit: Self.maximumDepth) }
        var items = RLPReader(input: input, origin: origin, position: header.payloadStart, end: position)
        var elements = [RLPItem]()
        while !items.isAtEnd {
            elements.append(try items.readItem(depth: depth + 1))
        }
        return .list(elements)
    }

    /// A decoded header: where the payload starts, how long it is, and whether it is a list.
    struct Header {
        var isList: Bool
        var payloadStart: Int
        var payloadLength: Int
    }

    /// Parses and validates the header at `start`, checking the payload fits before `end`.
    func header(at start: Int) throws(RLPError) -> Header {
        guard start < end else { throw .unexpectedEnd(offset: start - origin) }
        let first = input[start]
        let offset = start - origin
        let available = end - start - 1
        switch first {
        case 0x00 ... 0x7f:
            return Header(isList: false, payloadStart: start, payloadLength: 1)
        case 0x80 ... 0xb7:
            let length = Int(first - 0x80)
            guard length <= available else { throw .lengthPastEnd(offset: offset, declared: length, available: available) }
            if length == 1 && input[start + 1] < 0x80 {
                throw .singleByteWrapped(offset: offset, byte: input[start + 1])
            }
            return Header(isList: false, payloadStart: start + 1, payloadLength: length)
        case 0xc0 ... 0xf7:
            let length = Int(first - 0xc0)
            guard length <= available else { throw .lengthPastEnd(offset: offset, declared: length, available: available) }
            return Header(isList: true, payloadStart: start + 1, payloadLength: length)
        default:
            let isList = first >= 0xf8
            let lengthOfLength = Int(first - (isList ? 0xf7 : 0xb7))
            guard lengthOfLength <= available else {
                throw .lengthPastEnd(offset: offset, declared: lengthOfLength, available: available)
            }
            if input[start + 1] == 0 { throw .leadingZeroInLength(offset: offset, header: first) }
            var length: UInt64 = 0
            for index in (start + 1) ... (start + lengthOfLength) { length = length << 8 | UInt64(input[index]) }
            guard length <= UInt64(Int.max) else { throw .lengthOverflow(offset: offset, header: first) }
            let payloadLength = Int(length)
            if payloadLength < 56 {
                throw .longHeaderForShortPayload(offset: offset, header: first, length: payloadLength)
            }
            let remaining = available - lengthOfLength
            guard payloadLength <= remaining else {
                throw .lengthPastEnd(offset: offset, declared: payloadLength, available: remaining)
            }
            return Header(isList: isList, payloadStart: start + 1 + lengthOfLength, payloadLength: payloadLength)
        }
    }
}
