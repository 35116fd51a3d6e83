import Chain
import ChainTypes
import Foundation
import Primitives
import State
import Testing
import TestSupport
import Trie

/// Bloom, receipts, headers, blocks and their roots. Expected values come from go-ethereum's tests
/// (cited per test), ethereum/tests BasicTests (read in place), and py-evm's libraries (eth-bloom
/// 4.0, trie 3.x, rlp 4.x) run once in a throwaway venv where no official vector exists.
@Suite struct BlockTypeTests {
    @Test func bloomMatchesGoEthereumExtensiveTest() {
        // go-ethereum core/types/bloom9_test.go TestBloomExtensively.
        var bloom = Bloom()
        for index in 0..<100 { bloom.insert(Array("xxxxxxxxxx data \(index) yyyyyyyyyyyyyy".utf8)) }
        #expect(Keccak256.hash(bloom.bytes) == ChainTestSupport.hash("c8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263"))
        #expect(bloom.mayContain(Array("xxxxxxxxxx data 7 yyyyyyyyyyyyyy".utf8)))
    }

    /// A receipt with one ERC-20 style Transfer log, and one failed type-2 receipt without logs.
    static let transferLog = Log(address: ChainTestSupport.address("0x5fbdb2315678afecb367f032d93f642f64180aa3"),
                                 topics: [Keccak256.hash(Array("Transfer(address,address,uint256)".utf8)),
                                          Hash32(UInt256.one.bigEndianBytes)],
                                 data: UInt256(42).bigEndianBytes)
    static let receipts = [
        Receipt(type: .legacy, status: .success, cumulativeGasUsed: 21_000, logs: [transferLog]),
        Receipt(type: .dynamicFee, status: .failure, cumulativeGasUsed: 50_000, logs: []),
    ]

    @Test func receiptBloomMatchesEthBloom() {
        #expect(Self.receipts[0].logsBloom.bytes == ChainTestSupport.bytes("0x00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000040000000000000000000000000008000000000000000000040000000000000000000000000040000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000000000000000000042000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000000000"))
        #expect(Self.receipts[1].logsBloom.isEmpty)
    }

    @Test func receiptEncodingsRoundTripAndMatchRLP() throws {
        let expected = [
            "f9018501825208b9010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000040000000000000000000000000008000000000000000000040000000000000000000000000040000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000000000000000000042000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000000000f87cf87a945fbdb2315678afecb367f032d93f642f64180aa3f842a0ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efa00000000000000000000000000000000000000000000000000000000000000001a0000000000000000000000000000000000000000000000000000000000000002a",
            "02f901088082c350b9010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000c0",
        ]
        for (receipt, hex) in zip(Self.receipts, expected) {
            #expect(receipt.encoded == ChainTestSupport.bytes(hex))
            #expect(try Receipt(encoded: receipt.encoded) == receipt)
        }
    }

    @Test func receiptsRootMatchesPyTrie() {
        #expect(Block.receiptsRoot(of: Self.receipts) == ChainTestSupport.hash("427eefbf28a604f6cc762aee1e00f555985bce4e71140c0b8f6b890cc5243a7a"))
        #expect(Block.receiptsRoot(of: []) == MerklePatriciaTrie.emptyRoot)
    }

    @Test func transactionsRootOfThreeTypesMatchesPyTrie() throws {
        let folder = TestFiles.fixture("ethereum-tests/TransactionTests")
        let transactions = try ["ttSignature/Vitalik_1", "ttEIP2930/accessListStorage32Bytes",
                                "ttEIP1559/GasLimitPriceProductOverflowtMinusOne"].map { name in
            let object = try #require(try TestFiles.jsonObject(at: folder.appendingPathComponent(name + ".json"))
                                        as? [String: [String: Any]])
            return try Transaction(encoded: ChainTestSupport.bytes(try #require(object.values.first?["txbytes"] as? String)))
        }
        #expect(transactions.map(\.type) == [.legacy, .accessList, .dynamicFee])
        #expect(Block.transactionsRoot(of: transactions) == ChainTestSupport.hash("dfa808bf3d8483a05bb2eacd4a2c4802fc5c1e5047c0f12ac473b52bc1cd49b2"))
    }

    @Test func mainnetGenesisHeaderRoundTripsWithItsHash() throws {
        // ethereum/tests BasicTests/genesishashestest.json: the mainnet genesis block (15-field header).
        let url = TestFiles.fixture("ethereum-tests/BasicTests/genesishashestest.json")
        let object = try #require(try TestFiles.jsonObject(at: url) as? [String: String])
        let encoded = ChainTestSupport.bytes(try #require(object["genesis_rlp_hex"]))
        let block = try Block(encoded: encoded)
        #expect(block.hash == ChainTestSupport.hash(try #require(object["genesis_hash"])))
        #expect(block.header.stateRoot == ChainTestSupport.hash(try #require(object["genesis_state_root"])))
        #expect(block.header.baseFeePerGas == nil)
        #expect(block.header.nonce == 0x42)
        #expect(block.encoded == encoded)
    }

    @Test func goEthereumSimpleTxBlockDecodes() throws {
        // go-ethereum core/types/block_test.go TestBlockEncoding (from bcValidBlockTest.json "SimpleTx").
        let encoded = ChainTestSupport.bytes("f90260f901f9a083cafc574e1f51ba9dc0568fc617a08ea2429fb384059c972f13b19fa1c8dd55a01dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347948888f1f195afa192cfee860698584c030f4c9db1a0ef1552a40b7165c3cd773806b9e0c165b75356e0314bf0706f279c729f51e017a05fe50b260da6308036625b850b5d6ced6d0a9f814c0688bc91ffb7b7a3a54b67a0bc37d79753ad738a6dac4921e57392f145d8887476de3f783dfa7edae9283e52b90100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008302000001832fefd8825208845506eb0780a0bd4472abb6659ebe3ee06ee4d7b72a00a9f4d001caca51342001075469aff49888a13a5a8c8f2bb1c4f861f85f800a82c35094095e7baea6a6c7c4c2dfeb977efac326af552d870a801ba09bea4c4daac7c7c52e093e6a4c35dbbcf8856f1af7b059ba20253e70848d094fa08a8fae537ce25ed8cb5af9adac3f141af69bd515bd2ba031522df09b97dd72b1c0")
        let block = try Block(encoded: encoded)
        #expect(block.hash == ChainTestSupport.hash("0a5843ac1cb04865017cb35a57b50b07084e5fcee39b5acadade33149f4fff9e"))
        #expect(block.header.difficulty == 131_072)
        #expect(block.header.gasLimit == 3_141_592)
        #expect(block.header.gasUsed == 21_000)
        #expect(block.header.coinbase == ChainTestSupport.address("0x8888f1f195afa192cfee860698584c030f4c9db1"))
        #expect(block.header.nonce == 0xa13a_5a8c_8f2b_b1c4)
        #expect(block.header.timestamp == 1_426_516_743)
        #expect(block.transactions.count == 1)
        #expect(block.transactions[0].value == 10)
        #expect(block.encoded == encoded)
    }

    /// A London header of this chain's shape (Clique vanity and empty seal), built and hashed with
    /// the python `rlp` package.
    static let londonHeader = Header(
        parentHash: .zero, coinbase: ChainTestSupport.address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        stateRoot: Keccak256.hash(Array("state".utf8)), transactionsRoot: MerklePatriciaTrie.emptyRoot,
        receiptsRoot: MerklePatriciaTrie.emptyRoot, logsBloom: .empty, difficulty: 2, number: 1,
        gasLimit: 30_000_000, gasUsed: 0, timestamp: 1_700_000_000, extraData: [UInt8](repeating: 0, count: 97),
        mixHash: .zero, nonce: 0, baseFeePerGas: 1_000_000_000)

    @Test func londonHeaderHashAndSealHash() throws {
        let header = Self.londonHeader
        #expect(header.encoded.count == 607)
        #expect(header.hash == ChainTestSupport.hash("e67d77a3aec3e5dd1116c8ec1a4237a01de449d1e430436827c36c296c030dfc"))
        // EIP-225: the seal hash drops the 65-byte seal at the end of extraData.
        #expect(header.sealHash == ChainTestSupport.hash("b5a16637ee2bd0f1a823cf0e396eca6adc9b0d8d2e5bf57ce65fba0e38a0a37a"))
        #expect(try Header(encoded: header.encoded) == header)
    }

    @Test func blockWithOmmersIsRejected() throws {
        var writer = RLPWriter()
        writer.appendList { list in
            list.append(encoded: Self.londonHeader.encoded)
            list.appendList { _ in }
            list.appendList { ommers in ommers.append(encoded: Self.londonHeader.encoded) }
        }
        #expect(throws: BlockError.nonEmptyOmmers(count: 1)) { try Block(encoded: writer.finish()) }
    }

    @Test func headerWithSeventeenFieldsIsRejected() {
        var writer = RLPWriter()
        writer.appendList { list in
            for _ in 0..<17 { list.append(uint: 0) }
        }
        #expect(throws: BlockError.wrongFieldCount(structure: "header", expected: "15 (before London) or 16", actual: 17)) {
            try Header(encoded: writer.finish())
        }
    }

    /// go-ethereum consensus/misc/eip1559/eip1559_test.go TestCalcBaseFee: parent base fee 1 gwei,
    /// parent gas limit 20,000,000, parent gas used → expected base fee.
    @Test(arguments: [
        (UInt64(10_000_000), UInt64(1_000_000_000)), // usage == target
        (9_000_000, 987_500_000),                     // usage below target
        (11_000_000, 1_012_500_000),                  // usage above target
        (20_000_000, 1_125_000_000),                  // usage full
        (0, 875_000_000),                             // usage 0
    ])
    func nextBaseFeeMatchesGoEthereumTable(parentGasUsed: UInt64, expected: UInt64) {
        var parent = Self.londonHeader
        parent.gasLimit = 20_000_000
        parent.gasUsed = parentGasUsed
        parent.baseFeePerGas = 1_000_000_000
        #expect(Header.nextBaseFee(parent: parent) == UInt256(expected))
    }

    @Test func nextBaseFeeRisesByAtLeastOneWei() {
        // EIP-1559 pseudo-code: max(parent_base_fee * delta // target // 8, 1) when above target.
        var parent = Self.londonHeader
        parent.gasLimit = 30_000_000
        parent.gasUsed = 15_000_001
        parent.baseFeePerGas = 7
        #expect(Header.nextBaseFee(parent: parent) == 8)
    }
}
