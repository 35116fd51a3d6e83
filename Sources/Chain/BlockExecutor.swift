import ChainTypes
import EVM
import Execution
import Primitives
import State
import Storage

/// Executes blocks (go-ethereum `core/state_processor.go`), checks imported headers against their
/// parents (`core/block_validator.go`, EIP-1559), and builds new blocks from pending transactions
/// (`miner/worker.go`).
///
/// Execution: each transaction is recovered (unless senders are given), applied by the EVM's
/// `TransactionProcessor` to a `WorldState` opened at the parent's state root, and given a receipt
/// with the cumulative gas, its logs and their bloom; then the state is committed into a batch.
/// Fees go to the header's coinbase, which in Clique is the vote target (usually zero). go-ethereum
/// pays the block's author (the Clique signer) instead: docs/architecture.md, "Fee recipient".
/// PREVRANDAO reads the header's mix hash (zero under Clique).
public struct BlockExecutor: Sendable {
    /// The chain id transactions must be signed for.
    public let chainId: UInt64
    /// The EVM transaction processor.
    public let processor: TransactionProcessor

    /// go-ethereum's GasLimitBoundDivisor: the gas limit moves by less than parent/1024 per block.
    package static let gasLimitBoundDivisor: UInt64 = 1024
    /// go-ethereum's MinGasLimit.
    package static let minimumGasLimit: UInt64 = 5000

    /// Creates an executor.
    /// - Parameters:
    ///   - chainId: the chain id.
    ///   - precompiles: the precompiles.
    ///   - codeCache: analysed code shared between blocks.
    public init(chainId: UInt64, precompiles: PrecompileRegistry, codeCache: CodeCache = CodeCache()) {
        self.chainId = chainId
        self.processor = TransactionProcessor(precompiles: precompiles, codeCache: codeCache)
    }

    /// The EVM's view of a header.
    /// - Parameters:
    ///   - header: the block's header.
    ///   - blockHashes: canonical hashes of up to 256 earlier blocks, for BLOCKHASH.
    /// - Returns: the block environment.
    public func environment(for header: Header, blockHashes: [UInt64: Hash32]) -> BlockEnvironment {
        BlockEnvironment(coinbase: header.coinbase, number: header.number, timestamp: header.timestamp,
                         gasLimit: header.gasLimit, baseFee: header.baseFeePerGas ?? .zero, prevRandao: header.mixHash,
                         chainId: chainId, blockHashes: blockHashes)
    }

    /// The execution form of a transaction.
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - sender: its sender.
    /// - Returns: the decoded transaction the EVM applies.
    package static func executionTransaction(_ transaction: Transaction, sender: Address) -> ExecutionTransaction {
        let kind: ExecutionTransaction.Kind
        switch transaction.type {
        case .legacy: kind = .legacy
        case .accessList: kind = .accessList
        case .dynamicFee: kind = .dynamicFee
        }
        return ExecutionTransaction(kind: kind, nonce: transaction.nonce, gasPrice: transaction.maxFeePerGas,
                                    maxFeePerGas: transaction.maxFeePerGas,
                                    maxPriorityFeePerGas: transaction.maxPriorityFeePerGas, gasLimit: transaction.gasLimit,
                                    to: transaction.to, value: transaction.value, data: transaction.data,
                                    accessList: transaction.accessList, sender: sender)
    }

    /// Checks the header fields that follow from the parent: parent hash, number, timestamp not
    /// before the parent's, gas limit within parent ± parent/1024 and at least 5000, gas used within
    /// the limit, and the EIP-1559 base fee.
    /// - Parameters:
    ///   - header: the header.
    ///   - parent: its parent.
    /// - Throws: `ChainError.invalidHeader` or `.unknownAncestor`.
    package func validateHeader(_ header: Header, parent: Header) throws(ChainError) {
        let number = header.number
        guard header.parentHash == parent.hash else { throw .unknownAncestor(number: number, parentHash: header.parentHash) }
        guard number == parent.number + 1 else {
            throw .invalidHeader(number: number, field: "number", expected: "\(parent.number + 1)", actual: "\(number)")
        }
        guard header.timestamp >= parent.timestamp else {
            throw .invalidHeader(number: number, field: "timestamp", expected: "at least \(parent.timestamp)", actual: "\(header.timestamp)")
        }
        let bound = parent.gasLimit / Self.gasLimitBoundDivisor
        let difference = header.gasLimit > parent.gasLimit ? header.gasLimit - parent.gasLimit : parent.gasLimit - header.gasLimit
        guard difference < bound || difference == 0, header.gasLimit >= Self.minimumGasLimit else {
            throw .invalidHeader(number: number, field: "gas limit",
                                 expected: "within \(parent.gasLimit) ± \(bound) and at least \(Self.minimumGasLimit)",
                                 actual: "\(header.gasLimit)")
        }
        guard header.gasUsed <= header.gasLimit else {
            throw .invalidHeader(number: number, field: "gas used", expected: "at most \(header.gasLimit)", actual: "\(header.gasUsed)")
        }
        let expectedBaseFee = Header.nextBaseFee(parent: parent)
        guard header.baseFeePerGas == expectedBaseFee else {
            throw .invalidHeader(number: number, field: "baseFee", expected: "\(expectedBaseFee)",
                                 actual: header.baseFeePerGas.map { "\($0)" } ?? "none")
        }
    }

    /// Executes a block's transactions on `state` (opened at the parent's state root) and commits
    /// the post-state into a batch. Does not compare anything with the header: see `importBlock`.
    /// - Parameters:
    ///   - block: the block.
    ///   - senders: the senders if already known (blocks this node built); nil to recover them.
    ///   - state: the parent's post-state; changed in place.
    ///   - blockHashes: canonical hashes of earlier blocks for BLOCKHASH.
    /// - Returns: the receipts, roots and state batch.
    /// - Throws: `ChainError.invalidTransaction` if a transaction cannot be included, `.state` if the commit fails.
    public func execute(_ block: Block, senders knownSenders: [Address]? = nil, state: WorldState,
                        blockHashes: [UInt64: Hash32]) throws(ChainError) -> ExecutedBlock {
        let header = block.header
        var application = BlockApplication(processor: processor, environment: environment(for: header, blockHashes: blockHashes),
                                           capacity: block.transactions.count)
        for (index, transaction) in block.transactions.enumerated() {
            let sender: Address
            if let knownSenders {
                sender = knownSenders[index]
            } else {
                do throws(TransactionError) { sender = try transaction.recoverSender(chainId: chainId) } catch {
                    throw .invalidTransaction(number: header.number, index: index, .sender(error))
                }
            }
            if application.gasUsed + transaction.gasLimit > header.gasLimit {
                throw .invalidTransaction(number: header.number, index: index,
                                          .exceedsBlockGas(left: header.gasLimit - application.gasUsed, wanted: transaction.gasLimit))
            }
            do throws(TransactionValidationError) {
                try application.apply(transaction, sender: sender, to: state)
            } catch {
                throw .invalidTransaction(number: header.number, index: index, .validation(error))
            }
        }
        return try application.finish(committing: state)
    }

    /// Validates and executes a block from elsewhere: header against parent, then every root, the
    /// gas used and the bloom against what execution computes (go-ethereum's ValidateState messages).
    /// - Parameters:
    ///   - block: the block.
    ///   - parent: its parent header.
    ///   - state: the parent's post-state.
    ///   - blockHashes: canonical hashes of earlier blocks.
    /// - Returns: the execution result, ready to append.
    /// - Throws: `ChainError` naming the first mismatch.
    package func importBlock(_ block: Block, parent: Header, state: WorldState,
                            blockHashes: [UInt64: Hash32]) throws(ChainError) -> ExecutedBlock {
        let header = block.header
        try validateHeader(header, parent: parent)
        let transactionsRoot = Block.transactionsRoot(of: block.transactions)
        guard transactionsRoot == header.transactionsRoot else {
            throw .rootMismatch(number: header.number, root: "transactions", header: header.transactionsRoot, computed: transactionsRoot)
        }
        let executed = try execute(block, state: state, blockHashes: blockHashes)
        guard executed.gasUsed == header.gasUsed else {
            throw .invalidHeader(number: header.number, field: "gas used", expected: "\(executed.gasUsed)", actual: "\(header.gasUsed)")
        }
        guard executed.logsBloom == header.logsBloom else {
            throw .invalidHeader(number: header.number, field: "bloom", expected: executed.logsBloom.description,
                                 actual: header.logsBloom.description)
        }
        guard executed.receiptsRoot == header.receiptsRoot else {
            throw .rootMismatch(number: header.number, root: "receipt", header: header.receiptsRoot, computed: executed.receiptsRoot)
        }
        guard executed.stateRoot == header.stateRoot else {
            throw .rootMismatch(number: header.number, root: "merkle", header: header.stateRoot, computed: executed.stateRoot)
        }
        return executed
    }

    /// A transaction the builder left out, and why.
    public struct Rejection: Hashable, Sendable {
        /// The transaction's hash.
        public var hash: Hash32
        /// The sender.
        public var sender: Address
        /// The validation message (geth's phrase).
        public var reason: String
    }

    /// Builds a block on a prepared header: takes pending transactions in fee order (highest
    /// effective tip first, each sender's in nonce order, as geth's TransactionsByPriceAndNonce),
    /// skips any that fail validation (and the rest of that sender's, whose nonces would then be
    /// gapped), stops at the gas limit or `maximumTransactions`, and fills in gas used, roots and bloom.
    /// - Parameters:
    ///   - header: the prepared header (number, timestamp, gas limit, base fee, consensus fields);
    ///     its roots, bloom and gas used are overwritten.
    ///   - candidates: executable transactions per sender, each list in nonce order.
    ///   - state: the state to build on; changed in place.
    ///   - blockHashes: canonical hashes of earlier blocks.
    ///   - maximumTransactions: the most transactions to include.
    /// - Returns: the unsealed block, its execution, and the transactions left out with reasons.
    /// - Throws: `ChainError.state` if the commit fails.
    public func build(on header: Header, candidates: [[PooledTransaction]], state: WorldState,
                      blockHashes: [UInt64: Hash32], maximumTransactions: Int = .max)
        throws(ChainError) -> (block: Block, executed: ExecutedBlock, rejected: [Rejection]) {
        var application = BlockApplication(processor: processor, environment: environment(for: header, blockHashes: blockHashes))
        let baseFee = header.baseFeePerGas ?? .zero
        var queues = candidates.filter { !$0.isEmpty }.map { $0[...] }
        var rejected: [Rejection] = []
        while application.transactions.count < maximumTransactions {
            // Pick the sender whose next transaction pays the highest tip; ties go to the first listed.
            var best: Int?
            var bestTip = UInt256.zero
            for (queueIndex, queue) in queues.enumerated() {
                guard let first = queue.first else { continue }
                let tip = first.transaction.effectivePriorityFee(baseFee: baseFee) ?? .zero
                if best == nil || tip > bestTip { best = queueIndex; bestTip = tip }
            }
            guard let chosen = best else { break }
            let pooled = queues[chosen].removeFirst()
            let transaction = pooled.transaction
            let gasLeft = header.gasLimit - application.gasUsed
            if gasLeft < IntrinsicGas.transaction { break }
            if transaction.gasLimit > gasLeft {
                // Too big for what is left; a smaller one from another sender may still fit.
                rejected.append(Rejection(hash: pooled.hash, sender: pooled.sender,
                                          reason: "gas limit reached: \(gasLeft) gas left, transaction wants \(transaction.gasLimit)"))
                queues[chosen] = [][...]
                continue
            }
            do throws(TransactionValidationError) {
                try application.apply(transaction, sender: pooled.sender, to: state)
            } catch {
                rejected.append(Rejection(hash: pooled.hash, sender: pooled.sender, reason: error.description))
                queues[chosen] = [][...]
                continue
            }
        }
        let executed = try application.finish(committing: state)
        var built = header
        built.gasUsed = executed.gasUsed
        built.stateRoot = executed.stateRoot
        built.transactionsRoot = executed.transactionsRoot
        built.receiptsRoot = executed.receiptsRoot
        built.logsBloom = executed.logsBloom
        return (Block(header: built, transactions: application.transactions), executed, rejected)
    }
}
