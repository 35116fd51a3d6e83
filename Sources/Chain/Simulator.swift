import ChainTypes
import EVM
import Execution
import Primitives
import State
import Storage

// eth_simulateV1, as go-ethereum's `internal/ethapi/simulate.go` runs it:
//
// 1. Limits: 1…256 blocks, at most 5000 calls a block and 10000 in all.
// 2. The chain is sanitized (`sanitizeChain`): a block without a number is the previous + 1, one
//    without a time the previous + 12; numbers and times must rise strictly; a gap in the numbers is
//    filled with empty blocks 12 seconds apart; no block may be more than 256 past the base.
// 3. Each block's header starts from the previous one's coinbase, gas limit and difficulty (with
//    the block overrides on top), an empty extra data and nonce, and a base fee that is the
//    override, else the EIP-1559 successor of the parent's with validation, else zero.
// 4. The block's state overrides are applied, then each call runs as a transaction: the sender's
//    nonce unless given, all the gas the block has left unless given ("block gas limit reached"
//    otherwise), type 2 unless `gasPrice` makes it legacy. Without validation the nonce is not
//    checked and a call without fees runs free even under a base fee (geth's `NoBaseFee`); with it,
//    nonce, funds and fee are checked as in a real block. A sender with code is never refused.
//    A call that cannot be a transaction ends the whole simulation with its validation error.
// 5. The block's state is committed for its state root (into an overlay over the node's store, so
//    nothing reaches the chain), and the header gets its roots, bloom and gas used; its hash is then
//    final and BLOCKHASH in later simulated blocks sees it.

/// Runs a simulation on a state (the node's lock held by the caller).
struct Simulator {
    /// geth's `maxSimulateBlocks`.
    static let maximumBlocks: UInt64 = 256
    /// geth's `maxSimulateCallsPerBlock`.
    static let maximumCallsPerBlock = 5000
    /// geth's `maxSimulateTotalCalls`.
    static let maximumCalls = 10_000
    /// geth's `timestampIncrement`: the seconds between blocks whose time is not given.
    static let timestampIncrement: UInt64 = 12

    let executor: BlockExecutor
    let chainId: UInt64
    let store: SimulationStore
    let state: WorldState
    let request: SimulationRequest
    /// Hashes for BLOCKHASH: the base's 256 and the simulated blocks so far.
    var blockHashes: [UInt64: Hash32]

    /// Checks the sizes before anything is read.
    /// - Parameter request: the simulation.
    /// - Throws: `SimulationError.emptyInput` or `.clientLimitExceeded`.
    static func checkLimits(_ request: SimulationRequest) throws(SimulationError) {
        guard !request.blocks.isEmpty else { throw .emptyInput }
        guard request.blocks.count <= Int(maximumBlocks) else { throw .clientLimitExceeded("too many blocks") }
        var total = 0
        for block in request.blocks {
            guard block.calls.count <= maximumCallsPerBlock else {
                throw .clientLimitExceeded("too many calls in block: \(block.calls.count) > \(maximumCallsPerBlock)")
            }
            total += block.calls.count
            guard total <= maximumCalls else { throw .clientLimitExceeded("too many calls: \(total) > \(maximumCalls)") }
        }
    }

    /// Numbers and times for every block, gaps filled (geth's `sanitizeChain`).
    /// - Parameters:
    ///   - blocks: the requested blocks.
    ///   - base: the header the simulation builds on.
    /// - Returns: the blocks to run, each with its number and time set.
    /// - Throws: `SimulationError.blockNumberNotIncreasing`, `.timestampNotIncreasing`, `.clientLimitExceeded`.
    static func sanitize(_ blocks: [SimulatedBlockRequest], base: Header) throws(SimulationError) -> [SimulatedBlockRequest] {
        var result: [SimulatedBlockRequest] = []
        var previousNumber = base.number
        var previousTime = base.timestamp
        for var block in blocks {
            var overrides = block.blockOverrides ?? BlockOverrides()
            let (next, overflow) = previousNumber.addingReportingOverflow(1)
            let number = overrides.number ?? (overflow ? UInt64.max : next)
            guard number > previousNumber else { throw .blockNumberNotIncreasing(number: number, previous: previousNumber) }
            guard number - base.number <= maximumBlocks else { throw .clientLimitExceeded("too many blocks") }
            var gapNumber = previousNumber + 1
            while gapNumber < number {
                previousTime &+= timestampIncrement
                var gap = BlockOverrides()
                gap.number = gapNumber
                gap.time = previousTime
                result.append(SimulatedBlockRequest(blockOverrides: gap))
                gapNumber += 1
            }
            previousNumber = number
            let time: UInt64
            if let given = overrides.time {
                guard given > previousTime else { throw .timestampNotIncreasing(timestamp: given, previous: previousTime) }
                time = given
            } else {
                time = previousTime &+ timestampIncrement
            }
            previousTime = time
            overrides.number = number
            overrides.time = time
            block.blockOverrides = overrides
            result.append(block)
        }
        return result
    }

    /// Runs every block.
    /// - Parameters:
    ///   - blocks: the sanitized blocks.
    ///   - base: the header they build on.
    ///   - baseTotalDifficulty: the base's total difficulty.
    /// - Returns: the simulated blocks.
    /// - Throws: `SimulationError`.
    mutating func run(_ blocks: [SimulatedBlockRequest], base: Header,
                      baseTotalDifficulty: UInt256) throws(SimulationError) -> [SimulatedBlock] {
        var results: [SimulatedBlock] = []
        var parent = base
        var template = base
        var totalDifficulty = baseTotalDifficulty
        for block in blocks {
            let overrides = block.blockOverrides ?? BlockOverrides()
            let baseFee = overrides.baseFeePerGas ?? (request.validation ? Header.nextBaseFee(parent: parent) : .zero)
            let header = Header(parentHash: parent.hash, coinbase: overrides.feeRecipient ?? template.coinbase,
                                stateRoot: .zero, transactionsRoot: .zero, receiptsRoot: .zero,
                                logsBloom: Bloom(), difficulty: overrides.difficulty ?? template.difficulty,
                                number: overrides.number ?? parent.number + 1, gasLimit: overrides.gasLimit ?? template.gasLimit,
                                gasUsed: 0, timestamp: overrides.time ?? parent.timestamp + Self.timestampIncrement,
                                extraData: [], mixHash: overrides.prevRandao ?? .zero, nonce: 0, baseFeePerGas: baseFee)
            template = header
            let simulated = try process(block, header: header, totalDifficulty: &totalDifficulty)
            results.append(simulated)
            parent = simulated.record.header
            blockHashes[parent.number] = simulated.record.hash
        }
        return results
    }

    /// Runs one block's overrides and calls, and completes its header.
    private func process(_ block: SimulatedBlockRequest, header prepared: Header,
                         totalDifficulty: inout UInt256) throws(SimulationError) -> SimulatedBlock {
        var header = prepared
        var environment = executor.environment(for: header, blockHashes: blockHashes)
        if let blobBaseFee = block.blockOverrides?.blobBaseFee { environment.blobBaseFee = blobBaseFee }
        var processor = executor.processor
        processor.relaxations = request.validation ? [.skipsSenderCodeCheck] : [.skipsSenderCodeCheck, .allowsFreeBelowBaseFee]
        try Self.checkPrecompileMoves(block.stateOverrides, precompiles: processor.precompiles)
        do throws(NodeError) {
            try CallOverrides(accounts: block.stateOverrides).applyAccounts(to: state, precompiles: &processor.precompiles)
        } catch {
            if case .invalidCall(let reason) = error { throw .invalidOverride(reason) }
            throw .invalidOverride(error.description)
        }
        let tracer = request.traceTransfers ? SimulationTransferTracer(state: state) : nil
        var gasUsed: UInt64 = 0
        var transactions: [Transaction] = []
        var senders: [Address] = []
        var receipts: [Receipt] = []
        var bloom = Bloom()
        var outcomes: [(outcome: TransactionOutcome, logs: [(log: Log, index: Int)])] = []
        var logCount = 0
        for call in block.calls {
            let (transaction, execution) = try transaction(for: call, remainingGas: header.gasLimit - gasUsed)
            tracer?.reset()
            var outcome: TransactionOutcome
            do throws(TransactionValidationError) {
                outcome = try processor.apply(execution, in: environment, to: state, tracer: tracer)
            } catch {
                throw .invalidTransaction(error, suppliedGas: execution.gasLimit)
            }
            outcome = Node.withReturnData(outcome, state: state)
            gasUsed += outcome.gasUsed
            let receipt = Receipt(type: transaction.type, status: outcome.status == .success ? .success : .failure,
                                  cumulativeGasUsed: gasUsed, logs: outcome.logs)
            bloom.formUnion(receipt.logsBloom)
            let logs: [(log: Log, index: Int)]
            if let tracer {
                logs = tracer.logs(isSuccess: outcome.status == .success)
            } else {
                logs = outcome.logs.enumerated().map { ($0.element, logCount + $0.offset) }
                logCount += outcome.logs.count
            }
            transactions.append(transaction)
            senders.append(execution.sender)
            receipts.append(receipt)
            outcomes.append((outcome, logs))
        }
        var batch = WriteBatch()
        do throws(StateError) { header.stateRoot = try state.commit(into: &batch) } catch { throw .state("\(error)") }
        do throws(StorageError) { try store.write(batch) } catch { throw .state("\(error)") }
        header.gasUsed = gasUsed
        header.transactionsRoot = Block.transactionsRoot(of: transactions)
        header.receiptsRoot = Block.receiptsRoot(of: receipts)
        header.logsBloom = bloom
        let body = Block(header: header, transactions: transactions)
        let hash = header.hash
        let transactionHashes = transactions.map(\.hash)
        totalDifficulty = totalDifficulty &+ header.difficulty
        let record = BlockRecord(block: body, hash: hash, senders: senders, transactionHashes: transactionHashes,
                                 totalDifficulty: totalDifficulty, size: body.encoded.count)
        let calls = outcomes.enumerated().map { index, entry in
            SimulatedCall(status: entry.outcome.status, returnData: entry.outcome.output, gasUsed: entry.outcome.gasUsed,
                          maxUsedGas: entry.outcome.gasUsed + entry.outcome.gasRefunded,
                          logs: entry.logs.map {
                              LogRecord(log: $0.log, blockHash: hash, blockNumber: header.number,
                                        transactionHash: transactionHashes[index], transactionIndex: index, logIndex: $0.index)
                          })
        }
        return SimulatedBlock(record: record, calls: calls)
    }

    /// The spec's two refusals of precompile moves that geth does not make (-38022, -38023), for moves
    /// of real precompiles only: moving anything else is geth's "account 0x… is not a precompile".
    static func checkPrecompileMoves(_ overrides: [Address: AccountOverride],
                                     precompiles: PrecompileRegistry) throws(SimulationError) {
        var sources: [Address: Address] = [:]
        for address in overrides.keys.sorted() {
            guard let destination = overrides[address]?.movePrecompileTo, precompiles.precompile(at: address) != nil else { continue }
            guard destination != address else { throw .movePrecompileToItself(address) }
            if let first = sources[destination] {
                throw .movePrecompileDestinationReused(destination, first: first, second: address)
            }
            sources[destination] = address
        }
    }

    /// A call as the block's (unsigned) transaction and as the EVM runs it (geth's `sanitizeCall`,
    /// `CallDefaults`, `ToTransaction(DynamicFeeTxType)` and `ToMessage`).
    private func transaction(for call: CallRequest,
                             remainingGas: UInt64) throws(SimulationError) -> (Transaction, ExecutionTransaction) {
        let sender = call.from ?? .zero
        let stateNonce = state.nonce(of: sender)
        let nonce = call.nonce ?? stateNonce
        let gas = call.gas ?? remainingGas
        guard gas <= remainingGas else { throw .blockGasLimitReached(remaining: remainingGas, required: gas) }
        if call.gasPrice != nil && (call.maxFeePerGas != nil || call.maxPriorityFeePerGas != nil) {
            throw .invalidCall("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")
        }
        let value = call.value ?? .zero
        let accessList = call.accessList ?? []
        // Without validation the nonce is not checked: the EVM runs with the state's.
        let executionNonce = request.validation ? nonce : stateNonce
        if let gasPrice = call.gasPrice {
            let transaction = Transaction.legacy(chainId: nil, nonce: nonce, gasPrice: gasPrice, gasLimit: gas, to: call.to,
                                                 value: value, data: call.data)
            let execution = ExecutionTransaction(kind: accessList.isEmpty ? .legacy : .accessList, nonce: executionNonce,
                                                 gasPrice: gasPrice, gasLimit: gas, to: call.to, value: value,
                                                 data: call.data, accessList: accessList, sender: sender)
            return (transaction, execution)
        }
        let maxFee = call.maxFeePerGas ?? .zero
        let tip = call.maxPriorityFeePerGas ?? .zero
        let transaction = Transaction.dynamicFee(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                                                 gasLimit: gas, to: call.to, value: value, data: call.data,
                                                 accessList: accessList)
        let execution = ExecutionTransaction(kind: .dynamicFee, nonce: executionNonce, gasPrice: maxFee, maxFeePerGas: maxFee,
                                             maxPriorityFeePerGas: tip, gasLimit: gas, to: call.to, value: value,
                                             data: call.data, accessList: accessList, sender: sender)
        return (transaction, execution)
    }
}

extension Node {
    /// Simulates blocks of calls on top of a block (eth_simulateV1), without changing anything:
    /// the state lives in memory over the node's store and is dropped afterwards.
    /// - Parameters:
    ///   - request: the blocks, their overrides and calls, and the options.
    ///   - tag: the block to build on (default latest; at the head, dev state changes included).
    /// - Returns: one simulated block per block run (gaps included), each with its calls' results.
    /// - Throws: `SimulationError` when the request is refused or a call cannot be a transaction.
    public func simulate(_ request: SimulationRequest, at tag: BlockTag = .latest) throws(SimulationError) -> [SimulatedBlock] {
        try Simulator.checkLimits(request)
        return try locked { () throws(SimulationError) -> [SimulatedBlock] in
            guard let (base, baseHash) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
            let root = baseHash == chain.headHash ? chain.pendingStateRoot : base.stateRoot
            let blocks = try Simulator.sanitize(request.blocks, base: base)
            var hashes: [UInt64: Hash32] = [:]
            let lowest = base.number >= 255 ? base.number - 255 : 0
            for number in lowest ..< base.number { hashes[number] = chain.canonicalHash(number: number) }
            hashes[base.number] = baseHash
            let totalDifficulty: UInt256
            do throws(ChainError) { totalDifficulty = try chain.totalDifficulty(number: base.number, hash: baseHash) } catch {
                throw .state(error.description)
            }
            let store = SimulationStore(base: chain.store)
            var simulator = Simulator(executor: executor, chainId: chainId, store: store,
                                      state: WorldState(store: store, root: root), request: request, blockHashes: hashes)
            return try simulator.run(blocks, base: base, baseTotalDifficulty: totalDifficulty)
        }
    }
}
