import Chain
import ChainTypes
import Clique
import Foundation
import GoldenGrainNode
import Primitives
import Signatures
import Storage
import Testing

/// Several authorities forming one chain (`Node.importBlocks`): the three signers of
/// Genesis/testnet-3.json (test-mnemonic accounts 0–2, sorted 0x3C44… < 0x7099… < 0xf39F…, so
/// block n is in turn for the signer at index n mod 3: block 1 → account 1, block 2 → account 0,
/// block 3 → account 2) each run their own node over their own store, seal with their own key,
/// and exchange blocks. Every imported block is verified and re-executed by the importer.
@Suite struct BlockImportTests {
    static let genesis: Genesis = {
        do { return try CliqueEngineNodeTests.genesis("testnet-3.json") } catch { fatalError("\(error)") }
    }()
    static let keys = CliqueEngineNodeTests.keys
    static let gwei = UInt256(1_000_000_000)
    /// Timestamps of the test blocks: fixed, past, two seconds (the period) apart.
    static func time(_ number: UInt64) -> UInt64 { 1_000 + 2 * number }

    /// An authority's node as the CLI builds it, with its own memory store.
    static func authority(_ index: Int) throws -> Node {
        var configuration = NodeConfiguration(genesis: genesis, signerKey: keys[index])
        configuration.isAutomine = false
        let store = MemoryStore()
        try configuration.installGoldenGrain(snapshotStore: store)
        return try Node(configuration: configuration, store: store)
    }

    static func transfer(nonce: UInt64, value: UInt256) -> Transaction {
        Transaction.dynamicFee(chainId: 7777, nonce: nonce, maxPriorityFeePerGas: gwei, maxFeePerGas: gwei &* 100,
                               gasLimit: 21_000, to: CliqueEngineNodeTests.account3, value: value).signed(with: keys[5])
    }

    static func block(_ node: Node, _ number: UInt64) throws -> Block {
        try #require(try node.block(.number(number))).block
    }

    @Test func aFollowerReplaysTheSignersBlocksToTheSameRoots() throws {
        let (a, b) = (try Self.authority(0), try Self.authority(1))
        try b.sendRawTransaction(Self.transfer(nonce: 0, value: UInt256(777)).encoded)
        try b.mine(blocks: 1, timestamp: Self.time(1))  // block 1: in turn for account 1
        #expect(try a.importBlocks([Self.block(b, 1)]) == .extended(1))
        try a.mine(blocks: 1, timestamp: Self.time(2))  // block 2: in turn for account 0
        #expect(try b.importBlocks([Self.block(a, 2)]) == .extended(1))
        #expect(a.headHash == b.headHash)
        #expect(a.headHeader.stateRoot == b.headHeader.stateRoot)
        #expect(try a.balance(of: CliqueEngineNodeTests.account3) == UInt256(10_000) &* UInt256(1_000_000_000_000_000_000) &+ UInt256(777))
        // Importing what is already canonical changes nothing.
        #expect(try a.importBlocks([Self.block(b, 1), Self.block(b, 2)]) == .known)
    }

    @Test func blocksThatDoNotMatchTheirHeaderAreRefused() throws {
        let (a, b) = (try Self.authority(0), try Self.authority(1))
        try b.sendRawTransaction(Self.transfer(nonce: 0, value: UInt256(5)).encoded)
        try b.mine(blocks: 1, timestamp: Self.time(1))
        let good = try Self.block(b, 1)
        // The same header with its transaction list emptied: the transactions root no longer matches.
        let stripped = Block(header: good.header, transactions: [])
        let emptyRoot = Block.transactionsRoot(of: [])
        #expect(throws: NodeError.chain(.rootMismatch(number: 1, root: "transactions", header: good.header.transactionsRoot,
                                                      computed: emptyRoot))) {
            try a.importBlocks([stripped])
        }
        // A header changed after sealing recovers to another address, which is not a signer.
        var forged = good.header
        forged.gasLimit += 1
        #expect(throws: NodeError.self) { try a.importBlocks([Block(header: forged, transactions: good.transactions)]) }
        // A block whose parent is unknown here.
        var orphan = good.header
        orphan.parentHash = Hash32(Keccak256.hash(Array("no such parent".utf8)).bytes)
        #expect(throws: NodeError.chain(.unknownAncestor(number: 1, parentHash: orphan.parentHash))) {
            try a.importBlocks([Block(header: orphan, transactions: good.transactions)])
        }
        #expect(a.headNumber == 0)
        #expect(try a.importBlocks([good]) == .extended(1))
    }

    @Test func theHeavierBranchWinsAndDroppedTransactionsReturnToThePool() throws {
        let (a, b) = (try Self.authority(0), try Self.authority(1))
        // Account 0 seals block 1 out of turn (difficulty 1) with a transfer; account 1 seals its
        // own block 1 in turn (difficulty 2), empty.
        let transfer = Self.transfer(nonce: 0, value: UInt256(9))
        try a.sendRawTransaction(transfer.encoded)
        try a.mine(blocks: 1, timestamp: Self.time(1))
        try b.mine(blocks: 1, timestamp: Self.time(1))
        #expect(try Self.block(a, 1).header.difficulty == UInt256(1))
        #expect(try Self.block(b, 1).header.difficulty == UInt256(2))
        // b keeps its heavier head; a switches to it, and its transfer is pending again.
        #expect(try b.importBlocks([Self.block(a, 1)]) == .keptHead)
        #expect(try a.importBlocks([Self.block(b, 1)]) == .reorganized(dropped: 1, adopted: 1))
        #expect(a.headHash == b.headHash)
        let pending = try #require(try a.transaction(hash: transfer.hash))
        #expect(pending.blockHash == nil)
        #expect(try a.balance(of: CliqueEngineNodeTests.account3) == UInt256(10_000) &* UInt256(1_000_000_000_000_000_000))
        // Block 2 is account 0's turn: the transfer goes in again, and b follows.
        try a.mine(blocks: 1, timestamp: Self.time(2))
        #expect(try Self.block(a, 2).transactions.map(\.hash) == [transfer.hash])
        #expect(try b.importBlocks([Self.block(a, 2)]) == .extended(1))
        #expect(b.headHash == a.headHash)
        #expect(try b.receipt(hash: transfer.hash)?.blockNumber == 2)
    }

    @Test func aLongerBranchReplacesSeveralBlocks() throws {
        let (a, b, c) = (try Self.authority(0), try Self.authority(1), try Self.authority(2))
        // a alone: block 1 out of turn (1). b and c together: 1 (b, in turn, 2), 2 (c, out of turn, 1),
        // 3 (c cannot: it signed block 2 and floor(3/2) = 1 block must pass; b signs 3 out of turn, 1).
        try a.mine(blocks: 1, timestamp: Self.time(1))
        try b.mine(blocks: 1, timestamp: Self.time(1))
        #expect(try c.importBlocks([Self.block(b, 1)]) == .extended(1))
        try c.mine(blocks: 1, timestamp: Self.time(2))
        #expect(try b.importBlocks([Self.block(c, 2)]) == .extended(1))
        try b.mine(blocks: 1, timestamp: Self.time(3))
        let branch = try (1 ... 3).map { try Self.block(b, $0) }
        #expect(try a.importBlocks(branch) == .reorganized(dropped: 1, adopted: 3))
        #expect(a.headNumber == 3 && a.headHash == b.headHash)
        // The follower's Clique state agrees on the signers after the branch.
        #expect(try a.signers() == b.signers())
    }

    @Test(.timeLimit(.minutes(1))) func logSubscribersSeeADroppedBlocksLogsAsRemoved() async throws {
        let (a, b) = (try Self.authority(0), try Self.authority(1))
        let events = a.logEvents(matching: LogFilter())
        // A creation whose init code emits one LOG0 and stops: PUSH1 0, PUSH1 0, LOG0, STOP.
        let creation = Transaction.dynamicFee(chainId: 7777, nonce: 0, maxPriorityFeePerGas: Self.gwei,
                                              maxFeePerGas: Self.gwei &* 100, gasLimit: 100_000, to: nil, value: .zero,
                                              data: [0x60, 0x00, 0x60, 0x00, 0xa0, 0x00]).signed(with: Self.keys[5])
        try a.sendRawTransaction(creation.encoded)
        try a.mine(blocks: 1, timestamp: Self.time(1))  // out of turn, dropped below
        try b.mine(blocks: 1, timestamp: Self.time(1))  // in turn
        #expect(try a.importBlocks([Self.block(b, 1)]) == .reorganized(dropped: 1, adopted: 1))
        try a.mine(blocks: 1, timestamp: Self.time(2))  // the creation again, in account 0's turn
        var iterator = events.makeAsyncIterator()
        let mined = try #require(await iterator.next())
        let removed = try #require(await iterator.next())
        let again = try #require(await iterator.next())
        #expect(!mined.isRemoved && mined.blockNumber == 1)
        #expect(removed.isRemoved && removed.blockHash == mined.blockHash && removed.log == mined.log)
        #expect(!again.isRemoved && again.blockNumber == 2 && again.log == mined.log)
        #expect(again.blockHash == a.headHash)
    }
}
