import Chain
import ChainTypes
import Clique
import Consensus
import Foundation
import GoldenGrainNode
import Primitives
import Signatures
import Storage
import Testing
import TestSupport

/// `CliqueEngine` driving a `Node`: the dev chain as `goldengrain node --dev` runs it, and the
/// three-authority testnet (Genesis/testnet-3.json, signers = test-mnemonic accounts 0–2) voting a
/// fourth signer in (EIP-225).
///
/// There is no block exchange between nodes yet, so the testnet's authorities take turns over one
/// shared store: each seal opens a `Node` over the store with that authority's engine (which keeps
/// its proposals across turns), as if the previous blocks had reached it.
@Suite struct CliqueEngineNodeTests {
    static func genesis(_ name: String) throws -> Genesis {
        try Genesis(contentsOfFile: TestFiles.genesis.appendingPathComponent(name).path)
    }

    /// The ten test-mnemonic keys (m/44'/60'/0'/0/0…9).
    static let keys: [PrivateKey] = {
        do { return try DevAccounts.keys() } catch { fatalError("dev key derivation failed: \(error)") }
    }()

    static func address(_ hex: String) -> Address {
        do { return Address(try Hex.decode(hex)) } catch { fatalError("bad address literal \(hex)") }
    }

    static let account0 = address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    static let account1 = address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let account2 = address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
    static let account3 = address("0x90F79bf6EB2c4f870365E785982E1f101E93b906")

    /// Headers read through a node's public queries.
    final class NodeHeaders: HeaderReader {
        let node: Node
        init(_ node: Node) { self.node = node }
        func header(hash: Hash32) -> Header? { (try? node.block(.hash(hash)))??.header }
        func canonicalHeader(number: UInt64) -> Header? { (try? node.block(.number(number)))??.header }
    }

    /// A dev node as the CLI builds it (`installGoldenGrain`), automine off.
    static func devNode(genesis: Genesis) throws -> Node {
        var configuration = try NodeConfiguration.dev(genesis: genesis)
        configuration.isAutomine = false
        let store = MemoryStore()
        try configuration.installGoldenGrain(snapshotStore: store)
        return try Node(configuration: configuration, store: store)
    }

    /// Checks every block up to the head with a follower engine (no key) and returns the headers.
    @discardableResult
    static func verifyChain(of node: Node, genesis: Genesis) throws -> [Header] {
        let follower = CliqueEngine(genesis: genesis, signerKey: nil)
        let reader = NodeHeaders(node)
        var headers = [try #require(reader.canonicalHeader(number: 0))]
        for number in 1 ... node.headNumber {
            let header = try #require(reader.canonicalHeader(number: number))
            try follower.verify(header, parent: headers[headers.count - 1], chain: reader)
            headers.append(header)
        }
        return headers
    }

    // MARK: Dev chain

    @Test func devNodeSealsInTurnBlocksByAccountZeroThatVerify() throws {
        let genesis = try Self.genesis("dev.json")
        let node = try Self.devNode(genesis: genesis)
        #expect(node.signer == Self.account0)
        try node.mine(blocks: 3)
        let headers = try Self.verifyChain(of: node, genesis: genesis)
        #expect(headers.dropFirst().map(\.difficulty) == [2, 2, 2])
        #expect(try (1 ... 3).map { try node.author(of: .number($0)) } == [Self.account0, Self.account0, Self.account0])
        #expect(headers.dropFirst().map(\.extraData.count) == [97, 97, 97])
        #expect(try node.signers() == [Self.account0])
    }

    @Test func devNodeAutominesATransactionIntoAVerifiedBlock() throws {
        let genesis = try Self.genesis("dev.json")
        var configuration = try NodeConfiguration.dev(genesis: genesis)
        let store = MemoryStore()
        try configuration.installGoldenGrain(snapshotStore: store)
        let node = try Node(configuration: configuration, store: store)
        let transfer = Transaction.dynamicFee(chainId: 31337, nonce: 0, maxPriorityFeePerGas: 1_000_000_000,
                                              maxFeePerGas: 2_000_000_000, gasLimit: 21000, to: Self.account3,
                                              value: 1).signed(with: Self.keys[0])
        _ = try node.submit(transfer)
        #expect(node.headNumber == 1)
        let headers = try Self.verifyChain(of: node, genesis: genesis)
        #expect(headers[1].difficulty == 2)
        #expect(try node.balance(of: Self.account3) == UInt256(10_000) &* UInt256(1_000_000_000_000_000_000) &+ 1)
    }

    @Test func checkpointBlocksListTheSigners() throws {
        var genesis = try Self.genesis("dev.json")
        genesis.clique.epoch = 2
        let node = try Self.devNode(genesis: genesis)
        try node.mine(blocks: 4)
        let headers = try Self.verifyChain(of: node, genesis: genesis)
        #expect(try headers.dropFirst().map { try Clique.checkpointSigners(of: $0) }
            == [[], [Self.account0], [], [Self.account0]])
    }

    @Test func aLoneSignerVotesASecondInAtOnceAndMustThenTakeTurns() throws {
        let genesis = try Self.genesis("dev.json")
        let node = try Self.devNode(genesis: genesis)
        node.propose(Self.account1, authorize: true)
        #expect(node.proposals == [Self.account1: true])
        try node.mine()
        // One signer: its own vote is a majority, so account 1 is a signer after block 1.
        let block1 = node.headHeader
        #expect(block1.coinbase == Self.account1)
        #expect(block1.nonce == Clique.nonceAuthorize)
        #expect(try node.signers(at: .number(0)) == [Self.account0])
        #expect(try node.signers() == [Self.account1, Self.account0])
        node.discard(Self.account1)
        #expect(node.proposals == [:])
        // Two signers: account 0 may seal one of any 2 consecutive blocks, so block 2 is account 1's.
        #expect(CliqueError.sealedTooRecently(signer: Self.account0, previous: 1, limit: 2, number: 2).description == "recently signed: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 sealed block 1 and may seal only one of any 2 consecutive blocks, so not block 2 (next at block 3)")
        #expect(throws: NodeError.chain(.consensus(ConsensusError(CliqueError.sealedTooRecently(signer: Self.account0, previous: 1, limit: 2, number: 2))))) {
            try node.mine()
        }
        #expect(node.headNumber == 1)
    }

    // MARK: Three authorities

    /// The testnet's authorities taking turns over one store.
    final class Testnet {
        let genesis: Genesis
        let store = MemoryStore()
        /// One engine per authority, by account index; each keeps its own proposals.
        var engines: [Int: CliqueEngine] = [:]

        /// - Parameter epoch: the checkpoint interval (the file's is 30000).
        init(epoch: UInt64 = 30000) throws {
            var genesis = try CliqueEngineNodeTests.genesis("testnet-3.json")
            genesis.clique.epoch = epoch
            self.genesis = genesis
        }

        /// A node over the shared store sealing with account `index`'s key.
        func node(_ index: Int) throws -> Node {
            let key = CliqueEngineNodeTests.keys[index]
            let engine = engines[index] ?? CliqueEngine(genesis: genesis, signerKey: key, store: store)
            engines[index] = engine
            var configuration = NodeConfiguration(genesis: genesis, signerKey: key, isAutomine: false)
            configuration.consensus = engine
            return try Node(configuration: configuration, store: store)
        }

        /// Account `index` seals the next block; returns its header.
        @discardableResult
        func seal(by index: Int) throws -> Header {
            let node = try node(index)
            try node.mine()
            return node.headHeader
        }
    }

    @Test func testnetStartsWithAccountsZeroToTwoInAscendingOrder() throws {
        let testnet = try Testnet()
        #expect(try testnet.node(0).signers() == [Self.account2, Self.account1, Self.account0])
    }

    @Test func twoOfThreeSignersVoteAFourthIn() throws {
        let testnet = try Testnet(epoch: 5)
        try testnet.node(0).propose(Self.account3, authorize: true)
        try testnet.node(1).propose(Self.account3, authorize: true)
        #expect(testnet.engines[0]?.proposals == [Self.account3: true])

        // Block 1: signers[1 % 3] = account 1 is in turn and casts its vote.
        let block1 = try testnet.seal(by: 1)
        #expect(block1.difficulty == 2)
        #expect(block1.coinbase == Self.account3)
        #expect(block1.nonce == Clique.nonceAuthorize)
        let afterBlock1 = try testnet.engines[1]!.snapshot(after: block1, chain: Self.NodeHeaders(testnet.node(1)))
        #expect(afterBlock1.signers == [Self.account2, Self.account1, Self.account0])
        #expect(afterBlock1.tally[Self.account3] == Tally(authorize: true, votes: 1))

        // Block 2: signers[2 % 3] = account 0 is in turn; its vote is the second of three: a majority.
        let block2 = try testnet.seal(by: 0)
        #expect(block2.difficulty == 2)
        #expect(block2.coinbase == Self.account3)
        let node = try testnet.node(2)
        #expect(try node.signers(at: .number(1)) == [Self.account2, Self.account1, Self.account0])
        #expect(try node.signers() == [Self.account2, Self.account1, Self.account3, Self.account0])

        // Block 3: four signers, signers[3 % 4] = account 0 signed block 2 (each may now seal one of
        // any 3 consecutive blocks); account 2 seals out of turn, with no vote of its own.
        let block3 = try testnet.seal(by: 2)
        #expect(block3.difficulty == 1)
        #expect(block3.coinbase == .zero)
        // Block 4: signers[4 % 4] = account 2 just signed; the new signer, account 3, may seal.
        testnet.engines[3] = CliqueEngine(genesis: testnet.genesis, signerKey: Self.keys[3], store: testnet.store)
        let block4 = try testnet.seal(by: 3)
        #expect(block4.difficulty == 1)
        #expect(try testnet.node(0).author(of: .number(4)) == Self.account3)
        // Block 5, a checkpoint: signers[5 % 4] = account 1 is in turn and lists all four.
        let block5 = try testnet.seal(by: 1)
        #expect(block5.difficulty == 2)
        #expect(try Clique.checkpointSigners(of: block5) == [Self.account2, Self.account1, Self.account3, Self.account0])
        try Self.verifyChain(of: testnet.node(0), genesis: testnet.genesis)
    }

    @Test func aSignerThatSealedTheLastBlockCannotSealTheNext() throws {
        let testnet = try Testnet()
        try testnet.seal(by: 1)
        let node = try testnet.node(1)
        // Three signers: each may seal one of any floor(3/2) + 1 = 2 consecutive blocks.
        #expect(CliqueError.sealedTooRecently(signer: Self.account1, previous: 1, limit: 2, number: 2).description == "recently signed: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 sealed block 1 and may seal only one of any 2 consecutive blocks, so not block 2 (next at block 3)")
        #expect(throws: NodeError.chain(.consensus(ConsensusError(CliqueError.sealedTooRecently(signer: Self.account1, previous: 1, limit: 2, number: 2))))) {
            try node.mine()
        }
        #expect(node.headNumber == 1)
        #expect(testnet.engines[1]!.sealDelay(for: Self.probe(on: node), chain: Self.NodeHeaders(node)) == .infinity)
    }

    @Test func aNonSignerCannotSeal() throws {
        let testnet = try Testnet()
        #expect(CliqueError.notAmongSigners(signer: Self.account3, signerCount: 3, after: 0).description == "unauthorized signer: 0x90F79bf6EB2c4f870365E785982E1f101E93b906 is not among the 3 signers after block 0")
        #expect(throws: NodeError.chain(.consensus(ConsensusError(CliqueError.notAmongSigners(signer: Self.account3, signerCount: 3, after: 0))))) {
            try testnet.seal(by: 3)
        }
    }

    @Test func sealDelayIsZeroInTurnAndAStableWiggleOutOfTurn() throws {
        let testnet = try Testnet()
        let node = try testnet.node(0)
        _ = try testnet.node(1)
        let probe = Self.probe(on: node)
        let reader = Self.NodeHeaders(node)
        // Block 1: account 1 is in turn; accounts 0 and 2 wait below (floor(3/2) + 1) × 500 ms.
        #expect(testnet.engines[1]!.sealDelay(for: probe, chain: reader) == 0)
        let wiggle = testnet.engines[0]!.sealDelay(for: probe, chain: reader)
        #expect(wiggle >= 0 && wiggle < 1.0)
        #expect(testnet.engines[0]!.sealDelay(for: probe, chain: reader) == wiggle)
        #expect(Clique.maximumWiggle(signerCount: 3) == .milliseconds(1000))
        #expect(CliqueEngine(genesis: testnet.genesis, signerKey: nil).sealDelay(for: probe, chain: reader) == .infinity)
    }

    /// The header a node would seal next, as its sealing loop probes it.
    static func probe(on node: Node) -> Header {
        var probe = node.headHeader
        probe.parentHash = node.headHash
        probe.number += 1
        probe.timestamp += 2
        return probe
    }
}
