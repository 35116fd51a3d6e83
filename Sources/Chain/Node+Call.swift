import ChainTypes
import EVM
import Execution
import Primitives
import State

// Execution without a block: eth_call, eth_estimateGas, debug_traceCall, debug_traceTransaction.

/// A traced transaction about to run: its state (not yet charged for gas), the block's coinbase and
/// the transaction's sender, recipient and nonce (what the prestateTracer reads pre-transaction
/// values with, as geth's `OnTxStart` hook).
public struct TransactionStart {
    /// The state the transaction runs on.
    public let state: WorldState
    /// The block's coinbase.
    public let coinbase: Address
    /// The sender.
    public let sender: Address
    /// The recipient; nil for a creation.
    public let to: Address?
    /// The transaction's nonce.
    public let nonce: UInt64

    init(state: WorldState, environment: BlockEnvironment, transaction: ExecutionTransaction) {
        self.state = state; coinbase = environment.coinbase; sender = transaction.sender; to = transaction.to
        nonce = transaction.nonce
    }
}

/// The addresses contract creations get, for tracers outside the execution module.
public enum CreationAddress {
    /// CREATE's address: keccak256(rlp([sender, nonce]))[12...].
    /// - Parameters:
    ///   - sender: the creator.
    ///   - nonce: its nonce before the creation.
    /// - Returns: the address.
    public static func create(sender: Address, nonce: UInt64) -> Address {
        ContractAddress.create(sender: sender, nonce: nonce)
    }

    /// CREATE2's address (EIP-1014).
    /// - Parameters:
    ///   - sender: the creator.
    ///   - salt: the salt.
    ///   - initCode: the init code.
    /// - Returns: the address.
    public static func create2(sender: Address, salt: UInt256, initCode: [UInt8]) -> Address {
        ContractAddress.create2(sender: sender, salt: salt, initCodeHash: Keccak256.hash(initCode))
    }
}

/// Called just before a traced transaction runs.
public typealias TransactionStartHook = (TransactionStart) -> Void

extension Node {
    /// Executes a call on a block's state without keeping any change (eth_call, debug_traceCall).
    ///
    /// The call runs with the block's header as its environment (as geth's eth_call does), the
    /// sender's current nonce, gas = `request.gas` capped at the block gas limit (default: the
    /// limit). Without any fee field the gas price and the base fee are zero, so unfunded accounts
    /// can call. A revert or halt is a result (`CallOutcome.status`), not an error.
    /// - Parameters:
    ///   - request: the call.
    ///   - tag: the block whose post-state the call sees.
    ///   - tracer: observes every frame and opcode, or nil.
    ///   - overrides: geth's state and block overrides, applied to a throwaway copy of the state.
    /// - Returns: status, output (revert data on revert), gas used, logs.
    /// - Throws: `NodeError.unknownBlock`, or `.invalidCall` with geth's message when the call is
    ///   invalid before execution ("insufficient funds for gas * price + value", …) or an override
    ///   is refused ("account 0x… has both 'state' and 'stateDiff'", …).
    public func call(_ request: CallRequest, at tag: BlockTag = .latest, tracer: (any Tracer)? = nil,
                     overrides: CallOverrides = .none, onStart: TransactionStartHook? = nil) throws(NodeError) -> CallOutcome {
        try locked { () throws(NodeError) -> CallOutcome in
            let (root, header) = try stateRoot(at: tag)
            let outcome: TransactionOutcome
            let prepared = try prepareCall(root: root, header: header, overrides: overrides)
            do throws(TransactionValidationError) {
                outcome = try executeCall(request, prepared: prepared, header: header, gas: nil, tracer: tracer,
                                          onStart: onStart)
            } catch {
                throw .invalidCall(reason: error.description)
            }
            return CallOutcome(status: outcome.status, output: outcome.output, gasUsed: outcome.gasUsed, logs: outcome.logs,
                               createdAddress: outcome.createdAddress)
        }
    }

    /// A call's starting point: a fresh view of the state at `root` with the overrides applied,
    /// the block environment and the processor (with the precompiles moved as the overrides say).
    struct PreparedCall {
        var state: WorldState
        var environment: BlockEnvironment
        var processor: TransactionProcessor
    }

    /// Opens the state at `root` and applies the overrides (lock held). Each run of a call needs
    /// its own, since a run changes the state.
    func prepareCall(root: Hash32, header: Header, overrides: CallOverrides) throws(NodeError) -> PreparedCall {
        let state = WorldState(store: chain.store, root: root)
        var environment = executor.environment(for: header, blockHashes: recentHashes)
        var processor = executor.processor
        try overrides.applyBlock(to: &environment, header: header)
        try overrides.applyAccounts(to: state, precompiles: &processor.precompiles)
        return PreparedCall(state: state, environment: environment, processor: processor)
    }

    /// Runs a call once on a fresh view of the state at `root` (lock held).
    func executeCall(_ request: CallRequest, root: Hash32, header: Header, gas: UInt64?,
                     tracer: (any Tracer)?) throws(TransactionValidationError) -> TransactionOutcome {
        let state = WorldState(store: chain.store, root: root)
        let prepared = PreparedCall(state: state, environment: executor.environment(for: header, blockHashes: recentHashes),
                                    processor: executor.processor)
        return try executeCall(request, prepared: prepared, header: header, gas: gas, tracer: tracer)
    }

    /// Runs a call once on a prepared state (lock held); the state is used up.
    func executeCall(_ request: CallRequest, prepared: PreparedCall, header: Header, gas: UInt64?,
                     tracer: (any Tracer)?, onStart: TransactionStartHook? = nil) throws(TransactionValidationError) -> TransactionOutcome {
        let state = prepared.state
        let sender = request.from ?? .zero
        var environment = prepared.environment
        let hasFees = request.gasPrice != nil || request.maxFeePerGas != nil || request.maxPriorityFeePerGas != nil
        if !hasFees { environment.baseFee = .zero }
        let gasLimit = min(gas ?? request.gas ?? environment.gasLimit, environment.gasLimit)
        let kind: ExecutionTransaction.Kind
        var gasPrice = request.gasPrice ?? .zero
        var maxFee = request.maxFeePerGas
        var tip = request.maxPriorityFeePerGas
        if request.maxFeePerGas != nil || request.maxPriorityFeePerGas != nil {
            kind = .dynamicFee
            let baseFee = environment.baseFee
            maxFee = maxFee ?? (baseFee &+ (tip ?? .zero))
            tip = tip ?? .zero
            gasPrice = maxFee!
        } else {
            kind = request.accessList?.isEmpty == false ? .accessList : .legacy
        }
        let transaction = ExecutionTransaction(kind: kind, nonce: state.nonce(of: sender), gasPrice: gasPrice,
                                               maxFeePerGas: maxFee, maxPriorityFeePerGas: tip, gasLimit: gasLimit,
                                               to: request.to, value: request.value ?? .zero, data: request.data,
                                               accessList: request.accessList ?? [], sender: sender)
        onStart?(TransactionStart(state: state, environment: environment, transaction: transaction))
        let outcome = try prepared.processor.apply(transaction, in: environment, to: state, tracer: tracer)
        return Self.withReturnData(outcome, state: state)
    }

    /// The outcome with geth's return data (`ExecutionResult.ReturnData`, what eth_call and a
    /// trace's `returnValue` show): for a successful creation, the deployed code. The processor
    /// leaves the output of a creation empty, as the RETURNDATA buffer after CREATE is (EIP-211).
    static func withReturnData(_ outcome: TransactionOutcome, state: WorldState) -> TransactionOutcome {
        guard let created = outcome.createdAddress else { return outcome }
        var withCode = outcome
        withCode.output = state.code(of: created)
        return withCode
    }

    /// The least gas with which a transaction succeeds (eth_estimateGas), by geth's binary search:
    /// run at the cap (the request's gas, else the block gas limit, lowered to what the sender's
    /// balance can pay at the given fee); if that fails, report the revert or "gas required exceeds
    /// allowance"; else search between the gas used and the cap. A plain transfer to an account
    /// without code is 21000 at once.
    /// - Parameters:
    ///   - request: the transaction.
    ///   - tag: the block whose state it runs on (default pending: the head).
    /// - Returns: the gas limit to use.
    /// - Throws: `NodeError.executionReverted` with the revert data, `.gasRequiredExceedsAllowance`,
    ///   `.invalidCall` or `.unknownBlock`.
    public func estimateGas(_ request: CallRequest, at tag: BlockTag = .pending,
                            overrides: CallOverrides = .none) throws(NodeError) -> UInt64 {
        try locked { () throws(NodeError) -> UInt64 in try estimateGasLocked(request, at: tag, overrides: overrides) }
    }

    func estimateGasLocked(_ request: CallRequest, at tag: BlockTag, overrides: CallOverrides = .none) throws(NodeError) -> UInt64 {
        let (root, header) = try stateRoot(at: tag)
        let first = try prepareCall(root: root, header: header, overrides: overrides)
        if let to = request.to, request.data.isEmpty, request.accessList?.isEmpty ?? true {
            if first.state.codeHash(of: to) == .emptyKeccak && first.processor.precompiles.precompile(at: to) == nil {
                return IntrinsicGas.transaction
            }
        }
        let blockGasLimit = first.environment.gasLimit
        var high = min(request.gas ?? blockGasLimit, blockGasLimit)
        let feeCap = request.gasPrice ?? request.maxFeePerGas ?? .zero
        if !feeCap.isZero {
            let balance = first.state.balance(of: request.from ?? .zero)
            let value = request.value ?? .zero
            guard balance >= value else {
                throw .invalidCall(reason: "insufficient funds for transfer: balance \(balance), value \(value)")
            }
            let allowance = (balance &- value).quotient(dividingBy: feeCap)
            if allowance < UInt256(high) { high = allowance.w0 }
        }
        func attempt(_ gas: UInt64) throws(NodeError) -> TransactionOutcome? {
            let prepared = try prepareCall(root: root, header: header, overrides: overrides)
            do throws(TransactionValidationError) {
                return try executeCall(request, prepared: prepared, header: header, gas: gas, tracer: nil)
            } catch {
                switch error {
                case .intrinsicGasTooLow, .insufficientFunds, .gasPriceProductOverflow: return nil
                default: throw .invalidCall(reason: error.description)
                }
            }
        }
        guard let atCap = try attempt(high) else { throw .gasRequiredExceedsAllowance(cap: high) }
        guard atCap.status == .success else {
            if atCap.status == .revert { throw .executionReverted(data: atCap.output) }
            if atCap.status == .outOfGas { throw .gasRequiredExceedsAllowance(cap: high) }
            throw .executionFailed(reason: "\(atCap.status)")
        }
        // The gas used (after refunds) minus one always fails; 64/63 of it usually succeeds (EIP-150).
        var low = max(atCap.gasUsed + atCap.gasRefunded, IntrinsicGas.transaction) - 1
        let optimistic = (atCap.gasUsed + atCap.gasRefunded + 2300) * 64 / 63
        if optimistic < high, let outcome = try attempt(optimistic), outcome.status == .success { high = optimistic }
        while low + 1 < high {
            let middle = low + (high - low) / 2
            if let outcome = try attempt(middle), outcome.status == .success { high = middle } else { low = middle }
        }
        return high
    }

    /// Re-executes a mined transaction with a tracer (debug_traceTransaction): the block's earlier
    /// transactions run first, untraced, on its pre-state.
    /// - Parameters:
    ///   - hash: the transaction hash.
    ///   - tracer: the tracer.
    /// - Returns: the transaction's outcome.
    /// - Throws: `NodeError.unknownTransaction`, or `.chain` if the replay fails.
    public func traceTransaction(_ hash: Hash32, tracer: any Tracer,
                                 onStart: TransactionStartHook? = nil) throws(NodeError) -> TransactionOutcome {
        try locked { () throws(NodeError) -> TransactionOutcome in
            guard let location = chain.transactionLocation(hash) else { throw .unknownTransaction(hash) }
            let record: BlockRecord?
            do throws(ChainError) { record = try chain.block(hash: location.blockHash) } catch { throw .chain(error) }
            guard let record, let preState = chain.preStateRoot(of: record.hash) else { throw .unknownTransaction(hash) }
            let state = WorldState(store: chain.store, root: preState)
            var hashes: [UInt64: Hash32] = [:]
            let lowest = record.number >= 256 ? record.number - 256 : 0
            for number in lowest ..< record.number { hashes[number] = chain.canonicalHash(number: number) }
            let environment = executor.environment(for: record.header, blockHashes: hashes)
            for index in 0 ... location.index {
                let transaction = BlockExecutor.executionTransaction(record.block.transactions[index], sender: record.senders[index])
                do throws(TransactionValidationError) {
                    if index == location.index {
                        onStart?(TransactionStart(state: state, environment: environment, transaction: transaction))
                    }
                    let outcome = try executor.processor.apply(transaction, in: environment, to: state,
                                                               tracer: index == location.index ? tracer : nil)
                    if index == location.index { return Self.withReturnData(outcome, state: state) }
                } catch {
                    throw .chain(.invalidTransaction(number: record.number, index: index, .validation(error)))
                }
            }
            throw .unknownTransaction(hash)
        }
    }

    /// Re-executes every transaction of a block in order on its pre-state, each with the tracer
    /// `makeTracer` gives it (debug_traceBlockByNumber / ByHash), as geth's `traceBlock` does.
    /// - Parameters:
    ///   - hash: the block hash.
    ///   - makeTracer: the tracer for the transaction at an index.
    /// - Returns: per transaction, its hash and outcome, in block order.
    /// - Throws: `NodeError.unknownBlock`; `.invalidArgument("genesis is not traceable")` for block
    ///   0 (geth's refusal); `.chain` if the replay fails.
    public func traceBlock(hash: Hash32, makeTracer: (Int, Transaction) -> any Tracer,
                           onStart: TransactionStartHook? = nil)
        throws(NodeError) -> [(hash: Hash32, outcome: TransactionOutcome)] {
        try locked { () throws(NodeError) -> [(hash: Hash32, outcome: TransactionOutcome)] in
            let record: BlockRecord?
            do throws(ChainError) { record = try chain.block(hash: hash) } catch { throw .chain(error) }
            guard let record else { throw .unknownBlock(Hex.encode(hash.bytes)) }
            guard record.number > 0 else { throw .invalidCall(reason: "genesis is not traceable") }
            guard let preState = chain.preStateRoot(of: record.hash) else { throw .unknownBlock(Hex.encode(hash.bytes)) }
            let state = WorldState(store: chain.store, root: preState)
            var hashes: [UInt64: Hash32] = [:]
            let lowest = record.number >= 256 ? record.number - 256 : 0
            for number in lowest ..< record.number { hashes[number] = chain.canonicalHash(number: number) }
            let environment = executor.environment(for: record.header, blockHashes: hashes)
            var results: [(hash: Hash32, outcome: TransactionOutcome)] = []
            for (index, signed) in record.block.transactions.enumerated() {
                let transaction = BlockExecutor.executionTransaction(signed, sender: record.senders[index])
                do throws(TransactionValidationError) {
                    let tracer = makeTracer(index, signed)
                    onStart?(TransactionStart(state: state, environment: environment, transaction: transaction))
                    let outcome = try executor.processor.apply(transaction, in: environment, to: state, tracer: tracer)
                    results.append((signed.hash, Self.withReturnData(outcome, state: state)))
                } catch {
                    throw .chain(.invalidTransaction(number: record.number, index: index, .validation(error)))
                }
            }
            return results
        }
    }

    // MARK: Fees

    /// The suggested tip (eth_maxPriorityFeePerGas): 1 gwei, as anvil suggests; a dev chain has no
    /// fee market to sample.
    /// - Returns: wei per gas.
    public func maxPriorityFeePerGas() -> UInt256 { Self.defaultPriorityFee }

    /// The suggested legacy gas price (eth_gasPrice): the next block's base fee plus the suggested tip.
    /// - Returns: wei per gas.
    public func gasPrice() -> UInt256 {
        locked { nextBaseFeeLocked() &+ Self.defaultPriorityFee }
    }

    /// The base fee the next block will have.
    public var nextBaseFee: UInt256 { locked { nextBaseFeeLocked() } }

    /// Base fees, gas-used ratios and tip percentiles of up to 1024 blocks ending at `newest`
    /// (eth_feeHistory). Tips are each transaction's effective tip, sorted and weighted by the gas it
    /// used, as geth computes them.
    /// - Parameters:
    ///   - blockCount: how many blocks (1…1024; fewer if the chain is shorter).
    ///   - newest: the last block.
    ///   - rewardPercentiles: increasing percentiles in [0, 100].
    /// - Returns: the history.
    /// - Throws: `NodeError.invalidArgument` for bad percentiles or count, `.unknownBlock`.
    public func feeHistory(blockCount: Int, newest: BlockTag, rewardPercentiles: [Double]) throws(NodeError) -> FeeHistory {
        guard blockCount >= 1 else { throw .invalidArgument("blockCount must be at least 1, got \(blockCount)") }
        for (index, percentile) in rewardPercentiles.enumerated() {
            guard percentile >= 0, percentile <= 100, index == 0 || percentile >= rewardPercentiles[index - 1] else {
                throw .invalidArgument("invalid reward percentile \(percentile): percentiles must rise within [0, 100]")
            }
        }
        return try locked { () throws(NodeError) -> FeeHistory in
            guard let (newestHeader, _) = resolveHeader(newest) else { throw .unknownBlock(newest.description) }
            let count = UInt64(min(blockCount, 1024))
            let oldest = newestHeader.number + 1 >= count ? newestHeader.number + 1 - count : 0
            var baseFees: [UInt256] = []
            var ratios: [Double] = []
            var rewards: [[UInt256]] = []
            for number in oldest ... newestHeader.number {
                guard let hash = chain.canonicalHash(number: number) else { continue }
                let record: BlockRecord?
                let receipts: [Receipt]?
                do throws(ChainError) {
                    record = try chain.block(hash: hash)
                    receipts = try chain.receipts(blockHash: hash)
                } catch {
                    throw .chain(error)
                }
                guard let record, let receipts else { continue }
                let header = record.header
                let baseFee = header.baseFeePerGas ?? .zero
                baseFees.append(baseFee)
                ratios.append(header.gasLimit == 0 ? 0 : Double(header.gasUsed) / Double(header.gasLimit))
                guard !rewardPercentiles.isEmpty else { continue }
                var tips: [(tip: UInt256, gas: UInt64)] = []
                var previous: UInt64 = 0
                for (index, transaction) in record.block.transactions.enumerated() {
                    let gas = receipts[index].cumulativeGasUsed - previous
                    previous = receipts[index].cumulativeGasUsed
                    tips.append((transaction.effectivePriorityFee(baseFee: baseFee) ?? .zero, gas))
                }
                tips.sort { $0.tip < $1.tip }
                var row: [UInt256] = []
                if tips.isEmpty {
                    row = Array(repeating: .zero, count: rewardPercentiles.count)
                } else {
                    var index = 0
                    var sum = tips[0].gas
                    for percentile in rewardPercentiles {
                        let threshold = UInt64(Double(header.gasUsed) * percentile / 100)
                        while sum < threshold && index < tips.count - 1 {
                            index += 1
                            sum += tips[index].gas
                        }
                        row.append(tips[index].tip)
                    }
                }
                rewards.append(row)
            }
            // After the head, the base fee the next block will really have (anvil_setNextBlockBaseFeePerGas included).
            baseFees.append(newestHeader.number == chain.head.number ? nextBaseFeeLocked() : Header.nextBaseFee(parent: newestHeader))
            return FeeHistory(oldestBlock: oldest, baseFeePerGas: baseFees, gasUsedRatio: ratios, reward: rewards)
        }
    }
}
