import Primitives
import Synchronization

/// A thread-safe cache of analysed code, keyed by code hash, so each contract's jump destinations
/// are found once however often it is called (DESIGN.md §2).
///
/// Bounded: it keeps at most `capacity` entries in two generations. Lookups hit the young
/// generation, then the old one (moving the entry to the young one). When the young generation
/// holds `capacity / 2` entries, the old one is dropped and the young one becomes old. Code used
/// since the last rotation therefore always survives the next one: a cheap approximation of LRU
/// with O(1) work per lookup and no per-entry bookkeeping.
///
/// The host uses it when it starts a frame for an account's code. Init code (CREATE, CREATE2 and
/// creation transactions) has no code hash in the state, so it is analysed with
/// `AnalyzedCode(_:)` directly.
public final class CodeCache: Sendable {
    private struct Generations {
        var young: [Hash32: AnalyzedCode] = [:]
        var old: [Hash32: AnalyzedCode] = [:]

        /// Adds an entry to the young generation, rotating first if it is full.
        mutating func insert(_ analyzed: AnalyzedCode, for codeHash: Hash32, capacity: Int) {
            if young.count >= capacity / 2 {
                old = young
                young = [:]
            }
            young[codeHash] = analyzed
        }
    }

    /// The most entries kept.
    public let capacity: Int
    private let generations = Mutex(Generations())

    /// Creates an empty cache.
    /// - Parameter capacity: the most entries kept (at least 2); 4096 by default.
    public init(capacity: Int = 4096) {
        precondition(capacity >= 2, "a code cache needs room for at least 2 entries")
        self.capacity = capacity
    }

    /// The analysed code for a code hash, analysing and caching it on a miss.
    /// - Parameters:
    ///   - codeHash: keccak256 of the code (the account's code hash).
    ///   - code: produces the code on a miss; called outside the lock.
    /// - Returns: the analysed code.
    public func analyzedCode(hash codeHash: Hash32, code: () -> [UInt8]) -> AnalyzedCode {
        let capacity = self.capacity
        let hit = generations.withLock { generations -> AnalyzedCode? in
            if let hit = generations.young[codeHash] { return hit }
            if let hit = generations.old.removeValue(forKey: codeHash) {
                generations.insert(hit, for: codeHash, capacity: capacity)
                return hit
            }
            return nil
        }
        if let hit { return hit }
        // Analyse outside the lock; two threads missing on the same hash both analyse, which is
        // harmless (the results are equal) and keeps the lock short.
        let analyzed = AnalyzedCode(code())
        generations.withLock { $0.insert(analyzed, for: codeHash, capacity: capacity) }
        return analyzed
    }

    /// The number of entries held.
    public var count: Int {
        generations.withLock { $0.young.count + $0.old.count }
    }

    /// Drops every entry.
    public func removeAll() {
        generations.withLock { $0 = Generations() }
    }
}
