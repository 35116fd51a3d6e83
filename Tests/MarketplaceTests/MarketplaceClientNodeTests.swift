import Attestation
import Foundation
import Inference
import Marketplace
import Primitives
import Signatures
import Testing

/// The whole protocol through `MarketplaceClient` against a `goldengrain node --dev`: the artifact
/// deployed by transaction, a simulated enclave registered by quote, a task, three models (one sold
/// through the TEE path, one scored below the minimum, one evaluated on chain with INFERENCE_EVAL),
/// withdraw and refund, and reverts surfaced with the function's name and the contract's reason.
@Suite(.enabled(if: DevNode.isAvailable, "needs .build/release/goldengrain: run `swift build -c release` (make test does)"))
struct MarketplaceClientNodeTests {
    static let ether = UInt256(1_000_000_000_000_000_000)

    /// The artifact's init code.
    static func bytecode() throws -> [UInt8] {
        let text = try String(contentsOf: MarketplaceInterfaceTests.artifactURL, encoding: .utf8)
        return TestSupport.bytes(try #require(try JSON.parse(text)["bytecode"]?.stringValue))
    }

    /// A nearest-centroid classifier as a GGM file: logit_c = Σ m_c[i]·x[i] − |m_c|²/2 with m_c the
    /// rounded mean of class c's features, one Dense layer and Argmax (docs/formats.md, "GGM").
    static func centroidModel(for dataset: Dataset) -> [UInt8] {
        let classes = 10, inputs = dataset.featureCount
        var sums = [[Int]](repeating: [Int](repeating: 0, count: inputs), count: classes)
        var counts = [Int](repeating: 0, count: classes)
        for sample in 0..<dataset.sampleCount {
            let label = Int(dataset.labels[sample])
            counts[label] += 1
            for i in 0..<inputs { sums[label][i] += Int(dataset.features[sample * inputs + i]) }
        }
        let means = (0..<classes).map { c in sums[c].map { counts[c] == 0 ? 0 : Int((Double($0) / Double(counts[c])).rounded()) } }
        func u32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var file = Array("GGM1".utf8) + u32(1) + u32(inputs) + u32(2)
        file += [1] + u32(classes) + u32(inputs)
        for c in 0..<classes { file += means[c].map { UInt8(bitPattern: Int8($0)) } }
        for c in 0..<classes { file += u32(-means[c].reduce(0) { $0 + $1 * $1 } / 2) }
        file += u32(0) + [0]  // the final Dense keeps its int32 logits: multiplier 0, shift 0
        file += [3]
        return file
    }

    @Test func fullTradeThroughTheClient() async throws {
        let node = try await DevNode()
        defer { node.stop() }
        let rpc = node.rpc
        let owner = Wallet(key: DevNode.keys[0], client: rpc, chainId: DevNode.chainId)
        let provider = Wallet(key: DevNode.keys[1], client: rpc, chainId: DevNode.chainId)
        let developer = Wallet(key: DevNode.keys[2], client: rpc, chainId: DevNode.chainId)
        let relayer = Wallet(key: DevNode.keys[3], client: rpc, chainId: DevNode.chainId)

        // Deploy by transaction, as on any chain.
        let (market, _) = try await MarketplaceClient.deploy(
            bytecode: try Self.bytecode(), owner: owner.address, trustedMeasurements: [SimulatedEnclave.mrEnclave],
            resultWindow: 3600, wallet: owner)
        #expect(try await market.owner() == owner.address)
        #expect(try await market.evaluator() == MarketplaceClient.inferenceEvaluator)
        #expect(try await market.resultWindow() == 3600)
        #expect(try await market.isMeasurementTrusted(SimulatedEnclave.mrEnclave))
        let domain = try await market.domain()
        #expect(try await market.domainSeparator() == domain.separator)

        // A simulated enclave registers with a quote bound to this chain and contract.
        let enclave = SimulatedEnclave(signingKey: .generate())
        let quote = enclave.marketplaceQuote(chainId: DevNode.chainId, marketplace: market.address)
        let (enclaveAddress, registration) = try await market.sending(from: relayer)
            .registerEnclave(quote: quote, enclavePublicKey: enclave.publicKeyBytes)
        #expect(enclaveAddress == enclave.address)
        #expect(registration.events == [.enclaveRegistered(enclave: enclave.address, mrEnclave: SimulatedEnclave.mrEnclave,
                                                           isvSvn: SimulatedEnclave.isvSVN)])
        #expect(try await market.isEnclave(enclave.address))
        #expect(try await market.enclavePublicKey(enclave.address) == enclave.publicKeyBytes)
        await #expect(throws: MarketplaceError.self) {
            _ = try await market.registerEnclave(quote: quote, enclavePublicKey: enclave.publicKeyBytes)
        }

        // The provider encrypts the test set, seals its key to the enclave and creates a task.
        let testSetBytes = Array(try Data(contentsOf: TestSupport.packageRoot.appendingPathComponent("Examples/digits/test.ggd")))
        let testSet = try Dataset(bytes: testSetBytes)
        let encryptedTestSet = Sealing.encrypt(testSetBytes)
        let providerMarket = market.sending(from: provider)
        let now = try #require(try await rpc.getBlockByNumber(.latest)).timestamp
        let deadline = now + 600
        do {
            _ = try await providerMarket.createTask(
                enclave: enclave.address, datasetHash: encryptedTestSet.plaintextHash, datasetURI: "file:///tmp/test.gge",
                sealedDatasetKey: [1], minAccuracyBps: 5000, maxPricePerModel: Self.ether, deadline: now - 1,
                buyerPublicKey: DevNode.keys[1].publicKey.bytes, budget: Self.ether)
            Issue.record("a task with a past deadline was accepted")
        } catch {
            #expect(error.revertReason == .error("deadline must be in the future"))
            #expect(error.description == "createTask reverted: deadline must be in the future")
        }
        let sealedDatasetKey = try Sealing.sealKey(encryptedTestSet.key, to: enclave.publicKeyBytes)
        let (taskId, creation) = try await providerMarket.createTask(
            enclave: enclave.address, datasetHash: encryptedTestSet.plaintextHash, datasetURI: "file:///tmp/test.gge",
            sealedDatasetKey: sealedDatasetKey, minAccuracyBps: 5000, maxPricePerModel: Self.ether.quotient(dividingBy: 2), deadline: deadline,
            buyerPublicKey: DevNode.keys[1].publicKey.bytes, budget: Self.ether)
        #expect(taskId == 1)
        #expect(creation.events == [.taskCreated(taskId: 1, provider: provider.address, enclave: enclave.address,
                                                 budget: Self.ether, deadline: deadline)])
        #expect(creation.callDataSize > 4 + 8 * 32)
        let task = try await market.taskInfo(taskId: taskId)
        #expect(task == TaskInfo(provider: provider.address, enclave: enclave.address, datasetHash: encryptedTestSet.plaintextHash,
                                 minAccuracyBps: 5000, maxPricePerModel: Self.ether.quotient(dividingBy: 2), deadline: deadline,
                                 budgetLeft: Self.ether, modelCount: 0))
        let taskData = try await market.taskData(taskId: taskId)
        #expect(taskData == TaskData(datasetURI: "file:///tmp/test.gge", sealedDatasetKey: sealedDatasetKey,
                                     buyerPublicKey: DevNode.keys[1].publicKey.bytes))
        #expect(try await market.taskInfo(taskId: 99).exists == false)

        // The developer submits three models, each encrypted under a fresh key sealed to the enclave.
        let developerMarket = market.sending(from: developer)
        let centroid = Self.centroidModel(for: testSet)
        var modelKeys: [UInt64: [UInt8]] = [:]
        var modelHashes: [UInt64: Hash32] = [:]
        for (index, model) in [Array("model A".utf8), Array("model B".utf8), centroid].enumerated() {
            let file = Sealing.encrypt(model)
            let sealed = try Sealing.sealKey(file.key, to: enclave.publicKeyBytes)
            let (modelId, submission) = try await developerMarket.submitModel(
                taskId: taskId, modelHash: file.plaintextHash, modelURI: "file:///tmp/model\(index).gge", sealedModelKey: sealed)
            #expect(modelId == UInt64(index + 1))
            #expect(submission.events == [.modelSubmitted(taskId: taskId, modelId: modelId, developer: developer.address,
                                                          modelHash: file.plaintextHash)])
            modelKeys[modelId] = file.key
            modelHashes[modelId] = file.plaintextHash
            #expect(try await market.modelData(modelId: modelId) == ModelData(modelURI: "file:///tmp/model\(index).gge",
                                                                              sealedModelKey: sealed))
        }
        #expect(try await market.modelInfo(modelId: 1) == ModelInfo(taskId: taskId, developer: developer.address,
                                                                    modelHash: modelHashes[1]!, status: .submitted, accuracyBps: 0))

        // The enclave's results, relayed by a third party: model 1 at 90.00 % is sold for
        // 0.5 ether × 4000 / 5000 = 0.4 ether; model 2 at 40.00 % is scored, not sold.
        let enclaveKey = enclave.signingKey
        func result(_ modelId: UInt64, _ accuracy: UInt16, keyForBuyer: [UInt8]) -> BenchmarkResult {
            BenchmarkResult(taskId: UInt256(taskId), modelId: UInt256(modelId), modelHash: modelHashes[modelId]!,
                            datasetHash: encryptedTestSet.plaintextHash, accuracyBps: accuracy,
                            logitsHash: Keccak256.hash([UInt8(modelId)]), keyForBuyerHash: Keccak256.hash(keyForBuyer))
        }
        let relayerMarket = market.sending(from: relayer)
        let keyForBuyer = try Sealing.sealKey(modelKeys[1]!, to: DevNode.keys[1].publicKey.bytes)
        let sold = result(1, 9000, keyForBuyer: keyForBuyer)
        let soldTransaction = try await relayerMarket.submitResult(
            modelId: 1, accuracyBps: 9000, logitsHash: sold.logitsHash, keyForBuyer: keyForBuyer,
            signature: sold.signature(with: enclaveKey, in: domain))
        let price = (Self.ether &* 2).quotient(dividingBy: 5)
        #expect(soldTransaction.events == [.modelSold(taskId: taskId, modelId: 1, developer: developer.address, accuracyBps: 9000,
                                                      price: price, keyForBuyer: keyForBuyer)])
        #expect(try await market.modelStatus(modelId: 1) == .sold)
        #expect(try await market.modelAccuracy(modelId: 1) == 9000)
        #expect(try await market.credit(developer.address) == price)
        #expect(try await market.budgetLeft(taskId: taskId) == Self.ether &- price)
        // The buyer opens the released key.
        #expect(try Sealing.openKey(keyForBuyer, with: DevNode.keys[1]) == modelKeys[1]!)
        // Replaying the same result is refused, naming the function.
        await #expect {
            _ = try await relayerMarket.submitResult(modelId: 1, accuracyBps: 9000, logitsHash: sold.logitsHash,
                                                     keyForBuyer: keyForBuyer, signature: sold.signature(with: enclaveKey, in: domain))
        } throws: { error in
            (error as? MarketplaceError)?.description == "submitResult reverted: model already scored"
        }
        // A result signed by someone else is refused.
        let unsold = result(2, 4000, keyForBuyer: [9])
        await #expect {
            _ = try await relayerMarket.submitResult(modelId: 2, accuracyBps: 4000, logitsHash: unsold.logitsHash, keyForBuyer: [9],
                                                     signature: unsold.signature(with: .generate(), in: domain))
        } throws: { error in
            (error as? MarketplaceError)?.revertReason == .error("signer is not the task's enclave")
        }
        let scored = try await relayerMarket.submitResult(modelId: 2, accuracyBps: 4000, logitsHash: unsold.logitsHash,
                                                          keyForBuyer: [9], signature: unsold.signature(with: enclaveKey, in: domain))
        #expect(scored.events == [.modelScored(taskId: taskId, modelId: 2, accuracyBps: 4000)])
        #expect(try await market.modelStatus(modelId: 2) == .scoredNotSold)

        // The developer withdraws; a second withdraw has nothing to take.
        let withdrawal = try await developerMarket.withdraw()
        #expect(withdrawal.events == [.withdrawn(account: developer.address, amount: price)])
        #expect(try await market.credit(developer.address) == .zero)
        await #expect {
            _ = try await developerMarket.withdraw()
        } throws: { error in
            (error as? MarketplaceError)?.revertReason == .error("nothing to withdraw")
        }
        // A read-only client cannot send.
        await #expect {
            _ = try await MarketplaceClient(address: market.address, rpc: rpc).withdraw()
        } throws: { error in
            if case MarketplaceError.noWallet("withdraw") = error { return true }
            return false
        }

        // After the deadline anyone may evaluate model 3 on chain; the score is INFERENCE_EVAL's,
        // which must equal the Inference module's evaluation of the same files.
        // (Dev blocks are at least a second apart, so the chain may run ahead of the wall clock:
        // set the time from the deadline rather than add to it.)
        try await rpc.setNextBlockTimestamp(deadline + 1)
        try await rpc.mine()
        let expected = try QuantizedModel(bytes: centroid).evaluate(on: testSet)
        let accuracy = UInt16(10_000 * expected.correct / expected.total)
        let onChain = try await relayerMarket.evaluateOnChain(modelId: 3, model: centroid, testSet: testSetBytes)
        let onChainPrice = task.price(forAccuracy: accuracy)
        #expect(accuracy >= 5000)
        #expect(onChain.events == [.modelSold(taskId: taskId, modelId: 3, developer: developer.address, accuracyBps: accuracy,
                                              price: onChainPrice, keyForBuyer: [])])
        #expect(onChain.callDataSize > centroid.count + testSetBytes.count)

        // The provider refunds the rest only after the result window.
        await #expect {
            _ = try await providerMarket.refund(taskId: taskId)
        } throws: { error in
            (error as? MarketplaceError)?.revertReason == .error("result window still open")
        }
        try await rpc.setNextBlockTimestamp(deadline + 3600 + 1)
        try await rpc.mine()
        let refund = try await providerMarket.refund(taskId: taskId)
        #expect(refund.events == [.refunded(taskId: taskId, amount: Self.ether &- price &- onChainPrice)])
        #expect(try await market.budgetLeft(taskId: taskId) == .zero)

        // The whole story from the logs, oldest first; and one task's events by its indexed id.
        let story = try await market.events().map(\.event.name)
        // (The constructor logs MeasurementTrustChanged for each measurement it trusts.)
        #expect(story == ["MeasurementTrustChanged", "EnclaveRegistered", "TaskCreated", "ModelSubmitted", "ModelSubmitted",
                          "ModelSubmitted", "ModelSold", "ModelScored", "Withdrawn", "ModelSold", "Refunded"])
        let sales = try await market.events(only: [MarketplaceABI.modelSold], indexed: [[taskId.topicWord]])
        #expect(sales.map(\.event.name) == ["ModelSold", "ModelSold"])
    }
}
