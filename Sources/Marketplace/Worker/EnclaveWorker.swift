import Foundation
import Inference
import Primitives
import Signatures

/// The SIMULATED enclave as a long-lived benchmark worker (issue 12 §1; docs/protocol.md messages
/// 1, 4 and 5). **INSECURE**: nothing here runs in a TEE; the key is an ordinary process key and its
/// quotes chain to a public test root.
///
/// `run()`:
/// 1. checks the marketplace (code at the address, the EIP-712 domain separator it reports) and
///    registers the enclave key by quote, followed by the configuration's collateral if it has
///    any (`registerEnclave(quote ‖ collateral, …)`, `EnclaveEvidence`), unless `isEnclave`
///    already says yes;
/// 2. follows ModelSubmitted from block 0 (`LogFollower`: WebSocket `eth_subscribe`, falling back
///    to `eth_getLogs` polling), so on start it catches up with every model already submitted, and
///    keeps only the models of tasks whose enclave is this key and whose status is 1 (submitted);
/// 3. for each such model, one at a time: reads taskInfo/taskData/modelInfo/modelData, fetches the
///    test set (once per task) and the model (`URIFetcher`), scores them (`Benchmark`), signs the
///    EIP-712 `BenchmarkResult` and relays `submitResult` from the relayer key.
///
/// A model that cannot be fetched (after `fetchAttempts` tries), decrypted or parsed, or whose
/// hash differs, is scored 0 (logitsHash 0, keyForBuyer empty) and the reason logged. A task whose
/// test set or buyer key is unusable leaves its models unscored (logged): that is the provider's
/// fault, not the developer's. Transient failures (the node or a file server down) are retried with
/// a growing pause until the model's result window closes; a model whose window has closed is
/// logged and skipped. Nothing crashes the worker once it runs.
///
/// Restart safety: before a result transaction is sent, its hash and raw bytes go to the journal
/// (`WorkerJournal`, fsync'd). On a model with a journal entry and status still 1, the worker waits
/// for that transaction if the node has it (pending), re-broadcasts the same bytes if the node has
/// never seen it, and scores afresh only if it was mined and reverted. The contract's modelStatus
/// is the source of truth; it also refuses a second result ("model already scored").
public actor EnclaveWorker {
    /// Everything the worker needs.
    public struct Configuration: Sendable {
        /// The node's HTTP JSON-RPC URL.
        public var rpcURL: String
        /// The marketplace contract.
        public var marketplace: Address
        /// The enclave's secp256k1 key (its address must be, or become, a registered enclave).
        public var enclaveKey: PrivateKey
        /// The account that pays the gas of registerEnclave and submitResult.
        public var relayerKey: PrivateKey
        /// Where the journal lives.
        public var datadir: String
        /// Makes a quote whose reportData0 binds the enclave key to (chain id, marketplace).
        public var quote: @Sendable (_ chainId: UInt64, _ marketplace: Address) -> [UInt8]
        /// The collateral in the on-chain layout (GGC1) sent after the quote at registration, or nil
        /// to register with the quote alone (refused where the genesis requires collateral).
        public var collateral: [UInt8]?
        /// WebSocket subscription (with polling fallback) or polling only.
        public var followMode: LogFollower.Mode = .webSocket
        /// The pause between two `eth_getLogs` polls.
        public var pollInterval: Duration = .milliseconds(250)
        /// How files are fetched.
        public var fetcher = URIFetcher()
        /// Tries per model download before a model that cannot be fetched scores 0.
        public var fetchAttempts = 3
        /// The first pause before a transient failure is retried (doubling up to 30 s).
        public var retryInterval: Duration = .seconds(1)
        /// GEMM threads for scoring (the result does not depend on it).
        public var threadCount = 1
        /// How long to wait for a result transaction's receipt.
        public var receiptTimeout: Duration = .seconds(120)
        /// Where log lines go (one line per event).
        public var log: @Sendable (String) -> Void

        /// Creates a configuration.
        /// - Parameters:
        ///   - rpcURL: the node.
        ///   - marketplace: the contract.
        ///   - enclaveKey: the enclave key.
        ///   - relayerKey: the gas payer.
        ///   - datadir: where the journal goes.
        ///   - quote: makes a registration quote for (chain id, marketplace).
        ///   - collateral: the quote's collateral in the on-chain layout, or nil for the quote alone.
        ///   - log: where log lines go.
        public init(rpcURL: String, marketplace: Address, enclaveKey: PrivateKey, relayerKey: PrivateKey, datadir: String,
                    quote: @escaping @Sendable (_ chainId: UInt64, _ marketplace: Address) -> [UInt8],
                    collateral: [UInt8]? = nil, log: @escaping @Sendable (String) -> Void) {
            self.rpcURL = rpcURL
            self.marketplace = marketplace
            self.enclaveKey = enclaveKey
            self.relayerKey = relayerKey
            self.datadir = datadir
            self.quote = quote
            self.collateral = collateral
            self.log = log
        }
    }

    /// What happened to one model, as the worker reports it.
    enum Outcome: Hashable, Sendable {
        /// A result transaction was mined and the model sold (price in wei).
        case sold(transaction: Hash32, accuracyBps: UInt16, price: UInt256)
        /// A result transaction was mined and the model scored, not sold.
        case scored(transaction: Hash32, accuracyBps: UInt16)
        /// The model was settled before (by this worker earlier, or by evaluateOnChain).
        case alreadySettled(ModelStatus)
        /// Not this enclave's task.
        case notMine
        /// The model's result window had closed.
        case windowClosed
        /// The task's test set or buyer key is unusable; the model stays unscored.
        case taskUnusable
        /// The contract would refuse the result (its reason), so nothing was sent.
        case refused(String)
        /// A transient failure: try again later.
        case retryLater(String)
    }

    /// The configuration.
    public nonisolated let configuration: Configuration
    /// The enclave's address.
    public nonisolated let address: Address
    /// The journal of sent results.
    public nonisolated let journal: WorkerJournal
    let rpc: RPCClient
    let client: MarketplaceClient
    var domain: EIP712Domain?
    var resultWindow: UInt64 = 0
    var preparedTasks: [TaskKey: Result<PreparedTask, BenchmarkError>] = [:]
    var seenLogs: Set<LogIdentity> = []
    var queue: AsyncStream<Work>.Continuation?

    /// A ModelSubmitted log, by where it is (after an `evm_revert` the same model id can come
    /// back in another block, as another model).
    struct LogIdentity: Hashable {
        var blockHash: Hash32
        var logIndex: UInt64
    }

    /// One model to look at, and how many times it was put off.
    struct Work: Sendable {
        var modelId: UInt64
        var taskId: UInt64
        var attempt = 0
    }

    /// A task as the chain describes it now: its id and everything the prepared test set depends
    /// on (a task id re-used after an `evm_revert` names another task).
    struct TaskKey: Hashable {
        var taskId: UInt64
        var datasetHash: Hash32
        var data: Hash32
    }

    /// A task of this enclave, ready to score models on.
    struct PreparedTask {
        var info: TaskInfo
        var data: TaskData
        var testSet: Dataset
        var buyer: PublicKey
    }

    /// Creates a worker; opens (or creates) the data directory and the journal.
    /// - Parameter configuration: the configuration.
    /// - Throws: `EnclaveWorkerError.datadir` or `.journal`.
    public init(configuration: Configuration) throws(EnclaveWorkerError) {
        self.configuration = configuration
        self.address = configuration.enclaveKey.address
        do {
            try FileManager.default.createDirectory(atPath: configuration.datadir, withIntermediateDirectories: true)
        } catch {
            throw .datadir(path: configuration.datadir, reason: "\(error)")
        }
        do {
            journal = try WorkerJournal(path: (configuration.datadir as NSString).appendingPathComponent(WorkerJournal.fileName))
        } catch {
            throw .journal(error)
        }
        rpc = RPCClient(url: configuration.rpcURL, requestTimeout: .seconds(30))
        client = MarketplaceClient(address: configuration.marketplace, rpc: rpc,
                                   wallet: Wallet(key: configuration.relayerKey, client: rpc))
    }

    nonisolated func say(_ line: String) { configuration.log("[enclave SIMULATED] " + line) }

    // MARK: - Running

    /// Checks the marketplace, registers if needed, then follows and scores models until cancelled.
    /// - Throws: `EnclaveWorkerError` if the worker cannot start (no contract, a domain mismatch,
    ///   registration refused); `CancellationError` when stopped.
    public func run() async throws {
        try await prepare()
        let (stream, continuation) = AsyncStream<Work>.makeStream()
        queue = continuation
        defer { continuation.finish() }
        let follower = LogFollower(client: rpc, address: configuration.marketplace, topic: MarketplaceABI.modelSubmitted.topic,
                                   mode: configuration.followMode, pollInterval: configuration.pollInterval,
                                   log: { line in self.say(line) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await follower.run(from: 0) { logs in await self.intake(logs) } }
            group.addTask {
                for await work in stream {
                    try Task.checkCancellation()
                    await self.handle(work)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Start-up: the marketplace answers, the domain matches, the enclave is registered.
    func prepare() async throws(EnclaveWorkerError) {
        say("SIMULATED enclave worker — INSECURE, for development: its key is an ordinary process key, its quotes chain to a public test root")
        say("enclave \(address), relayer \(configuration.relayerKey.address), marketplace \(configuration.marketplace), node \(configuration.rpcURL), datadir \(configuration.datadir)")
        for ignored in journal.ignoredLines {
            say("journal line \(ignored.line) ignored: \(ignored.reason)")
        }
        let chainId: UInt64
        let code: [UInt8]
        do {
            chainId = try await rpc.chainId()
            code = try await rpc.getCode(configuration.marketplace)
        } catch {
            throw .node(url: configuration.rpcURL, reason: "\(error)")
        }
        guard !code.isEmpty else { throw .noMarketplace(configuration.marketplace, chainId: chainId) }
        let domain = EIP712Domain.goldenGrain(chainId: UInt256(chainId), marketplace: configuration.marketplace)
        do {
            let onChain = try await client.domainSeparator()
            guard onChain == domain.separator else {
                throw EnclaveWorkerError.domainMismatch(marketplace: configuration.marketplace, onChain: onChain,
                                                        expected: domain.separator)
            }
            resultWindow = try await client.resultWindow()
        } catch let error as EnclaveWorkerError {
            throw error
        } catch {
            throw .marketplace(configuration.marketplace, reason: "\(error)")
        }
        self.domain = domain
        try await register(chainId: chainId)
    }

    /// Registers the enclave by quote unless the marketplace already knows it.
    func register(chainId: UInt64) async throws(EnclaveWorkerError) {
        let marketplace = configuration.marketplace
        do {
            if try await client.isEnclave(address) {
                say("enclave \(address) is registered at \(marketplace) (chain \(chainId))")
                return
            }
            if !(try await client.enclavePublicKey(address)).isEmpty {
                throw EnclaveWorkerError.revoked(enclave: address, marketplace: marketplace)
            }
            let evidence: EnclaveEvidence
            do {
                evidence = try EnclaveEvidence(quote: configuration.quote(chainId, marketplace), collateral: configuration.collateral)
            } catch {
                throw EnclaveWorkerError.registration(enclave: address, reason: error.description)
            }
            say("enclave \(address) is not registered at \(marketplace): registering with a SIMULATED quote binding its key to chain \(chainId)\(evidence.hasCollateral ? " and its collateral" : ""): \(evidence)")
            let enclave: Address, transaction: MarketplaceTransaction
            do {
                (enclave, transaction) = try await client.registerEnclave(evidence, enclavePublicKey: configuration.enclaveKey.publicKey.bytes)
            } catch {
                throw EnclaveWorkerError.registration(enclave: address, reason: error.description + Self.rejectionHint(error, evidence: evidence))
            }
            guard enclave == address else {
                throw EnclaveWorkerError.marketplace(marketplace, reason: "EnclaveRegistered names \(enclave), expected \(address)")
            }
            say("registered enclave \(address) in tx \(transaction.hash) (block \(transaction.receipt.blockNumber), gas \(transaction.gasUsed)) with \(evidence)")
        } catch let error as EnclaveWorkerError {
            throw error
        } catch let error as MarketplaceError {
            throw .registration(enclave: address, reason: error.description)
        } catch {
            throw .registration(enclave: address, reason: "\(error)")
        }
    }

    /// What "quote rejected" (ATTESTATION_VERIFY's empty output) most likely means for what was sent.
    static func rejectionHint(_ error: MarketplaceError, evidence: EnclaveEvidence) -> String {
        guard error.revertReason?.reason == "quote rejected" else { return "" }
        return evidence.hasCollateral
            ? " (ATTESTATION_VERIFY refused quote ‖ collateral: the chain may not trust the quote's root, the collateral may not match the platform or be valid at the block's time, or the platform's TCB status may not be among the genesis's acceptedTCBStatuses)"
            : " (the quote was sent alone: a chain whose genesis sets goldengrain.attestation.requireCollateral refuses a quote without collateral)"
    }

    /// New ModelSubmitted logs: queue each model once.
    func intake(_ logs: [LogEntry]) {
        for log in logs {
            guard case .modelSubmitted(let taskId, let modelId, _, _)?? = try? MarketplaceClient.decode(topics: log.topics, data: log.data)
            else { continue }
            guard seenLogs.insert(LogIdentity(blockHash: log.blockHash, logIndex: log.logIndex)).inserted else { continue }
            queue?.yield(Work(modelId: modelId, taskId: taskId))
        }
    }

    /// Processes one model and puts it back in the queue after a pause if it must be retried.
    func handle(_ work: Work) async {
        let outcome = await process(modelId: work.modelId, taskId: work.taskId)
        guard case .retryLater(let reason) = outcome else { return }
        var next = work
        next.attempt += 1
        let seconds = min(30.0, Self.seconds(configuration.retryInterval) * Double(1 << min(next.attempt - 1, 5)))
        say("model \(work.modelId) (task \(work.taskId)): \(reason); retrying in \(Self.format(seconds)) s")
        let queue = self.queue
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            queue?.yield(next)
        }
    }

    // MARK: - One model

    /// Looks at one model and, if it is this enclave's and unscored, scores it and relays the result.
    /// - Parameters:
    ///   - modelId: the model.
    ///   - taskId: its task.
    /// - Returns: what happened.
    func process(modelId: UInt64, taskId: UInt64) async -> Outcome {
        let model: ModelInfo
        let info: TaskInfo
        do {
            model = try await client.modelInfo(modelId: modelId)
            info = try await taskInfo(taskId)
        } catch {
            return .retryLater("reading model \(modelId) or task \(taskId) failed: \(error)")
        }
        guard info.enclave == address else { return .notMine }
        guard model.status == .submitted else {
            say("model \(modelId) (task \(taskId)): already settled on chain (\(model.status)), nothing to do")
            return .alreadySettled(model.status)
        }
        // The window, by chain time.
        let closesAt = info.deadline &+ resultWindow
        let now: UInt64
        do {
            guard let head = try await rpc.getBlockByNumber(.latest) else { return .retryLater("the node has no latest block") }
            now = head.timestamp
        } catch {
            return .retryLater("eth_getBlockByNumber failed: \(error)")
        }
        guard now <= closesAt else {
            say("model \(modelId) (task \(taskId)): result window closed at \(closesAt) (deadline \(info.deadline) + \(resultWindow) s; chain time \(now)), skipped")
            return .windowClosed
        }
        if let entry = journal.entry(for: modelId) {
            if let outcome = await resume(entry, taskId: taskId) { return outcome }
        }
        let prepared: PreparedTask
        do {
            switch try await preparedTask(taskId, info: info) {
            case .failure(let error):
                say("model \(modelId) (task \(taskId)): left unscored, the task is unusable: \(error)")
                return .taskUnusable
            case .success(let ready): prepared = ready
            }
        } catch {
            return .retryLater("preparing task \(taskId) failed: \(error)")
        }
        let data: ModelData
        do { data = try await client.modelData(modelId: modelId) } catch { return .retryLater("modelData failed: \(error)") }
        say("model \(modelId) (task \(taskId)) seen: \(data.modelURI), hash \(model.modelHash)")

        let score: BenchmarkScore
        switch await fetchModel(data.modelURI, modelId: modelId) {
        case .failure(let error):
            score = .zero(because: .notFetched(.model, error))
        case .success(let encrypted):
            say("model \(modelId): fetched \(encrypted.count) bytes from \(data.modelURI)")
            score = Benchmark.scoreModel(encrypted: encrypted, sealedKey: data.sealedModelKey, expectedHash: model.modelHash,
                                         testSet: prepared.testSet, enclaveKey: configuration.enclaveKey,
                                         buyer: prepared.buyer, threadCount: configuration.threadCount)
        }
        if let failure = score.failure {
            say("model \(modelId): scored 0 bps: \(failure)")
        } else {
            say("model \(modelId): scored \(score.accuracyBps) bps (\(score.correct)/\(score.total)), logits hash \(score.logitsHash)")
        }
        return await relay(score, modelId: modelId, taskId: taskId, modelHash: model.modelHash, task: prepared.info)
    }

    /// Fetches a model, trying again on transient failures.
    func fetchModel(_ uri: String, modelId: UInt64) async -> Result<[UInt8], URIFetchError> {
        var attempt = 1
        while true {
            do {
                return .success(try await configuration.fetcher.fetch(uri))
            } catch {
                guard error.isTransient, attempt < configuration.fetchAttempts else { return .failure(error) }
                say("model \(modelId): fetch attempt \(attempt) of \(configuration.fetchAttempts) failed: \(error)")
                attempt += 1
                try? await Task.sleep(for: configuration.retryInterval)
            }
        }
    }

    /// Signs the result, journals the transaction, sends it and waits for its receipt.
    func relay(_ score: BenchmarkScore, modelId: UInt64, taskId: UInt64, modelHash: Hash32, task: TaskInfo) async -> Outcome {
        guard let domain else { return .retryLater("the worker has not checked the marketplace yet") }
        let result = BenchmarkResult(taskId: UInt256(taskId), modelId: UInt256(modelId), modelHash: modelHash,
                                     datasetHash: task.datasetHash, accuracyBps: score.accuracyBps,
                                     logitsHash: score.logitsHash, keyForBuyerHash: Keccak256.hash(score.keyForBuyer))
        let signature = result.signature(with: configuration.enclaveKey, in: domain)
        let callData: [UInt8]
        do {
            callData = try MarketplaceABI.submitResult.encodeCall([
                .uint(UInt256(modelId)), .uint(UInt256(UInt64(score.accuracyBps))), .bytes32(score.logitsHash),
                .bytes(score.keyForBuyer), .bytes(signature),
            ])
        } catch {
            return .refused("submitResult arguments do not encode: \(error)")
        }
        // A fresh wallet per result reads the pending nonce from the node, so a send that failed
        // leaves no gap in the relayer's nonces.
        let wallet = Wallet(key: configuration.relayerKey, client: rpc)
        let signed: SignedTransaction
        do {
            signed = try await wallet.sign(to: configuration.marketplace, data: callData)
        } catch {
            if let reason = error.revert {
                return refusal(reason, modelId: modelId)
            }
            return .retryLater("preparing submitResult failed: \(error)")
        }
        do {
            try journal.record(.init(modelId: modelId, transactionHash: signed.hash, rawTransaction: signed.raw,
                                     accuracyBps: score.accuracyBps))
        } catch {
            return .retryLater("\(error); not sending")
        }
        do {
            _ = try await rpc.sendRawTransaction(signed.raw)
        } catch {
            // Journaled: the next attempt finds the entry and re-broadcasts or re-scores.
            return .retryLater("sending result tx \(signed.hash) failed: \(error)")
        }
        say("model \(modelId): result tx \(signed.hash) sent (\(score.accuracyBps) bps) by relayer \(wallet.address)")
        return await settle(signed.hash, modelId: modelId)
    }

    /// A model with a journal entry and status 1: wait for, re-send, or (if it reverted) redo its result.
    /// - Returns: the outcome, or nil to score the model afresh.
    func resume(_ entry: WorkerJournal.Entry, taskId: UInt64) async -> Outcome? {
        let hash = entry.transactionHash
        do {
            if let receipt = try await rpc.getTransactionReceipt(hash) {
                if receipt.isSuccess { return await settle(hash, modelId: entry.modelId) }
                say("model \(entry.modelId): journaled result tx \(hash) was mined but reverted; scoring again")
                return nil
            }
            let known = try await rpc.call("eth_getTransactionByHash", [.string(hash.description)])
            if !known.isNull {
                say("model \(entry.modelId): result tx \(hash) from before the restart is pending; awaiting it, not re-sending")
                return await settle(hash, modelId: entry.modelId)
            }
        } catch {
            return .retryLater("looking up journaled result tx \(hash) failed: \(error)")
        }
        // Re-send only a transaction that can still be mined next: after an evm_revert its nonce
        // may be ahead of the relayer's, and it would wait in the pool for ever.
        do {
            let next = try await rpc.getTransactionCount(configuration.relayerKey.address, block: .pending)
            guard let nonce = Self.nonce(ofRawTransaction: entry.rawTransaction), nonce == next else {
                say("model \(entry.modelId): journaled result tx \(hash) is unknown to the node and its nonce is not the relayer's next (\(next)); scoring again")
                return nil
            }
        } catch {
            return .retryLater("reading the relayer's nonce failed: \(error)")
        }
        do {
            _ = try await rpc.sendRawTransaction(entry.rawTransaction)
            say("model \(entry.modelId): the node never got journaled result tx \(hash); re-sent the same bytes")
            return await settle(hash, modelId: entry.modelId)
        } catch {
            say("model \(entry.modelId): journaled result tx \(hash) could not be re-sent (\(error)); scoring again")
            return nil
        }
    }

    /// Waits for a result transaction and reports the sale or score.
    func settle(_ hash: Hash32, modelId: UInt64) async -> Outcome {
        let receipt: TransactionReceipt
        do {
            receipt = try await rpc.waitForReceipt(hash, timeout: configuration.receiptTimeout, pollInterval: .milliseconds(100))
        } catch {
            return .retryLater("waiting for result tx \(hash) failed: \(error)")
        }
        guard receipt.isSuccess else {
            // The journal entry stays; the next attempt sees the revert and scores again if still open.
            return .retryLater("result tx \(hash) reverted in block \(receipt.blockNumber)")
        }
        for log in receipt.logs {
            switch try? client.event(from: log) {
            case .modelSold(let taskId, let soldId, let developer, let accuracy, let price, _)? where soldId == modelId:
                say("model \(modelId) (task \(taskId)): sold at \(accuracy) bps for \(price) wei, key released to the provider, developer \(developer) credited (tx \(hash), block \(receipt.blockNumber), gas \(receipt.gasUsed))")
                return .sold(transaction: hash, accuracyBps: accuracy, price: price)
            case .modelScored(let taskId, let scoredId, let accuracy)? where scoredId == modelId:
                say("model \(modelId) (task \(taskId)): scored \(accuracy) bps, not sold (tx \(hash), block \(receipt.blockNumber), gas \(receipt.gasUsed))")
                return .scored(transaction: hash, accuracyBps: accuracy)
            default:
                continue
            }
        }
        return .refused("result tx \(hash) succeeded without ModelSold or ModelScored for model \(modelId)")
    }

    /// A revert found before sending.
    func refusal(_ reason: ABIRevertReason, modelId: UInt64) -> Outcome {
        let text = "\(reason)"
        if reason.reason == "model already scored" {
            say("model \(modelId): already scored on chain, nothing sent")
            return .alreadySettled(.scoredNotSold)
        }
        if reason.reason == "result window closed" {
            say("model \(modelId): result window closed before the result could be sent, skipped")
            return .windowClosed
        }
        say("model \(modelId): submitResult would revert (\(reason)); nothing sent")
        return .refused(text)
    }

    // MARK: - Tasks

    /// taskInfo (read for every model: it is one call, and a dev chain can revert).
    func taskInfo(_ taskId: UInt64) async throws(MarketplaceError) -> TaskInfo {
        try await client.taskInfo(taskId: taskId)
    }

    /// The task's test set and buyer key, fetched and opened once.
    /// - Returns: the prepared task, or the reason it is unusable for good.
    /// - Throws: a transient failure (the node or the test set's server down).
    func preparedTask(_ taskId: UInt64, info: TaskInfo) async throws -> Result<PreparedTask, BenchmarkError> {
        let data = try await client.taskData(taskId: taskId)
        let key = TaskKey(taskId: taskId, datasetHash: info.datasetHash,
                          data: Keccak256.hash(Array(data.datasetURI.utf8) + [0] + data.sealedDatasetKey + [0] + data.buyerPublicKey))
        if let prepared = preparedTasks[key] { return prepared }
        let result: Result<PreparedTask, BenchmarkError>
        do {
            let buyer = try Benchmark.buyerKey(data.buyerPublicKey)
            let encrypted: [UInt8]
            do { encrypted = try await configuration.fetcher.fetch(data.datasetURI) } catch {
                throw BenchmarkError.notFetched(.testSet, error)
            }
            let testSet = try Benchmark.openTestSet(encrypted: encrypted, sealedKey: data.sealedDatasetKey,
                                                    expectedHash: info.datasetHash, enclaveKey: configuration.enclaveKey)
            say("task \(taskId): test set fetched from \(data.datasetURI) and opened: \(testSet.sampleCount) samples of \(testSet.featureCount) features, hash \(info.datasetHash)")
            result = .success(PreparedTask(info: info, data: data, testSet: testSet, buyer: buyer))
        } catch let error as BenchmarkError {
            if error.isTransient { throw error }
            say("task \(taskId): unusable, its models stay unscored: \(error)")
            result = .failure(error)
        }
        preparedTasks[key] = result
        return result
    }

    /// The nonce of a signed EIP-1559 transaction: `0x02 ‖ rlp([chainId, nonce, …])`.
    static func nonce(ofRawTransaction raw: [UInt8]) -> UInt64? {
        guard raw.first == EIP1559Transaction.typeByte else { return nil }
        var reader = RLPReader(Array(raw.dropFirst()))
        do {
            var fields = try reader.enterList()
            _ = try fields.readUInt64()
            return try fields.readUInt64()
        } catch {
            return nil
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

/// Why the worker could not start.
public enum EnclaveWorkerError: Error, Sendable, CustomStringConvertible {
    /// The data directory cannot be created.
    case datadir(path: String, reason: String)
    /// The journal cannot be opened.
    case journal(WorkerJournalError)
    /// The node does not answer.
    case node(url: String, reason: String)
    /// No contract at the marketplace address.
    case noMarketplace(Address, chainId: UInt64)
    /// The contract does not answer as a marketplace.
    case marketplace(Address, reason: String)
    /// The contract's EIP-712 domain separator is not GoldenGrain's for this chain and address.
    case domainMismatch(marketplace: Address, onChain: Hash32, expected: Hash32)
    /// The enclave is registered but its measurement is no longer trusted.
    case revoked(enclave: Address, marketplace: Address)
    /// registerEnclave failed.
    case registration(enclave: Address, reason: String)

    public var description: String {
        switch self {
        case .datadir(let path, let reason): return "cannot create the worker's data directory \(path): \(reason)"
        case .journal(let error): return "\(error)"
        case .node(let url, let reason): return "the node at \(url) does not answer: \(reason)"
        case .noMarketplace(let address, let chainId):
            return "no contract at \(address) on chain \(chainId), expected the marketplace there"
        case .marketplace(let address, let reason): return "\(address) does not answer as a marketplace: \(reason)"
        case .domainMismatch(let marketplace, let onChain, let expected):
            return "\(marketplace) reports EIP-712 domain separator \(onChain), expected \(expected) ({GoldenGrain, 1, chain id, \(marketplace)})"
        case .revoked(let enclave, let marketplace):
            return "enclave \(enclave) is registered at \(marketplace) but isEnclave is false: its measurement is no longer trusted"
        case .registration(let enclave, let reason): return "registering enclave \(enclave) failed: \(reason)"
        }
    }
}
