import Synchronization

/// A bounded map shared across threads, for answers about recent blocks that are costly to derive
/// again: Clique's recovered sealers and snapshots, the chain store's decoded blocks, the node's
/// receipts with their derived fields. The same block is looked up while it is verified, applied
/// and served over RPC, so recent answers are kept; entries are immutable facts about a block
/// hash, so they never need invalidating. When full, the oldest entry leaves first (first in, first out): blocks are
/// handled roughly in chain order, so age is a good proxy for disuse.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Contents {
        var values: [Key: Value] = [:]
        /// Keys in insertion order, used as a ring of `capacity` slots once full.
        var order: [Key] = []
        var nextSlot = 0
    }

    /// The most entries kept.
    public let capacity: Int
    private let contents: Mutex<Contents>

    /// Creates an empty cache holding at most `capacity` entries.
    public init(capacity: Int) {
        precondition(capacity > 0, "a bounded cache needs room for at least one entry")
        self.capacity = capacity
        contents = Mutex(Contents())
    }

    /// The cached value for `key`, if present.
    public subscript(key: Key) -> Value? {
        contents.withLock { $0.values[key] }
    }

    /// Remembers `value` for `key`, evicting the oldest entry when full.
    public func insert(_ value: Value, for key: Key) {
        contents.withLock { contents in
            guard contents.values.updateValue(value, forKey: key) == nil else { return }
            if contents.order.count < capacity {
                contents.order.append(key)
            } else {
                contents.values[contents.order[contents.nextSlot]] = nil
                contents.order[contents.nextSlot] = key
                contents.nextSlot = (contents.nextSlot + 1) % capacity
            }
        }
    }
}
