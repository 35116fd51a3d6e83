import Chain
import ChainTypes
import EVM
import Foundation
import JSONRPC
import Primitives
import State

/// The `eth_` namespace, as web3.py, ethers and viem use it against geth or anvil.
///
/// State methods take a block tag, number, hash or EIP-1898 object; a missing one means "latest"
/// (anvil's leniency; geth requires it). Reverts are code 3 with the revert data; refusals are
/// -32000 with the node's geth-worded message.
public struct EthHandler: Sendable {
    /// The node.
    public let node: Node
    /// The polling filters.
    public let filters: FilterRegistry
    /// The most `extraData` bytes blocks show, or nil for all (`RPCServerConfiguration.extraDataLimit`).
    public let extraDataLimit: Int?
    /// The catch-up in progress, for eth_syncing (nil: never syncing).
    public let syncProgress: (@Sendable () -> SyncProgress?)?

    /// Creates the handler.
    /// - Parameters:
    ///   - node: the node.
    ///   - filters: the filter registry.
    ///   - extraDataLimit: the most `extraData` bytes blocks show, or nil for all.
    ///   - syncProgress: the catch-up in progress (the eth handler's catch-up), or nil.
    public init(node: Node, filters: FilterRegistry, extraDataLimit: Int? = nil,
                syncProgress: (@Sendable () -> SyncProgress?)? = nil) {
        self.node = node; self.filters = filters; self.extraDataLimit = extraDataLimit; self.syncProgress = syncProgress
    }

    /// Adds every `eth_` method.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        registerChainMethods(on: &methods)
        registerStateMethods(on: &methods)
        registerExecutionMethods(on: &methods)
        registerSimulateMethod(on: &methods)
        registerTransactionMethods(on: &methods)
        registerBlockMethods(on: &methods)
        registerLogMethods(on: &methods)
    }

    // MARK: - Chain and node facts

    private func registerChainMethods(on methods: inout RPCMethods) {
        let node = self.node
        methods.register("eth_chainId") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(node.chainId)
        }
        methods.register("eth_blockNumber") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(node.headNumber)
        }
        methods.register("eth_accounts") { parameters in
            try parameters.expectAtMost(0)
            return .array(node.accounts.map { Quantity.json($0) })
        }
        methods.register("eth_coinbase") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(node.signer ?? .zero)
        }
        let syncProgress = self.syncProgress
        methods.register("eth_syncing") { parameters in
            try parameters.expectAtMost(0)
            // geth: false when not catching up, else an object with at least these three fields.
            guard let progress = syncProgress?() else { return .bool(false) }
            return .object([("startingBlock", Quantity.json(progress.startingBlock)),
                            ("currentBlock", Quantity.json(node.headNumber)),
                            ("highestBlock", Quantity.json(progress.highestBlock))])
        }
        methods.register("eth_mining") { parameters in
            try parameters.expectAtMost(0)
            return .bool(node.signer != nil)
        }
        methods.register("eth_hashrate") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(UInt64(0))
        }
        methods.register("eth_gasPrice") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(node.gasPrice())
        }
        methods.register("eth_maxPriorityFeePerGas") { parameters in
            try parameters.expectAtMost(0)
            return Quantity.json(node.maxPriorityFeePerGas())
        }
        methods.register("eth_feeHistory") { parameters in
            try parameters.expectAtMost(3)
            let count = try parameters.required(0, Self.decodeBlockCount)
            let newest = try parameters.required(1, BlockArgument.number)
            let percentiles = try parameters.optional(2, Self.decodePercentiles) ?? []
            // geth (eth/gasprice FeeHistory): no blocks is an empty answer before any check, and
            // `reward` is left out (omitempty) unless percentiles were given.
            if count == 0 { return .object([("oldestBlock", Quantity.json(UInt64(0))), ("gasUsedRatio", .null)]) }
            try Self.checkPercentiles(percentiles)
            let history = try node.feeHistory(blockCount: Int(min(count, 1024)), newest: newest, rewardPercentiles: percentiles)
            return ChainJSON.feeHistory(history, includesRewards: !percentiles.isEmpty)
        }
        // Over HTTP; a WebSocket session replaces both. geth answers -32601 since v1.12.1 (#25942;
        // -32001 before, which its clients still accept).
        methods.register("eth_subscribe") { _ in
            throw RPCError(code: -32601, message: "notifications not supported")
        }
        methods.register("eth_unsubscribe") { _ in
            throw RPCError(code: -32601, message: "notifications not supported")
        }
    }

    // MARK: - State

    private func registerStateMethods(on methods: inout RPCMethods) {
        let node = self.node
        methods.register("eth_getBalance") { parameters in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            let tag = try node.resolve(parameters.blockSelection(1))
            return Quantity.json(try node.balance(of: address, at: tag))
        }
        methods.register("eth_getTransactionCount") { parameters in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            let tag = try node.resolve(parameters.blockSelection(1))
            return Quantity.json(try node.nonce(of: address, at: tag))
        }
        methods.register("eth_getCode") { parameters in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            let tag = try node.resolve(parameters.blockSelection(1))
            return Quantity.data(try node.code(of: address, at: tag))
        }
        methods.register("eth_getStorageAt") { parameters in
            try parameters.expectAtMost(3)
            let address = try parameters.required(0, HexArgument.address)
            let slot = try parameters.required(1, Self.decodeStorageSlot)
            let tag = try node.resolve(parameters.blockSelection(2))
            let value = try node.storage(of: address, key: slot, at: tag)
            return Quantity.json(value.hash32)
        }
        methods.register("eth_getProof") { parameters in
            try parameters.expectAtMost(3)
            let address = try parameters.required(0, HexArgument.address)
            let texts = try parameters.required(1, Self.decodeStringArray)
            let keys = try Self.decodeProofKeys(texts)
            let tag = try node.resolve(parameters.blockSelection(2))
            let proof = try node.proof(of: address, storageKeys: keys.map(\.slot), at: tag)
            return Self.proofJSON(proof, keyTexts: keys.map(\.text))
        }
    }

    /// The most storage keys one eth_getProof may ask for (geth's `maxGetProofKeys`).
    static let maximumProofKeys = 1024

    static func decodeStringArray(_ value: JSON) throws(ArgumentError) -> [String] {
        guard case .array(let elements) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type []string")
        }
        var texts: [String] = []
        for element in elements { texts.append(try SimpleArgument.string(element)) }
        return texts
    }

    /// eth_getProof's storage keys, parsed as geth's `decodeStorageKey` parses them: leniently (the
    /// `0x` is optional, an odd digit count is padded), at most 32 bytes. Each key is echoed back
    /// as given when it is 32 bytes long, else as a quantity, as geth does for older clients.
    /// - Parameter texts: the keys as sent.
    /// - Returns: each slot with the text to echo.
    /// - Throws: `RPCError` -32602 naming the bad key, or too many keys.
    static func decodeProofKeys(_ texts: [String]) throws(RPCError) -> [(slot: UInt256, text: String)] {
        guard texts.count <= maximumProofKeys else {
            throw RPCError.invalidParams("too many storage keys requested (max \(maximumProofKeys), got \(texts.count))")
        }
        var keys: [(slot: UInt256, text: String)] = []
        for text in texts {
            var digits = Array(text.utf8)
            if digits.count >= 2, digits[0] == UInt8(ascii: "0"), digits[1] | 0x20 == UInt8(ascii: "x") { digits.removeFirst(2) }
            if digits.count % 2 == 1 { digits.insert(UInt8(ascii: "0"), at: 0) }
            guard digits.count <= 64 else {
                throw RPCError.invalidParams("storage key too long (want at most 32 bytes): \(goQuoted(text))")
            }
            var slot = UInt256.zero
            for digit in digits {
                guard let nibble = HexArgument.nibble(digit) else {
                    throw RPCError.invalidParams("invalid hex in storage key: \(goQuoted(text))")
                }
                slot = slot << 4 | UInt256(UInt64(nibble))
            }
            keys.append((slot, digits.count == 64 ? Hex.encode(slot.bigEndianBytes) : slot.hexQuantity))
        }
        return keys
    }

    /// Go's `%q` for the ASCII text keys are written in (other characters are left as they are).
    static func goQuoted(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// The EIP-1186 result in geth's field order: address, accountProof, balance, codeHash, nonce,
    /// storageHash, storageProof[{key, value, proof}].
    /// - Parameters:
    ///   - proof: the node's proof.
    ///   - keyTexts: each storage key as it is echoed.
    /// - Returns: the JSON object.
    static func proofJSON(_ proof: AccountProof, keyTexts: [String]) -> JSON {
        let storage: [JSON] = zip(proof.storageProofs, keyTexts).map { slot, text in
            .object([("key", .string(text)), ("value", Quantity.json(slot.value)),
                     ("proof", .array(slot.proof.map { Quantity.data($0) }))])
        }
        return .object([
            ("address", Quantity.json(proof.address)),
            ("accountProof", .array(proof.accountProof.map { Quantity.data($0) })),
            ("balance", Quantity.json(proof.balance)),
            ("codeHash", Quantity.json(proof.codeHash)),
            ("nonce", Quantity.json(proof.nonce)),
            ("storageHash", Quantity.json(proof.storageHash)),
            ("storageProof", .array(storage)),
        ])
    }

    /// Storage keys may be any hex of up to 32 bytes (geth decodes them as a big number, then a hash).
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
        let node = self.node
        methods.register("eth_call") { parameters in
            try parameters.expectAtMost(4)
            let request = try parameters.required(0, CallArgument.decode)
            let selection = try parameters.blockSelection(1)
            let overrides = try Self.callOverrides(parameters)
            let tag = try node.resolve(selection)
            let outcome = try node.call(request, at: tag, overrides: overrides)
            return try Self.result(status: outcome.status, output: outcome.output)
        }
        methods.register("eth_estimateGas") { parameters in
            try parameters.expectAtMost(4)
            let request = try parameters.required(0, CallArgument.decode)
            let selection = parameters.isAbsent(1) ? nil : try parameters.blockSelection(1)
            let overrides = try Self.callOverrides(parameters)
            let tag = try selection.map(node.resolve) ?? BlockTag.pending
            return Quantity.json(try node.estimateGas(request, at: tag, overrides: overrides))
        }
        methods.register("eth_createAccessList") { parameters in
            try parameters.expectAtMost(2)
            let request = try parameters.required(0, CallArgument.decode)
            let tag = try parameters.isAbsent(1) ? BlockTag.pending : node.resolve(parameters.blockSelection(1))
            let outcome = try node.createAccessList(request, at: tag)
            return Self.accessListResult(outcome)
        }
    }

    /// The state and block overrides of eth_call and eth_estimateGas (parameters 2 and 3, geth's
    /// `overrides *override.StateOverride, blockOverrides *override.BlockOverrides`).
    static func callOverrides(_ parameters: RPCParameters) throws(RPCError) -> CallOverrides {
        CallOverrides(accounts: try parameters.optional(2, OverrideArgument.state) ?? [:],
                      block: try parameters.optional(3, OverrideArgument.block))
    }

    /// geth's `accessListResult`: `{accessList, error?, gasUsed}`, the error being the EVM's message
    /// when the call reverted or halted ("execution reverted", "out of gas", …).
    /// - Parameter outcome: the node's result.
    /// - Returns: the JSON object.
    static func accessListResult(_ outcome: AccessListOutcome) -> JSON {
        var members: [(String, JSON)] = [("accessList", ChainJSON.accessList(outcome.accessList))]
        if outcome.status != .success { members.append(("error", .string(executionErrorMessage(outcome.status)))) }
        members.append(("gasUsed", Quantity.json(outcome.gasUsed)))
        return .object(members)
    }

    /// The `eth_call` result: the output, or the error geth gives for the status.
    /// - Parameters:
    ///   - status: how execution ended.
    ///   - output: the return or revert data.
    /// - Returns: the output as data.
    /// - Throws: `RPCError` 3 for a revert, -32000 for other failures.
    public static func result(status: StatusCode, output: [UInt8]) throws(RPCError) -> JSON {
        switch status {
        case .success: return Quantity.data(output)
        case .revert: throw RPCError.executionReverted(output)
        default: throw RPCError.server(executionErrorMessage(status))
        }
    }

    /// geth's message for an EVM failure (`core/vm/errors.go`).
    /// - Parameter status: how execution ended.
    /// - Returns: the message.
    package static func executionErrorMessage(_ status: StatusCode) -> String {
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

    /// The second half of both sends, once the transaction is pooled: seal it under automine,
    /// tell pending-transaction filters, answer the hash.
    private static func finishSend(_ hash: Hash32, node: Node, filters: FilterRegistry) async throws -> JSON {
        try await automineAfterSend(node)
        await filters.transactionAdded(hash)
        return Quantity.json(hash)
    }

    private func registerTransactionMethods(on methods: inout RPCMethods) {
        let node = self.node
        let filters = self.filters
        methods.register("eth_sendRawTransaction") { parameters in
            try parameters.expectAtMost(1)
            let bytes = try parameters.required(0, HexArgument.bytes)
            let hash = try node.sendRawTransaction(bytes, mining: false)
            return try await Self.finishSend(hash, node: node, filters: filters)
        }
        methods.register("eth_sendTransaction") { parameters in
            try parameters.expectAtMost(1)
            let request = try parameters.required(0, CallArgument.decode)
            let hash = try node.sendTransaction(request, mining: false)
            return try await Self.finishSend(hash, node: node, filters: filters)
        }
        methods.register("eth_getTransactionByHash") { parameters in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            guard let record = try node.transaction(hash: hash) else { return .null }
            return ChainJSON.transaction(record)
        }
        methods.register("eth_getTransactionReceipt") { parameters in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            guard let record = try node.receipt(hash: hash) else { return .null }
            return ChainJSON.receipt(record)
        }
    }

    // MARK: - Blocks

    private func registerBlockMethods(on methods: inout RPCMethods) {
        let node = self.node
        let limit = extraDataLimit
        @Sendable func block(_ tag: BlockTag) throws -> BlockRecord? {
            try node.block(tag)
        }
        methods.register("eth_getBlockByNumber") { parameters in
            try parameters.expectAtMost(2)
            let tag = try parameters.required(0, BlockArgument.number)
            let full = try parameters.required(1, SimpleArgument.bool)
            return try block(tag).map { ChainJSON.block($0, fullTransactions: full, extraDataLimit: limit) } ?? .null
        }
        methods.register("eth_getBlockByHash") { parameters in
            try parameters.expectAtMost(2)
            let hash = try parameters.required(0, HexArgument.hash)
            let full = try parameters.required(1, SimpleArgument.bool)
            return try block(.hash(hash)).map { ChainJSON.block($0, fullTransactions: full, extraDataLimit: limit) } ?? .null
        }
        methods.register("eth_getBlockTransactionCountByNumber") { parameters in
            try parameters.expectAtMost(1)
            let tag = try parameters.required(0, BlockArgument.number)
            return try block(tag).map { Quantity.json(UInt64($0.block.transactions.count)) } ?? .null
        }
        methods.register("eth_getBlockTransactionCountByHash") { parameters in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            return try block(.hash(hash)).map { Quantity.json(UInt64($0.block.transactions.count)) } ?? .null
        }
        let decodeIndex: @Sendable (JSON) throws(ArgumentError) -> UInt64 = { value throws(ArgumentError) in
            try HexArgument.uint64(value, type: .uint)
        }
        methods.register("eth_getTransactionByBlockNumberAndIndex") { parameters in
            try parameters.expectAtMost(2)
            let tag = try parameters.required(0, BlockArgument.number)
            let index = try parameters.required(1, decodeIndex)
            guard let record = try block(tag), index < UInt64(record.block.transactions.count) else { return .null }
            return ChainJSON.transaction(record.transactionRecords[Int(index)])
        }
        methods.register("eth_getTransactionByBlockHashAndIndex") { parameters in
            try parameters.expectAtMost(2)
            let hash = try parameters.required(0, HexArgument.hash)
            let index = try parameters.required(1, decodeIndex)
            guard let record = try block(.hash(hash)), index < UInt64(record.block.transactions.count) else { return .null }
            return ChainJSON.transaction(record.transactionRecords[Int(index)])
        }
        // Clique blocks have no uncles: zero for a known block, null for an unknown one (geth).
        methods.register("eth_getUncleCountByBlockNumber") { parameters in
            try parameters.expectAtMost(1)
            let tag = try parameters.required(0, BlockArgument.number)
            return try block(tag).map { _ in Quantity.json(UInt64(0)) } ?? .null
        }
        methods.register("eth_getUncleCountByBlockHash") { parameters in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            return try block(.hash(hash)).map { _ in Quantity.json(UInt64(0)) } ?? .null
        }
        // geth's header JSON: the block object without size, transactions and uncles; null if unknown.
        methods.register("eth_getHeaderByNumber") { parameters in
            try parameters.expectAtMost(1)
            let tag = try parameters.required(0, BlockArgument.number)
            return try block(tag).map { Self.headerJSON($0, extraDataLimit: limit) } ?? .null
        }
        methods.register("eth_getHeaderByHash") { parameters in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            return try block(.hash(hash)).map { Self.headerJSON($0, extraDataLimit: limit) } ?? .null
        }
        // geth: every receipt of the block in order (as eth_getTransactionReceipt gives each), null
        // for an unknown block, whether named by number, tag or hash.
        methods.register("eth_getBlockReceipts") { parameters in
            try parameters.expectAtMost(1)
            let selection = try parameters.required(0, BlockArgument.numberOrHash)
            guard let record = try block(selection.tag) else { return .null }
            if selection.requireCanonical, try block(.number(record.number))?.hash != record.hash {
                throw RPCError.server("hash is not currently canonical")
            }
            guard let receipts = try node.receipts(of: .hash(record.hash)) else { return .null }
            return .array(receipts.map(ChainJSON.receipt))
        }
    }

    /// A block's header as eth_getHeaderByNumber/ByHash return it (with its total difficulty).
    static func headerJSON(_ record: BlockRecord, extraDataLimit: Int?) -> JSON {
        ChainJSON.header(record.header, hash: record.hash, totalDifficulty: record.totalDifficulty, extraDataLimit: extraDataLimit)
    }

    // MARK: - Logs and filters

    private func registerLogMethods(on methods: inout RPCMethods) {
        let node = self.node
        let filters = self.filters
        methods.register("eth_getLogs") { parameters in
            try parameters.expectAtMost(1)
            let filter = try parameters.required(0, LogFilterArgument.decode)
            return .array(try Self.logs(matching: filter, node: node).map(ChainJSON.log))
        }
        methods.register("eth_newFilter") { parameters in
            try parameters.expectAtMost(1)
            let filter = try parameters.required(0, LogFilterArgument.decode)
            return .string(await filters.install(.logs(filter), head: node.headNumber))
        }
        methods.register("eth_newBlockFilter") { parameters in
            try parameters.expectAtMost(0)
            return .string(await filters.install(.blocks, head: node.headNumber))
        }
        methods.register("eth_newPendingTransactionFilter") { parameters in
            try parameters.expectAtMost(1)
            return .string(await filters.install(.pendingTransactions, head: node.headNumber))
        }
        methods.register("eth_uninstallFilter") { parameters in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.string)
            return .bool(await filters.uninstall(id))
        }
        methods.register("eth_getFilterChanges") { parameters in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.string)
            guard let kind = await filters.kind(of: id) else { throw RPCError.server("filter not found") }
            switch kind {
            case .pendingTransactions:
                let hashes = await filters.takePendingHashes(id) ?? []
                return .array(hashes.map { Quantity.json($0) })
            case .blocks:
                let head = node.headNumber
                guard let last = await filters.advance(id, to: head) else { throw RPCError.server("filter not found") }
                var hashes: [JSON] = []
                if head > last {
                    for number in (last + 1)...head {
                        if let record = try node.block(.number(number)) {
                            hashes.append(Quantity.json(record.hash))
                        }
                    }
                }
                return .array(hashes)
            case .logs(var filter):
                let head = node.headNumber
                guard let last = await filters.advance(id, to: head) else { throw RPCError.server("filter not found") }
                guard head > last else { return .array([]) }
                var from = last + 1
                var to = head
                if case .number(let start) = filter.fromBlock { from = max(from, start) }
                if case .number(let end) = filter.toBlock { to = min(to, end) }
                guard from <= to, filter.blockHash == nil else { return .array([]) }
                filter.fromBlock = .number(from)
                filter.toBlock = .number(to)
                return .array(try Self.logs(matching: filter, node: node).map(ChainJSON.log))
            }
        }
        methods.register("eth_getFilterLogs") { parameters in
            try parameters.expectAtMost(1)
            let id = try parameters.required(0, SimpleArgument.string)
            guard case .logs(let filter)? = await filters.kind(of: id) else { throw RPCError.server("filter not found") }
            return .array(try Self.logs(matching: filter, node: node).map(ChainJSON.log))
        }
    }

    /// The logs matching a filter, with geth's "invalid block range params" and "unknown block".
    /// - Parameters:
    ///   - filter: the criteria.
    ///   - node: the node.
    /// - Returns: the logs.
    /// - Throws: `RPCError` -32000.
    public static func logs(matching filter: LogFilter, node: Node) throws -> [LogRecord] {
        var filter = filter
        let head = node.headNumber
        if filter.blockHash == nil {
            if case .number(let from) = filter.fromBlock, case .number(let to) = filter.toBlock, from > to {
                throw RPCError.server("invalid block range params")
            }
            if case .number(let to) = filter.toBlock, to > head { filter.toBlock = .latest }
            if case .number(let from) = filter.fromBlock, from > head { return [] }
        }
        do throws(NodeError) {
            return try node.logs(matching: filter)
        } catch {
            switch error {
            case .unknownBlock where filter.blockHash != nil: throw RPCError.server("unknown block")
            case .invalidArgument(let message) where message.hasPrefix("invalid block range params"):
                throw RPCError.server("invalid block range params")
            case .invalidArgument(let message): throw RPCError.server(message)
            default: throw error
            }
        }
    }

    // MARK: - Fee history arguments

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
            // Go's decoder refuses a number beyond float64's range (Swift reads it as infinity).
            guard number.isFinite else { throw ArgumentError("json: cannot unmarshal number \(text) into Go value of type float64") }
            percentiles.append(number)
        }
        return percentiles
    }

    /// The most percentiles one request may ask for (geth's `maxQueryLimit`).
    static let maximumPercentiles = 100

    /// geth's checks (since v1.13.12 and v1.14.2): at most 100 percentiles, each within [0, 100],
    /// strictly rising.
    static func checkPercentiles(_ percentiles: [Double]) throws(RPCError) {
        if percentiles.count > maximumPercentiles {
            throw RPCError.server("invalid reward percentile: over the query limit \(maximumPercentiles)")
        }
        for (index, percentile) in percentiles.enumerated() {
            if percentile < 0 || percentile > 100 {
                throw RPCError.server("invalid reward percentile: \(formatPercentile(percentile))")
            }
            if index > 0 && percentile <= percentiles[index - 1] {
                throw RPCError.server("invalid reward percentile: #\(index - 1):\(formatPercentile(percentiles[index - 1])) >= #\(index):\(formatPercentile(percentile))")
            }
        }
    }

    /// Go's `%f`: the exact decimal value rounded to six decimals (C's `%f` prints the same digits),
    /// for any finite value, however large.
    static func formatPercentile(_ value: Double) -> String {
        String(format: "%f", value)
    }
}
