import ChainTypes
import EVM
import Execution
import Primitives
import State
import Storage

/// A block's transactions applied one after another, with their receipts, cumulative gas and bloom:
/// the one apply step that both block import (`BlockExecutor.execute`) and block building
/// (`BlockExecutor.build`) use, as geth's `ApplyTransaction` serves its state processor and its miner.
/// The callers keep their own policies (an importer refuses a block whose transaction does not fit;
/// a builder skips it), so the two cannot drift apart in how a transaction changes state or what
/// its receipt says.
struct BlockApplication {
    let processor: TransactionProcessor
    let environment: BlockEnvironment
    /// The transactions applied so far, in order.
    private(set) var transactions: [Transaction] = []
    /// Their receipts (cumulative gas, status, logs).
    private(set) var receipts: [Receipt] = []
    /// What each execution did (gas, refunds, output), for traces and RPC.
    private(set) var outcomes: [TransactionOutcome] = []
    /// Who sent each.
    private(set) var senders: [Address] = []
    /// Gas used by all of them.
    private(set) var gasUsed: UInt64 = 0
    /// The union of their receipts' blooms.
    private(set) var bloom = Bloom()

    /// Starts an empty block.
    /// - Parameters:
    ///   - processor: runs each transaction.
    ///   - environment: the block's header values as the EVM sees them.
    ///   - capacity: how many transactions to reserve room for.
    init(processor: TransactionProcessor, environment: BlockEnvironment, capacity: Int = 0) {
        self.processor = processor
        self.environment = environment
        transactions.reserveCapacity(capacity)
        receipts.reserveCapacity(capacity)
        outcomes.reserveCapacity(capacity)
        senders.reserveCapacity(capacity)
    }

    /// Applies one transaction to `state` and records its receipt.
    /// - Parameters:
    ///   - transaction: the signed transaction.
    ///   - sender: its sender (recovered, or impersonated on a dev chain).
    ///   - state: the block's state so far.
    /// - Throws: `TransactionValidationError` if the transaction cannot be included (nonce, funds,
    ///   fee cap, gas); the state and the totals are then unchanged.
    mutating func apply(_ transaction: Transaction, sender: Address, to state: WorldState) throws(TransactionValidationError) {
        let outcome = try processor.apply(BlockExecutor.executionTransaction(transaction, sender: sender),
                                          in: environment, to: state)
        gasUsed += outcome.gasUsed
        let receipt = Receipt(type: transaction.type, status: outcome.status == .success ? .success : .failure,
                              cumulativeGasUsed: gasUsed, logs: outcome.logs)
        bloom.formUnion(receipt.logsBloom)
        transactions.append(transaction)
        receipts.append(receipt)
        outcomes.append(outcome)
        senders.append(sender)
    }

    /// Commits the state and computes the block's roots.
    /// - Parameter state: the state every transaction was applied to.
    /// - Returns: the executed block (roots, receipts, the state's write batch).
    /// - Throws: `ChainError.state` if the commit fails.
    func finish(committing state: WorldState) throws(ChainError) -> ExecutedBlock {
        var batch = WriteBatch()
        let stateRoot: Hash32
        do throws(StateError) {
            stateRoot = try NodeMetrics.time(NodeMetrics.stateCommitTime) { () throws(StateError) in try state.commit(into: &batch) }
        } catch {
            throw .state(error)
        }
        return ExecutedBlock(receipts: receipts, outcomes: outcomes, senders: senders, gasUsed: gasUsed,
                             stateRoot: stateRoot, transactionsRoot: Block.transactionsRoot(of: transactions),
                             receiptsRoot: Block.receiptsRoot(of: receipts), logsBloom: bloom, stateBatch: batch)
    }
}
