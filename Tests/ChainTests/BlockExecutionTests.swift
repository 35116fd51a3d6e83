import Chain
import ChainTypes
import Clique
import EVM
import Primitives
import State
import Storage
import Testing

/// Block execution against an independent implementation: py-evm 0.12.1b1 (CancunState) applied
/// the same six EIP-1559 transfers to the dev genesis and reported the post-state root and the
/// balances below (the script is in PyEVMTransfersScript.swift).
@Suite struct BlockExecutionTests {
    static let recipients = [ChainTestSupport.address("0x70997970c51812dc3a010c7d01b50e20d4dc79c8"),
                             ChainTestSupport.address("0x000000000000000000000000000000000000dEaD"),
                             ChainTestSupport.address("0x1000000000000000000000000000000000000001")]

    /// The six transfers: sender i mod 3, nonce i / 3, tip 1 gwei + i, fee cap 2 gwei, value i+1 ether + i.
    static func transfers() -> [Transaction] {
        (0 ..< 6).map { (index: Int) -> Transaction in
            NodeTestSupport.transfer(from: NodeTestSupport.keys[index % 3], nonce: UInt64(index / 3),
                                     to: recipients[index % 3],
                                     value: NodeTestSupport.ether &* UInt256(UInt64(index + 1)) &+ UInt256(UInt64(index)),
                                     tip: NodeTestSupport.gwei &+ UInt256(UInt64(index)))
        }
    }

    @Test func sixTransfersMatchPyEVMStateRoot() throws {
        let node = try NodeTestSupport.node(automine: false)
        for transaction in Self.transfers() { try node.submit(transaction) }
        let hashes = try node.mine(timestamp: 1_700_000_000)
        let block = try #require(try node.block(.hash(hashes[0])))
        #expect(block.block.transactions.count == 6)
        #expect(block.header.gasUsed == 126_000)
        #expect(block.header.baseFeePerGas == UInt256(875_000_000))
        #expect(block.header.stateRoot == ChainTestSupport.hash("544d8ef8c8d1c53d42c94540cec5da12f5f9036bde269e1e6592d076ef928bc9"))
        #expect(try node.balance(of: Self.recipients[0]) == UInt256(decimal: "5000000000000000003")!)
        #expect(try node.balance(of: Self.recipients[1]) == UInt256(decimal: "7000000000000000005")!)
        #expect(try node.balance(of: Self.recipients[2]) == UInt256(decimal: "9000000000000000007")!)
        #expect(try node.balance(of: NodeTestSupport.keys[0].address) == UInt256(decimal: "9994999921249999936997")!)
        #expect(try node.balance(of: .zero) == UInt256(decimal: "126000000315000")!)
        #expect(block.header.transactionsRoot == Block.transactionsRoot(of: block.block.transactions))
    }

    @Test func builderOrdersByTipAndKeepsEachSendersNonceOrder() throws {
        let node = try NodeTestSupport.node(automine: false)
        for transaction in Self.transfers() { try node.submit(transaction) }
        let hashes = try node.mine(timestamp: 1_700_000_000)
        let block = try #require(try node.block(.hash(hashes[0])))
        // Heads by tip: sender 2 (tip +2) first, its nonce 1 (tip +5) next, then sender 1 (+1, then +4), then sender 0.
        let order = block.block.transactions.map { ($0.nonce, $0.maxPriorityFeePerGas.w0 - 1_000_000_000) }
        #expect(order.map(\.1) == [2, 5, 1, 4, 0, 3])
        let receipts = try #require(try node.receipts(of: .hash(hashes[0])))
        #expect(receipts.map(\.receipt.cumulativeGasUsed) == [21000, 42000, 63000, 84000, 105000, 126000])
        #expect(receipts.map(\.gasUsed) == Array(repeating: 21000, count: 6))
        #expect(receipts[0].effectiveGasPrice == UInt256(1_875_000_002))
    }

    @Test func importingTheBlockOnAnotherStoreReproducesItAndTamperingIsCaught() throws {
        let node = try NodeTestSupport.node(automine: false)
        for transaction in Self.transfers() { try node.submit(transaction) }
        let hash = try node.mine(timestamp: 1_700_000_000)[0]
        let block = try #require(try node.block(.hash(hash))).block

        let store = MemoryStore()
        let chain = try ChainStore(store: store, genesis: NodeTestSupport.devGenesis)
        let executor = BlockExecutor(chainId: 31337, precompiles: .cancun())
        let engine = CliqueEngine(genesis: NodeTestSupport.devGenesis, signerKey: nil)
        let parent = chain.head
        try engine.verify(block.header, parent: parent, chain: chain)
        let executed = try executor.importBlock(block, parent: parent, state: WorldState(store: store, root: parent.stateRoot),
                                                blockHashes: [0: chain.genesisHash])
        try chain.append(block, receipts: executed.receipts, senders: executed.senders, stateBatch: executed.stateBatch)
        #expect(chain.headHash == hash)

        var tampered = block
        tampered.header.stateRoot = .zero
        #expect(throws: ChainError.rootMismatch(number: 1, root: "merkle", header: .zero, computed: block.header.stateRoot)) {
            _ = try executor.importBlock(tampered, parent: parent, state: WorldState(store: store, root: parent.stateRoot),
                                         blockHashes: [:])
        }
        var wrongGas = block
        wrongGas.header.gasUsed = 21000
        let message = NodeTestSupport.message { () throws(NodeError) in
            do throws(ChainError) {
                _ = try executor.importBlock(wrongGas, parent: parent, state: WorldState(store: store, root: parent.stateRoot),
                                             blockHashes: [:])
            } catch { throw .chain(error) }
        }
        #expect(message == "invalid gas used in block 1: have 21000, want 126000")
        var wrongBaseFee = block
        wrongBaseFee.header.baseFeePerGas = NodeTestSupport.gwei
        #expect(throws: ChainError.invalidHeader(number: 1, field: "baseFee", expected: "875000000", actual: "1000000000")) {
            try executor.validateHeader(wrongBaseFee.header, parent: parent)
        }
    }

    @Test func devGenesisRootViaWorldStateEqualsTheEarlierGenesisStateRoot() {
        // The expectation GenesisState had (py-trie), now computed by State's WorldState commit.
        #expect(NodeTestSupport.devGenesis.stateRoot == ChainTestSupport.hash("ed3dbfb3db5331a426b3467791f26be1b9d252be72ce01447d1b846548e5758e"))
    }
}
