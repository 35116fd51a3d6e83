import Foundation
import Metrics

/// The node's metrics (docs/metrics.md), recorded through the swift-metrics API only: this module
/// never chooses a backend. Without `MetricsSystem.bootstrap` (a node run without `--metrics`, the
/// tests) every one of them is swift-metrics' no-op handler. The handlers are made on first use,
/// so the executable bootstraps its backend before it starts a node.
enum NodeMetrics {
    /// Number of the canonical head block.
    static let headNumber = Gauge(label: "goldengrain_chain_head_number")
    /// Seconds from the head block's timestamp to the moment of the scrape.
    static let headAge = Gauge(label: "goldengrain_chain_head_age_seconds")
    /// Building, executing, signing and storing one block this node seals.
    static let sealTime = Metrics.Timer(label: "goldengrain_block_seal_duration_seconds")
    /// Verifying and executing one block received from a peer.
    static let importTime = Metrics.Timer(label: "goldengrain_block_import_duration_seconds")
    /// Transactions in each new canonical block (sealed here or imported).
    static let transactionsPerBlock = Recorder(label: "goldengrain_block_transactions", aggregate: true)
    /// Executable transactions in the pool (txpool_status "pending").
    static let poolPending = Gauge(label: "goldengrain_txpool_pending")
    /// Pooled transactions behind a nonce gap (txpool_status "queued").
    static let poolQueued = Gauge(label: "goldengrain_txpool_queued")
    /// One LevelDB batch commit of the chain store (a block, its receipts and the head pointer).
    static let levelDBWriteTime = Metrics.Timer(label: "goldengrain_leveldb_write_duration_seconds")
    /// Computing one block's state root: updating the storage and state tries and collecting the
    /// new trie nodes into the block's write batch (sealed and imported blocks alike).
    static let stateCommitTime = Metrics.Timer(label: "goldengrain_state_commit_duration_seconds")

    /// Runs `body` and records its duration in `timer`.
    static func time<T, E: Error>(_ timer: Metrics.Timer, _ body: () throws(E) -> T) throws(E) -> T {
        let start = ContinuousClock.now
        defer { timer.record(duration: start.duration(to: .now)) }
        return try body()
    }
}

extension Node {
    /// Sets the gauges that describe the node now rather than an event: head number and age,
    /// pool sizes. A metrics endpoint calls this before each scrape. Nothing happens without a
    /// metrics backend (swift-metrics' no-op handlers).
    public func recordMetrics() {
        // The event metrics exist (at 0) from the first scrape on, not only after their first event.
        _ = (NodeMetrics.sealTime, NodeMetrics.importTime, NodeMetrics.transactionsPerBlock, NodeMetrics.levelDBWriteTime,
             NodeMetrics.stateCommitTime)
        let (head, pending, queued) = locked {
            let state = pendingState()
            let nonce = { state.nonce(of: $0) }
            return (chain.head, pool.pending(stateNonce: nonce).joined().count, pool.queued(stateNonce: nonce).joined().count)
        }
        NodeMetrics.headNumber.record(head.number)
        NodeMetrics.headAge.record(Date().timeIntervalSince1970 - Double(head.timestamp))
        NodeMetrics.poolPending.record(pending)
        NodeMetrics.poolQueued.record(queued)
    }
}
