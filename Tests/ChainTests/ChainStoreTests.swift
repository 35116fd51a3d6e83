import Chain
import ChainTypes
import Clique
import Foundation
import GoldenGrainNode
import Primitives
import Storage
import Testing
import TestSupport

/// Persistence: restart from LevelDB, one batch per block, and refusing another chain's database.
@Suite struct ChainStoreTests {
    static let recipient = ChainTestSupport.address("0x000000000000000000000000000000000000dEaD")
    let keys = NodeTestSupport.keys

    @Test func restartFromLevelDBResumesHeadReceiptsAndIndex() throws {
        let directory = NodeTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var hashes: [Hash32] = []
        let head: Hash32
        do {
            let store = try LevelDBStore(path: directory)
            let node = try NodeTestSupport.node(store: store)
            for nonce in 0 ..< 3 {
                hashes.append(try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: UInt64(nonce), to: Self.recipient, value: 10)))
            }
            try node.setBalance(UInt256(77), of: keys[9].address)
            head = node.headHash
            store.close()
        }
        let store = try LevelDBStore(path: directory)
        defer { store.close() }
        let node = try NodeTestSupport.node(store: store)
        #expect(node.headNumber == 3 && node.headHash == head)
        #expect(try node.receipt(hash: hashes[2])?.blockNumber == 3)
        #expect(try node.transaction(hash: hashes[0])?.blockNumber == 1)
        #expect(try node.balance(of: Self.recipient) == 30)
        #expect(try node.balance(of: keys[9].address) == 77)
        #expect(try node.nonce(of: keys[0].address) == 3)
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 3, to: Self.recipient, value: 10))
        #expect(node.headNumber == 4)
        #expect(try node.block(.number(4))?.header.parentHash == head)
    }

    @Test func failedBlockWriteLeavesTheLastWholeBlock() throws {
        let store = FailingStore()
        let node = try NodeTestSupport.node(store: store)
        try node.submit(NodeTestSupport.transfer(from: keys[0], nonce: 0, to: Self.recipient, value: 10))
        let head = node.headHash
        let keysBefore = store.inner.count
        store.failNextWrite()
        let transfer = NodeTestSupport.transfer(from: keys[0], nonce: 1, to: Self.recipient, value: 20)
        #expect(NodeTestSupport.message { () throws(NodeError) in try node.submit(transfer) }
                == "database write failed: simulated failure (disk full)")
        #expect(node.headNumber == 1 && node.headHash == head)
        #expect(store.inner.count == keysBefore)
        #expect(try node.balance(of: Self.recipient) == 10)
        #expect(try node.receipt(hash: transfer.hash) == nil)
        // A node reopened on the same store sees block 1 whole; the kept node mines the pooled transfer next.
        let reopened = try NodeTestSupport.node(store: store.inner)
        #expect(reopened.headHash == head)
        try node.mine()
        #expect(node.headNumber == 2)
        #expect(try node.balance(of: Self.recipient) == 30)
    }

    @Test func anotherGenesisIsRefused() throws {
        let store = MemoryStore()
        _ = try NodeTestSupport.node(store: store)
        let testnet = try Genesis(contentsOfFile: TestFiles.genesis.appendingPathComponent("testnet-3.json").path)
        #expect(throws: ChainError.self) { _ = try ChainStore(store: store, genesis: testnet) }
        var configuration = NodeConfiguration(genesis: testnet, signerKey: nil)
        try configuration.installGoldenGrain(snapshotStore: store)
        let message = NodeTestSupport.message { () throws(NodeError) in
            _ = try Node(configuration: configuration, store: store)
        }
        #expect(message?.hasPrefix("database already contains an incompatible genesis block") == true)
    }

    /// The recipient of the `index`-th transfer of a block: 0x…10000 + index, clear of the dev
    /// genesis precompiles (0x01…0x11, ATTESTATION_VERIFY 0x1000, INFERENCE_EVAL 0x1001).
    static func transferRecipient(_ index: Int) -> Address {
        Address(high: 0, middle: 0, low: UInt32(0x1_0000 + index))
    }

    /// Full blocks of transfers from ten senders land in LevelDB whole. Only a correctness check:
    /// the throughput of the same work (10 blocks × 1,000 transfers) is measured by
    /// Benchmarks/ChainBenchmarks, not here.
    @Test func fullTransferBlocksCommitToLevelDB() throws {
        let (blocks, perBlock) = (2, 200)
        let directory = NodeTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LevelDBStore(path: directory)
        defer { store.close() }
        var configuration = try NodeConfiguration.dev(genesis: NodeTestSupport.devGenesis)
        configuration.isAutomine = false
        let node = try NodeTestSupport.node(configuration: configuration, store: store)
        for block in 0 ..< blocks {
            for index in 0 ..< perBlock {
                let sender = index % 10
                let nonce = UInt64(block * perBlock / 10 + index / 10)
                try node.submit(NodeTestSupport.transfer(from: keys[sender], nonce: nonce,
                                                         to: Self.transferRecipient(index), value: 1))
            }
            try node.mine()
        }
        #expect(node.headNumber == UInt64(blocks))
        #expect(try node.block(.latest)?.block.transactions.count == perBlock)
        #expect(try node.balance(of: Self.transferRecipient(0)) == UInt256(UInt64(blocks)))
        #expect(try node.nonce(of: keys[9].address) == UInt64(blocks * perBlock / 10))
    }
}
