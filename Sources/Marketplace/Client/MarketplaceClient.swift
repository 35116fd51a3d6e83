import Primitives
import Signatures

/// A typed client of the GoldenGrain marketplace contract (issue 11's interface; DESIGN.md §5): one
/// async method per contract function, views decoded into structs, transactions sent from a
/// `Wallet` and awaited, events decoded.
///
/// - Views run as `eth_call` on the latest block.
/// - Transactions are estimated first, so a rule the contract would refuse fails before anything is
///   signed, as `MarketplaceError.reverted(function:reason:)` with the contract's reason ("task
///   deadline passed"). A transaction that still fails once mined is reported the same way.
/// - Ids (task, model) and times are `UInt64`; wei amounts are `UInt256`.
public struct MarketplaceClient: Sendable {
    /// Where the dev genesis predeploys the marketplace.
    public static let devAddress = try! Address(hex: "0x0000000000000000000000000000000000002000")
    /// INFERENCE_EVAL, the default evaluator.
    public static let inferenceEvaluator = try! Address(hex: "0x0000000000000000000000000000000000001001")

    /// The contract.
    public let address: Address
    /// The node.
    public let rpc: RPCClient
    /// The sender of transactions (nil: views only).
    public let wallet: Wallet?
    /// How long to wait for a receipt.
    public var receiptTimeout: Duration = .seconds(120)

    /// Creates a client.
    /// - Parameters:
    ///   - address: the marketplace contract (the dev chain's by default).
    ///   - rpc: the node.
    ///   - wallet: the key transactions are sent from, or nil for a read-only client.
    public init(address: Address = MarketplaceClient.devAddress, rpc: RPCClient, wallet: Wallet? = nil) {
        self.address = address
        self.rpc = rpc
        self.wallet = wallet
    }

    /// The same contract and node with another sender.
    /// - Parameter wallet: the new sender.
    /// - Returns: the client.
    public func sending(from wallet: Wallet) -> MarketplaceClient {
        var copy = MarketplaceClient(address: address, rpc: rpc, wallet: wallet)
        copy.receiptTimeout = receiptTimeout
        return copy
    }

    /// Deploys the marketplace by transaction.
    /// - Parameters:
    ///   - bytecode: the artifact's init code (Contracts/build/Marketplace.json `bytecode`).
    ///   - owner: the owner.
    ///   - trustedMeasurements: MRENCLAVEs trusted from the start (at most 16).
    ///   - evaluator: INFERENCE_EVAL or a contract with its ABI.
    ///   - resultWindow: seconds after the deadline during which results are accepted.
    ///   - wallet: the deployer.
    /// - Returns: a client of the new contract sending from `wallet`, and the deployment's receipt.
    /// - Throws: `MarketplaceError.reverted` with the constructor's reason, or `.rpc`.
    public static func deploy(bytecode: [UInt8], owner: Address, trustedMeasurements: [Hash32],
                              evaluator: Address = inferenceEvaluator, resultWindow: UInt64,
                              wallet: Wallet) async throws(MarketplaceError) -> (client: MarketplaceClient, receipt: TransactionReceipt) {
        let arguments: [UInt8]
        do {
            arguments = try ABI.encode([.address(owner), .array(trustedMeasurements.map(ABIValue.bytes32)), .address(evaluator),
                                        .uint(UInt256(resultWindow))], as: MarketplaceABI.constructorInputs)
        } catch {
            throw .unexpectedOutput(function: "constructor", reason: error.description)
        }
        do {
            let (address, receipt) = try await wallet.deploy(bytecode: bytecode, constructorArguments: arguments)
            return (MarketplaceClient(address: address, rpc: wallet.client, wallet: wallet), receipt)
        } catch {
            throw Self.mapped(error, function: "constructor")
        }
    }

    /// The EIP-712 domain results are signed in: {"GoldenGrain", "1", the node's chain id, this contract}.
    /// - Returns: the domain.
    /// - Throws: `MarketplaceError.rpc`.
    public func domain() async throws(MarketplaceError) -> EIP712Domain {
        do {
            return .goldenGrain(chainId: UInt256(try await rpc.chainId()), marketplace: address)
        } catch {
            throw .rpc(function: "domain", error)
        }
    }

    // MARK: - Administration

    /// `owner()`.
    /// - Returns: the owner.
    /// - Throws: `MarketplaceError`.
    public func owner() async throws(MarketplaceError) -> Address {
        try await view(MarketplaceABI.owner, []).address(0)
    }

    /// `setMeasurementTrusted(mrEnclave, trusted)`, owner only.
    /// - Parameters:
    ///   - mrEnclave: the measurement.
    ///   - trusted: whether enclaves with it are trusted.
    /// - Returns: the mined transaction.
    /// - Throws: `MarketplaceError` ("only the owner").
    public func setMeasurementTrusted(_ mrEnclave: Hash32, trusted: Bool) async throws(MarketplaceError) -> MarketplaceTransaction {
        try await transact(MarketplaceABI.setMeasurementTrusted, [.bytes32(mrEnclave), .bool(trusted)])
    }

    /// `isMeasurementTrusted(mrEnclave)`.
    /// - Parameter mrEnclave: the measurement.
    /// - Returns: whether it is trusted.
    /// - Throws: `MarketplaceError`.
    public func isMeasurementTrusted(_ mrEnclave: Hash32) async throws(MarketplaceError) -> Bool {
        try await view(MarketplaceABI.isMeasurementTrusted, [.bytes32(mrEnclave)]).bool(0)
    }

    /// `evaluator()`.
    /// - Returns: the evaluator contract or precompile.
    /// - Throws: `MarketplaceError`.
    public func evaluator() async throws(MarketplaceError) -> Address {
        try await view(MarketplaceABI.evaluator, []).address(0)
    }

    /// `resultWindow()`.
    /// - Returns: seconds after a deadline during which results are accepted.
    /// - Throws: `MarketplaceError`.
    public func resultWindow() async throws(MarketplaceError) -> UInt64 {
        try await view(MarketplaceABI.resultWindow, []).uint64(0)
    }

    // MARK: - Enclaves

    /// `registerEnclave(quote ‖ collateral, enclavePublicKey)`: the quote and, if the evidence has
    /// it, its collateral in the on-chain layout, as ATTESTATION_VERIFY takes them.
    /// - Parameters:
    ///   - evidence: a quote whose reportData0 binds the key, the chain and this contract, and its
    ///     collateral (required on a chain whose genesis sets `requireCollateral`).
    ///   - enclavePublicKey: 64 bytes x ‖ y.
    /// - Returns: the enclave's address (from EnclaveRegistered) and the transaction.
    /// - Throws: `MarketplaceError` ("quote rejected" — also for a quote alone where collateral is
    ///   required, or a TCB status the chain does not accept —, "untrusted measurement", "debug
    ///   enclave", "report data mismatch", "enclave already registered", …).
    public func registerEnclave(_ evidence: EnclaveEvidence, enclavePublicKey: [UInt8]) async throws(MarketplaceError)
        -> (enclave: Address, transaction: MarketplaceTransaction) {
        try await registerEnclave(quote: evidence.bytes, enclavePublicKey: enclavePublicKey)
    }

    /// `registerEnclave(quote, enclavePublicKey)` with the argument's bytes as given.
    /// - Parameters:
    ///   - quote: an SGX DCAP quote whose reportData0 binds the key, the chain and this contract,
    ///     optionally already followed by its collateral (`EnclaveEvidence.bytes` checks the framing).
    ///   - enclavePublicKey: 64 bytes x ‖ y.
    /// - Returns: the enclave's address (from EnclaveRegistered) and the transaction.
    /// - Throws: `MarketplaceError` ("quote rejected", "untrusted measurement", "debug enclave",
    ///   "report data mismatch", "enclave already registered", …).
    public func registerEnclave(quote: [UInt8], enclavePublicKey: [UInt8]) async throws(MarketplaceError)
        -> (enclave: Address, transaction: MarketplaceTransaction) {
        let transaction = try await transact(MarketplaceABI.registerEnclave, [.bytes(quote), .bytes(enclavePublicKey)])
        for case .enclaveRegistered(let enclave, _, _) in transaction.events { return (enclave, transaction) }
        throw .missingEvent(function: "registerEnclave", event: "EnclaveRegistered", transaction: transaction.hash)
    }

    /// `isEnclave(enclave)`.
    /// - Parameter enclave: the address.
    /// - Returns: whether it is registered and its measurement still trusted.
    /// - Throws: `MarketplaceError`.
    public func isEnclave(_ enclave: Address) async throws(MarketplaceError) -> Bool {
        try await view(MarketplaceABI.isEnclave, [.address(enclave)]).bool(0)
    }

    /// `enclavePublicKey(enclave)`.
    /// - Parameter enclave: the address.
    /// - Returns: its 64-byte public key (empty if unknown).
    /// - Throws: `MarketplaceError`.
    public func enclavePublicKey(_ enclave: Address) async throws(MarketplaceError) -> [UInt8] {
        try await view(MarketplaceABI.enclavePublicKey, [.address(enclave)]).bytes(0)
    }

    // MARK: - Tasks, models, results

    /// `createTask(…)` with `budget` as msg.value.
    /// - Parameters:
    ///   - enclave: a registered enclave.
    ///   - datasetHash: keccak256 of the plaintext test set.
    ///   - datasetURI: where the encrypted test set is.
    ///   - sealedDatasetKey: its key sealed to the enclave.
    ///   - minAccuracyBps: the least paid accuracy.
    ///   - maxPricePerModel: the price of a perfect model.
    ///   - deadline: Unix time when submissions close.
    ///   - buyerPublicKey: the provider's 64-byte public key.
    ///   - budget: wei escrowed.
    /// - Returns: the new task's id (from TaskCreated) and the transaction.
    /// - Throws: `MarketplaceError` with the contract's reason.
    public func createTask(enclave: Address, datasetHash: Hash32, datasetURI: String, sealedDatasetKey: [UInt8],
                           minAccuracyBps: UInt16, maxPricePerModel: UInt256, deadline: UInt64, buyerPublicKey: [UInt8],
                           budget: UInt256) async throws(MarketplaceError) -> (taskId: UInt64, transaction: MarketplaceTransaction) {
        let transaction = try await transact(MarketplaceABI.createTask, [
            .address(enclave), .bytes32(datasetHash), .string(datasetURI), .bytes(sealedDatasetKey),
            .uint(UInt256(UInt64(minAccuracyBps))), .uint(maxPricePerModel), .uint(UInt256(deadline)), .bytes(buyerPublicKey),
        ], value: budget)
        for case .taskCreated(let taskId, _, _, _, _) in transaction.events { return (taskId, transaction) }
        throw .missingEvent(function: "createTask", event: "TaskCreated", transaction: transaction.hash)
    }

    /// `submitModel(taskId, modelHash, modelURI, sealedModelKey)`.
    /// - Parameters:
    ///   - taskId: the task.
    ///   - modelHash: keccak256 of the plaintext model.
    ///   - modelURI: where the encrypted model is.
    ///   - sealedModelKey: its key sealed to the task's enclave.
    /// - Returns: the new model's id (from ModelSubmitted) and the transaction.
    /// - Throws: `MarketplaceError` with the contract's reason.
    public func submitModel(taskId: UInt64, modelHash: Hash32, modelURI: String,
                            sealedModelKey: [UInt8]) async throws(MarketplaceError) -> (modelId: UInt64, transaction: MarketplaceTransaction) {
        let transaction = try await transact(MarketplaceABI.submitModel, [
            .uint(UInt256(taskId)), .bytes32(modelHash), .string(modelURI), .bytes(sealedModelKey),
        ])
        for case .modelSubmitted(_, let modelId, _, _) in transaction.events { return (modelId, transaction) }
        throw .missingEvent(function: "submitModel", event: "ModelSubmitted", transaction: transaction.hash)
    }

    /// `submitResult(modelId, accuracyBps, logitsHash, keyForBuyer, signature)`; anyone may relay it.
    /// - Parameters:
    ///   - modelId: the model.
    ///   - accuracyBps: the score.
    ///   - logitsHash: keccak256 of the logits.
    ///   - keyForBuyer: the model key sealed to the buyer.
    ///   - signature: the enclave's EIP-712 signature of the `BenchmarkResult`.
    /// - Returns: the transaction; its events hold ModelSold or ModelScored.
    /// - Throws: `MarketplaceError` with the contract's reason.
    public func submitResult(modelId: UInt64, accuracyBps: UInt16, logitsHash: Hash32, keyForBuyer: [UInt8],
                             signature: [UInt8]) async throws(MarketplaceError) -> MarketplaceTransaction {
        try await transact(MarketplaceABI.submitResult, [
            .uint(UInt256(modelId)), .uint(UInt256(UInt64(accuracyBps))), .bytes32(logitsHash), .bytes(keyForBuyer),
            .bytes(signature),
        ])
    }

    /// `evaluateOnChain(modelId, model, testSet)`: the baseline without a TEE (reveals both files).
    /// - Parameters:
    ///   - modelId: the model.
    ///   - model: the plaintext GGM file.
    ///   - testSet: the plaintext GGD file.
    /// - Returns: the transaction; its events hold ModelSold or ModelScored.
    /// - Throws: `MarketplaceError` with the contract's reason.
    public func evaluateOnChain(modelId: UInt64, model: [UInt8], testSet: [UInt8]) async throws(MarketplaceError) -> MarketplaceTransaction {
        try await transact(MarketplaceABI.evaluateOnChain, [.uint(UInt256(modelId)), .bytes(model), .bytes(testSet)])
    }

    /// `refund(taskId)`: the provider takes back the budget left after the result window.
    /// - Parameter taskId: the task.
    /// - Returns: the transaction (with Refunded).
    /// - Throws: `MarketplaceError` ("result window still open", "nothing to refund", …).
    public func refund(taskId: UInt64) async throws(MarketplaceError) -> MarketplaceTransaction {
        try await transact(MarketplaceABI.refund, [.uint(UInt256(taskId))])
    }

    /// `withdraw()`: the sender takes its credit.
    /// - Returns: the transaction (with Withdrawn).
    /// - Throws: `MarketplaceError` ("nothing to withdraw").
    public func withdraw() async throws(MarketplaceError) -> MarketplaceTransaction {
        try await transact(MarketplaceABI.withdraw, [])
    }

    // MARK: - Views

    /// `budgetLeft(taskId)`.
    /// - Parameter taskId: the task.
    /// - Returns: wei left in escrow.
    /// - Throws: `MarketplaceError`.
    public func budgetLeft(taskId: UInt64) async throws(MarketplaceError) -> UInt256 {
        try await view(MarketplaceABI.budgetLeft, [.uint(UInt256(taskId))]).uint(0)
    }

    /// `modelStatus(modelId)`.
    /// - Parameter modelId: the model.
    /// - Returns: its state.
    /// - Throws: `MarketplaceError`.
    public func modelStatus(modelId: UInt64) async throws(MarketplaceError) -> ModelStatus {
        try await view(MarketplaceABI.modelStatus, [.uint(UInt256(modelId))]).status(0)
    }

    /// `modelAccuracy(modelId)`.
    /// - Parameter modelId: the model.
    /// - Returns: its score in basis points (0 until scored).
    /// - Throws: `MarketplaceError`.
    public func modelAccuracy(modelId: UInt64) async throws(MarketplaceError) -> UInt16 {
        try await view(MarketplaceABI.modelAccuracy, [.uint(UInt256(modelId))]).uint16(0)
    }

    /// `credit(account)`.
    /// - Parameter account: the account.
    /// - Returns: wei it may withdraw.
    /// - Throws: `MarketplaceError`.
    public func credit(_ account: Address) async throws(MarketplaceError) -> UInt256 {
        try await view(MarketplaceABI.credit, [.address(account)]).uint(0)
    }

    /// `domainSeparator()`.
    /// - Returns: the contract's EIP-712 domain separator.
    /// - Throws: `MarketplaceError`.
    public func domainSeparator() async throws(MarketplaceError) -> Hash32 {
        try await view(MarketplaceABI.domainSeparator, []).hash(0)
    }

    /// `taskInfo(taskId)`.
    /// - Parameter taskId: the task.
    /// - Returns: its terms (all zeros if unknown).
    /// - Throws: `MarketplaceError`.
    public func taskInfo(taskId: UInt64) async throws(MarketplaceError) -> TaskInfo {
        let values = try await view(MarketplaceABI.taskInfo, [.uint(UInt256(taskId))])
        return TaskInfo(provider: try values.address(0), enclave: try values.address(1), datasetHash: try values.hash(2),
                        minAccuracyBps: try values.uint16(3), maxPricePerModel: try values.uint(4),
                        deadline: try values.uint64(5), budgetLeft: try values.uint(6), modelCount: try values.uint64(7))
    }

    /// `taskData(taskId)`.
    /// - Parameter taskId: the task.
    /// - Returns: its URI and keys (empty if unknown).
    /// - Throws: `MarketplaceError`.
    public func taskData(taskId: UInt64) async throws(MarketplaceError) -> TaskData {
        let values = try await view(MarketplaceABI.taskData, [.uint(UInt256(taskId))])
        return TaskData(datasetURI: try values.string(0), sealedDatasetKey: try values.bytes(1), buyerPublicKey: try values.bytes(2))
    }

    /// `modelInfo(modelId)`.
    /// - Parameter modelId: the model.
    /// - Returns: its task, developer, hash, state and score (zeros if unknown).
    /// - Throws: `MarketplaceError`.
    public func modelInfo(modelId: UInt64) async throws(MarketplaceError) -> ModelInfo {
        let values = try await view(MarketplaceABI.modelInfo, [.uint(UInt256(modelId))])
        return ModelInfo(taskId: try values.uint64(0), developer: try values.address(1), modelHash: try values.hash(2),
                         status: try values.status(3), accuracyBps: try values.uint16(4))
    }

    /// `modelData(modelId)`.
    /// - Parameter modelId: the model.
    /// - Returns: its URI and sealed key (empty if unknown).
    /// - Throws: `MarketplaceError`.
    public func modelData(modelId: UInt64) async throws(MarketplaceError) -> ModelData {
        let values = try await view(MarketplaceABI.modelData, [.uint(UInt256(modelId))])
        return ModelData(modelURI: try values.string(0), sealedModelKey: try values.bytes(1))
    }

    // MARK: - Events

    /// Decodes a log if this contract emitted it and it is one of the marketplace's events.
    /// - Parameter log: a log.
    /// - Returns: the event, or nil for another contract's or an unknown log.
    /// - Throws: `MarketplaceError.unexpectedOutput` for a marketplace log that does not decode.
    public func event(from log: LogEntry) throws(MarketplaceError) -> MarketplaceEvent? {
        guard log.address == address else { return nil }
        return try Self.decode(topics: log.topics, data: log.data)
    }

    /// The marketplace's events in a range of blocks, oldest first (`eth_getLogs`).
    /// - Parameters:
    ///   - fromBlock: first block.
    ///   - toBlock: last block.
    ///   - events: only these events (all by default).
    ///   - indexed: filters on the indexed parameters after the signature topic (position 1…3), e.g.
    ///     `[taskId.word]` for one task's events.
    /// - Returns: the events with the logs they came from.
    /// - Throws: `MarketplaceError`.
    public func events(fromBlock: BlockTag = .earliest, toBlock: BlockTag = .latest,
                       only events: [ABIEvent] = MarketplaceABI.events,
                       indexed: [[Hash32]?] = []) async throws(MarketplaceError) -> [(event: MarketplaceEvent, log: LogEntry)] {
        let query = LogQuery(fromBlock: fromBlock, toBlock: toBlock, addresses: [address],
                             topics: [events.map(\.topic)] + indexed)
        let logs: [LogEntry]
        do { logs = try await rpc.getLogs(query) } catch { throw .rpc(function: "eth_getLogs", error) }
        var decoded: [(event: MarketplaceEvent, log: LogEntry)] = []
        for log in logs where !log.isRemoved {
            if let event = try event(from: log) { decoded.append((event, log)) }
        }
        return decoded
    }

    /// Decodes a marketplace log's topics and data.
    /// - Parameters:
    ///   - topics: the log's topics.
    ///   - data: the log's data.
    /// - Returns: the event, or nil if topics[0] is not a marketplace event.
    /// - Throws: `MarketplaceError.unexpectedOutput` if the log does not decode.
    public static func decode(topics: [Hash32], data: [UInt8]) throws(MarketplaceError) -> MarketplaceEvent? {
        guard let definition = MarketplaceABI.events.first(where: { $0.matches(topics: topics) }) else { return nil }
        let values: Values
        do {
            values = Values(function: definition.name, values: try definition.decode(topics: topics, data: data))
        } catch {
            throw .unexpectedOutput(function: definition.name, reason: error.description)
        }
        switch definition.name {
        case "EnclaveRegistered":
            return .enclaveRegistered(enclave: try values.address(0), mrEnclave: try values.hash(1), isvSvn: try values.uint16(2))
        case "TaskCreated":
            return .taskCreated(taskId: try values.uint64(0), provider: try values.address(1), enclave: try values.address(2),
                                budget: try values.uint(3), deadline: try values.uint64(4))
        case "ModelSubmitted":
            return .modelSubmitted(taskId: try values.uint64(0), modelId: try values.uint64(1), developer: try values.address(2),
                                   modelHash: try values.hash(3))
        case "ModelSold":
            return .modelSold(taskId: try values.uint64(0), modelId: try values.uint64(1), developer: try values.address(2),
                              accuracyBps: try values.uint16(3), price: try values.uint(4), keyForBuyer: try values.bytes(5))
        case "ModelScored":
            return .modelScored(taskId: try values.uint64(0), modelId: try values.uint64(1), accuracyBps: try values.uint16(2))
        case "Refunded":
            return .refunded(taskId: try values.uint64(0), amount: try values.uint(1))
        case "Withdrawn":
            return .withdrawn(account: try values.address(0), amount: try values.uint(1))
        case "MeasurementTrustChanged":
            return .measurementTrustChanged(mrEnclave: try values.hash(0), trusted: try values.bool(1))
        default:
            return nil
        }
    }

    // MARK: - Plumbing

    /// Runs a view and decodes its outputs.
    func view(_ function: ABIFunction, _ arguments: [ABIValue]) async throws(MarketplaceError) -> Values {
        let callData: [UInt8]
        do { callData = try function.encodeCall(arguments) } catch {
            throw .unexpectedOutput(function: function.name, reason: "arguments: \(error)")
        }
        let output: [UInt8]
        do {
            output = try await rpc.call(CallRequest(from: wallet?.address, to: address, data: callData))
        } catch {
            throw Self.mapped(error, function: function.name)
        }
        do {
            return Values(function: function.name, values: try function.decodeOutput(output))
        } catch {
            throw .unexpectedOutput(function: function.name, reason: error.description)
        }
    }

    /// Sends a transaction from the wallet, waits for it, and decodes the marketplace's events.
    func transact(_ function: ABIFunction, _ arguments: [ABIValue],
                  value: UInt256 = .zero) async throws(MarketplaceError) -> MarketplaceTransaction {
        guard let wallet else { throw .noWallet(function: function.name) }
        let callData: [UInt8]
        do { callData = try function.encodeCall(arguments) } catch {
            throw .unexpectedOutput(function: function.name, reason: "arguments: \(error)")
        }
        let receipt: TransactionReceipt
        do {
            receipt = try await wallet.sendAndWait(to: address, value: value, data: callData, timeout: receiptTimeout)
        } catch {
            throw Self.mapped(error, function: function.name)
        }
        var events: [MarketplaceEvent] = []
        for log in receipt.logs {
            if let event = try event(from: log) { events.append(event) }
        }
        return MarketplaceTransaction(function: function.name, receipt: receipt, events: events, callDataSize: callData.count)
    }

    /// A revert becomes `.reverted(function:reason:)`; anything else `.rpc`.
    static func mapped(_ error: RPCClientError, function: String) -> MarketplaceError {
        if let reason = error.revert { return .reverted(function: function, reason: reason) }
        return .rpc(function: function, error)
    }

    /// Decoded outputs with typed accessors that name the function on a mismatch.
    struct Values {
        let function: String
        let values: [ABIValue]

        func at(_ index: Int) throws(MarketplaceError) -> ABIValue {
            guard index < values.count else {
                throw .unexpectedOutput(function: function, reason: "\(values.count) values, expected more than \(index)")
            }
            return values[index]
        }

        func failure(_ index: Int, _ expected: String) -> MarketplaceError {
            .unexpectedOutput(function: function, reason: "value \(index) is \(index < values.count ? values[index].description : "missing"), expected \(expected)")
        }

        func address(_ index: Int) throws(MarketplaceError) -> Address {
            guard let address = try at(index).addressValue else { throw failure(index, "an address") }
            return address
        }

        func bool(_ index: Int) throws(MarketplaceError) -> Bool {
            guard let flag = try at(index).boolValue else { throw failure(index, "a bool") }
            return flag
        }

        func uint(_ index: Int) throws(MarketplaceError) -> UInt256 {
            guard let value = try at(index).uintValue else { throw failure(index, "an integer") }
            return value
        }

        func uint64(_ index: Int) throws(MarketplaceError) -> UInt64 {
            guard let value = try uint(index).uint64IfFits else { throw failure(index, "an integer below 2^64") }
            return value
        }

        func uint16(_ index: Int) throws(MarketplaceError) -> UInt16 {
            guard let value = try uint64(index) as UInt64?, value <= UInt64(UInt16.max) else { throw failure(index, "a uint16") }
            return UInt16(value)
        }

        func status(_ index: Int) throws(MarketplaceError) -> ModelStatus {
            guard let status = ModelStatus(rawValue: UInt8(truncatingIfNeeded: try uint64(index))),
                  try uint64(index) <= 3 else { throw failure(index, "a model status 0…3") }
            return status
        }

        func hash(_ index: Int) throws(MarketplaceError) -> Hash32 {
            guard let hash = try at(index).hashValue32 else { throw failure(index, "32 bytes") }
            return hash
        }

        func bytes(_ index: Int) throws(MarketplaceError) -> [UInt8] {
            guard let bytes = try at(index).bytesValue else { throw failure(index, "bytes") }
            return bytes
        }

        func string(_ index: Int) throws(MarketplaceError) -> String {
            guard let text = try at(index).stringValue else { throw failure(index, "a string") }
            return text
        }
    }
}

extension UInt64 {
    /// The id as the 32-byte topic an indexed uint256 parameter has, for `MarketplaceClient.events(indexed:)`.
    public var topicWord: Hash32 { UInt256(self).hash32 }
}
