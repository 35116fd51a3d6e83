import ChainTypes
import EVM
import Execution
import Primitives
import Storage

/// What executing a block's transactions produced: receipts, per-transaction outcomes, gas used,
/// the roots and bloom its header must carry, and the post-state's trie nodes ready to write.
public struct ExecutedBlock: Sendable {
    /// One receipt per transaction.
    public var receipts: [Receipt]
    /// One outcome per transaction (output, created address, refund).
    public var outcomes: [TransactionOutcome]
    /// The sender of each transaction.
    public var senders: [Address]
    /// The gas all transactions used.
    public var gasUsed: UInt64
    /// The post-state root.
    public var stateRoot: Hash32
    /// The transactions trie root.
    public var transactionsRoot: Hash32
    /// The receipts trie root.
    public var receiptsRoot: Hash32
    /// The union of the receipts' blooms.
    public var logsBloom: Bloom
    /// The post-state's new trie nodes and code (`WorldState.commit(into:)`), for `ChainStore.append`.
    package var stateBatch: WriteBatch

    /// Creates an executed block.
    /// - Parameters:
    ///   - receipts: the receipts.
    ///   - outcomes: the outcomes.
    ///   - senders: the senders.
    ///   - gasUsed: the gas used.
    ///   - stateRoot: the post-state root.
    ///   - transactionsRoot: the transactions root.
    ///   - receiptsRoot: the receipts root.
    ///   - logsBloom: the bloom.
    ///   - stateBatch: the state's trie nodes.
    public init(receipts: [Receipt], outcomes: [TransactionOutcome], senders: [Address], gasUsed: UInt64,
                stateRoot: Hash32, transactionsRoot: Hash32, receiptsRoot: Hash32, logsBloom: Bloom,
                stateBatch: WriteBatch) {
        self.receipts = receipts; self.outcomes = outcomes; self.senders = senders; self.gasUsed = gasUsed
        self.stateRoot = stateRoot; self.transactionsRoot = transactionsRoot; self.receiptsRoot = receiptsRoot
        self.logsBloom = logsBloom; self.stateBatch = stateBatch
    }
}
