import Chain
import ChainTypes
import Clique
import Consensus
import EVM
import Execution
import Primitives
import Signatures
import State
import Storage
import Testing

/// The node facade: automine, receipts, calls and estimates, logs, snapshots, dev setters,
/// impersonation, events, and Clique-sealed dev blocks.
@Suite struct NodeTests {
    static let recipient = ChainTestSupport.address("0x000000000000000000000000000000000000dEaD")
    let keys = NodeTestSupport.keys
    /// Runtime code: LOG1(memory[0..0], topic 0x2a); STOP.
    static let loggerRuntime: [UInt8] = [0x60, 0x2a, 0x60, 0x00, 0x60, 0x00, 0xa1, 0x00]
    /// Init code returning `loggerRuntime`: PUSH8 runtime, MSTORE at 0, RETURN(24, 8).
    static let loggerInitCode: [UInt8] = [0x67] + loggerRuntime + [0x60, 0x00, 0x52, 0x60, 0x08, 0x60, 0x18, 0xf3]
    /// Runtime code: MSTORE(0, 1); REVERT(0, 32).
    static let reverterRuntime: [UInt8] = [0x60, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xfd]

    @Test func aConfigurationWithoutAnEngineIsRefused() throws {
        let configuration = try NodeConfiguration.dev(genesis: NodeTestSupport.devGenesis)
        #expect(configuration.consensus == nil)
        #expect(throws: NodeError.noConsensusEngine) { try Node(configuration: configuration, store: MemoryStore()) }
    }

    @Test func automineSealsOneBlockPerTransaction() throws {
        let node = try NodeTestSupport.node()
        var hashes: [Hash32] = []
        for nonce in 0 ..< 3 {
            hashes.append(try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: UInt64(nonce), to: Self.recipient,
                                                                   value: NodeTestSupport.ether)))
        }
        #expect(node.headNumber == 3)
        for number in 1 ... 3 {
            let block = try #require(try node.block(.number(UInt64(number))))
            #expect(block.transactionHashes == [hashes[number - 1]])
            #expect(block.header.gasUsed == 21000)
        }
        // Base fees by EIP-1559 from 1 gwei with 21000 of the 15M target used: b' = b - b·14979000/120000000.
        let baseFees = try (1 ... 3).map { try #require(try node.block(.number(UInt64($0)))).header.baseFeePerGas }
        #expect(baseFees == [UInt256(875_000_000), UInt256(765_778_125), UInt256(670_189_871)])
        #expect(try node.nonce(of: keys[0].address) == 3)
        #expect(try node.balance(of: Self.recipient) == NodeTestSupport.ether &* 3)
        let receipt = try #require(try node.receipt(hash: hashes[1]))
        #expect(receipt.blockNumber == 2 && receipt.transactionIndex == 0 && receipt.gasUsed == 21000)
        #expect(receipt.effectiveGasPrice == UInt256(1_765_778_125))
        #expect(receipt.from == keys[0].address && receipt.to == Self.recipient && receipt.contractAddress == nil)
        #expect(receipt.receipt.status == .success)
        let paid = UInt256(111_530_327_916_000)
        #expect(try node.balance(of: keys[0].address) == NodeTestSupport.ether &* 10_000 &- NodeTestSupport.ether &* 3 &- paid)
        let location = try #require(try node.transaction(hash: hashes[2]))
        #expect(location.blockNumber == 3 && location.index == 0 && location.sender == keys[0].address)
    }

    @Test func deployedContractLogsAreFoundByAddressAndTopic() throws {
        let node = try NodeTestSupport.node()
        let deploy = Transaction.dynamicFee(chainId: 31337, nonce: 0, maxPriorityFeePerGas: NodeTestSupport.gwei,
                                            maxFeePerGas: NodeTestSupport.gwei &* 2, gasLimit: 100_000, to: nil, value: 0,
                                            data: Self.loggerInitCode).signed(with: keys[0])
        let deployHash = try node.submit(deploy)
        let contract = try #require(try node.receipt(hash: deployHash)?.contractAddress)
        #expect(contract == ContractAddress.create(sender: keys[0].address, nonce: 0))
        #expect(try node.code(of: contract) == Self.loggerRuntime)
        let callHash = try node.sendTransaction(CallRequest(from: keys[1].address, to: contract))
        let receipt = try #require(try node.receipt(hash: callHash))
        let topic = Hash32(UInt256(0x2a).bigEndianBytes)
        #expect(receipt.logs.map(\.log) == [Log(address: contract, topics: [topic], data: [])])
        #expect(receipt.logs[0].logIndex == 0 && receipt.logs[0].blockNumber == 2 && receipt.logs[0].transactionHash == callHash)
        #expect(try node.logs(matching: LogFilter(fromBlock: .earliest, toBlock: .latest, addresses: [contract])).count == 1)
        #expect(try node.logs(matching: LogFilter(fromBlock: .earliest, topics: [[topic, .zero]])).count == 1)
        #expect(try node.logs(matching: LogFilter(fromBlock: .earliest, topics: [nil, [topic]])).isEmpty)
        #expect(try node.logs(matching: LogFilter(fromBlock: .earliest, topics: [[.zero]])).isEmpty)
    }

    @Test func callAndEstimateGas() throws {
        let node = try NodeTestSupport.node()
        let reverter = ChainTestSupport.address("0x00000000000000000000000000000000000000aa")
        try node.setCode(Self.reverterRuntime, of: reverter)
        let outcome = try node.call(CallRequest(to: reverter))
        #expect(outcome.status == .revert)
        #expect(outcome.output == UInt256.one.bigEndianBytes)
        #expect(throws: NodeError.executionReverted(data: UInt256.one.bigEndianBytes)) {
            _ = try node.estimateGas(CallRequest(from: keys[0].address, to: reverter))
        }
        #expect(try node.estimateGas(CallRequest(from: keys[0].address, to: Self.recipient, value: 1)) == 21000)
        let creation = CallRequest(from: keys[0].address, data: Self.loggerInitCode)
        #expect(try node.estimateGas(creation) == 54_844)  // 53226 intrinsic + 18 execution + 1600 code deposit
        #expect(NodeTestSupport.message { () throws(NodeError) in
            _ = try node.estimateGas(CallRequest(from: keys[0].address, gas: 54_843, data: Self.loggerInitCode))
        } == "gas required exceeds allowance (54843)")
    }

    @Test func snapshotRevertRestoresChainPoolAndState() throws {
        let node = try NodeTestSupport.node()
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 5))
        let id = node.snapshot()
        let headBefore = node.headHash
        let mined = try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 1, to: Self.recipient, value: 7))
        try node.setBalance(NodeTestSupport.ether, of: keys[5].address)
        #expect(node.headNumber == 2)
        try node.revert(to: id)
        #expect(node.headNumber == 1 && node.headHash == headBefore)
        #expect(try node.balance(of: Self.recipient) == 5)
        #expect(try node.balance(of: keys[5].address) == NodeTestSupport.ether &* 10_000)
        #expect(try node.receipt(hash: mined) == nil)
        #expect(try node.transaction(hash: mined) == nil)
        #expect(try node.nonce(of: keys[0].address, at: .pending) == 1)
        #expect(throws: NodeError.unknownSnapshot(id)) { try node.revert(to: id) }
        // The chain goes on from the reverted head.
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 1, to: Self.recipient, value: 9))
        #expect(node.headNumber == 2)
        #expect(try node.balance(of: Self.recipient) == 14)
    }

    @Test func devSettersChangeTheHeadStateAndTheNextBlockBuildsOnThem() throws {
        let node = try NodeTestSupport.node()
        let account = ChainTestSupport.address("0x00000000000000000000000000000000000000bb")
        try node.setBalance(UInt256(123), of: account)
        try node.setNonce(7, of: account)
        try node.setStorage(UInt256(99), of: account, key: UInt256(1))
        #expect(try node.balance(of: account) == 123)
        #expect(try node.nonce(of: account) == 7)
        #expect(try node.storage(of: account, key: 1) == 99)
        let hash = try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: account, value: 1))
        #expect(try node.balance(of: account) == 124)
        #expect(try node.balance(of: account, at: .number(0)) == 0)
        // A trace replays on the pre-state that included the dev changes.
        let outcome = try node.traceTransaction(hash, tracer: NoTracer())
        #expect(outcome.gasUsed == 21000 && outcome.status == .success)
    }

    @Test func impersonatedAccountSendsWithoutAKey() throws {
        let node = try NodeTestSupport.node()
        let whale = ChainTestSupport.address("0x00000000000000000000000000000000000000cc")
        try node.setBalance(NodeTestSupport.ether, of: whale)
        #expect(throws: NodeError.unknownAccount(whale)) {
            _ = try node.sendTransaction(CallRequest(from: whale, to: Self.recipient, value: 1))
        }
        node.impersonate(whale)
        let hash = try node.sendTransaction(CallRequest(from: whale, to: Self.recipient, value: 1))
        #expect(try node.receipt(hash: hash)?.from == whale)
        #expect(try node.balance(of: Self.recipient) == 1)
        node.stopImpersonating(whale)
        #expect(throws: NodeError.unknownAccount(whale)) {
            _ = try node.sendTransaction(CallRequest(from: whale, to: Self.recipient, value: 1))
        }
    }

    @Test func timestampsFollowSetNextBlockTimestampAndStayIncreasing() throws {
        let node = try NodeTestSupport.node(automine: false)
        try node.setNextBlockTimestamp(2_000_000_000)
        try node.mine()
        #expect(try node.block(.latest)?.header.timestamp == 2_000_000_000)
        try node.mine(blocks: 3)
        let stamps = try (2 ... 4).map { try #require(try node.block(.number(UInt64($0)))).header.timestamp }
        #expect(stamps[0] > 2_000_000_000 && stamps[1] > stamps[0] && stamps[2] > stamps[1])
        #expect(throws: NodeError.timestampNotAfterParent(timestamp: 5, parentTimestamp: stamps[2])) {
            try node.setNextBlockTimestamp(5)
        }
        let offset = node.increaseTime(by: 3600)
        try node.mine()
        #expect(try #require(try node.block(.latest)).header.timestamp >= stamps[2] + 3600 || offset > 0)
    }

    @Test func devBlocksAreCliqueSealedByAccountZeroInTurn() throws {
        let node = try NodeTestSupport.node()
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1))
        let block = try #require(try node.block(.latest))
        #expect(block.header.difficulty == 2)
        #expect(block.header.extraData.count == 97)
        #expect(try node.author(of: .latest) == keys[0].address)
        #expect(try (node.consensusEngine as! CliqueEngine).signers(after: node.currentHeader, chain: node) == [keys[0].address])
        // A follower engine (no key) over a second store of the same chain, as a peer would check it.
        let engine = CliqueEngine(genesis: NodeTestSupport.devGenesis, signerKey: nil)
        let genesis = try #require(try node.block(.earliest)).header
        let reader = try ChainStore(store: MemoryStore(), genesis: NodeTestSupport.devGenesis)
        try engine.verify(block.header, parent: genesis, chain: reader)
        var forged = block.header
        forged.difficulty = 1
        forged = try CliqueEngine(genesis: NodeTestSupport.devGenesis, signerKey: keys[0]).seal(forged, chain: reader)
        #expect(throws: ConsensusError(CliqueError.invalidDifficulty(number: 1, difficulty: 1, expected: 2))) {
            try engine.verify(forged, parent: genesis, chain: reader)
        }
        // keys[1] is not a dev signer, so only Clique's bare seal (no snapshot check) signs for it.
        var resealed = block.header
        resealed.extraData = try engine.author(of: block.header) == keys[0].address
            ? Clique(config: NodeTestSupport.devGenesis.clique).seal(block.header, with: keys[1]).extraData
            : []
        #expect(throws: ConsensusError(CliqueError.unauthorizedSigner(number: 1, signer: keys[1].address))) {
            try engine.verify(resealed, parent: genesis, chain: reader)
        }
    }

    @Test func newHeadsStreamDeliversMinedBlocks() async throws {
        let node = try NodeTestSupport.node(automine: false)
        let stream = node.newHeads()
        try node.mine(blocks: 2)
        var numbers: [UInt64] = []
        for await record in stream {
            numbers.append(record.number)
            if numbers.count == 2 { break }
        }
        #expect(numbers == [1, 2])
    }

    @Test func feeHistoryReportsBaseFeesRatiosAndTips() throws {
        let node = try NodeTestSupport.node()
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 1))
        let history = try node.feeHistory(blockCount: 2, newest: .latest, rewardPercentiles: [50])
        #expect(history.oldestBlock == 0)
        #expect(history.baseFeePerGas == [NodeTestSupport.gwei, UInt256(875_000_000), UInt256(765_778_125)])
        #expect(history.gasUsedRatio == [0, 0.0007])
        #expect(history.reward == [[0], [NodeTestSupport.gwei]])
    }
}
