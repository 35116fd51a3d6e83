import Inference
import Primitives
import Signatures

/// What a long action is doing, for a progress line.
public enum MarketProgress: Sendable {
    /// A file was encrypted under a fresh key.
    case encrypted(what: String, plaintextBytes: Int, encryptedBytes: Int, plaintextHash: Hash32)
    /// A file is being written or uploaded.
    case storing(what: String, uri: String, bytes: Int)
    /// A file was stored.
    case stored(what: String, uri: String)
    /// A transaction was signed and sent; its receipt is awaited.
    case sending(function: String)
    /// A transaction was mined.
    case mined(MarketplaceTransaction)
    /// A file is being downloaded or read.
    case fetching(uri: String)
    /// A file was read.
    case fetched(uri: String, bytes: Int)

    /// One line for a person.
    public var message: String {
        switch self {
        case .encrypted(let what, let plaintextBytes, let encryptedBytes, let plaintextHash):
            return "encrypted the \(what) (\(plaintextBytes) bytes, keccak256 \(plaintextHash)) under a fresh key: \(encryptedBytes) bytes"
        case .storing(let what, let uri, let bytes): return "storing the encrypted \(what) (\(bytes) bytes) at \(uri) …"
        case .stored(let what, let uri): return "stored the encrypted \(what) at \(uri)"
        case .sending(let function): return "sending \(function) and waiting for its receipt …"
        case .mined(let transaction):
            return "\(transaction.function) mined in block \(transaction.receipt.blockNumber): transaction \(transaction.hash), \(transaction.gasUsed) gas"
        case .fetching(let uri): return "fetching \(uri) …"
        case .fetched(let uri, let bytes): return "fetched \(bytes) bytes from \(uri)"
        }
    }
}

/// When a task's submissions close.
public enum TaskDeadline: Sendable, Equatable {
    /// At this Unix time.
    case at(UInt64)
    /// This many seconds after the latest block's timestamp (the chain's clock, which
    /// `evm_increaseTime` moves; the contract compares with block timestamps).
    case after(seconds: UInt64)
}

/// A task the provider created.
public struct CreatedTask: Sendable {
    /// The task's id.
    public var taskId: UInt64
    /// keccak256 of the plaintext test-set file.
    public var datasetHash: Hash32
    /// Where the encrypted test set is.
    public var datasetURI: String
    /// The enclave that benchmarks it.
    public var enclave: Address
    /// Unix time when submissions close.
    public var deadline: UInt64
    /// Wei escrowed.
    public var budget: UInt256
    /// The least paid accuracy.
    public var minAccuracyBps: UInt16
    /// The price of a perfect model.
    public var maxPricePerModel: UInt256
    /// The public key models are sealed to for the buyer (the provider's, 64 bytes).
    public var buyerPublicKey: [UInt8]
    /// The createTask transaction.
    public var transaction: MarketplaceTransaction
}

/// A model the developer submitted.
public struct SubmittedModel: Sendable {
    /// The model's id.
    public var modelId: UInt64
    /// Its task.
    public var taskId: UInt64
    /// keccak256 of the plaintext model file.
    public var modelHash: Hash32
    /// Where the encrypted model is.
    public var modelURI: String
    /// The enclave its key was sealed to.
    public var enclave: Address
    /// The submitModel transaction.
    public var transaction: MarketplaceTransaction
}

/// A sold model the buyer fetched and checked.
public struct FetchedModel: Sendable {
    /// The model's id.
    public var modelId: UInt64
    /// Its task.
    public var taskId: UInt64
    /// The plaintext model file, whose keccak256 is `modelHash`.
    public var model: [UInt8]
    /// keccak256 of `model`, as on chain.
    public var modelHash: Hash32
    /// The accuracy it was sold at.
    public var accuracyBps: UInt16
    /// The price paid.
    public var price: UInt256
    /// Where it was read from (the model URI, or the evaluateOnChain transaction for a model scored on chain).
    public var source: String
    /// The transaction that sold it (its ModelSold log).
    public var saleTransaction: Hash32
}

/// Money taken out of the marketplace.
public struct Payout: Sendable {
    /// Wei sent.
    public var amount: UInt256
    /// The refund or withdraw transaction.
    public var transaction: MarketplaceTransaction
}

/// The marketplace operations of providers, developers and buyers (issue 12 §2), for
/// `goldengrain market` and `goldengrain demo`:
///
/// - `createTask` encrypts the GGD test set under a fresh key, stores it, seals the key to the
///   enclave's public key (`enclavePublicKey(enclave)`), and creates the task with the budget;
///   datasetHash = keccak256 of the plaintext file; the buyer key is the sender's own public key.
/// - `submitModel` does the same for a GGM model with the task's enclave.
/// - `fetchModel` finds the model's ModelSold log, opens keyForBuyer with the buyer's key,
///   downloads and decrypts the model and checks its hash.
/// - `status`, `refund`, `withdraw`.
///
/// Before anything is stored, each transaction is simulated (`eth_call`) with the URI it will
/// carry, so a rule the contract would refuse is reported with its reason and nothing is uploaded.
public struct MarketActions: Sendable {
    /// The contract, sending from the acting account's wallet (nil wallet: read-only).
    public let marketplace: MarketplaceClient
    /// Reads `file://` and `http(s)://` URIs.
    public var fetcher: URIFetcher

    /// Creates the actions over a client.
    /// - Parameters:
    ///   - marketplace: the contract client; transactions need a wallet.
    ///   - fetcher: the URI reader.
    public init(marketplace: MarketplaceClient, fetcher: URIFetcher = URIFetcher()) {
        self.marketplace = marketplace
        self.fetcher = fetcher
    }

    /// Creates the actions for an account.
    /// - Parameters:
    ///   - rpcURL: the node.
    ///   - marketplace: the contract's address.
    ///   - key: the acting account's key, or nil for read-only use.
    public init(rpcURL: String, marketplace: Address = MarketplaceClient.devAddress, key: PrivateKey?) {
        let rpc = RPCClient(url: rpcURL)
        self.init(marketplace: MarketplaceClient(address: marketplace, rpc: rpc,
                                                 wallet: key.map { Wallet(key: $0, client: rpc) }))
    }

    /// The acting account, if there is a wallet.
    public var account: Address? { marketplace.wallet?.address }

    // MARK: - Provider

    /// Creates a task: encrypts and stores the test set, seals its key to the enclave, escrows the budget.
    /// - Parameters:
    ///   - dataset: the plaintext GGD test-set file.
    ///   - minAccuracyBps: the least paid accuracy (0…10000).
    ///   - maxPricePerModel: wei for a perfect model.
    ///   - budget: wei escrowed.
    ///   - deadline: when submissions close.
    ///   - enclave: the registered enclave that benchmarks the task.
    ///   - store: where the encrypted test set goes.
    ///   - progress: progress lines.
    /// - Returns: the task.
    /// - Throws: `MarketActionError` (a revert carries the contract's reason).
    public func createTask(dataset: [UInt8], minAccuracyBps: UInt16, maxPricePerModel: UInt256, budget: UInt256,
                           deadline: TaskDeadline, enclave: Address, store: MarketStore,
                           progress: (@Sendable (MarketProgress) -> Void)? = nil) async throws(MarketActionError) -> CreatedTask {
        let wallet = try requireWallet("createTask")
        try await requireContract()
        do { _ = try Dataset(bytes: dataset) } catch {
            throw .input(MarketInputError("the dataset is not a GGD test set: \(error)"))
        }
        let enclaveKey = try await registeredEnclaveKey(enclave)
        let deadlineTime = try await resolve(deadline)
        let buyerPublicKey = wallet.key.publicKey.bytes

        let encrypted = Sealing.encrypt(dataset)
        progress?(.encrypted(what: "test set", plaintextBytes: dataset.count, encryptedBytes: encrypted.encrypted.count,
                             plaintextHash: encrypted.plaintextHash))
        let sealedKey: [UInt8]
        do { sealedKey = try Sealing.sealKey(encrypted.key, to: enclaveKey) } catch { throw .sealing(error) }
        let uri = try store.checkedURI(for: encrypted.encrypted)

        try await simulate(MarketplaceABI.createTask, [
            .address(enclave), .bytes32(encrypted.plaintextHash), .string(uri), .bytes(sealedKey),
            .uint(UInt256(UInt64(minAccuracyBps))), .uint(maxPricePerModel), .uint(UInt256(deadlineTime)), .bytes(buyerPublicKey),
        ], value: budget)
        progress?(.storing(what: "test set", uri: uri, bytes: encrypted.encrypted.count))
        _ = try await store.put(encrypted.encrypted)
        progress?(.stored(what: "test set", uri: uri))

        progress?(.sending(function: "createTask"))
        let created: (taskId: UInt64, transaction: MarketplaceTransaction)
        do {
            created = try await marketplace.createTask(
                enclave: enclave, datasetHash: encrypted.plaintextHash, datasetURI: uri, sealedDatasetKey: sealedKey,
                minAccuracyBps: minAccuracyBps, maxPricePerModel: maxPricePerModel, deadline: deadlineTime,
                buyerPublicKey: buyerPublicKey, budget: budget)
        } catch { throw .contract(error) }
        progress?(.mined(created.transaction))
        return CreatedTask(taskId: created.taskId, datasetHash: encrypted.plaintextHash, datasetURI: uri, enclave: enclave,
                           deadline: deadlineTime, budget: budget, minAccuracyBps: minAccuracyBps,
                           maxPricePerModel: maxPricePerModel, buyerPublicKey: buyerPublicKey, transaction: created.transaction)
    }

    // MARK: - Developer

    /// Submits a model: encrypts and stores it under a fresh key sealed to the task's enclave.
    /// - Parameters:
    ///   - taskId: the task.
    ///   - model: the plaintext GGM file.
    ///   - store: where the encrypted model goes.
    ///   - progress: progress lines.
    /// - Returns: the model.
    /// - Throws: `MarketActionError` (a revert carries the contract's reason).
    public func submitModel(taskId: UInt64, model: [UInt8], store: MarketStore,
                            progress: (@Sendable (MarketProgress) -> Void)? = nil) async throws(MarketActionError) -> SubmittedModel {
        _ = try requireWallet("submitModel")
        try await requireContract()
        do { _ = try QuantizedModel(bytes: model) } catch {
            throw .input(MarketInputError("the model is not a GGM model file: \(error)"))
        }
        let task = try await existingTask(taskId)
        let enclaveKey = try await registeredEnclaveKey(task.enclave, forTask: taskId)

        let encrypted = Sealing.encrypt(model)
        progress?(.encrypted(what: "model", plaintextBytes: model.count, encryptedBytes: encrypted.encrypted.count,
                             plaintextHash: encrypted.plaintextHash))
        let sealedKey: [UInt8]
        do { sealedKey = try Sealing.sealKey(encrypted.key, to: enclaveKey) } catch { throw .sealing(error) }
        let uri = try store.checkedURI(for: encrypted.encrypted)

        try await simulate(MarketplaceABI.submitModel, [
            .uint(UInt256(taskId)), .bytes32(encrypted.plaintextHash), .string(uri), .bytes(sealedKey),
        ])
        progress?(.storing(what: "model", uri: uri, bytes: encrypted.encrypted.count))
        _ = try await store.put(encrypted.encrypted)
        progress?(.stored(what: "model", uri: uri))

        progress?(.sending(function: "submitModel"))
        let submitted: (modelId: UInt64, transaction: MarketplaceTransaction)
        do {
            submitted = try await marketplace.submitModel(taskId: taskId, modelHash: encrypted.plaintextHash, modelURI: uri,
                                                          sealedModelKey: sealedKey)
        } catch { throw .contract(error) }
        progress?(.mined(submitted.transaction))
        return SubmittedModel(modelId: submitted.modelId, taskId: taskId, modelHash: encrypted.plaintextHash, modelURI: uri,
                              enclave: task.enclave, transaction: submitted.transaction)
    }

    // MARK: - Buyer

    /// Fetches a sold model: its ModelSold log's keyForBuyer opened with the buyer's key, the
    /// encrypted file downloaded and decrypted, its keccak256 checked against the model's hash on
    /// chain. A model sold by on-chain evaluation (empty keyForBuyer) is read from that
    /// evaluateOnChain transaction's call data instead.
    /// - Parameters:
    ///   - modelId: the model.
    ///   - buyerKey: the private key whose public key the task named as the buyer's.
    ///   - progress: progress lines.
    /// - Returns: the model and its sale.
    /// - Throws: `MarketActionError`.
    public func fetchModel(modelId: UInt64, buyerKey: PrivateKey,
                           progress: (@Sendable (MarketProgress) -> Void)? = nil) async throws(MarketActionError) -> FetchedModel {
        try await requireContract()
        let info: ModelInfo
        do { info = try await marketplace.modelInfo(modelId: modelId) } catch { throw .contract(error) }
        guard info.exists else {
            throw .state("model \(modelId) does not exist at the marketplace \(marketplace.address); expected the id of a submitted model")
        }
        guard info.status == .sold else {
            throw .state("model \(modelId) is not sold (status: \(info.status)): the marketplace released no key for it; only sold models can be fetched")
        }
        let sales: [(event: MarketplaceEvent, log: LogEntry)]
        do {
            sales = try await marketplace.events(only: [MarketplaceABI.modelSold],
                                                 indexed: [[info.taskId.topicWord], [modelId.topicWord]])
        } catch { throw .contract(error) }
        guard let sale = sales.last, case .modelSold(_, _, _, let accuracy, let price, let keyForBuyer) = sale.event else {
            throw .state("model \(modelId) is sold but no ModelSold log for it was found (eth_getLogs from block 0)")
        }

        let model: [UInt8]
        let source: String
        if keyForBuyer.isEmpty {
            source = "evaluateOnChain transaction \(sale.log.transactionHash)"
            model = try await modelRevealedOnChain(modelId: modelId, transaction: sale.log.transactionHash,
                                                   expectedHash: info.modelHash)
        } else {
            let taskData: TaskData
            do { taskData = try await marketplace.taskData(taskId: info.taskId) } catch { throw .contract(error) }
            let ownKey = buyerKey.publicKey
            if taskData.buyerPublicKey != ownKey.bytes {
                let named = (try? PublicKey(bytes: taskData.buyerPublicKey)).map { "\($0.address)" } ?? Hex.encode(taskData.buyerPublicKey)
                throw .input(MarketInputError("--key is the key of \(ownKey.address), but task \(info.taskId) sealed its models to the buyer \(named); expected that account's key"))
            }
            let fileKey: [UInt8]
            do { fileKey = try Sealing.openKey(keyForBuyer, with: buyerKey) } catch { throw .sealing(error) }
            let data: ModelData
            do { data = try await marketplace.modelData(modelId: modelId) } catch { throw .contract(error) }
            progress?(.fetching(uri: data.modelURI))
            let encrypted: [UInt8]
            do { encrypted = try await fetcher.fetch(data.modelURI) } catch { throw .fetch(error) }
            progress?(.fetched(uri: data.modelURI, bytes: encrypted.count))
            do { model = try Sealing.decrypt(encrypted, key: fileKey, expectedHash: info.modelHash) } catch {
                throw .sealing(error)
            }
            source = data.modelURI
        }
        return FetchedModel(modelId: modelId, taskId: info.taskId, model: model, modelHash: info.modelHash,
                            accuracyBps: accuracy, price: price, source: source, saleTransaction: sale.log.transactionHash)
    }

    // MARK: - Money

    /// Refunds what is left of a task's budget to its provider (the sender) after the result window.
    /// - Parameters:
    ///   - taskId: the task.
    ///   - progress: progress lines.
    /// - Returns: the amount and the transaction.
    /// - Throws: `MarketActionError` ("refund reverted: result window still open", …).
    public func refund(taskId: UInt64, progress: (@Sendable (MarketProgress) -> Void)? = nil) async throws(MarketActionError) -> Payout {
        _ = try requireWallet("refund")
        try await requireContract()
        progress?(.sending(function: "refund"))
        let transaction: MarketplaceTransaction
        do { transaction = try await marketplace.refund(taskId: taskId) } catch { throw .contract(error) }
        progress?(.mined(transaction))
        for case .refunded(_, let amount) in transaction.events { return Payout(amount: amount, transaction: transaction) }
        throw .contract(.missingEvent(function: "refund", event: "Refunded", transaction: transaction.hash))
    }

    /// Withdraws the sender's credit.
    /// - Parameter progress: progress lines.
    /// - Returns: the amount and the transaction.
    /// - Throws: `MarketActionError` ("withdraw reverted: nothing to withdraw").
    public func withdraw(progress: (@Sendable (MarketProgress) -> Void)? = nil) async throws(MarketActionError) -> Payout {
        _ = try requireWallet("withdraw")
        try await requireContract()
        progress?(.sending(function: "withdraw"))
        let transaction: MarketplaceTransaction
        do { transaction = try await marketplace.withdraw() } catch { throw .contract(error) }
        progress?(.mined(transaction))
        for case .withdrawn(_, let amount) in transaction.events { return Payout(amount: amount, transaction: transaction) }
        throw .contract(.missingEvent(function: "withdraw", event: "Withdrawn", transaction: transaction.hash))
    }

    // MARK: - Chain time

    /// The latest block's timestamp: the chain's clock.
    /// - Returns: Unix seconds.
    /// - Throws: `MarketActionError.contract` wrapping the node's error.
    public func chainTime() async throws(MarketActionError) -> UInt64 {
        let latest: BlockSummary?
        do { latest = try await marketplace.rpc.getBlockByNumber(.latest) } catch {
            throw .contract(.rpc(function: "eth_getBlockByNumber", error))
        }
        guard let latest else { throw .state("the node at \(marketplace.rpc.url) has no latest block") }
        return latest.timestamp
    }

    /// A deadline as Unix time.
    /// - Parameter deadline: the deadline.
    /// - Returns: Unix seconds.
    /// - Throws: `MarketActionError`.
    public func resolve(_ deadline: TaskDeadline) async throws(MarketActionError) -> UInt64 {
        switch deadline {
        case .at(let time): return time
        case .after(let seconds): return try await chainTime() + seconds
        }
    }

    // MARK: - Plumbing

    /// Checks that the marketplace address holds code (a typo in --marketplace, or a chain without
    /// the predeployed contract, would otherwise read as zeros or send to an empty account).
    /// - Throws: `MarketActionError.state` naming the address and the node.
    public func requireContract() async throws(MarketActionError) {
        let code: [UInt8]
        do { code = try await marketplace.rpc.getCode(marketplace.address) } catch {
            throw .contract(.rpc(function: "eth_getCode", error))
        }
        guard !code.isEmpty else {
            throw .state("no contract at \(marketplace.address) on \(marketplace.rpc.url); expected the marketplace's address (--marketplace)")
        }
    }

    func requireWallet(_ function: String) throws(MarketActionError) -> Wallet {
        guard let wallet = marketplace.wallet else { throw .contract(.noWallet(function: function)) }
        return wallet
    }

    func existingTask(_ taskId: UInt64) async throws(MarketActionError) -> TaskInfo {
        let task: TaskInfo
        do { task = try await marketplace.taskInfo(taskId: taskId) } catch { throw .contract(error) }
        guard task.exists else {
            throw .state("task \(taskId) does not exist at the marketplace \(marketplace.address); expected the id of a created task (market status lists them)")
        }
        return task
    }

    /// The 64-byte public key of a registered enclave.
    func registeredEnclaveKey(_ enclave: Address, forTask taskId: UInt64? = nil) async throws(MarketActionError) -> [UInt8] {
        let registered: Bool
        let key: [UInt8]
        do {
            registered = try await marketplace.isEnclave(enclave)
            key = try await marketplace.enclavePublicKey(enclave)
        } catch { throw .contract(error) }
        let whose = taskId.map { "task \($0)'s enclave " } ?? "enclave "
        guard !key.isEmpty else {
            throw .state("\(whose)\(enclave) is not registered at the marketplace \(marketplace.address); expected a registered enclave's address")
        }
        guard registered else {
            throw .state("\(whose)\(enclave) is registered but its measurement is no longer trusted at the marketplace \(marketplace.address)")
        }
        guard key.count == 64 else {
            throw .state("\(whose)\(enclave) has a \(key.count)-byte public key on chain, expected 64")
        }
        return key
    }

    /// Runs a transaction as `eth_call` from the wallet; a revert becomes `.contract(.reverted)`.
    func simulate(_ function: ABIFunction, _ arguments: [ABIValue], value: UInt256 = .zero) async throws(MarketActionError) {
        let callData: [UInt8]
        do { callData = try function.encodeCall(arguments) } catch {
            throw .contract(.unexpectedOutput(function: function.name, reason: "arguments: \(error)"))
        }
        do {
            _ = try await marketplace.rpc.call(CallRequest(from: marketplace.wallet?.address, to: marketplace.address,
                                                           value: value, data: callData))
        } catch {
            if let reason = error.revert { throw .contract(.reverted(function: function.name, reason: reason)) }
            throw .contract(.rpc(function: function.name, error))
        }
    }

    /// The model in the call data of a direct evaluateOnChain transaction.
    func modelRevealedOnChain(modelId: UInt64, transaction: Hash32, expectedHash: Hash32) async throws(MarketActionError) -> [UInt8] {
        let json: JSON
        do { json = try await marketplace.rpc.call("eth_getTransactionByHash", [.string(transaction.description)]) } catch {
            throw .contract(.rpc(function: "eth_getTransactionByHash", error))
        }
        guard let inputText = json["input"]?.stringValue, let input = try? Hex.decode(inputText),
              let values = try? MarketplaceABI.evaluateOnChain.decodeCall(input), values.count == 3,
              let model = values[1].bytesValue else {
            throw .state("model \(modelId) was sold with no key (scored on chain), but transaction \(transaction) is not a direct evaluateOnChain call to read it from")
        }
        let actual = Keccak256.hash(model)
        guard actual == expectedHash else { throw .sealing(.hashMismatch(expected: expectedHash, actual: actual)) }
        return model
    }
}
