import Attestation
import Foundation
import Inference
import Marketplace
import Primitives
import Signatures
import Synchronization
import Testing

/// `EnclaveWorker` against a `goldengrain node --dev --no-enclave` with a marketplace deployed by
/// the test: the worker registers its fresh key by quote, scores a good model (9722 bps, sold) and a
/// corrupt one (0 bps, scored), and after a "crash" between journaling a result and sending it,
/// a new worker on the same data directory sends exactly the journaled bytes instead of scoring again.
@Suite(.enabled(if: DevNode.isAvailable, "needs .build/release/goldengrain: run `swift build -c release` (make test does)"))
struct EnclaveWorkerNodeTests {
    static let ether = UInt256(1_000_000_000_000_000_000)

    /// Log lines a worker wrote.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
        func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
    }

    struct Setup {
        let node: DevNode
        let market: MarketplaceClient
        let provider: MarketplaceClient
        let developer: MarketplaceClient
        let relayer: PrivateKey
        let enclave = PrivateKey.generate()
        let buyer = PrivateKey.generate()
        let store: String
        let datadir: String

        init() async throws {
            node = try await DevNode(extraArguments: ["--no-enclave"])
            let rpc = node.rpc
            let owner = Wallet(key: DevNode.keys[0], client: rpc, chainId: DevNode.chainId)
            (market, _) = try await MarketplaceClient.deploy(
                bytecode: try MarketplaceClientNodeTests.bytecode(), owner: owner.address,
                trustedMeasurements: [SimulatedEnclave.mrEnclave], resultWindow: 3600, wallet: owner)
            provider = market.sending(from: Wallet(key: DevNode.keys[1], client: rpc, chainId: DevNode.chainId))
            developer = market.sending(from: Wallet(key: DevNode.keys[2], client: rpc, chainId: DevNode.chainId))
            relayer = DevNode.keys[3]
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("worker-node-\(UUID().uuidString)").path
            store = scratch + "/store"
            datadir = scratch + "/enclave"
            try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        }

        func worker(_ lines: Lines) throws -> EnclaveWorker {
            let enclave = self.enclave
            var configuration = EnclaveWorker.Configuration(
                rpcURL: node.client.url, marketplace: market.address, enclaveKey: enclave, relayerKey: relayer, datadir: datadir,
                quote: { chainId, marketplace in
                    SimulatedEnclave(signingKey: enclave).marketplaceQuote(chainId: chainId, marketplace: marketplace)
                },
                log: { lines.append($0) })
            configuration.retryInterval = .milliseconds(200)
            return try EnclaveWorker(configuration: configuration)
        }

        /// Encrypts a file under a fresh key into the store; returns its URI and the key sealed to the enclave.
        func store(_ plaintext: [UInt8], as name: String) throws -> (uri: String, sealedKey: [UInt8], key: [UInt8]) {
            let key = SecureRandom.bytes(count: 32)
            let path = store + "/" + name
            try Data(try EncryptedModel.seal(plaintext, key: key)).write(to: URL(fileURLWithPath: path))
            return ("file://" + path, ECIES.seal(key, to: enclave.publicKey), key)
        }

        func createTask(testSet: [UInt8], name: String) async throws -> UInt64 {
            let stored = try store(testSet, as: name)
            let now = try #require(try await node.rpc.getBlockByNumber(.latest)).timestamp
            return try await provider.createTask(
                enclave: enclave.address, datasetHash: Keccak256.hash(testSet), datasetURI: stored.uri,
                sealedDatasetKey: stored.sealedKey, minAccuracyBps: 9000, maxPricePerModel: EnclaveWorkerNodeTests.ether,
                deadline: now + 600, buyerPublicKey: buyer.publicKey.bytes, budget: EnclaveWorkerNodeTests.ether &* UInt256(2)).taskId
        }

        /// Waits until every model has left status 1.
        func waitSettled(_ models: [UInt64], lines: Lines) async throws {
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while ContinuousClock.now < deadline {
                var open = false
                for model in models where try await market.modelStatus(modelId: model) == .submitted { open = true }
                if !open { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("models \(models) not settled within 30 s; worker log:\n\(lines.all.joined(separator: "\n"))")
        }
    }

    @Test func registersScoresAndSendsAJournaledResultAfterACrash() async throws {
        let setup = try await Setup()
        defer { setup.node.stop() }
        let model = try EnclaveWorkerPartsTests.read(EnclaveWorkerPartsTests.modelPath)
        let testSet = try EnclaveWorkerPartsTests.read(EnclaveWorkerPartsTests.testSetPath)

        // First run: the worker registers itself, then scores two models as they arrive.
        let lines = Lines()
        let worker = try setup.worker(lines)
        let running = Task { try await worker.run() }
        let registered = ContinuousClock.now.advanced(by: .seconds(20))
        while try await !setup.market.isEnclave(setup.enclave.address) {
            guard ContinuousClock.now < registered else {
                running.cancel()
                Issue.record("the worker did not register within 20 s:\n\(lines.all.joined(separator: "\n"))")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(lines.contains("registering with a"))
        #expect(try await setup.market.enclavePublicKey(setup.enclave.address) == setup.enclave.publicKey.bytes)

        let task1 = try await setup.createTask(testSet: testSet, name: "test.ggd.gge")
        let good = try setup.store(model, as: "good.ggm.gge")
        let goodId = try await setup.developer.submitModel(taskId: task1, modelHash: Keccak256.hash(model), modelURI: good.uri,
                                                           sealedModelKey: good.sealedKey).modelId
        // A corrupt file: one byte of the ciphertext flipped after encryption.
        let other = model + [0]  // another hash, so the task takes it; its file is then damaged
        let corrupt = try setup.store(other, as: "corrupt.ggm.gge")
        let corruptPath = String(corrupt.uri.dropFirst("file://".count))
        var damaged = try [UInt8](Data(contentsOf: URL(fileURLWithPath: corruptPath)))
        damaged[40] ^= 0x80
        try Data(damaged).write(to: URL(fileURLWithPath: corruptPath))
        let corruptId = try await setup.developer.submitModel(taskId: task1, modelHash: Keccak256.hash(other), modelURI: corrupt.uri,
                                                              sealedModelKey: corrupt.sealedKey).modelId
        try await setup.waitSettled([goodId, corruptId], lines: lines)
        running.cancel()
        _ = await running.result

        #expect(try await setup.market.modelStatus(modelId: goodId) == .sold)
        #expect(try await setup.market.modelAccuracy(modelId: goodId) == 9722)
        // price = ⌊10^18 × (9722 − 9000) / (10000 − 9000)⌋ = 0.722 ether
        #expect(try await setup.market.credit(DevNode.keys[2].address) == UInt256(722_000_000_000_000_000))
        #expect(try await setup.market.modelStatus(modelId: corruptId) == .scoredNotSold)
        #expect(try await setup.market.modelAccuracy(modelId: corruptId) == 0)
        #expect(lines.contains("model \(corruptId): scored 0 bps: model does not decrypt: encrypted model failed authentication"))
        #expect(lines.contains("model \(goodId): scored 9722 bps (350/360)"))
        // The buyer opens keyForBuyer from ModelSold to the developer's key K.
        let sold = try await setup.market.events(only: [MarketplaceABI.modelSold])
        guard case .modelSold(_, let soldId, _, _, _, let keyForBuyer)? = sold.first?.event else {
            Issue.record("no ModelSold event")
            return
        }
        #expect(sold.count == 1 && soldId == goodId)
        #expect(try ECIES.open(keyForBuyer, with: setup.buyer) == good.key)

        // A crash after the journal entry was written and before the transaction was sent: the
        // entry is made here exactly as the worker makes it, and nothing is sent.
        let task2 = try await setup.createTask(testSet: testSet, name: "test2.ggd.gge")
        let again = try setup.store(model, as: "again.ggm.gge")
        let pendingId = try await setup.developer.submitModel(taskId: task2, modelHash: Keccak256.hash(model), modelURI: again.uri,
                                                              sealedModelKey: again.sealedKey).modelId
        let dataset = try Dataset(bytes: testSet)
        let score = Benchmark.scoreModel(encrypted: try EncryptedModel.seal(model, key: again.key), sealedKey: again.sealedKey,
                                         expectedHash: Keccak256.hash(model), testSet: dataset, enclaveKey: setup.enclave,
                                         buyer: setup.buyer.publicKey)
        let result = BenchmarkResult(taskId: UInt256(task2), modelId: UInt256(pendingId), modelHash: Keccak256.hash(model),
                                     datasetHash: Keccak256.hash(testSet), accuracyBps: score.accuracyBps,
                                     logitsHash: score.logitsHash, keyForBuyerHash: Keccak256.hash(score.keyForBuyer))
        let domain = EIP712Domain.goldenGrain(chainId: UInt256(DevNode.chainId), marketplace: setup.market.address)
        let callData = try MarketplaceABI.submitResult.encodeCall([
            .uint(UInt256(pendingId)), .uint(UInt256(UInt64(score.accuracyBps))), .bytes32(score.logitsHash),
            .bytes(score.keyForBuyer), .bytes(result.signature(with: setup.enclave, in: domain)),
        ])
        let signed = try await Wallet(key: setup.relayer, client: setup.node.rpc).sign(to: setup.market.address, data: callData)
        try worker.journal.record(.init(modelId: pendingId, transactionHash: signed.hash, rawTransaction: signed.raw,
                                        accuracyBps: score.accuracyBps))
        let noncesBefore = try await setup.node.rpc.getTransactionCount(setup.relayer.address, block: .latest)

        let restartedLines = Lines()
        let restarted = try setup.worker(restartedLines)
        let rerun = Task { try await restarted.run() }
        try await setup.waitSettled([pendingId], lines: restartedLines)
        rerun.cancel()
        _ = await rerun.result
        #expect(try await setup.market.modelStatus(modelId: pendingId) == .sold)
        #expect(restartedLines.contains("the node never got journaled result tx \(signed.hash); re-sent the same bytes"))
        #expect(!restartedLines.contains("model \(pendingId): scored"))  // not scored again
        let receipt = try #require(try await setup.node.rpc.getTransactionReceipt(signed.hash))
        #expect(receipt.isSuccess)
        #expect(try await setup.node.rpc.getTransactionCount(setup.relayer.address, block: .latest) == noncesBefore + 1)
        // The models of the first run are recognised as settled, not scored again.
        #expect(restartedLines.contains("model \(goodId) (task \(task1)): already settled on chain (sold)"))
        #expect(restartedLines.contains("model \(corruptId) (task \(task1)): already settled on chain (scored, not sold)"))
        #expect(!restartedLines.contains("registering"))
    }
}
