import Synchronization

/// An in-memory `KeyValueStore` for `--ephemeral` nodes and unit tests; nothing survives the process.
///
/// It behaves exactly as `LevelDBStore` does (the same test suite runs over both, plus a property test
/// that checks they agree step by step): keys iterate in unsigned byte-wise order, a `WriteBatch` is
/// applied atomically and in order, empty keys and values are allowed.
///
/// Layout: a dictionary from key to value, plus the keys in sorted order, which is brought up to date
/// lazily, only when `forEach` needs it. New keys are queued unsorted; the next `forEach` inserts a few
/// by binary search or, if many, sorts and merges them in (O(n + k log k) for k new keys). Deleted keys
/// stay in the sorted array, skipped by readers, until they are half of it; then one O(n) pass drops
/// them. So a bulk load of n keys costs O(n log n) overall, never O(n²), `get`/`put`/`delete` stay O(1)
/// on average, and a `forEach` after a handful of changes costs O(log n) plus what it visits.
///
/// Threads: all state sits behind one `Mutex`. `forEach` takes a copy-on-write snapshot (the dictionary
/// and the sorted keys, O(1) to take) under the lock and calls `body` outside it, so `body` may read and
/// write this same store, and, as with LevelDB's iterator, sees the store as it was when `forEach` began.
public final class MemoryStore: KeyValueStore {
    /// The mutable contents, guarded by `state`.
    private struct Contents {
        /// Every entry.
        var values: [[UInt8]: [UInt8]] = [:]
        /// Keys in ascending unsigned byte-wise order as of the last refresh, each once; may still hold keys
        /// deleted since (readers skip those), at most about half of them.
        var sortedKeys: [[UInt8]] = []
        /// Keys added since the last refresh, in arrival order; may hold duplicates and deleted keys.
        var newKeys: [[UInt8]] = []
        /// An upper bound on the number of deleted keys still in `sortedKeys`.
        var staleKeyCount = 0

        /// Below this many new keys, a refresh inserts each by binary search (a pointer-sized `memmove`
        /// each) instead of sorting and merging (a full copy).
        static let insertionLimit = 64

        /// Stores `value` under `key`, queueing the key for sorting if it is new.
        mutating func put(_ value: [UInt8], forKey key: [UInt8]) {
            if values.updateValue(value, forKey: key) == nil {
                newKeys.append(key)
            }
        }

        /// Removes `key` if present. Its slot in `sortedKeys` goes stale and is dropped later, in bulk.
        mutating func delete(_ key: [UInt8]) {
            if values.removeValue(forKey: key) != nil {
                staleKeyCount += 1
            }
        }

        /// Brings `sortedKeys` up to date: every present key exactly once, in order (plus stale keys, if few).
        mutating func refreshSortedKeys() {
            if staleKeyCount > 0 && staleKeyCount * 2 > sortedKeys.count {
                // Compaction costs O(n) and happens after at least n/2 deletes: amortised O(1) per delete.
                sortedKeys.removeAll { values[$0] == nil }
                staleKeyCount = 0
            }
            guard !newKeys.isEmpty else { return }
            if newKeys.count <= Self.insertionLimit {
                for key in newKeys where values[key] != nil {
                    let index = MemoryStore.firstIndex(notBefore: key, in: sortedKeys)
                    // A key deleted and re-added may still sit in `sortedKeys`: keep one copy.
                    if index == sortedKeys.count || sortedKeys[index] != key {
                        sortedKeys.insert(key, at: index)
                    }
                }
            } else {
                sortedKeys = Self.merge(sortedKeys, newKeys.filter { values[$0] != nil }.sorted(by: MemoryStore.precedes))
            }
            newKeys = []
        }

        /// Merges two sorted key arrays into one, keeping a single copy of keys found in both or twice.
        static func merge(_ existing: [[UInt8]], _ incoming: [[UInt8]]) -> [[UInt8]] {
            var merged: [[UInt8]] = []
            merged.reserveCapacity(existing.count + incoming.count)
            var existingIndex = 0
            var incomingIndex = 0
            func append(_ key: [UInt8]) {
                if let last = merged.last, last == key { return }
                merged.append(key)
            }
            while existingIndex < existing.count && incomingIndex < incoming.count {
                if MemoryStore.precedes(incoming[incomingIndex], existing[existingIndex]) {
                    append(incoming[incomingIndex])
                    incomingIndex += 1
                } else {
                    append(existing[existingIndex])
                    existingIndex += 1
                }
            }
            for key in existing[existingIndex...] { append(key) }
            for key in incoming[incomingIndex...] { append(key) }
            return merged
        }
    }

    private let state = Mutex(Contents())

    /// Creates an empty store.
    public init() {}

    /// The number of entries in the store.
    public var count: Int { state.withLock { $0.values.count } }

    /// Reads the value stored under `key`.
    /// - Parameter key: the key.
    /// - Returns: the value (possibly empty), or nil if the key is absent.
    /// - Throws: never; the signature matches `KeyValueStore`.
    public func get(_ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        state.withLock { $0.values[key] }
    }

    /// Stores `value` under `key`, replacing any previous value.
    /// - Parameters:
    ///   - value: the value; may be empty.
    ///   - key: the key; may be empty.
    /// - Throws: never; the signature matches `KeyValueStore`.
    public func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError) {
        state.withLock { $0.put(value, forKey: key) }
    }

    /// Removes `key`; removing an absent key is not an error.
    /// - Parameter key: the key.
    /// - Throws: never; the signature matches `KeyValueStore`.
    public func delete(_ key: [UInt8]) throws(StorageError) {
        state.withLock { $0.delete(key) }
    }

    /// Visits every entry whose key starts with `prefix`, in ascending unsigned byte-wise key order, as the
    /// store was when the call began.
    /// - Parameters:
    ///   - prefix: the key prefix; empty visits everything.
    ///   - body: called with each key and value; return false to stop early. It may use this store.
    /// - Throws: never; the signature matches `KeyValueStore`.
    public func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        let (sortedKeys, values) = state.withLock { contents in
            contents.refreshSortedKeys()
            return (contents.sortedKeys, contents.values)
        }
        var index = Self.firstIndex(notBefore: prefix, in: sortedKeys)
        while index < sortedKeys.count {
            let key = sortedKeys[index]
            index += 1
            guard key.starts(with: prefix) else { break }
            guard let value = values[key] else { continue }  // deleted, not yet compacted away
            guard body(key, value) else { break }
        }
    }

    /// Applies every operation of `batch` atomically and in order: no reader sees part of it.
    /// - Parameter batch: the puts and deletes.
    /// - Throws: never; the signature matches `KeyValueStore`.
    public func write(_ batch: WriteBatch) throws(StorageError) {
        state.withLock { contents in
            for operation in batch.operations {
                switch operation {
                case .put(let key, let value): contents.put(value, forKey: key)
                case .delete(let key): contents.delete(key)
                }
            }
        }
    }

    // MARK: - Ordering

    /// Unsigned byte-wise order, LevelDB's default comparator (`memcmp`, then the shorter key first).
    static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.lexicographicallyPrecedes(right)
    }

    /// The index of the first key in `sortedKeys` that is not before `target` (binary search).
    static func firstIndex(notBefore target: [UInt8], in sortedKeys: [[UInt8]]) -> Int {
        var low = 0
        var high = sortedKeys.count
        while low < high {
            let middle = low + (high - low) / 2
            if precedes(sortedKeys[middle], target) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
