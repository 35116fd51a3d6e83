import Foundation
import Primitives
import Storage
import Trie

/// A test-only in-memory `KeyValueStore` (the real MemoryStore lives in Storage, written separately).
/// Counts reads so tests can check that nodes load lazily.
final class InMemoryStore: KeyValueStore, @unchecked Sendable {
    private var entries: [[UInt8]: [UInt8]] = [:]
    private let lock = NSLock()
    private var reads = 0

    var readCount: Int { lock.withLock { reads } }
    var count: Int { lock.withLock { entries.count } }

    func get(_ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        lock.withLock {
            reads += 1
            return entries[key]
        }
    }

    func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError) {
        lock.withLock { entries[key] = value }
    }

    func delete(_ key: [UInt8]) throws(StorageError) {
        lock.withLock { _ = entries.removeValue(forKey: key) }
    }

    func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        let matching = lock.withLock {
            entries.filter { $0.key.starts(with: prefix) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        }
        for (key, value) in matching where !body(key, value) { return }
    }

    func write(_ batch: WriteBatch) throws(StorageError) {
        lock.withLock {
            for operation in batch.operations {
                switch operation {
                case .put(let key, let value): entries[key] = value
                case .delete(let key): entries.removeValue(forKey: key)
                }
            }
        }
    }

    /// Overwrites one stored value, to simulate corruption.
    func corrupt(_ key: [UInt8], with value: [UInt8]) {
        lock.withLock { entries[key] = value }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so property tests replay exactly.
struct TrieSplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0 ..< count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// A key of 1…6 bytes over a four-letter alphabet, so that keys often share prefixes or are
    /// prefixes of each other (the cases that create extensions and branch values).
    mutating func clusteredKey() -> [UInt8] {
        let alphabet: [UInt8] = [0x00, 0x01, 0x10, 0xff]
        return (0 ..< 1 + Int(next() % 6)).map { _ in alphabet[Int(next() % 4)] }
    }

    /// A value of 1…40 bytes: both sides of the 32-byte embedding threshold.
    mutating func value() -> [UInt8] {
        bytes(count: 1 + Int(next() % 40))
    }
}

enum TrieTestSupport {
    /// Commits `trie` into `store` and returns the root.
    @discardableResult
    static func commit(_ trie: MerklePatriciaTrie, to store: InMemoryStore) throws -> Hash32 {
        var batch = WriteBatch()
        let root = trie.commit(into: &batch)
        try store.write(batch)
        return root
    }

    /// Every key and value, in iteration order.
    static func contents(of trie: MerklePatriciaTrie) throws -> [([UInt8], [UInt8])] {
        var out: [([UInt8], [UInt8])] = []
        try trie.forEach { key, value in
            out.append((key, value))
            return true
        }
        return out
    }
}
