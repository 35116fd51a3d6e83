import Storage
import Synchronization

/// The store a simulation's state lives in: reads fall through to the node's store, writes (the
/// trie nodes and code each simulated block commits) stay in memory and are dropped with it, so a
/// simulation never touches the node's real state while later simulated blocks can read what earlier
/// ones committed (`WorldState.commit(into:)` needs its batch written before the state reads on).
///
/// Deletes are kept as tombstones, so a key deleted here reads absent even if the node's store has it.
package final class SimulationStore: KeyValueStore {
    /// The node's store: only read.
    package let base: any KeyValueStore
    /// What the simulation wrote: a value, or nil for a delete.
    private let written = Mutex<[[UInt8]: [UInt8]?]>([:])

    /// Creates an empty overlay.
    /// - Parameter base: the store to read through to.
    package init(base: any KeyValueStore) { self.base = base }

    package func get(_ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        if let entry = written.withLock({ $0[key] }) { return entry }
        return try base.get(key)
    }

    package func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError) {
        written.withLock { $0[key] = .some(value) }
    }

    package func delete(_ key: [UInt8]) throws(StorageError) {
        written.withLock { $0[key] = .some(nil) }
    }

    /// Visits the merged view in key order (not on any hot path: a simulation only reads tries).
    package func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        let overlay = written.withLock { $0 }
        var merged: [[UInt8]: [UInt8]] = [:]
        try base.forEach(prefix: prefix) { key, value in
            merged[key] = value
            return true
        }
        for (key, value) in overlay where key.starts(with: prefix) { merged[key] = value }
        for key in merged.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard body(key, merged[key]!) else { break }
        }
    }

    package func write(_ batch: WriteBatch) throws(StorageError) {
        written.withLock { entries in
            for operation in batch.operations {
                switch operation {
                case .put(let key, let value): entries[key] = .some(value)
                case .delete(let key): entries[key] = .some(nil)
                }
            }
        }
    }
}
