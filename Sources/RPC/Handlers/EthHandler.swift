import Chain
import EVM
import Primitives

/// The `eth_` namespace, as web3.py, ethers and viem use it against geth or anvil.
///
/// State methods take a block tag, number, hash or EIP-1898 object; a missing one means "latest"
/// (anvil's leniency; geth requires it). Reverts are code 3 with the revert data; refusals are
/// -32000 with the node's geth-worded message.
public struct EthHandler: Sendable {
    /// The chain view over the node.
    public let view: ChainView
    /// The polling filters.
    public let filters: FilterRegistry

    /// The node.
    public var backend: any NodeBackend { view.backend }

    /// geth's cap on `eth_feeHistory`'s block count.
    public static let maximumFeeHistoryBlocks: UInt64 = 1024

    /// Creates the handler.
    /// - Parameters:
    ///   - view: the chain view.
    ///   - filters: the filter registry shared with the subscription code.
    public init(view: ChainView, filters: FilterRegistry) {
        self.view = view; self.filters = filters
    }

    /// Adds every `eth_` method.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        registerChainMethods(on: &methods)
        registerStateMethods(on: &methods)
        registerExecutionMethods(on: &methods)
        registerTransactionMethods(on: &methods)
        registerBlockMethods(on: &methods)
        registerLogMethods(on: &methods)
    }

    // MARK: - Chain and node facts

    private func registerChainMethods(on methods: inout RPCMethods) {
        let backend = self.backend
        let chainId = backend.chainId
        methods.register("eth_chainId") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(chainId)
        }
        methods.register("eth_blockNumber") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(await backend.headBlockNumber())
        }
        methods.register("eth_accounts") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return .array(await backend.accounts().map { Quantity.json($0) })
        }
        methods.register("eth_coinbase") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(await backend.coinbase())
        }
        methods.register("eth_syncing") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return .bool(false)
        }
        methods.register("eth_mining") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return .bool(true)
        }
        methods.register("eth_hashrate") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(UInt64(0))
        }
        methods.register("eth_gasPrice") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(await backend.gasPrice())
        }
        methods.register("eth_maxPriorityFeePerGas") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return Quantity.json(await backend.maxPriorityFeePerGas())
        }
        let view = self.view
        methods.register("eth_feeHistory") { parameters throws(RPCError) in
            try parameters.expectAtMost(3)
            let count = try parameters.required(0, Self.decodeBlockCount)
            let newest = try parameters.required(1, BlockTag.decode)
            let percentiles = try parameters.optional(2, Self.decodePercentiles) ?? []
            return try await Self.feeHistory(count: count, newest: newest, percentiles: percentiles,
                                              hasPercentiles: !parameters.isAbsent(2), view: view)
        }
        methods.register("eth_subscribe") { _ throws(RPCError) in
            throw RPCError(code: -32001, message: "notifications not supported")
        }
        methods.register("eth_unsubscribe") { _ throws(RPCError) in
            throw RPCError(code: -32001, message: "notifications not supported")
        }
    }

    // MARK: - State

    private func registerStateMethods(on methods: inout RPCMethods) {
        let view = self.view
        let backend = self.backend
        methods.register("eth_getBalance") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            let number = try await view.number(of: parameters.blockReference(1))
            do throws(NodeBackendError) { return Quantity.json(try await backend.balance(of: address, atBlock: number)) } catch { throw RPCError(error) }
        }
        methods.register("eth_getTransactionCount") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            let number = try await view.number(of: parameters.blockReference(1))
            do throws(NodeBackendError) { return Quantity.json(try await backend.nonce(of: address, atBlock: number)) } catch { throw RPCError(error) }
        }
        methods.register("eth_getCode") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            let number = try await view.number(of: parameters.blockReference(1))
            do throws(NodeBackendError) { return Quantity.data(try await backend.code(of: address, atBlock: number)) } catch { throw RPCError(error) }
        }
        methods.register("eth_getStorageAt") { parameters throws(RPCError) in
            try parameters.expectAtMost(3)
            let address = try parameters.required(0, HexArgument.address)
            let slot = try parameters.required(1, Self.decodeStorageSlot)
            let number = try await view.number(of: parameters.blockReference(2))
            do throws(NodeBackendError) {
                let value = try await backend.storage(of: address, slot: slot, atBlock: number)
                return Quantity.json(value.hash32)
            } catch {
                throw RPCError(error)
            }
        }
    }

    /// Storage keys may be any hex of up to 32 bytes (geth's `hexutil.DecodeBig`-then-hash rule).
    static func decodeStorageSlot(_ value: JSON) throws(ArgumentError) -> UInt256 {
        guard case .string(let text) = value else { throw HexArgument.nonString(.hash) }
        let utf8 = Array(text.utf8)
        guard HexArgument.hasPrefix(utf8) else { throw ArgumentError("hex string without 0x prefix") }
        guard utf8.count <= 66 else { throw ArgumentError("hex string too long, want at most 32 bytes") }
        var slot = UInt256.zero
        for character in utf8.dropFirst(2) {
            guard let nibble = HexArgument.nibble(character) else { throw ArgumentError("invalid hex string") }
            slot = slot << 4 | UInt256(UInt64(nibble))
        }
        return slot
    }

    // MARK: - Execution

    private func registerExecutionMethods(on methods: inout RPCMethods) {
        let view = self.view
        let backend = self.backend
        methods.register("eth_call") { parameters throws(RPCError) in
            try parameters.expectAtMost(4)
            let request = try parameters.required(0, CallRequest.decode)
            let number = try await view.number(of: parameters.blockReference(1))
            let outcome: CallOutcome
            do throws(NodeBackendError) { outcome = try await backend.call(request, atBlock: number, tracer: nil) } catch { throw RPCError(error) }
            return try Self.result(of: outcome)
        }
        methods.register("eth_estimateGas") { parameters throws(RPCError) in
            try parameters.expectAtMost(3)
            let request = try parameters.required(0, CallRequest.decode)
            let number = try await view.number(of: parameters.blockReference(1))
            do throws(NodeBackendError) { return Quantity.json(try await backend.estimateGas(request, atBlock: number)) } catch { throw RPCError(error) }
        }
    }

    /// The `eth_call` result of an outcome: the output, or the error geth gives for the status.
    /// - Parameter outcome: the outcome.
    /// - Returns: the output as data.
    /// - Throws: `RPCError` 3 for a revert, -32000 for other failures.
    public static func result(of outcome: CallOutcome) throws(RPCError) -> JSON {
        switch outcome.status {
        case .success: return Quantity.data(outcome.output)
        case .revert: throw .executionReverted(outcome.output)
        default: throw .server(executionErrorMessage(outcome.status))
        }
    }

    /// geth's message for an EVM failure (`core/vm/errors.go`).
    /// - Parameter status: how execution ended.
    /// - Returns: the message.
    public static func executionErrorMessage(_ status: StatusCode) -> String {
        switch status {
        case .success: return ""
        case .revert: return "execution reverted"
        case .outOfGas: return "out of gas"
        case .invalidInstruction: return "invalid opcode: INVALID"
        case .undefinedInstruction: return "invalid opcode"
        case .stackOverflow: return "stack limit reached 1024"
        case .stackUnderflow: return "stack underflow"
        case .badJumpDestination: return "invalid jump destination"
        case .invalidMemoryAccess: return "return data out of bounds"
        case .staticModeViolation: return "write protection"
        case .precompileFailure: return "precompiled contract failed"
        case .contractValidationFailure: return "invalid code: must not begin with 0xef"
        case .argumentOutOfRange: return "max initcode size exceeded"
        case .insufficientBalance: return "insufficient balance for transfer"
        default: return "execution failed: \(status)"
        }
    }

    // MARK: - Transactions

    private func registerTransactionMethods(on methods: inout RPCMethods) {
        let view = self.view
        let backend = self.backend
        let filters = self.filters
        methods.register("eth_sendRawTransaction") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let bytes = try parameters.required(0, HexArgument.bytes)
            let transaction: Transaction
            do throws(TransactionError) { transaction = try Transaction(encoded: bytes) } catch { throw .server(error.description) }
            let hash: Hash32
            do throws(NodeBackendError) { hash = try await backend.submit(transaction) } catch { throw RPCError(error) }
            await filters.transactionAdded(hash)
            return Quantity.json(hash)
        }
        methods.register("eth_sendTransaction") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let request = try parameters.required(0, CallRequest.decode)
            let hash: Hash32
            do throws(NodeBackendError) { hash = try await backend.sendTransaction(request) } catch { throw RPCError(error) }
            await filters.transactionAdded(hash)
            return Quantity.json(hash)
        }
        methods.register("eth_getTransactionByHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            if let location = await backend.transactionLocation(hash: hash),
               let block = await backend.block(hash: location.blockHash), location.index < block.transactions.count {
                return await view.transactionJSON(block.transactions[location.index], in: block, index: location.index)
            }
            if let pending = await backend.pendingTransaction(hash: hash) {
                return ChainJSON.transaction(pending, sender: await view.sender(of: pending), inclusion: nil)
            }
            return .null
        }
        methods.register("eth_getTransactionReceipt") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            guard let location = await backend.transactionLocation(hash: hash),
                  let block = await backend.block(hash: location.blockHash),
                  let receipts = await backend.receipts(ofBlock: location.blockHash),
                  location.index < receipts.count, location.index < block.transactions.count else { return .null }
            return await view.receiptJSON(block: block, receipts: receipts, index: location.index)
        }
    }

    // MARK: - Blocks

    private func registerBlockMethods(on methods: inout RPCMethods) {
        let view = self.view
        let backend = self.backend
        methods.register("eth_getBlockByNumber") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let tag = try parameters.required(0, BlockTag.decode)
            let full = try parameters.required(1, SimpleArgument.bool)
            guard let block = await view.block(tag) else { return .null }
            return await view.blockJSON(block, fullTransactions: full)
        }
        methods.register("eth_getBlockByHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let hash = try parameters.required(0, HexArgument.hash)
            let full = try parameters.required(1, SimpleArgument.bool)
            guard let block = await backend.block(hash: hash) else { return .null }
            return await view.blockJSON(block, fullTransactions: full)
        }
        methods.register("eth_getBlockTransactionCountByNumber") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let tag = try parameters.required(0, BlockTag.decode)
            guard let block = await view.block(tag) else { return .null }
            return Quantity.json(UInt64(block.transactions.count))
        }
        methods.register("eth_getBlockTransactionCountByHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            guard let block = await backend.block(hash: hash) else { return .null }
            return Quantity.json(UInt64(block.transactions.count))
        }
        methods.register("eth_getTransactionByBlockNumberAndIndex") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let tag = try parameters.required(0, BlockTag.decode)
            let index = try parameters.required(1) { value throws(ArgumentError) in try HexArgument.uint64(value, type: .uint) }
            guard let block = await view.block(tag), index < UInt64(block.transactions.count) else { return .null }
            return await view.transactionJSON(block.transactions[Int(index)], in: block, index: Int(index))
        }
        methods.register("eth_getTransactionByBlockHashAndIndex") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let hash = try parameters.required(0, HexArgument.hash)
            let index = try parameters.required(1) { value throws(ArgumentError) in try HexArgument.uint64(value, type: .uint) }
            guard let block = await backend.block(hash: hash), index < UInt64(block.transactions.count) else { return .null }
            return await view.transactionJSON(block.transactions[Int(index)], in: block, index: Int(index))
        }
        for name in ["eth_getUncleCountByBlockNumber", "eth_getUncleCountByBlockHash"] {
            methods.register(name) { parameters throws(RPCError) in
                try parameters.expectAtMost(1)
                return Quantity.json(UInt64(0))
            }
        }
    }

    // MARK: - Logs and filters

    private func registerLogMethods(on methods: inout RPCMethods) {
        let view = self.view
        let backend = self.backend
        let filters = self.filters
        methods.register("eth_getLogs") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let filter = try parameters.required(0, LogFilter.decode)
            return .array(try await Self.logs(matching: filter, view: view))
        }
        methods.register("eth_newFilter") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let filter = try parameters.required(0, LogFilter.decode)
            return .string(await filters.install(.logs(filter), head: await backend.headBlockNumber()))
        }
        methods.register("eth_newBlockFilter") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return .string(await filters.install(.blocks, head: await backend.headBlockNumber()))
        }
        methods.register("eth_newPendingTransactionFilter") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return .string(await filters.install(.pendingTransactions, head: await backend.headBlockNumber()))
        }
        methods.register("eth_uninstallFilter") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.string)
            return .bool(await filters.uninstall(id))
        }
        methods.register("eth_getFilterChanges") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.string)
            guard let kind = await filters.kind(of: id) else { throw .server("filter not found") }
            switch kind {
            case .pendingTransactions:
                let hashes = await filters.takePendingHashes(id) ?? []
                return .array(hashes.map { Quantity.json($0) })
            case .blocks:
                let head = await backend.headBlockNumber()
                guard let last = await filters.advance(id, to: head) else { throw .server("filter not found") }
                var hashes: [JSON] = []
                if head > last {
                    for number in (last + 1)...head {
                        if let block = await backend.block(number: number) { hashes.append(Quantity.json(block.hash)) }
                    }
                }
                return .array(hashes)
            case .logs(let filter):
                let head = await backend.headBlockNumber()
                guard let last = await filters.advance(id, to: head) else { throw .server("filter not found") }
                guard head > last else { return .array([]) }
                var from = last + 1
                var to = head
                if case .number(let start)? = filter.fromBlock { from = max(from, start) }
                if case .number(let end)? = filter.toBlock { to = min(to, end) }
                return .array(await filter.logs(from: from, to: to, in: view))
            }
        }
        methods.register("eth_getFilterLogs") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.string)
            guard case .logs(let filter)? = await filters.kind(of: id) else { throw .server("filter not found") }
            return .array(try await Self.logs(matching: filter, view: view))
        }
    }

    /// The logs matching a filter over its range (geth's `invalid block range params` and
    /// `unknown block` errors).
    /// - Parameters:
    ///   - filter: the criteria.
    ///   - view: the chain.
    /// - Returns: the logs as JSON.
    /// - Throws: `RPCError` -32000 for an unknown block hash or an inverted range.
    public static func logs(matching filter: LogFilter, view: ChainView) async throws(RPCError) -> [JSON] {
        if let hash = filter.blockHash {
            guard let block = await view.backend.block(hash: hash) else { throw .server("unknown block") }
            return await filter.logs(in: block, view: view)
        }
        let head = await view.backend.headBlockNumber()
        let from = try await resolveRangeEnd(filter.fromBlock, head: head)
        let to = try await resolveRangeEnd(filter.toBlock, head: head)
        if from > to { throw .server("invalid block range params") }
        return await filter.logs(from: from, to: min(to, head), in: view)
    }

    private static func resolveRangeEnd(_ tag: BlockTag?, head: UInt64) async throws(RPCError) -> UInt64 {
        switch tag {
        case nil, .latest?, .pending?, .safe?, .finalized?: return head
        case .earliest?: return 0
        case .number(let number)?: return number
        }
    }

    // MARK: - Fee history

    static func decodeBlockCount(_ value: JSON) throws(ArgumentError) -> UInt64 {
        if case .number(let text) = value {
            guard let count = UInt64(text) else { throw ArgumentError("json: cannot unmarshal number \(text) into Go value of type math.HexOrDecimal64") }
            return count
        }
        guard case .string(let text) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type math.HexOrDecimal64")
        }
        if let decimal = UInt64(text) { return decimal }
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), let count = UInt64(text.dropFirst(2), radix: 16) else {
            throw ArgumentError("invalid hex or decimal integer \"\(text)\"")
        }
        return count
    }

    static func decodePercentiles(_ value: JSON) throws(ArgumentError) -> [Double] {
        guard case .array(let elements) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type []float64")
        }
        var percentiles: [Double] = []
        for element in elements {
            guard case .number(let text) = element, let number = Double(text) else {
                throw ArgumentError("json: cannot unmarshal \(JSONKind.of(element)) into Go value of type float64")
            }
            percentiles.append(number)
        }
        return percentiles
    }

    static func feeHistory(count requested: UInt64, newest: BlockTag, percentiles: [Double], hasPercentiles: Bool,
                           view: ChainView) async throws(RPCError) -> JSON {
        for (index, percentile) in percentiles.enumerated() {
            if percentile < 0 || percentile > 100 {
                throw .server("invalid reward percentile: \(formatPercentile(percentile))")
            }
            if index > 0 && percentile < percentiles[index - 1] {
                throw .server("invalid reward percentile: #\(index - 1):\(formatPercentile(percentiles[index - 1])) > #\(index):\(formatPercentile(percentile))")
            }
        }
        guard requested > 0 else { return .object([("oldestBlock", Quantity.json(UInt64(0))), ("gasUsedRatio", .null)]) }
        let newestNumber = try await view.number(of: newest)
        let count = min(requested, maximumFeeHistoryBlocks, newestNumber + 1)
        let oldest = newestNumber + 1 - count
        var baseFees: [JSON] = []
        var ratios: [JSON] = []
        var rewards: [JSON] = []
        var lastHeader: Header?
        for number in oldest...newestNumber {
            guard let block = await view.backend.block(number: number) else { throw RPCError(NodeBackendError.headerNotFound) }
            let header = block.header
            baseFees.append(Quantity.json(header.baseFeePerGas ?? .zero))
            ratios.append(ChainJSON.float(header.gasLimit == 0 ? 0 : Double(header.gasUsed) / Double(header.gasLimit)))
            if hasPercentiles {
                let receipts = await view.backend.receipts(ofBlock: block.hash) ?? []
                rewards.append(.array(blockRewards(block, receipts: receipts, percentiles: percentiles).map { Quantity.json($0) }))
            }
            lastHeader = header
        }
        if let lastHeader {
            baseFees.append(Quantity.json(lastHeader.baseFeePerGas == nil ? UInt256.zero : Header.nextBaseFee(parent: lastHeader)))
        }
        var members: [(String, JSON)] = [("oldestBlock", Quantity.json(oldest))]
        if hasPercentiles { members.append(("reward", .array(rewards))) }
        members.append(("baseFeePerGas", .array(baseFees)))
        members.append(("gasUsedRatio", .array(ratios)))
        return .object(members)
    }

    static func formatPercentile(_ value: Double) -> String {
        let scaled = (value * 1_000_000).rounded()
        let whole = Int(scaled / 1_000_000)
        let fraction = Int(abs(scaled).truncatingRemainder(dividingBy: 1_000_000))
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    }

    /// Tips at the given percentiles of gas used, as geth's `oracle.processBlock` weighs them.
    static func blockRewards(_ block: Block, receipts: [Receipt], percentiles: [Double]) -> [UInt256] {
        guard !block.transactions.isEmpty, receipts.count == block.transactions.count else {
            return percentiles.map { _ in .zero }
        }
        let baseFee = block.header.baseFeePerGas ?? .zero
        var entries: [(reward: UInt256, gasUsed: UInt64)] = []
        for (index, transaction) in block.transactions.enumerated() {
            let previous = index > 0 ? receipts[index - 1].cumulativeGasUsed : 0
            let reward = transaction.effectivePriorityFee(baseFee: baseFee) ?? .zero
            entries.append((reward, receipts[index].cumulativeGasUsed - previous))
        }
        entries.sort { $0.reward < $1.reward }
        var result: [UInt256] = []
        var index = 0
        var sumGasUsed = entries[0].gasUsed
        for percentile in percentiles {
            let threshold = Double(block.header.gasUsed) * percentile / 100
            while Double(sumGasUsed) < threshold && index < entries.count - 1 {
                index += 1
                sumGasUsed += entries[index].gasUsed
            }
            result.append(entries[index].reward)
        }
        return result
    }
}
