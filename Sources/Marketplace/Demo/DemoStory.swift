import Foundation
import Inference
import Primitives
import Signatures

/// `goldengrain demo`'s story (issue 12, §3–4), against any dev chain with the marketplace at
/// `configuration.marketplace`:
///
/// 1. **TEE + precompiles.** A fresh SIMULATED enclave registers by quote; its worker runs; the
///    provider creates a task on the digits test split; three models of clearly different accuracy
///    are trained, quantized and submitted by three developers; the worker benchmarks them and
///    relays submitResult: the two the task pays for are sold, the one below the minimum is only
///    scored (no key). The buyer opens one sold model's key, decrypts it and re-scores it locally
///    against the signed result read from the submitResult input. The developers withdraw.
/// 2. **On chain with INFERENCE_EVAL.** The worker is stopped; a second task (same enclave, so no
///    worker scores it) gets the same models; after its deadline (evm_increaseTime) each is scored
///    by evaluateOnChain.
/// 3. **Plain EVM.** PlainEvaluator and a Marketplace using it are deployed, the enclave registers
///    there, a third task gets the models, and evaluateOnChain scores them where the whole test set
///    fits a block; where it does not, PlainEvaluator alone is measured on batches of samples.
///
/// After the result windows the provider refunds what is left of each task. Every transaction's
/// gas, call data and wall time is recorded in a `DemoReport`.
public final class DemoStory {
    let configuration: DemoConfiguration
    let rpc: RPCClient
    var report: DemoReport!
    var chainId: UInt64 = 0
    var trained: [DemoTrainedModel] = []
    var testSet: Dataset!
    var datasetHash = Hash32.zero
    var buyerKey = PrivateKey.generate()
    let clock = ContinuousClock()

    /// Creates the story.
    /// - Parameter configuration: accounts, enclave, artifacts, data.
    public init(configuration: DemoConfiguration) {
        self.configuration = configuration
        self.rpc = RPCClient(url: configuration.rpcURL, requestTimeout: .seconds(120))
    }

    func say(_ line: String) { configuration.progress(line) }

    // MARK: - The story

    /// Runs the whole story.
    /// - Returns: the measurements.
    /// - Throws: `DemoError` naming the step that failed.
    public func run() async throws -> DemoReport {
        let started = clock.now
        try await prepare()
        let provider = wallet(configuration.provider)
        let developers = configuration.developers.map(wallet)
        let balancesBefore = try await balances(provider: provider.address, developers: developers.map(\.address))
        report.marketplaceBalanceBefore = try await balance(configuration.marketplace, "the marketplace")

        try train()
        let market = MarketplaceClient(address: configuration.marketplace, rpc: rpc)
        let tee = try await teeMode(market: market, provider: provider, developers: developers)
        let onChain = try await openTask(.onChain, market: market, provider: provider, developers: developers)
        let (plainMarket, plainTask) = try await deployPlainMarketplace(provider: provider, developers: developers)

        try await advanceTime(past: max(onChain.deadline, plainTask.deadline), "the on-chain tasks' deadline")
        try await scoreOnChain(onChain, market: market)
        try await withdraw(.onChain, market: market, developers: developers)
        try await scorePlain(plainTask, market: plainMarket)
        try await withdraw(.plainEVM, market: plainMarket, developers: developers)

        let window = try await call("resultWindow") { try await market.resultWindow() }
        try await advanceTime(past: max(tee.deadline, onChain.deadline, plainTask.deadline) + window,
                              "the result windows")
        for (task, client) in [(tee, market), (onChain, market), (plainTask, plainMarket)] {
            try await refund(task, market: client, provider: provider)
        }

        let balancesAfter = try await balances(provider: provider.address, developers: developers.map(\.address))
        account(before: balancesBefore, after: balancesAfter)
        report.marketplaceBalanceAfter = try await balance(configuration.marketplace, "the marketplace")
        report.plainMarketplaceBalanceAfter = try await balance(report.plainMarketplace, "the plain-EVM marketplace")
        report.totalSeconds = DemoClock.seconds(since: started)
        return report
    }

    /// Reads the chain's parameters and checks it is a dev chain with the marketplace.
    func prepare() async throws {
        chainId = try await call("eth_chainId") { try await rpc.chainId() }
        guard let latest = try await call("eth_getBlockByNumber", { try await rpc.getBlockByNumber(.latest) }) else {
            throw DemoError("eth_getBlockByNumber(latest) returned no block")
        }
        let code = try await call("eth_getCode") { try await rpc.getCode(configuration.marketplace) }
        guard !code.isEmpty else {
            throw DemoError("no contract at \(configuration.marketplace) on \(configuration.rpcURL): expected the dev chain's marketplace (goldengrain node --dev)")
        }
        let market = MarketplaceClient(address: configuration.marketplace, rpc: rpc)
        let evaluator = try await call("evaluator") { try await market.evaluator() }
        guard evaluator == MarketplaceClient.inferenceEvaluator else {
            throw DemoError("the marketplace at \(configuration.marketplace) uses evaluator \(evaluator), expected INFERENCE_EVAL \(MarketplaceClient.inferenceEvaluator)")
        }
        let trusted = try await call("isMeasurementTrusted") { try await market.isMeasurementTrusted(configuration.enclave.mrEnclave) }
        guard trusted else {
            throw DemoError("the marketplace at \(configuration.marketplace) does not trust the SIMULATED MRENCLAVE \(configuration.enclave.mrEnclave)")
        }
        guard configuration.developers.count == configuration.models.count else {
            throw DemoError("\(configuration.developers.count) developers for \(configuration.models.count) models, expected one each")
        }
        do { testSet = try Dataset(bytes: configuration.testFile) } catch {
            throw DemoError("the test set is not a GGD file: \(error)")
        }
        datasetHash = Keccak256.hash(configuration.testFile)
        try FileManager.default.createDirectory(atPath: configuration.storeDirectory, withIntermediateDirectories: true)
        report = DemoReport(
            node: configuration.nodeDescription, rpcURL: configuration.rpcURL, chainId: chainId,
            blockGasLimit: latest.gasLimit, marketplace: configuration.marketplace,
            enclave: configuration.enclave.signingKey.address, relayer: configuration.relayer.address,
            provider: configuration.provider.address, minAccuracyBps: configuration.minAccuracyBps,
            maxPricePerModel: configuration.maxPricePerModel, budget: configuration.budget,
            testSamples: testSet.sampleCount, testSetBytes: configuration.testFile.count, datasetHash: datasetHash)
        say("chain \(chainId) at \(configuration.rpcURL) (\(configuration.nodeDescription)); block gas limit \(latest.gasLimit)")
    }

    /// Trains the models (setup steps).
    func train() throws {
        for (index, spec) in configuration.models.enumerated() {
            let model: DemoTrainedModel
            do { model = try DemoTrainedModel.train(spec, training: configuration.training, test: testSet) } catch {
                throw DemoError("training model \(spec.name) (\(spec.shape)) failed: \(error)")
            }
            trained.append(model)
            report.models.append(DemoModelOutcome(spec: spec, developer: configuration.developers[index].address,
                                                  bytes: model.file.count, modelHash: Keccak256.hash(model.file),
                                                  trainSeconds: model.seconds, local: model.score))
            record(DemoStep(mode: .setup, name: "train", model: spec.name, wallSeconds: model.seconds,
                            note: "\(spec.shape), int8: \(percent(model.score.accuracyBps)) on the test split"))
        }
    }

    // MARK: - Mode 1: TEE + precompiles

    /// A task on one marketplace and its models.
    struct OpenTask {
        let mode: DemoMode
        let marketplace: Address
        let taskId: UInt64
        let deadline: UInt64
        let block: UInt64
        var modelIds: [UInt64]
        var submitted: [ContinuousClock.Instant]
    }

    func teeMode(market: MarketplaceClient, provider: Wallet, developers: [Wallet]) async throws -> OpenTask {
        let relayer = wallet(configuration.relayer)
        let enclave = configuration.enclave
        let evidence = try registrationEvidence(market.address)
        let registration = try await transact(.tee, "registerEnclave", from: relayer,
                                              note: "ATTESTATION_VERIFY, once per enclave; SIMULATED: \(evidence)") {
            try await market.sending(from: relayer).registerEnclave(evidence, enclavePublicKey: enclave.signingKey.publicKey.bytes).transaction
        }
        let parameters = DemoWorkerParameters(
            rpcURL: configuration.rpcURL, marketplace: market.address, enclaveKey: enclave.signingKey,
            relayerKey: configuration.relayer, fromBlock: registration.receipt.blockNumber,
            datadir: configuration.storeDirectory + "/worker", quote: enclave.quote, collateral: enclave.collateral,
            log: { [progress = configuration.progress] line in progress("  " + line) })
        let worker: any DemoEnclaveWorker
        do { worker = try await configuration.startWorker(parameters) } catch {
            throw DemoError("starting the enclave worker for \(enclave.signingKey.address) failed: \(error)")
        }
        let task: OpenTask
        do {
            task = try await openTask(.tee, market: market, provider: provider, developers: developers)
            try await awaitResults(task, market: market, worker: worker)
        } catch {
            await worker.stop()
            throw error
        }
        await worker.stop()
        try await readResults(task, market: market)
        try await buyerCheck(task, market: market)
        try await withdraw(.tee, market: market, developers: developers)
        return task
    }

    /// Creates a task on the test split and submits every model to it.
    func openTask(_ mode: DemoMode, market: MarketplaceClient, provider: Wallet, developers: [Wallet]) async throws -> OpenTask {
        let enclave = configuration.enclave.signingKey
        let latest = try await latestBlock()
        let deadline = latest.timestamp + configuration.submissionSeconds
        let store = configuration.storeDirectory + "/\(mode.rawValue)"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        let dataset = Sealing.encrypt(configuration.testFile)
        let datasetURI = try write(dataset.encrypted, to: store + "/test.ggd.gge")
        let sealedDatasetKey = try seal(dataset.key, to: enclave.publicKey.bytes)
        let buyerPublicKey = buyerKey.publicKey.bytes
        var taskId: UInt64 = 0
        let created = try await transact(mode, "createTask", from: provider,
                                         note: "min \(configuration.minAccuracyBps) bps, up to \(Ether.format(configuration.maxPricePerModel)) ETH a model, budget \(Ether.format(configuration.budget)) ETH") {
            let result = try await market.sending(from: provider).createTask(
                enclave: enclave.address, datasetHash: datasetHash, datasetURI: datasetURI, sealedDatasetKey: sealedDatasetKey,
                minAccuracyBps: configuration.minAccuracyBps, maxPricePerModel: configuration.maxPricePerModel,
                deadline: deadline, buyerPublicKey: buyerPublicKey, budget: configuration.budget)
            taskId = result.taskId
            return result.transaction
        }
        var task = OpenTask(mode: mode, marketplace: market.address, taskId: taskId, deadline: deadline,
                            block: created.receipt.blockNumber, modelIds: [], submitted: [])
        for (index, model) in trained.enumerated() {
            let developer = developers[index]
            let encrypted = Sealing.encrypt(model.file)
            let uri = try write(encrypted.encrypted, to: store + "/\(model.spec.name).ggm.gge")
            let sealed = try seal(encrypted.key, to: enclave.publicKey.bytes)
            var modelId: UInt64 = 0
            _ = try await transact(mode, "submitModel", model: model.spec.name, from: developer) {
                let result = try await market.sending(from: developer).submitModel(
                    taskId: taskId, modelHash: encrypted.plaintextHash, modelURI: uri, sealedModelKey: sealed)
                modelId = result.modelId
                return result.transaction
            }
            task.modelIds.append(modelId)
            task.submitted.append(clock.now)
            report.models[index].scores[mode] = DemoScore(modelId: modelId, status: .submitted, accuracyBps: nil,
                                                          logitsHash: nil, price: .zero, scoringGas: nil, keyReleased: false)
        }
        report.tasks.append(DemoTaskAccount(mode: mode, marketplace: market.address, taskId: taskId, deadline: deadline,
                                            budget: configuration.budget, paid: .zero, refunded: .zero, budgetLeftAfter: .zero))
        return task
    }

    /// Waits until the worker has scored every model of the task.
    func awaitResults(_ task: OpenTask, market: MarketplaceClient, worker: any DemoEnclaveWorker) async throws {
        say("waiting for the enclave worker to benchmark \(task.modelIds.count) models …")
        let deadline = clock.now.advanced(by: configuration.resultTimeout)
        var pending = Set(task.modelIds)
        var scoredAt: [UInt64: ContinuousClock.Instant] = [:]
        while !pending.isEmpty {
            for modelId in pending.sorted() {
                let status = try await call("modelStatus") { try await market.modelStatus(modelId: modelId) }
                if status != .submitted {
                    pending.remove(modelId)
                    scoredAt[modelId] = clock.now
                }
            }
            if pending.isEmpty { break }
            if let failure = await worker.failure() {
                throw DemoError("\(failure) before it scored model(s) \(pending.sorted().map(String.init).joined(separator: ", ")) of task \(task.taskId)")
            }
            guard clock.now < deadline else {
                throw DemoError("the enclave worker scored no result for model(s) \(pending.sorted().map(String.init).joined(separator: ", ")) of task \(task.taskId) within \(configuration.resultTimeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        latency = [:]
        for (index, modelId) in task.modelIds.enumerated() {
            latency[modelId] = Self.seconds(from: task.submitted[index], to: scoredAt[modelId]!)
        }
    }

    /// Seconds from a model's submission until its result was seen on chain.
    var latency: [UInt64: Double] = [:]

    /// Reads each TEE result: its submitResult transaction (gas, call data, the signed figures) and its event.
    func readResults(_ task: OpenTask, market: MarketplaceClient) async throws {
        let events = try await call("eth_getLogs") {
            try await market.events(fromBlock: .number(task.block), only: [MarketplaceABI.modelSold, MarketplaceABI.modelScored],
                                    indexed: [[task.taskId.topicWord]])
        }
        for (index, modelId) in task.modelIds.enumerated() {
            guard let (event, log) = events.first(where: { Self.modelId(of: $0.event) == modelId }) else {
                throw DemoError("no ModelSold or ModelScored event for model \(modelId) of task \(task.taskId)")
            }
            let input = try await transactionInput(log.transactionHash)
            let decoded: [ABIValue]
            do { decoded = try MarketplaceABI.submitResult.decodeCall(input) } catch {
                throw DemoError("transaction \(log.transactionHash) that scored model \(modelId) is not a submitResult call: \(error)")
            }
            guard let receipt = try await call("eth_getTransactionReceipt", { try await rpc.getTransactionReceipt(log.transactionHash) }) else {
                throw DemoError("no receipt for \(log.transactionHash)")
            }
            let signedAccuracy = UInt16(decoded[1].uintValue?.uint64IfFits ?? 0)
            let signedLogits = decoded[2].hashValue32 ?? .zero
            record(DemoStep(mode: .tee, name: "submitResult", model: trained[index].spec.name, from: receipt.from,
                            transaction: receipt.transactionHash, block: receipt.blockNumber, gasUsed: receipt.gasUsed,
                            calldataBytes: input.count, fee: fee(receipt), wallSeconds: latency[modelId] ?? 0,
                            note: "relayed by the enclave worker; wall time from submitModel to the result on chain (fetch, decrypt, score, sign, relay)"))
            setScore(index, .tee, event: event, logitsHash: signedLogits, scoringGas: receipt.gasUsed)
            if report.models[index].scores[.tee]?.accuracyBps != signedAccuracy {
                throw DemoError("model \(modelId): the event says \(report.models[index].scores[.tee]?.accuracyBps ?? 0) bps, the signed result \(signedAccuracy)")
            }
        }
    }

    /// The buyer fetches the best sold model, decrypts it and re-scores it against the signed result.
    func buyerCheck(_ task: OpenTask, market: MarketplaceClient) async throws {
        let started = clock.now
        let sold = try await call("eth_getLogs") {
            try await market.events(fromBlock: .number(task.block), only: [MarketplaceABI.modelSold], indexed: [[task.taskId.topicWord]])
        }
        guard let best = sold.max(by: { Self.accuracy(of: $0.event) < Self.accuracy(of: $1.event) }),
              case .modelSold(_, let modelId, _, _, _, let keyForBuyer) = best.event,
              let index = task.modelIds.firstIndex(of: modelId) else {
            throw DemoError("task \(task.taskId) sold no model: nothing for the buyer to fetch")
        }
        let key: [UInt8]
        do { key = try Sealing.openKey(keyForBuyer, with: buyerKey) } catch {
            throw DemoError("the buyer cannot open keyForBuyer of model \(modelId): \(error)")
        }
        let data = try await call("modelData") { try await market.modelData(modelId: modelId) }
        let info = try await call("modelInfo") { try await market.modelInfo(modelId: modelId) }
        let encrypted = try read(uri: data.modelURI)
        let plaintext: [UInt8]
        do { plaintext = try Sealing.decrypt(encrypted, key: key) } catch {
            throw DemoError("the buyer cannot decrypt model \(modelId) from \(data.modelURI): \(error)")
        }
        let rescored: DemoLocalScore
        do { rescored = try DemoLocalScore(model: QuantizedModel(bytes: plaintext), test: testSet) } catch {
            throw DemoError("the buyer cannot score model \(modelId): \(error)")
        }
        let input = try await transactionInput(best.log.transactionHash)
        let decoded: [ABIValue]
        do { decoded = try MarketplaceABI.submitResult.decodeCall(input) } catch {
            throw DemoError("transaction \(best.log.transactionHash) is not a submitResult call: \(error)")
        }
        let signedAccuracy = UInt16(decoded[1].uintValue?.uint64IfFits ?? 0)
        let signedLogits = decoded[2].hashValue32 ?? .zero
        let result = BenchmarkResult(taskId: UInt256(task.taskId), modelId: UInt256(modelId), modelHash: info.modelHash,
                                     datasetHash: datasetHash, accuracyBps: signedAccuracy, logitsHash: signedLogits,
                                     keyForBuyerHash: Keccak256.hash(decoded[3].bytesValue ?? []))
        let signer: Address
        do {
            signer = try result.signer(of: decoded[4].bytesValue ?? [], in: try await market.domain())
        } catch {
            throw DemoError("the signature in \(best.log.transactionHash) does not recover: \(error)")
        }
        let check = DemoBuyerCheck(model: trained[index].spec.name, modelId: modelId, resultTransaction: best.log.transactionHash,
                                   signedAccuracyBps: signedAccuracy, signedLogitsHash: signedLogits, signer: signer,
                                   rescored: rescored, hashMatches: Keccak256.hash(plaintext) == info.modelHash,
                                   bytes: plaintext.count)
        report.buyerCheck = check
        let same = check.hashMatches && rescored.accuracyBps == signedAccuracy && rescored.logitsHash == signedLogits
            && signer == configuration.enclave.signingKey.address
        record(DemoStep(mode: .tee, name: "fetch and re-score", model: check.model, wallSeconds: DemoClock.seconds(since: started),
                        note: same ? "buyer decrypted model \(modelId) and scored \(percent(rescored.accuracyBps)), logitsHash as signed"
                                   : "MISMATCH: re-scored \(rescored.accuracyBps) bps \(rescored.logitsHash), signed \(signedAccuracy) bps \(signedLogits)"))
        guard same else {
            throw DemoError("the buyer's re-score of model \(modelId) (\(rescored.accuracyBps) bps, logitsHash \(rescored.logitsHash), file hash \(check.hashMatches ? "as on chain" : "DIFFERENT")) differs from the result signed by \(signer) (\(signedAccuracy) bps, \(signedLogits))")
        }
    }

    // MARK: - Mode 2: on chain with INFERENCE_EVAL

    func scoreOnChain(_ task: OpenTask, market: MarketplaceClient) async throws {
        let caller = wallet(configuration.caller)
        for (index, modelId) in task.modelIds.enumerated() {
            let model = trained[index]
            let output = try await evaluate(MarketplaceClient.inferenceEvaluator, model.file + configuration.testFile,
                                            "INFERENCE_EVAL on model \(model.spec.name)")
            let transaction = try await transact(.onChain, "evaluateOnChain", model: model.spec.name, from: caller,
                                                 note: "model (\(model.file.count) B) and test set (\(configuration.testFile.count) B) revealed as call data") {
                try await market.sending(from: caller).evaluateOnChain(modelId: modelId, model: model.file, testSet: configuration.testFile)
            }
            guard let event = transaction.events.first(where: { Self.modelId(of: $0) == modelId }) else {
                throw DemoError("evaluateOnChain of model \(modelId) emitted neither ModelSold nor ModelScored")
            }
            setScore(index, .onChain, event: event, logitsHash: Hash32(output[64..<96]), scoringGas: transaction.gasUsed)
        }
    }

    // MARK: - Mode 3: plain EVM

    func deployPlainMarketplace(provider: Wallet, developers: [Wallet]) async throws -> (MarketplaceClient, OpenTask) {
        let deployer = wallet(configuration.deployer)
        let relayer = wallet(configuration.relayer)
        var evaluator = Address.zero
        _ = try await transactReceipt(.plainEVM, "deploy PlainEvaluator", from: deployer,
                                      calldata: configuration.plainEvaluatorBytecode.count,
                                      note: "INFERENCE_EVAL's calldata and return ABI in Vyper") {
            let (address, receipt) = try await deployer.deploy(bytecode: configuration.plainEvaluatorBytecode)
            evaluator = address
            return receipt
        }
        report.plainEvaluator = evaluator
        let window = try await call("resultWindow") {
            try await MarketplaceClient(address: configuration.marketplace, rpc: rpc).resultWindow()
        }
        var market: MarketplaceClient!
        _ = try await transactReceipt(.plainEVM, "deploy Marketplace", from: deployer,
                                      calldata: configuration.marketplaceBytecode.count + 6 * 32,
                                      note: "the same Marketplace.vy, evaluator = PlainEvaluator") {
            do {
                let (client, receipt) = try await MarketplaceClient.deploy(
                    bytecode: configuration.marketplaceBytecode, owner: deployer.address,
                    trustedMeasurements: [configuration.enclave.mrEnclave], evaluator: evaluator, resultWindow: window,
                    wallet: deployer)
                market = client
                return receipt
            } catch {
                throw DemoError("deploying the plain-EVM marketplace failed: \(error)")
            }
        }
        report.plainMarketplace = market.address
        let enclave = configuration.enclave
        let evidence = try registrationEvidence(market.address)
        _ = try await transact(.plainEVM, "registerEnclave", from: relayer,
                               note: "the quote is bound to this marketplace; still ATTESTATION_VERIFY (no plain-EVM DCAP verifier here); SIMULATED: \(evidence)") {
            try await market.sending(from: relayer).registerEnclave(evidence, enclavePublicKey: enclave.signingKey.publicKey.bytes).transaction
        }
        let task = try await openTask(.plainEVM, market: market, provider: provider, developers: developers)
        return (market, task)
    }

    func scorePlain(_ task: OpenTask, market: MarketplaceClient) async throws {
        let caller = wallet(configuration.caller)
        let gasLimit = report.blockGasLimit
        for (index, modelId) in task.modelIds.enumerated() {
            let model = trained[index]
            let full = model.file + configuration.testFile
            let precompile = try await evaluate(MarketplaceClient.inferenceEvaluator, full, "INFERENCE_EVAL on model \(model.spec.name)")
            var evaluation = DemoPlainEvaluation(model: model.spec.name, fitsOneBlock: false, failure: nil, fullOutput: nil,
                                                 precompileFullOutput: precompile, batches: [], blocksNeeded: 0)
            let started = clock.now
            let callData = try MarketplaceABI.evaluateOnChain.encodeCall([.uint(UInt256(modelId)), .bytes(model.file),
                                                                          .bytes(configuration.testFile)])
            // Does the whole test set fit one block? PlainEvaluator alone within the block gas limit,
            // then evaluateOnChain's estimate (which reverts "evaluator failed" when the evaluator's
            // share of the gas, 63/64 of what is left, runs out).
            var gas: UInt64?
            do {
                evaluation.fullOutput = try await rpc.call(CallRequest(to: report.plainEvaluator, data: full, gas: gasLimit))
                gas = try await rpc.estimateGas(CallRequest(from: caller.address, to: market.address, data: callData))
            } catch {
                evaluation.failure = "\(error)"
            }
            if let gas, gas <= gasLimit {
                let receipt = try await transactReceipt(.plainEVM, "evaluateOnChain", model: model.spec.name, from: caller,
                                                        calldata: callData.count, note: "the whole test set in one transaction",
                                                        started: started) {
                    try await caller.sendAndWait(to: market.address, data: callData, gasLimit: gas)
                }
                let events = try receipt.logs.compactMap { log throws -> MarketplaceEvent? in
                    do { return try market.event(from: log) } catch { throw DemoError("a log of \(receipt.transactionHash) does not decode: \(error)") }
                }
                guard let event = events.first(where: { Self.modelId(of: $0) == modelId }) else {
                    throw DemoError("evaluateOnChain of model \(modelId) on the plain-EVM marketplace emitted no score")
                }
                evaluation.fitsOneBlock = true
                evaluation.blocksNeeded = 1
                setScore(index, .plainEVM, event: event, logitsHash: evaluation.fullOutput.map { Hash32($0[64..<96]) },
                         scoringGas: receipt.gasUsed)
                if let size = configuration.plainBatchSamples {
                    evaluation.batches = try await batches(model: model, caller: caller, size: size)
                    evaluation.batchBlocksNeeded = DemoPlainEvaluation.blocksNeeded(evaluation.batches.map(\.gasUsed), gasLimit: gasLimit)
                }
            } else {
                evaluation.fullOutput = nil
                if evaluation.failure == nil, let gas { evaluation.failure = "evaluateOnChain needs \(gas) gas, above the block gas limit \(gasLimit)" }
                say("plain EVM: model \(model.spec.name) on the whole test set (\(testSet.sampleCount) samples) does not fit one block of \(gasLimit) gas; measuring PlainEvaluator in batches")
                evaluation.batches = try await batches(model: model, caller: caller, size: nil)
                evaluation.blocksNeeded = DemoPlainEvaluation.blocksNeeded(evaluation.batches.map(\.gasUsed), gasLimit: gasLimit)
                evaluation.batchBlocksNeeded = evaluation.blocksNeeded
                report.models[index].scores[.plainEVM]?.scoringGas = evaluation.batchGas
                let correct = evaluation.batches.reduce(0) { $0 + Self.word($1.plainOutput, 0) }
                report.models[index].scores[.plainEVM]?.accuracyBps = UInt16(correct * 10_000 / testSet.sampleCount)
            }
            report.plainEvaluations.append(evaluation)
            if !evaluation.outputsEqual {
                throw DemoError("PlainEvaluator and INFERENCE_EVAL disagree on model \(model.spec.name)")
            }
        }
    }

    /// Runs PlainEvaluator on batches of the test set, as transactions (for their gas) and as calls
    /// beside INFERENCE_EVAL (for their answers).
    /// - Parameters:
    ///   - model: the model.
    ///   - caller: who sends the transactions.
    ///   - size: samples per batch, or nil for batches sized to use at most 70 % of a block each
    ///     (from the gas of two probe batches of 8 and 24 samples).
    func batches(model: DemoTrainedModel, caller: Wallet, size: Int?) async throws -> [DemoEvaluatorBatch] {
        let gasLimit = report.blockGasLimit
        let total = testSet.sampleCount
        func input(_ range: Range<Int>) -> [UInt8] { model.file + testSet.samples(range).bytes }
        let batchSize: Int
        if let size { batchSize = max(1, min(size, total)) } else {
            batchSize = try await fittingBatchSize(total: total, caller: caller, input: input)
        }
        var batches: [DemoEvaluatorBatch] = []
        var first = 0
        while first < total {
            let range = first..<min(total, first + batchSize)
            let data = input(range)
            let plain = try await evaluate(report.plainEvaluator, data, "PlainEvaluator on samples \(range) of model \(model.spec.name)")
            let precompile = try await evaluate(MarketplaceClient.inferenceEvaluator, data, "INFERENCE_EVAL on samples \(range)")
            let receipt = try await transactReceipt(.plainEVM, "evaluator batch", model: model.spec.name, from: caller,
                                                    calldata: data.count,
                                                    note: "PlainEvaluator alone on samples \(range.lowerBound)–\(range.upperBound - 1)") {
                try await caller.sendAndWait(to: report.plainEvaluator, data: data, gasLimit: gasLimit)
            }
            batches.append(DemoEvaluatorBatch(firstSample: range.lowerBound, sampleCount: range.count, gasUsed: receipt.gasUsed,
                                              calldataBytes: data.count, transaction: receipt.transactionHash,
                                              plainOutput: plain, precompileOutput: precompile))
            first = range.upperBound
        }
        return batches
    }

    /// Samples per batch so that each batch uses at most 70 % of a block, evened out over the batches.
    func fittingBatchSize(total: Int, caller: Wallet, input: (Range<Int>) -> [UInt8]) async throws -> Int {
        let small = min(8, total), large = min(24, total)
        guard large > small else { return total }
        let gasSmall = try await call("eth_estimateGas") {
            try await rpc.estimateGas(CallRequest(from: caller.address, to: report.plainEvaluator, data: input(0..<small)))
        }
        let gasLarge = try await call("eth_estimateGas") {
            try await rpc.estimateGas(CallRequest(from: caller.address, to: report.plainEvaluator, data: input(0..<large)))
        }
        let perSample = max(1, (gasLarge > gasSmall ? gasLarge - gasSmall : 0) / UInt64(large - small))
        let fixed = gasSmall > perSample * UInt64(small) ? gasSmall - perSample * UInt64(small) : 0
        let target = report.blockGasLimit / 10 * 7
        let fitting = max(1, target > fixed ? Int((target - fixed) / perSample) : 1)
        let count = (total + fitting - 1) / fitting
        return (total + count - 1) / count
    }

    // MARK: - Money

    func withdraw(_ mode: DemoMode, market: MarketplaceClient, developers: [Wallet]) async throws {
        for developer in developers {
            let credit = try await call("credit") { try await market.credit(developer.address) }
            if credit.isZero { continue }
            let model = report.models.first { $0.developer == developer.address }?.spec.name
            let transaction = try await transact(mode, "withdraw", model: model, from: developer, note: "\(Ether.format(credit)) ETH") {
                try await market.sending(from: developer).withdraw()
            }
            for case .withdrawn(let account, let amount) in transaction.events where account == developer.address {
                withdrawn[account, default: .zero] = withdrawn[account, default: .zero] &+ amount
                report.withdrawals.append(DemoWithdrawal(mode: mode, marketplace: market.address, account: account, amount: amount))
            }
        }
    }

    /// Wei each developer withdrew.
    var withdrawn: [Address: UInt256] = [:]

    func refund(_ task: OpenTask, market: MarketplaceClient, provider: Wallet) async throws {
        let left = try await call("budgetLeft") { try await market.budgetLeft(taskId: task.taskId) }
        guard let index = report.tasks.firstIndex(where: { $0.marketplace == task.marketplace && $0.taskId == task.taskId }) else { return }
        var paid = UInt256.zero
        for model in report.models { if let score = model.scores[task.mode], score.status == .sold { paid = paid &+ score.price } }
        report.tasks[index].paid = paid
        if !left.isZero {
            let transaction = try await transact(task.mode, "refund", from: provider, note: "\(Ether.format(left)) ETH back to the provider") {
                try await market.sending(from: provider).refund(taskId: task.taskId)
            }
            for case .refunded(_, let amount) in transaction.events { report.tasks[index].refunded = amount }
        }
        report.tasks[index].budgetLeftAfter = try await call("budgetLeft") { try await market.budgetLeft(taskId: task.taskId) }
    }

    func balances(provider: Address, developers: [Address]) async throws -> [Address: UInt256] {
        var result: [Address: UInt256] = [:]
        for address in [provider] + developers { result[address] = try await balance(address, "\(address)") }
        return result
    }

    func account(before: [Address: UInt256], after: [Address: UInt256]) {
        func fees(_ address: Address) -> UInt256 {
            report.steps.reduce(UInt256.zero) { $1.from == address ? $0 &+ ($1.fee ?? .zero) : $0 }
        }
        let provider = configuration.provider.address
        let refunded = report.tasks.reduce(UInt256.zero) { $0 &+ $1.refunded }
        let budgets = report.tasks.reduce(UInt256.zero) { $0 &+ $1.budget }
        report.balances = [DemoBalance(role: "provider", address: provider, before: before[provider] ?? .zero,
                                       after: after[provider] ?? .zero, fees: fees(provider), sent: budgets, received: refunded)]
        for (index, developer) in configuration.developers.enumerated() {
            let address = developer.address
            report.balances.append(DemoBalance(role: "developer \(index + 1) (\(configuration.models[index].name))", address: address,
                                               before: before[address] ?? .zero, after: after[address] ?? .zero,
                                               fees: fees(address), sent: .zero, received: withdrawn[address] ?? .zero))
        }
    }

    // MARK: - Plumbing

    func wallet(_ key: PrivateKey) -> Wallet { Wallet(key: key, client: rpc, chainId: chainId == 0 ? nil : chainId) }

    func record(_ step: DemoStep) {
        report.steps.append(step)
        var line = "\(step.mode.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(step.name)"
        if let model = step.model { line += " [\(model)]" }
        if let gas = step.gasUsed { line += "  \(DemoFormat.grouped(gas)) gas" }
        if let bytes = step.calldataBytes { line += "  \(DemoFormat.grouped(UInt64(bytes))) B" }
        line += "  " + DemoFormat.seconds(step.wallSeconds)
        if let note = step.note { line += "  — \(note)" }
        say(line)
    }

    /// Sends a marketplace transaction and records it.
    @discardableResult
    func transact(_ mode: DemoMode, _ name: String, model: String? = nil, from wallet: Wallet, note: String? = nil,
                  _ body: () async throws -> MarketplaceTransaction) async throws -> MarketplaceTransaction {
        let started = clock.now
        let transaction: MarketplaceTransaction
        do { transaction = try await body() } catch let error as DemoError { throw error } catch {
            throw DemoError("\(mode.rawValue) \(name)\(model.map { " (model \($0))" } ?? ""): \(error)")
        }
        record(DemoStep(mode: mode, name: name, model: model, from: wallet.address, transaction: transaction.hash,
                        block: transaction.receipt.blockNumber, gasUsed: transaction.gasUsed, calldataBytes: transaction.callDataSize,
                        fee: fee(transaction.receipt), wallSeconds: DemoClock.seconds(since: started), note: note))
        return transaction
    }

    /// Sends any transaction and records it.
    func transactReceipt(_ mode: DemoMode, _ name: String, model: String? = nil, from wallet: Wallet, calldata: Int,
                         note: String? = nil, started: ContinuousClock.Instant? = nil,
                         _ body: () async throws -> TransactionReceipt) async throws -> TransactionReceipt {
        let started = started ?? clock.now
        let receipt: TransactionReceipt
        do { receipt = try await body() } catch let error as DemoError { throw error } catch {
            throw DemoError("\(mode.rawValue) \(name)\(model.map { " (model \($0))" } ?? ""): \(error)")
        }
        record(DemoStep(mode: mode, name: name, model: model, from: wallet.address, transaction: receipt.transactionHash,
                        block: receipt.blockNumber, gasUsed: receipt.gasUsed, calldataBytes: calldata, fee: fee(receipt),
                        wallSeconds: DemoClock.seconds(since: started), note: note))
        return receipt
    }

    /// The demo enclave's registration argument for a marketplace on this chain.
    func registrationEvidence(_ marketplace: Address) throws -> EnclaveEvidence {
        do { return try configuration.enclave.evidence(chainId: chainId, marketplace: marketplace) } catch {
            throw DemoError("the enclave's quote and collateral for \(marketplace) cannot be registerEnclave's argument: \(error)")
        }
    }

    /// Runs a read and names it in the error.
    func call<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as DemoError { throw error } catch {
            throw DemoError("\(what) failed on \(configuration.rpcURL): \(error)")
        }
    }

    /// Calls an evaluator (INFERENCE_EVAL or PlainEvaluator) and checks it answers 96 bytes.
    func evaluate(_ evaluator: Address, _ input: [UInt8], _ what: String) async throws -> [UInt8] {
        let output = try await call(what) { try await rpc.call(CallRequest(to: evaluator, data: input, gas: report.blockGasLimit)) }
        guard output.count == 96 else {
            throw DemoError("\(what) answered \(output.count) bytes, expected 96 (correct, total, logitsHash)")
        }
        return output
    }

    func setScore(_ index: Int, _ mode: DemoMode, event: MarketplaceEvent, logitsHash: Hash32?, scoringGas: UInt64) {
        var score = report.models[index].scores[mode] ?? DemoScore(modelId: 0, status: .submitted, accuracyBps: nil, logitsHash: nil,
                                                                   price: .zero, scoringGas: nil, keyReleased: false)
        switch event {
        case .modelSold(_, _, _, let accuracy, let price, let key):
            score.status = .sold
            score.accuracyBps = accuracy
            score.price = price
            score.keyReleased = !key.isEmpty
        case .modelScored(_, _, let accuracy):
            score.status = .scoredNotSold
            score.accuracyBps = accuracy
        default:
            break
        }
        score.logitsHash = logitsHash
        score.scoringGas = scoringGas
        report.models[index].scores[mode] = score
    }

    func latestBlock() async throws -> BlockSummary {
        guard let block = try await call("eth_getBlockByNumber", { try await rpc.getBlockByNumber(.latest) }) else {
            throw DemoError("eth_getBlockByNumber(latest) returned no block")
        }
        return block
    }

    /// Moves the chain's time past `timestamp` (evm_increaseTime, then evm_mine). A dev node's next
    /// block is stamped wall clock + the offset, which may lag a chain that sealed faster than one
    /// block a second, so the step repeats until the mined block is past `timestamp`.
    func advanceTime(past timestamp: UInt64, _ what: String) async throws {
        var total: UInt64 = 0
        for _ in 0..<5 {
            let latest = try await latestBlock()
            if latest.timestamp > timestamp {
                if total > 0 { say("evm_increaseTime \(total) s in all: block \(latest.number) at \(latest.timestamp), past \(what)") }
                return
            }
            let seconds = timestamp - latest.timestamp + 2
            total += seconds
            try await call("evm_increaseTime") { try await rpc.increaseTime(seconds: seconds) }
            try await call("evm_mine") { try await rpc.mine() }
        }
        let now = try await latestBlock().timestamp
        throw DemoError("after evm_increaseTime (\(total) s) and evm_mine the latest block is at \(now), expected after \(timestamp) (\(what)): does the node support evm_increaseTime?")
    }

    func balance(_ address: Address, _ what: String) async throws -> UInt256 {
        try await call("eth_getBalance of \(what)") { try await rpc.getBalance(address) }
    }

    func transactionInput(_ hash: Hash32) async throws -> [UInt8] {
        let result = try await call("eth_getTransactionByHash") { try await rpc.call("eth_getTransactionByHash", [.string(hash.description)]) }
        guard let text = result["input"]?.stringValue, let input = try? Hex.decode(text) else {
            throw DemoError("eth_getTransactionByHash(\(hash)) has no hex input: \(result.serialized.prefix(200))")
        }
        return input
    }

    func fee(_ receipt: TransactionReceipt) -> UInt256 { UInt256(receipt.gasUsed) &* receipt.effectiveGasPrice }

    func write(_ bytes: [UInt8], to path: String) throws -> String {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw DemoError("cannot write \(path)")
        }
        return "file://" + path
    }

    func read(uri: String) throws -> [UInt8] {
        guard uri.hasPrefix("file://"), let data = FileManager.default.contents(atPath: String(uri.dropFirst(7))) else {
            throw DemoError("cannot read \(uri): the demo stores its files under file://\(configuration.storeDirectory)")
        }
        return [UInt8](data)
    }

    func seal(_ key: [UInt8], to publicKey: [UInt8]) throws -> [UInt8] {
        do { return try Sealing.sealKey(key, to: publicKey) } catch { throw DemoError("sealing a key failed: \(error)") }
    }

    func percent(_ bps: UInt16) -> String { DemoFormat.percent(bps) }

    static func seconds(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Double {
        let elapsed = end - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func modelId(of event: MarketplaceEvent) -> UInt64? {
        switch event {
        case .modelSold(_, let modelId, _, _, _, _), .modelScored(_, let modelId, _): return modelId
        default: return nil
        }
    }

    static func accuracy(of event: MarketplaceEvent) -> UInt16 {
        switch event {
        case .modelSold(_, _, _, let accuracy, _, _), .modelScored(_, _, let accuracy): return accuracy
        default: return 0
        }
    }

    /// The big-endian uint256 at word `index` of an ABI answer, as an Int.
    static func word(_ output: [UInt8], _ index: Int) -> Int {
        UInt256(Hash32(output[(index * 32)..<(index * 32 + 32)])).intIfFits ?? 0
    }
}
