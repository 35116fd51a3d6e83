/// Builds an RLP encoding with nested lists whose sizes are not known until their items are written.
///
/// A list's header depends on its payload length, which is known only after its items. Rather than
/// reserving header space and moving the payload afterwards (quadratic in the nesting depth), the
/// writer keeps item bytes in one buffer and records where each list header belongs and how long
/// its payload turned out to be; `finish()` interleaves the two in a single pass. This is the
/// scheme of go-ethereum's `rlp/encbuffer.go`.
///
/// ```swift
/// var writer = RLPWriter()
/// writer.appendList { list in
///     list.append(uint: nonce)
///     list.append(bytes: recipient)
///     list.appendList { _ in }          // an empty access list
/// }
/// let encoded = writer.finish()
/// ```
public struct RLPWriter: Sendable {
    /// Marks an open list; pass it to `endList(_:)`.
    public struct ListToken: Sendable {
        let index: Int
    }

    private struct ListHeader: Sendable {
        /// Where in `buffer` the header goes.
        var offset: Int
        /// Before `endList`: the header bytes already counted when the list began. After: the payload length.
        var payloadLength: Int
    }

    private var buffer: [UInt8] = []
    private var headers: [ListHeader] = []
    /// Total size of the headers of lists that have been closed.
    private var headerBytes = 0

    /// Creates an empty writer.
    /// - Parameter capacity: the expected size of the item bytes, to reserve once.
    public init(reservingCapacity capacity: Int = 0) {
        buffer.reserveCapacity(capacity)
    }

    /// The encoded size so far, counting headers of closed lists only.
    public var count: Int { buffer.count + headerBytes }

    /// Appends a byte string.
    /// - Parameter bytes: the string.
    public mutating func append(bytes: [UInt8]) { RLP.append(bytes: bytes, to: &buffer) }

    /// Appends a byte-string slice.
    /// - Parameter bytes: the string.
    public mutating func append(bytes: ArraySlice<UInt8>) { RLP.append(bytes: bytes, to: &buffer) }

    /// Appends an unsigned integer.
    /// - Parameter value: the integer.
    public mutating func append(uint value: UInt64) { RLP.append(uint: value, to: &buffer) }

    /// Appends an item tree.
    /// - Parameter item: the item.
    public mutating func append(_ item: RLPItem) { RLP.append(item, to: &buffer) }

    /// Appends bytes that are already one complete RLP item (a stored transaction, a trie node).
    /// - Parameter encoded: a complete encoding; it is not checked.
    public mutating func append(encoded: [UInt8]) { buffer.append(contentsOf: encoded) }

    /// Opens a list; everything appended until the matching `endList(_:)` is its payload.
    /// - Returns: the token to close it with.
    public mutating func beginList() -> ListToken {
        headers.append(ListHeader(offset: buffer.count, payloadLength: headerBytes))
        return ListToken(index: headers.count - 1)
    }

    /// Closes a list opened by `beginList()`. Lists must close innermost first.
    /// - Parameter token: the token `beginList()` returned.
    public mutating func endList(_ token: ListToken) {
        let header = headers[token.index]
        // Payload = item bytes since the list began + headers of lists closed inside it.
        let payloadLength = (buffer.count - header.offset) + (headerBytes - header.payloadLength)
        headers[token.index].payloadLength = payloadLength
        headerBytes += RLP.headerLength(payloadLength: payloadLength)
    }

    /// Appends a list whose items `body` writes.
    /// - Parameter body: writes the list's items into the writer it is given.
    /// - Throws: whatever `body` throws; the writer is then left with the list open.
    public mutating func appendList<E: Error>(_ body: (inout RLPWriter) throws(E) -> Void) throws(E) {
        let token = beginList()
        try body(&self)
        endList(token)
    }

    /// Produces the encoding. All lists must be closed.
    /// - Returns: the complete RLP bytes.
    public func finish() -> [UInt8] {
        if headers.isEmpty { return buffer }
        var out = [UInt8]()
        out.reserveCapacity(buffer.count + headerBytes)
        var copied = 0
        for header in headers {
            out.append(contentsOf: buffer[copied ..< header.offset])
            copied = header.offset
            RLP.appendListHeader(payloadLength: header.payloadLength, to: &out)
        }
        out.append(contentsOf: buffer[copied...])
        return out
    }
}
