import Foundation
import Marketplace
import Primitives
import Testing

/// The client's definitions against the compiled contract (Contracts/build/Marketplace.json): every
/// function of issue 11's fixed interface with the same signature, return types and payability,
/// every event with the same signature and indexed parameters.
@Suite struct MarketplaceInterfaceTests {
    static let artifactURL = TestSupport.packageRoot.appendingPathComponent("Contracts/build/Marketplace.json")

    static func artifact() throws -> ContractABI {
        try ContractABI(jsonText: String(contentsOf: artifactURL, encoding: .utf8))
    }

    @Test func functionsMatchTheArtifact() throws {
        let abi = try Self.artifact()
        for function in MarketplaceABI.functions {
            let compiled = try #require(abi.functions.first { $0.signature == function.signature },
                                        "the artifact has no \(function.signature)")
            #expect(compiled.outputs == function.outputs, "\(function.signature) returns")
            #expect(compiled.isPayable == function.isPayable, "\(function.signature) payable")
        }
        #expect(abi.constructorInputs == MarketplaceABI.constructorInputs)
    }

    @Test func eventsMatchTheArtifact() throws {
        let abi = try Self.artifact()
        for event in MarketplaceABI.events {
            let compiled = try #require(abi.events.first { $0.signature == event.signature },
                                        "the artifact has no event \(event.signature)")
            #expect(compiled.parameters.map(\.isIndexed) == event.parameters.map(\.isIndexed), "\(event.signature) indexed")
            #expect(compiled.topic == event.topic)
        }
    }

    @Test func issueSignaturesSpelledOut() {
        // The fixed interface in issue 11's words, translated to canonical ABI signatures by hand.
        #expect(MarketplaceABI.createTask.signature == "createTask(address,bytes32,string,bytes,uint16,uint256,uint256,bytes)")
        #expect(MarketplaceABI.submitModel.signature == "submitModel(uint256,bytes32,string,bytes)")
        #expect(MarketplaceABI.submitResult.signature == "submitResult(uint256,uint16,bytes32,bytes,bytes)")
        #expect(MarketplaceABI.evaluateOnChain.signature == "evaluateOnChain(uint256,bytes,bytes)")
        #expect(MarketplaceABI.registerEnclave.signature == "registerEnclave(bytes,bytes)")
        #expect(MarketplaceABI.modelSold.signature == "ModelSold(uint256,uint256,address,uint16,uint256,bytes)")
        #expect(MarketplaceABI.taskCreated.signature == "TaskCreated(uint256,address,address,uint256,uint256)")
    }

    @Test func priceRuleMatchesTheIssue() {
        var task = TaskInfo(provider: .zero, enclave: .zero, datasetHash: .zero, minAccuracyBps: 5000,
                            maxPricePerModel: 1_000_000, deadline: 0, budgetLeft: 0, modelCount: 0)
        #expect(task.price(forAccuracy: 4999) == 0)
        #expect(task.price(forAccuracy: 5000) == 0)
        #expect(task.price(forAccuracy: 9000) == 800_000)   // 1e6 × 4000 / 5000
        #expect(task.price(forAccuracy: 5001) == 200)       // ⌊1e6 × 1 / 5000⌋
        #expect(task.price(forAccuracy: 10_000) == 1_000_000)
        task.minAccuracyBps = 10_000
        #expect(task.price(forAccuracy: 10_000) == 1_000_000)
        task.minAccuracyBps = 0
        task.maxPricePerModel = 3
        #expect(task.price(forAccuracy: 3333) == 0)         // ⌊3 × 3333 / 10000⌋, multiply first
        #expect(task.price(forAccuracy: 3334) == 1)
    }

    @Test func eventDecodingFromRawLogs() throws {
        let developer = try Address(hex: "0x00000000000000000000000000000000000000d3")
        let (topics, data) = try MarketplaceABI.modelSold.encodeLog([
            .uint(7), .uint(9), .address(developer), .uint(9_250), .uint(123_456), .bytes([1, 2, 3]),
        ])
        // Independent of encodeLog: topic 1 is the task id as a word, data starts with accuracy and price.
        #expect(topics[1] == UInt64(7).topicWord)
        #expect(Array(data[0..<32]) == UInt256(9_250).bigEndianBytes)
        #expect(try MarketplaceClient.decode(topics: topics, data: data)
                == .modelSold(taskId: 7, modelId: 9, developer: developer, accuracyBps: 9_250, price: 123_456, keyForBuyer: [1, 2, 3]))
        #expect(try MarketplaceClient.decode(topics: [Keccak256.hash([1])], data: []) == nil)
        #expect(throws: MarketplaceError.self) { try MarketplaceClient.decode(topics: Array(topics.prefix(2)), data: data) }
    }
}
