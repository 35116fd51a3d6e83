/// One RLP value: a byte string or a list of values (Yellow Paper, appendix B, the set 𝕋 = 𝔹 ∪ 𝕃).
///
/// This is the generic, allocating tree form, convenient for tests, tools and irregular data.
/// Typed code (transactions, receipts, trie nodes) should write with `RLP.append…`/`RLPWriter`
/// and read with `RLPReader`, which never build this tree.
public enum RLPItem: Hashable, Sendable {
    /// A byte string (integers are big-endian byte strings without leading zeros).
    case bytes([UInt8])
    /// A list of items.
    case list([RLPItem])

    /// Creates the byte-string item for an unsigned integer: its minimal big-endian bytes, empty for zero.
    /// - Parameter value: the integer.
    public init(uint value: UInt64) {
        self = .bytes(RLP.minimalBigEndianBytes(of: value))
    }

    /// Creates the byte-string item for the UTF-8 bytes of `text`.
    /// - Parameter text: the string.
    public init(utf8 text: String) {
        self = .bytes(Array(text.utf8))
    }

    /// Whether this item is a list.
    public var isList: Bool {
        if case .list = self { return true }
        return false
    }

    /// The byte string, or nil if this item is a list.
    public var bytesValue: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }

    /// The list elements, or nil if this item is a byte string.
    public var listValue: [RLPItem]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The number of bytes `RLP.encode(self)` produces.
    public var encodedLength: Int {
        switch self {
        case .bytes(let bytes):
            return RLP.encodedLength(ofBytes: bytes)
        case .list(let items):
            return RLP.encodedLength(ofListPayload: payloadLength(of: items))
        }
    }

    func payloadLength(of items: [RLPItem]) -> Int {
        var total = 0
        for item in items { total += item.encodedLength }
        return total
    }
}
