import Testing
import ETH
import ChainTypes
import Primitives
import State
import Signatures

/// eth/68 message encodings. Vectors from go-ethereum v1.13.15 eth/protocols/eth/protocol_test.go
/// (`TestMessages`, `TestEmptyMessages`, `TestGetBlockHeadersDataEncodeDecode`): same inputs, same
/// expected bytes. Messages that file does not cover (Status, NewBlockHashes, NewBlock,
/// NewPooledTransactionHashes) are derived by hand; each says how.
@Suite struct ETHMessageTests {
    // MARK: Inputs of go-ethereum's TestMessages

    /// Header{Difficulty: 2222, Number: 3333, GasLimit: 4444, GasUsed: 5555, Time: 6666, Extra: 0x7788},
    /// every other field zero (the ommers hash too), no base fee.
    static let header = Header(parentHash: .zero, ommersHash: .zero, coinbase: .zero, stateRoot: .zero,
                               transactionsRoot: .zero, receiptsRoot: .zero, logsBloom: Bloom(), difficulty: UInt256(2222),
                               number: 3333, gasLimit: 4444, gasUsed: 5555, timestamp: 6666, extraData: [0x77, 0x88],
                               mixHash: .zero, nonce: 0, baseFeePerGas: nil)
    static let transactionHex = [
        "f867088504a817c8088302e2489435353535353535353535353535353535353535358202008025a064b1702d9298fee62dfeccc57d322a463ad55ca201256d01f62b45b2e1c21c12a064b1702d9298fee62dfeccc57d322a463ad55ca201256d01f62b45b2e1c21c10",
        "f867098504a817c809830334509435353535353535353535353535353535353535358202d98025a052f8f61201b2b11a78d6e866abc9c3db2ae8631fa656bfe5cb53668255367afba052f8f61201b2b11a78d6e866abc9c3db2ae8631fa656bfe5cb53668255367afb",
    ]
    static func transactions() throws -> [Transaction] {
        try transactionHex.map { try Transaction(encoded: try [UInt8](hex: $0)) }
    }
    /// A hash whose hex ends in `suffix` (go-ethereum common.HexToHash: left-padded with zeros).
    static func hash(_ suffix: String) -> Hash32 {
        try! Hash32(hex: String(repeating: "0", count: 64 - suffix.count) + suffix)
    }

    /// common.HexToHash("deadc0de"), common.HexToHash("feedbeef").
    static let hashes = [Self.hash("deadc0de"), Self.hash("feedbeef")]
    /// Receipt{Status: failed, CumulativeGasUsed: 1, Logs: [{Address: 0x…11, Topics: [dead, beef],
    /// Data: 0100ff}]}; its Bloom field was never set, so the encoding carries a zero bloom.
    static let receipt = Receipt(type: .legacy, status: .failure, cumulativeGasUsed: 1, logsBloom: Bloom(), logs: [
        Log(address: Address(high: 0, middle: 0, low: 0x11), topics: [Self.hash("dead"), Self.hash("beef")],
            data: [0x01, 0x00, 0xff]),
    ])

    static let headerHex = "f901f9a00000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000000940000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000000b90100" + String(repeating: "00", count: 256) + "8208ae820d0582115c8215b3821a0a827788a00000000000000000000000000000000000000000000000000000000000000000880000000000000000"
    static let transactionListHex = "f8d2" + transactionHex.joined()

    static func check<M: ETHMessage & Equatable>(_ message: M, _ hex: String) throws {
        let bytes = try [UInt8](hex: hex)
        #expect(message.encoded == bytes, "\(M.self) encoding")
        #expect(try M(encoded: bytes) == message, "\(M.self) decoding")
    }

    // MARK: TestMessages

    @Test func getBlockHeadersByHash() throws {
        try Self.check(GetBlockHeadersMessage(requestId: 1111, origin: .hash(Self.hashes[0]), amount: 5, skip: 5, reverse: false),
                       "e8820457e4a000000000000000000000000000000000000000000000000000000000deadc0de050580")
    }

    @Test func getBlockHeadersByNumber() throws {
        try Self.check(GetBlockHeadersMessage(requestId: 1111, origin: .number(9999), amount: 5, skip: 5, reverse: false),
                       "ca820457c682270f050580")
    }

    @Test func blockHeaders() throws {
        #expect(Self.header.encoded == (try [UInt8](hex: Self.headerHex)))
        try Self.check(BlockHeadersMessage(requestId: 1111, headers: [Self.header]), "f90202820457f901fc" + Self.headerHex)
    }

    @Test func getBlockBodies() throws {
        try Self.check(GetBlockBodiesMessage(requestId: 1111, hashes: Self.hashes),
                       "f847820457f842a000000000000000000000000000000000000000000000000000000000deadc0dea000000000000000000000000000000000000000000000000000000000feedbeef")
    }

    @Test func blockBodies() throws {
        let body = BlockBody(transactions: try Self.transactions(), uncles: [Self.header])
        try Self.check(BlockBodiesMessage(requestId: 1111, bodies: [body]),
                       "f902dc820457f902d6f902d3" + Self.transactionListHex + "f901fc" + Self.headerHex)
    }

    @Test func getReceipts() throws {
        try Self.check(GetReceiptsMessage(requestId: 1111, hashes: Self.hashes),
                       "f847820457f842a000000000000000000000000000000000000000000000000000000000deadc0dea000000000000000000000000000000000000000000000000000000000feedbeef")
    }

    @Test func receipts() throws {
        try Self.check(ReceiptsMessage(requestId: 1111, receipts: [[Self.receipt]]),
                       "f90172820457f9016cf90169f901668001b90100" + String(repeating: "00", count: 256)
                        + "f85ff85d940000000000000000000000000000000000000011f842a0000000000000000000000000000000000000000000000000000000000000deada0000000000000000000000000000000000000000000000000000000000000beef830100ff")
    }

    @Test func getPooledTransactions() throws {
        try Self.check(GetPooledTransactionsMessage(requestId: 1111, hashes: Self.hashes),
                       "f847820457f842a000000000000000000000000000000000000000000000000000000000deadc0dea000000000000000000000000000000000000000000000000000000000feedbeef")
    }

    @Test func pooledTransactions() throws {
        try Self.check(PooledTransactionsMessage(requestId: 1111, transactions: try Self.transactions()),
                       "f8d7820457" + Self.transactionListHex)
    }

    // MARK: TestEmptyMessages: every request/response with an empty list is c4 820457 c0

    @Test func emptyMessages() throws {
        try Self.check(BlockHeadersMessage(requestId: 1111, headers: []), "c4820457c0")
        try Self.check(GetBlockBodiesMessage(requestId: 1111, hashes: []), "c4820457c0")
        try Self.check(BlockBodiesMessage(requestId: 1111, bodies: []), "c4820457c0")
        try Self.check(GetReceiptsMessage(requestId: 1111, hashes: []), "c4820457c0")
        try Self.check(ReceiptsMessage(requestId: 1111, receipts: []), "c4820457c0")
        try Self.check(GetPooledTransactionsMessage(requestId: 1111, hashes: []), "c4820457c0")
        try Self.check(PooledTransactionsMessage(requestId: 1111, transactions: []), "c4820457c0")
    }

    // MARK: TestGetBlockHeadersDataEncodeDecode (go-ethereum's fifth case, hash and number both set,
    // cannot be built: `BlockOrigin` is one or the other)

    @Test(arguments: [
        GetBlockHeadersMessage(requestId: 0, origin: .number(314), amount: 0),
        GetBlockHeadersMessage(requestId: 0, origin: .hash(Hash32((0 ..< 32).map { UInt8($0) })), amount: 0),
        GetBlockHeadersMessage(requestId: 0, origin: .number(314), amount: 314, skip: 1, reverse: true),
        GetBlockHeadersMessage(requestId: 0, origin: .hash(Hash32((0 ..< 32).map { UInt8($0) })), amount: 314, skip: 1, reverse: true),
    ])
    func getBlockHeadersRoundTrip(message: GetBlockHeadersMessage) throws {
        #expect(try GetBlockHeadersMessage(encoded: message.encoded) == message)
    }

    @Test func originOfNineBytesIsRefused() throws {
        // [1, [0x89 ‖ 9 bytes, 1, 0, 0x80]]: payload 10 + 3 = 13 → cd; outer 1 + 14 = 15 → cf.
        let bytes = try [UInt8](hex: "cf01cd89010203040506070809010080")
        #expect(throws: ETHMessageError.invalidOrigin(byteCount: 9)) { try GetBlockHeadersMessage(encoded: bytes) }
    }

    @Test func reverseFlagOtherThanZeroOrOneIsRefused() throws {
        // [1, [5, 1, 0, 2]]
        #expect(throws: ETHMessageError.invalidBoolean([2])) { try GetBlockHeadersMessage(encoded: [0xc6, 0x01, 0xc4, 0x05, 0x01, 0x80, 0x02]) }
    }

    @Test func originNumberWithLeadingZeroIsRefused() throws {
        // [1, [0x820005, 1, 0, 0x80]]
        do {
            _ = try GetBlockHeadersMessage(encoded: [0xc8, 0x01, 0xc6, 0x82, 0x00, 0x05, 0x01, 0x80, 0x80])
            Issue.record("expected an error")
        } catch {
            guard case .malformedField(_, "origin", .leadingZeroInInteger) = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func requestWithoutRequestIdIsRefused() throws {
        // The eth/65 form [origin, amount, skip, reverse] has four items, not two.
        #expect(throws: ETHMessageError.wrongFieldCount(message: "GetBlockHeaders", field: "GetBlockHeaders", expected: "2 (requestId, body)", actual: 4)) {
            try GetBlockHeadersMessage(encoded: [0xc4, 0x05, 0x01, 0x80, 0x80])
        }
    }

    // MARK: Hand-derived encodings

    /// [68, 1, 0x400000000, h, h, [0xfc64ec04, 1150000]] with h the mainnet genesis hash:
    /// 44 · 01 · 85 0400000000 · a0 h · a0 h · c9 [84 fc64ec04, 83 118c30]; payload 1+1+6+33+33+10 = 84 = 0x54.
    @Test func statusEncodesAsDerivedByHand() throws {
        let genesis = try Hash32(hex: "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")
        let status = StatusMessage(networkId: 1, totalDifficulty: UInt256(0x4_0000_0000), head: genesis, genesis: genesis,
                                   forkID: ForkID(hash: 0xfc64ec04, next: 1_150_000))
        try Self.check(status, "f8544401850400000000" + "a0" + genesis.description.dropFirst(2) + "a0" + genesis.description.dropFirst(2)
                       + "c984fc64ec0483118c30")
        #expect(status.version == 68)
    }

    @Test func statusWithSevenFieldsIsRefused() throws {
        var bytes = StatusMessage(networkId: 1, totalDifficulty: UInt256(1), head: .zero, genesis: .zero,
                                  forkID: ForkID(hash: 0, next: 0)).encoded
        // Append one more item (0x80) and fix the long-list header length (f8 LL).
        bytes.append(0x80)
        bytes[1] += 1
        #expect(throws: ETHMessageError.wrongFieldCount(message: "Status", field: "Status",
                                                       expected: "6 (version, networkid, td, blockhash, genesis, forkid)", actual: 7)) {
            try StatusMessage(encoded: bytes)
        }
    }

    /// [[0x…deadc0de, 1]]: inner a0 h · 01 = 34 bytes → e2; outer e3.
    @Test func newBlockHashesEncodesAsDerivedByHand() throws {
        try Self.check(NewBlockHashesMessage(announcements: [.init(hash: Self.hashes[0], number: 1)]),
                       "e3e2a000000000000000000000000000000000000000000000000000000000deadc0de01")
    }

    /// [types 0x0002, [0x66, 0x0100], [deadc0de, feedbeef]]:
    /// 82 0002 · c4 [66, 82 0100] · f842 [a0 h₁, a0 h₂]; payload 3 + 5 + 68 = 76 = 0x4c.
    @Test func newPooledTransactionHashesEncodesAsDerivedByHand() throws {
        try Self.check(NewPooledTransactionHashesMessage(types: [0x00, 0x02], sizes: [0x66, 0x100], hashes: Self.hashes),
                       "f84c820002c466820100f842a000000000000000000000000000000000000000000000000000000000deadc0dea000000000000000000000000000000000000000000000000000000000feedbeef")
    }

    @Test func newPooledTransactionHashesWithUnequalListsIsRefused() throws {
        // [0x00, [], []]: one type, no sizes, no hashes.
        #expect(throws: ETHMessageError.mismatchedAnnouncement(types: 1, sizes: 0, hashes: 0)) {
            try NewPooledTransactionHashesMessage(encoded: [0xc3, 0x00, 0xc0, 0xc0])
        }
    }

    /// [block, 2222] with block = [header, [tx₁, tx₂], []] from go-ethereum's inputs: block payload
    /// 508 (f901f9 header) + 212 (f8d2 list) + 1 (c0) = 721 = 0x2d1; message payload 724 + 3 (82 08ae) = 727 = 0x2d7.
    @Test func newBlockEncodesAsDerivedByHand() throws {
        let block = Block(header: Self.header, transactions: try Self.transactions())
        try Self.check(NewBlockMessage(block: block, totalDifficulty: UInt256(2222)),
                       "f902d7f902d1" + Self.headerHex + Self.transactionListHex + "c0" + "8208ae")
    }

    /// [tx₁, tx₂]: the go-ethereum list f8d2 ‖ …, as Transactions sends it.
    @Test func transactionsMessage() throws {
        try Self.check(TransactionsMessage(transactions: try Self.transactions()), Self.transactionListHex)
    }

    @Test func typedTransactionTravelsAsAByteString() throws {
        let transaction = Transaction.dynamicFee(chainId: 1, nonce: 0, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: UInt256(2),
                                                 gasLimit: 21000, to: Address(high: 0, middle: 0, low: 1), value: UInt256(0), data: [],
                                                 accessList: []).signed(with: try PrivateKey(bytes: [UInt8](repeating: 7, count: 32)))
        let message = TransactionsMessage(transactions: [transaction])
        let raw = transaction.encoded
        #expect(raw.first == 0x02)
        // One string item holding the EIP-2718 bytes: list header, string header, raw.
        let item = RLP.encode(bytes: raw)
        #expect(item.count == raw.count + 2)  // b8 LL ‖ raw: the raw bytes are 56–255 long
        var expected: [UInt8] = []
        RLP.appendListHeader(payloadLength: item.count, to: &expected)
        #expect(message.encoded == expected + item)
        #expect(try TransactionsMessage(encoded: message.encoded) == message)
        // The bare EIP-2718 bytes are not an RLP item, so they cannot stand in the list.
        var bare: [UInt8] = []
        RLP.appendListHeader(payloadLength: raw.count, to: &bare)
        #expect(throws: ETHMessageError.self) { try TransactionsMessage(encoded: bare + raw) }
    }

    @Test func goldenGrainBodyIsTransactionsAndNoUncles() throws {
        let block = Block(header: Self.header, transactions: try Self.transactions())
        let body = BlockBody(block: block)
        // The body is the block's encoding without the header: [txs, []].
        #expect(body.encoded == (try [UInt8](hex: "f8d5" + Self.transactionListHex + "c0")))
        #expect(body.withdrawals == nil)
    }

    @Test func bodyWithWithdrawalsRoundTrips() throws {
        let body = BlockBody(transactions: [], uncles: [], withdrawals: [Withdrawal(index: 1, validatorIndex: 2, address: Address(high: 0, middle: 0, low: 3), amount: 4)])
        // [[], [], [[1, 2, 0x…03, 4]]]: withdrawal 1+1+21+1 = 24 → d8; list d9; body 1+1+26 = 28 → dc.
        #expect(body.encoded == (try [UInt8](hex: "dcc0c0d9d8010294000000000000000000000000000000000000000304")))
        let message = BlockBodiesMessage(requestId: 7, bodies: [body])
        #expect(try BlockBodiesMessage(encoded: message.encoded) == message)
    }

    @Test func typedReceiptTravelsAsAByteString() throws {
        let receipt = Receipt(type: .dynamicFee, status: .success, cumulativeGasUsed: 21000, logs: [])
        let message = ReceiptsMessage(requestId: 3, receipts: [[receipt]])
        #expect(try ReceiptsMessage(encoded: message.encoded) == message)
        #expect(NetworkEncoding.encode(receipt) == RLP.encode(bytes: receipt.encoded))
    }

    // MARK: A typed transaction inside a message (independent vector)

    /// PooledTransactions with request id 0: four legacy transactions and, second, an EIP-1559 one
    /// sent as a byte string (b875 ‖ 02f872…). Vector from reth, crates/net/eth-wire-types
    /// transactions.rs tests `encode_pooled_transactions_network` / `decode_pooled_transactions_network`,
    /// which give the fields of each transaction; the ones checked here are copied from there.
    static let rethPooledTransactions =
        "f9022980f90225f8650f84832156008287fb94cf7f9e66af820a19257a2108375b180b0ec491678204d2802ca035b7bfeb9ad9ece2cbafaaf8e202e7"
        + "06b4cfaeb233f46198f00b44d4a566a981a0612638fb29427ca33b9a3be2a0a561beecfe0269655be160d35e72d366a6a860b87502f872041a845968"
        + "2f008459682f0d8252089461815774383099e24810ab832a5b2a5425c154d58829a2241af62c000080c001a059e6b67f48fb32e7e570dfb11e042b5a"
        + "d2e55e3ce3ce9cd989c7e06e07feeafda0016b83f4f980694ed2eee4d10667242b1f40dc406901b34125b008d334d47469f86b038477359400839896"
        + "8094d3e8763675e4c425df46cc3b5c0f6cbdac39604687038d7ea4c68000802ba0ce6834447c0a4193c40382e6c57ae33b241379c5418caac9cdc18d"
        + "786fd12071a03ca3ae86580e94550d7c071e3a02eadb5a77830947c9225165cf9100901bee88f86b01843b9aca00830186a094d3e8763675e4c425df"
        + "46cc3b5c0f6cbdac3960468702769bb01b2a00802ba0e24d8bd32ad906d6f8b8d7741e08d1959df021698b19ee232feba15361587d0aa05406ad1772"
        + "23213df262cb66ccbb2f46bfdccfdfbbb5ffdda9e2c02d977631daf86b02843b9aca00830186a094d3e8763675e4c425df46cc3b5c0f6cbdac396046"
        + "87038d7ea4c68000802ba00eb96ca19e8a77102767a41fc85a36afd5c61ccb09911cec5d3e86e193d9c5aea03a456401896b1b6055311536bf00a718"
        + "568c744d8c1f9df59879e8350220ca18"

    @Test func pooledTransactionsWithATypedTransactionMatchRethsVector() throws {
        let bytes = try [UInt8](hex: Self.rethPooledTransactions)
        let message = try PooledTransactionsMessage(encoded: bytes)
        #expect(message.requestId == 0)
        #expect(message.transactions.map(\.type) == [.legacy, .dynamicFee, .legacy, .legacy, .legacy])
        #expect(message.transactions.map(\.nonce) == [15, 26, 3, 1, 2])
        let first = message.transactions[0]
        #expect(first.chainId == 4 && first.gasPrice == UInt256(2_200_000_000) && first.gasLimit == 34811)
        #expect(first.to == (try Address(hex: "0xcf7f9e66af820a19257a2108375b180b0ec49167")) && first.value == UInt256(1234))
        #expect(first.signature?.yParity == 1)
        let typed = message.transactions[1]
        #expect(typed.chainId == 4)
        #expect(typed.maxPriorityFeePerGas == UInt256(1_500_000_000) && typed.maxFeePerGas == UInt256(1_500_000_013))
        #expect(typed.gasLimit == 21000 && typed.value == UInt256(3_000_000_000_000_000_000))
        #expect(typed.to == (try Address(hex: "0x61815774383099e24810ab832a5b2a5425c154d5")))
        #expect(typed.accessList.isEmpty && typed.data.isEmpty)
        #expect(typed.signature == TransactionSignature(
            yParity: 1, r: UInt256(try Hash32(hex: "59e6b67f48fb32e7e570dfb11e042b5ad2e55e3ce3ce9cd989c7e06e07feeafd")),
            s: UInt256(try Hash32(hex: "016b83f4f980694ed2eee4d10667242b1f40dc406901b34125b008d334d47469"))))
        #expect(message.transactions[4].signature?.r == UInt256(try Hash32(hex: "0eb96ca19e8a77102767a41fc85a36afd5c61ccb09911cec5d3e86e193d9c5ae")))
        #expect(message.encoded == bytes)
    }
}
