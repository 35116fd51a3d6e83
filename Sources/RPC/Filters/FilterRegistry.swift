import Chain
import ChainTypes
import JSONRPC
import Primitives

/// The installed polling filters of `eth_newFilter`, `eth_newBlockFilter` and
/// `eth_newPendingTransactionFilter`, by id.
///
/// A filter remembers the last block it reported; `eth_getFilterChanges` returns what came after.
/// As in geth (`eth/filters/api.go`, `--rpc.filter-timeout`-style deadline), a filter not polled
/// for `timeout` is removed, and asking for it afterwards is "filter not found".
public actor FilterRegistry {
    /// What a filter watches.
    public enum Kind: Sendable {
        /// Logs matching the criteria.
        case logs(LogFilter)
        /// New block hashes.
        case blocks
        /// Hashes of transactions entering the pool.
        case pendingTransactions
    }

    struct Entry {
        var kind: Kind
        var lastBlock: UInt64
        var pendingHashes: [Hash32] = []
        var lastUsed: ContinuousClock.Instant
    }

    /// How long a filter lives without being polled.
    public let timeout: Duration
    private var entries: [String: Entry] = [:]
    private var generator = SystemRandomNumberGenerator()

    /// Creates an empty registry.
    /// - Parameter timeout: idle time after which a filter is removed (geth: 5 minutes).
    public init(timeout: Duration = .seconds(300)) { self.timeout = timeout }

    /// Installs a filter.
    /// - Parameters:
    ///   - kind: what it watches.
    ///   - head: the current head; changes start after it.
    /// - Returns: the new filter's id, geth-style ("0x" and up to 32 hex digits).
    public func install(_ kind: Kind, head: UInt64) -> String {
        expire()
        var bytes: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes.allSatisfy({ $0 == 0 }) { bytes[15] = 1 }
        var digits = Hex.encode(bytes, prefix: false)
        while digits.hasPrefix("0") { digits.removeFirst() }
        let id = "0x" + digits
        entries[id] = Entry(kind: kind, lastBlock: head, lastUsed: .now)
        return id
    }

    /// Removes a filter.
    /// - Parameter id: the filter id.
    /// - Returns: whether it existed.
    package func uninstall(_ id: String) -> Bool {
        expire()
        return entries.removeValue(forKey: id) != nil
    }

    /// The filter's kind, refreshing its deadline.
    /// - Parameter id: the filter id.
    /// - Returns: the kind, or nil if there is no such filter.
    public func kind(of id: String) -> Kind? {
        expire()
        guard entries[id] != nil else { return nil }
        entries[id]!.lastUsed = .now
        return entries[id]!.kind
    }

    /// Marks the filter as having reported up to `head`, and returns the block it had reported up to.
    /// - Parameters:
    ///   - id: the filter id.
    ///   - head: the new last block.
    /// - Returns: the previous last block, or nil if there is no such filter.
    public func advance(_ id: String, to head: UInt64) -> UInt64? {
        expire()
        guard let entry = entries[id] else { return nil }
        entries[id]!.lastBlock = max(entry.lastBlock, head)
        entries[id]!.lastUsed = .now
        return entry.lastBlock
    }

    /// Takes the pending transaction hashes a filter has collected.
    /// - Parameter id: the filter id.
    /// - Returns: the hashes, or nil if there is no such filter.
    package func takePendingHashes(_ id: String) -> [Hash32]? {
        expire()
        guard let entry = entries[id] else { return nil }
        entries[id]!.pendingHashes = []
        entries[id]!.lastUsed = .now
        return entry.pendingHashes
    }

    /// Records a transaction that entered the pool, for pending-transaction filters.
    /// - Parameter hash: the transaction hash.
    package func transactionAdded(_ hash: Hash32) {
        for (id, entry) in entries {
            if case .pendingTransactions = entry.kind { entries[id]!.pendingHashes.append(hash) }
        }
    }

    /// The number of installed filters (after expiry).
    public var count: Int {
        expire()
        return entries.count
    }

    private func expire() {
        let now = ContinuousClock.now
        entries = entries.filter { now - $0.value.lastUsed < timeout }
    }
}
