import Primitives
import State

/// The 2048-bit logs bloom filter of receipts and headers (Yellow Paper §4.3.1, function M3:2048).
///
/// Each added item (a log's address, and each of its topics) sets three bits: for i in 0, 1, 2, the
/// bit numbered by the low 11 bits of the big-endian pair of bytes 2i, 2i+1 of keccak256(item). Bit
/// k is counted from the least significant end of the 256 bytes read as one big-endian number, so
/// it lives in byte 255 − k/8 under mask 1 << (k mod 8). A header's bloom is the union of its
/// receipts' blooms.
///
/// A bloom can say an item is absent for certain, or present with some false positives.
public struct Bloom: Hashable, Sendable, CustomStringConvertible {
    /// The filter's size in bytes.
    public static let byteCount = 256

    /// The 256 bytes of the filter.
    public private(set) var bytes: [UInt8]

    /// The empty filter (all bits clear).
    public static let empty = Bloom()

    /// Creates an empty filter.
    public init() {
        bytes = [UInt8](repeating: 0, count: Bloom.byteCount)
    }

    /// Wraps 256 bytes of a filter, as a header or receipt carries them.
    /// - Parameter bytes: exactly 256 bytes.
    /// - Precondition: `bytes.count == 256`.
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == Bloom.byteCount, "a bloom is 256 bytes, got \(bytes.count)")
        self.bytes = Array(bytes)
    }

    /// The filter of a list of logs: the union over their addresses and topics.
    /// - Parameter logs: the logs.
    public init(logs: [Log]) {
        self.init()
        for log in logs { insert(log) }
    }

    /// Whether no bit is set.
    public var isEmpty: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Adds an item (an address's 20 bytes or a topic's 32).
    /// - Parameter item: the bytes to add.
    public mutating func insert(_ item: [UInt8]) {
        for (index, mask) in Bloom.positions(of: item) { bytes[index] |= mask }
    }

    /// Adds a log's address and topics.
    /// - Parameter log: the log.
    public mutating func insert(_ log: Log) {
        insert(log.address.bytes)
        for topic in log.topics { insert(topic.bytes) }
    }

    /// Whether the item may have been added (false positives are possible, false negatives are not).
    /// - Parameter item: the bytes to test.
    /// - Returns: true if all three of its bits are set.
    public func mayContain(_ item: [UInt8]) -> Bool {
        Bloom.positions(of: item).allSatisfy { bytes[$0.index] & $0.mask != 0 }
    }

    /// Sets every bit that is set in another filter.
    /// - Parameter other: the filter to merge in.
    public mutating func formUnion(_ other: Bloom) {
        for index in 0..<Bloom.byteCount { bytes[index] |= other.bytes[index] }
    }

    /// "0x"-prefixed hex of the 256 bytes, as JSON-RPC shows `logsBloom`.
    public var description: String { Hex.encode(bytes) }

    /// The byte index and mask of each of the three bits for an item.
    private static func positions(of item: [UInt8]) -> [(index: Int, mask: UInt8)] {
        let hash = Keccak256.hash(item).bytes
        return (0..<3).map { pair in
            let bit = (Int(hash[2 * pair]) << 8 | Int(hash[2 * pair + 1])) & 2047
            return (Bloom.byteCount - 1 - bit / 8, UInt8(1) << UInt8(bit % 8))
        }
    }
}
