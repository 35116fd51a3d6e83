/// Recursive Length Prefix encoding (Yellow Paper, appendix B; ethereum.org "RLP" page).
///
/// The encoding, explained once:
///
/// | first byte  | meaning                                                                  |
/// |-------------|--------------------------------------------------------------------------|
/// | 0x00–0x7f   | a one-byte string: the byte is its own encoding                          |
/// | 0x80–0xb7   | a string of 0–55 bytes follows; its length is `first − 0x80`             |
/// | 0xb8–0xbf   | `first − 0xb7` bytes of big-endian length follow, then a string of ≥ 56  |
/// | 0xc0–0xf7   | a list whose items fill the next `first − 0xc0` (0–55) bytes             |
/// | 0xf8–0xff   | `first − 0xf7` bytes of big-endian length follow, then a list payload ≥ 56 |
///
/// Integers are big-endian byte strings with no leading zero bytes; zero is the empty string
/// (0x80). Exactly one encoding is valid for each value: `RLPReader` rejects every other one.
///
/// The encoder appends into a caller-owned `[UInt8]`, so a caller that knows its payload size can
/// reserve capacity once and write a whole structure without intermediate arrays. For nested lists
/// whose sizes are not known in advance, use `RLPWriter`.
public enum RLP {
    // MARK: Lengths

    /// The encoded length of a byte string.
    /// - Parameter bytes: the string.
    /// - Returns: the number of bytes `append(bytes:to:)` writes for it.
    public static func encodedLength(ofBytes bytes: [UInt8]) -> Int {
        if bytes.count == 1 && bytes[0] < 0x80 { return 1 }
        return headerLength(payloadLength: bytes.count) + bytes.count
    }

    /// The encoded length of a byte-string slice.
    /// - Parameter bytes: the string.
    /// - Returns: the number of bytes `append(bytes:to:)` writes for it.
    public static func encodedLength(ofBytes bytes: ArraySlice<UInt8>) -> Int {
        if bytes.count == 1 && bytes[bytes.startIndex] < 0x80 { return 1 }
        return headerLength(payloadLength: bytes.count) + bytes.count
    }

    /// The encoded length of an unsigned integer.
    /// - Parameter value: the integer.
    /// - Returns: the number of bytes `append(uint:to:)` writes for it.
    public static func encodedLength(ofUInt value: UInt64) -> Int {
        if value < 0x80 { return 1 }  // 0 is 0x80; 1…127 are their own byte
        return 1 + byteCount(of: value)
    }

    /// The encoded length of a list whose items take `payloadLength` bytes.
    /// - Parameter payloadLength: the total encoded length of the list's items.
    /// - Returns: header plus payload length.
    public static func encodedLength(ofListPayload payloadLength: Int) -> Int {
        headerLength(payloadLength: payloadLength) + payloadLength
    }

    /// The length of a string or list header for a payload of the given length.
    /// - Parameter payloadLength: the payload length in bytes.
    /// - Returns: 1 below 56 bytes, otherwise 1 plus the length's minimal big-endian size.
    @inline(__always)
    public static func headerLength(payloadLength: Int) -> Int {
        payloadLength < 56 ? 1 : 1 + byteCount(of: UInt64(payloadLength))
    }

    // MARK: Appending

    /// Appends the encoding of a byte string.
    /// - Parameters:
    ///   - bytes: the string.
    ///   - out: the buffer to append to.
    public static func append(bytes: [UInt8], to out: inout [UInt8]) {
        if bytes.count == 1 && bytes[0] < 0x80 {
            out.append(bytes[0])
            return
        }
        appendHeader(offset: 0x80, payloadLength: bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    /// Appends the encoding of a byte-string slice.
    /// - Parameters:
    ///   - bytes: the string.
    ///   - out: the buffer to append to.
    public static func append(bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        if bytes.count == 1 && bytes[bytes.startIndex] < 0x80 {
            out.append(bytes[bytes.startIndex])
            return
        }
        appendHeader(offset: 0x80, payloadLength: bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    /// Appends the encoding of an unsigned integer (minimal big-endian bytes; zero is 0x80).
    /// - Parameters:
    ///   - value: the integer.
    ///   - out: the buffer to append to.
    public static func append(uint value: UInt64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x80)
        } else if value < 0x80 {
            out.append(UInt8(value))
        } else {
            let count = byteCount(of: value)
            out.append(0x80 + UInt8(count))
            appendBigEndian(value, byteCount: count, to: &out)
        }
    }

    /// Appends a list header; the caller then appends exactly `payloadLength` bytes of encoded items.
    /// - Parameters:
    ///   - payloadLength: the total encoded length of the list's items.
    ///   - out: the buffer to append to.
    public static func appendListHeader(payloadLength: Int, to out: inout [UInt8]) {
        appendHeader(offset: 0xc0, payloadLength: payloadLength, to: &out)
    }

    /// Appends a byte-string header; the caller then appends exactly `payloadLength` raw bytes.
    /// Only valid for payloads that are not a single byte below 0x80 (those are their own encoding).
    /// - Parameters:
    ///   - payloadLength: the string length.
    ///   - out: the buffer to append to.
    public static func appendStringHeader(payloadLength: Int, to out: inout [UInt8]) {
        appendHeader(offset: 0x80, payloadLength: payloadLength, to: &out)
    }

    /// Appends the encoding of an item tree.
    /// - Parameters:
    ///   - item: the item.
    ///   - out: the buffer to append to.
    public static func append(_ item: RLPItem, to out: inout [UInt8]) {
        switch item {
        case .bytes(let bytes):
            append(bytes: bytes, to: &out)
        case .list(let items):
            appendListHeader(payloadLength: item.payloadLength(of: items), to: &out)
            for element in items { append(element, to: &out) }
        }
    }

    // MARK: Whole encodings

    /// Encodes a byte string.
    /// - Parameter bytes: the string.
    /// - Returns: its RLP encoding.
    public static func encode(bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(encodedLength(ofBytes: bytes))
        append(bytes: bytes, to: &out)
        return out
    }

    /// Encodes an unsigned integer.
    /// - Parameter value: the integer.
    /// - Returns: its RLP encoding.
    public static func encode(uint value: UInt64) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(9)
        append(uint: value, to: &out)
        return out
    }

    /// Encodes an item tree.
    /// - Parameter item: the item.
    /// - Returns: its RLP encoding.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(item.encodedLength)
        append(item, to: &out)
        return out
    }

    /// Decodes exactly one item that must span the whole input.
    /// - Parameter bytes: the encoding.
    /// - Returns: the item tree.
    /// - Throws: `RLPError` naming the offset and reason if the input is not a canonical encoding
    ///   of a single item, or if bytes follow it.
    public static func decode(_ bytes: [UInt8]) throws(RLPError) -> RLPItem {
        var reader = RLPReader(bytes)
        let item = try reader.readItem()
        try reader.expectEnd()
        return item
    }

    // MARK: Integer helpers

    /// The minimal big-endian bytes of an integer: empty for zero, no leading zero byte otherwise.
    /// - Parameter value: the integer.
    /// - Returns: 0 to 8 bytes.
    public static func minimalBigEndianBytes(of value: UInt64) -> [UInt8] {
        var out = [UInt8]()
        let count = byteCount(of: value)
        out.reserveCapacity(count)
        appendBigEndian(value, byteCount: count, to: &out)
        return out
    }

    // MARK: Internals

    /// Bytes needed for `value` without leading zeros (0 for zero).
    @inline(__always)
    static func byteCount(of value: UInt64) -> Int {
        (64 - value.leadingZeroBitCount + 7) / 8
    }

    @inline(__always)
    static func appendBigEndian(_ value: UInt64, byteCount count: Int, to out: inout [UInt8]) {
        var shift = (count - 1) * 8
        while shift >= 0 {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }

    /// Writes a short (`offset + length`) or long (`offset + 55 + lengthOfLength`, length) header.
    @inline(__always)
    static func appendHeader(offset: UInt8, payloadLength: Int, to out: inout [UInt8]) {
        if payloadLength < 56 {
            out.append(offset + UInt8(payloadLength))
        } else {
            let count = byteCount(of: UInt64(payloadLength))
            out.append(offset + 55 + UInt8(count))
            appendBigEndian(UInt64(payloadLength), byteCount: count, to: &out)
        }
    }
}
