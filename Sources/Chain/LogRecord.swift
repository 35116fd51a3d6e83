import ChainTypes
import Primitives
import State

/// A log with the position JSON-RPC reports (eth_getLogs, receipts, `logs` subscriptions).
public struct LogRecord: Hashable, Sendable {
    /// The log.
    public var log: Log
    /// The containing block's hash.
    public var blockHash: Hash32
    /// The containing block's number.
    public var blockNumber: UInt64
    /// The emitting transaction's hash.
    public var transactionHash: Hash32
    /// The emitting transaction's index in the block.
    public var transactionIndex: Int
    /// The log's index among all logs of the block.
    public var logIndex: Int
    /// True when the block was dropped from the canonical chain (evm_revert), for subscriptions.
    public var isRemoved: Bool

    /// Creates a record.
    /// - Parameters:
    ///   - log: the log.
    ///   - blockHash: the block hash.
    ///   - blockNumber: the block number.
    ///   - transactionHash: the transaction hash.
    ///   - transactionIndex: the transaction's index in the block.
    ///   - logIndex: the index among the block's logs.
    ///   - isRemoved: whether the block left the canonical chain.
    public init(log: Log, blockHash: Hash32, blockNumber: UInt64, transactionHash: Hash32, transactionIndex: Int,
                logIndex: Int, isRemoved: Bool = false) {
        self.log = log; self.blockHash = blockHash; self.blockNumber = blockNumber
        self.transactionHash = transactionHash; self.transactionIndex = transactionIndex
        self.logIndex = logIndex; self.isRemoved = isRemoved
    }
}
