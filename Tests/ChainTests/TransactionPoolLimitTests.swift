import Chain
import ChainTypes
import EVM
import Primitives
import Signatures
import Storage
import Testing

/// The pool's overdraft check across a sender's transactions and its bounds (slots, eviction by
/// price, per-sender and global queues, executable cut-back), with geth's messages
/// (core/txpool/validation.go, legacypool.go) and values worked out by hand.
///
/// Prices: the dev genesis has base fee 1 gwei and no gas used, so the next base fee is
/// 1 gwei − 1/8 = 0.875 gwei and a 2 gwei fee cap leaves room for any tip up to 1.125 gwei.
@Suite struct TransactionPoolLimitTests {
    static let recipient = ChainTestSupport.address("0x000000000000000000000000000000000000dEaD")
    static let gwei = NodeTestSupport.gwei
    let keys = NodeTestSupport.keys

    func node(limits: TransactionPoolLimits = TransactionPoolLimits()) throws -> Node {
        var configuration = try NodeConfiguration.dev(genesis: NodeTestSupport.devGenesis)
        configuration.isAutomine = false
        configuration.poolLimits = limits
        return try NodeTestSupport.node(configuration: configuration, store: MemoryStore())
    }

    func transfer(_ key: PrivateKey, nonce: UInt64, tip: UInt256 = NodeTestSupport.gwei,
                  maxFee: UInt256 = NodeTestSupport.gwei &* 2, value: UInt256 = 1,
                  data: [UInt8] = [], gas: UInt64 = 21000) -> Transaction {
        Transaction.dynamicFee(chainId: 31337, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                               gasLimit: gas, to: Self.recipient, value: value, data: data).signed(with: key)
    }

    func rejection(_ node: Node, _ transaction: Transaction) -> String? {
        NodeTestSupport.message { () throws(NodeError) in try node.submit(transaction) }
    }

    // MARK: Overdraft

    @Test func balanceMustCoverPendingTransactionsToo() throws {
        let node = try node()
        let key = NodeTestSupport.unfundedKey
        try node.setBalance(UInt256(100_000_000_000_000), of: key.address)
        // Each transfer costs 21000 × 2 gwei + 1 wei = 42000000000001 wei.
        try node.submit(transfer(key, nonce: 0))
        try node.submit(transfer(key, nonce: 1))
        let third = "insufficient funds for gas * price + value: balance 100000000000000, queued cost 84000000000002, "
            + "tx cost 42000000000001, overshot 26000000000003"
        #expect(rejection(node, transfer(key, nonce: 2)) == third)
        // A transaction behind a nonce gap is checked against the pending ones as well.
        #expect(rejection(node, transfer(key, nonce: 5)) == third)
        #expect(node.pendingTransactions.count == 2 && node.queuedTransactions.isEmpty)
    }

    @Test func replacementCountsOnlyWhatItAdds() throws {
        let node = try node()
        let key = NodeTestSupport.unfundedKey
        try node.setBalance(UInt256(100_000_000_000_000), of: key.address)
        try node.submit(transfer(key, nonce: 0))
        try node.submit(transfer(key, nonce: 1))
        // 21000 × 2.2 gwei + 2·10^13 = 66200000000000: 24199999999999 more than the one it replaces,
        // so 108200000000001 in all.
        let dear = transfer(key, nonce: 1, tip: UInt256(1_100_000_000), maxFee: UInt256(2_200_000_000),
                            value: UInt256(20_000_000_000_000))
        #expect(rejection(node, dear) == "insufficient funds for gas * price + value: balance 100000000000000, "
                + "queued cost 84000000000002, tx bumped 24199999999999, overshot 8200000000001")
        // 46200000000001 replacing 42000000000001 needs 88200000000002: it fits.
        let bumped = transfer(key, nonce: 1, tip: UInt256(1_100_000_000), maxFee: UInt256(2_200_000_000))
        try node.submit(bumped)
        #expect(node.pendingTransactions.map(\.hash).contains(bumped.hash))
    }

    @Test func singleTransactionOverdraftNamesTheOvershoot() throws {
        let node = try node()
        let key = NodeTestSupport.unfundedKey
        try node.setBalance(UInt256(42_000_000_000_000), of: key.address)
        #expect(rejection(node, transfer(key, nonce: 0))
                == "insufficient funds for gas * price + value: balance 42000000000000, tx cost 42000000000001, overshot 1")
    }

    // MARK: Room

    /// Capacity 3 slots (2 executable + 1 queued); every sender may keep 1 executable transaction.
    static let small = TransactionPoolLimits(accountSlots: 1, globalSlots: 2, accountQueue: 2, globalQueue: 1)

    @Test func fullPoolRefusesATransactionNoDearerThanTheCheapest() throws {
        let node = try node(limits: Self.small)
        for index in 1...3 { try node.submit(transfer(keys[index], nonce: 0)) }
        #expect(rejection(node, transfer(keys[4], nonce: 0))
                == "transaction underpriced: tip 1000000000 fee cap 2000000000 pays no more than the cheapest pooled "
                + "transaction (tip 1000000000 fee cap 2000000000) and the pool is full (3 slots)")
        #expect(node.pendingTransactions.count == 3)
    }

    @Test func fullPoolEvictsTheCheapestForADearerOne() throws {
        let node = try node(limits: Self.small)
        let cheap = transfer(keys[2], nonce: 0, tip: UInt256(500_000_000))
        try node.submit(transfer(keys[1], nonce: 0))
        try node.submit(cheap)
        try node.submit(transfer(keys[3], nonce: 0))
        let dearer = transfer(keys[4], nonce: 0, tip: UInt256(600_000_000))
        try node.submit(dearer)
        #expect(try node.transaction(hash: cheap.hash) == nil)
        #expect(Set(node.pendingTransactions.map(\.sender)) == [keys[1].address, keys[3].address, keys[4].address])
    }

    @Test func fullPoolIsFullWhenCheaperTransactionsFreeTooLittle() throws {
        let node = try node(limits: Self.small)
        try node.submit(transfer(keys[1], nonce: 0, tip: UInt256(500_000_000)))
        try node.submit(transfer(keys[2], nonce: 0))
        try node.submit(transfer(keys[3], nonce: 0))
        // 40000 bytes of data: two 32 KiB slots; it outbids only the 0.5 gwei transfer (one slot).
        let large = transfer(keys[4], nonce: 0, tip: UInt256(800_000_000), data: [UInt8](repeating: 0, count: 40_000),
                             gas: 200_000)
        #expect(rejection(node, large) == "txpool is full: all 3 slots are taken, the transaction needs 2 more and "
                + "cheaper transactions hold only 1")
        #expect(node.pendingTransactions.count == 3)
    }

    @Test func queuedTransactionMayNotEvictPendingOnes() throws {
        let node = try node(limits: Self.small)
        for index in 1...3 { try node.submit(transfer(keys[index], nonce: 0, tip: UInt256(500_000_000))) }
        #expect(rejection(node, transfer(keys[4], nonce: 3))
                == "future transaction tries to replace pending: nonce 3 of \(keys[4].address) is behind a nonce gap "
                + "and making room for it would evict executable transactions")
    }

    @Test func queuePerSenderIsCappedAtTheFurthestNonce() throws {
        let node = try node(limits: TransactionPoolLimits(accountQueue: 2))
        try node.submit(transfer(keys[0], nonce: 5))
        try node.submit(transfer(keys[0], nonce: 6))
        #expect(rejection(node, transfer(keys[0], nonce: 7))
                == "account limit exceeded: \(keys[0].address) already has 2 transactions queued behind a nonce gap")
        // A nearer nonce is taken, and the furthest one goes, as geth's queue cap does.
        try node.submit(transfer(keys[0], nonce: 3))
        #expect(node.queuedTransactions.map(\.transaction.nonce) == [3, 5])
    }

    @Test func defaultQueueLimitIs64PerSender() throws {
        let node = try node()
        for nonce in 1...64 { try node.submit(transfer(keys[0], nonce: UInt64(nonce))) }
        #expect(rejection(node, transfer(keys[0], nonce: 65))
                == "account limit exceeded: \(keys[0].address) already has 64 transactions queued behind a nonce gap")
        #expect(node.queuedTransactions.count == 64)
    }

    @Test func globalQueueDropsTheLeastRecentlyActiveSender() throws {
        let node = try node(limits: TransactionPoolLimits(globalQueue: 2))
        for index in 1...3 { try node.submit(transfer(keys[index], nonce: 5)) }
        #expect(node.queuedTransactions.map(\.sender).sorted() == [keys[2].address, keys[3].address].sorted())
    }

    @Test func executableTransactionsAreCutFromTheBiggestSender() throws {
        let node = try node(limits: TransactionPoolLimits(accountSlots: 1, globalSlots: 2, globalQueue: 10))
        try node.submit(transfer(keys[0], nonce: 0))
        try node.submit(transfer(keys[0], nonce: 1))
        // geth would take it and then cut it again; refusing it keeps every accepted hash pooled.
        #expect(rejection(node, transfer(keys[0], nonce: 2))
                == "txpool is full: 2 executable slots in use and \(keys[0].address) holds the most (3)")
        try node.submit(transfer(keys[1], nonce: 0))
        #expect(node.pendingTransactions.map(\.sender).sorted() == [keys[0].address, keys[1].address].sorted())
        #expect(node.pendingTransactions.filter { $0.sender == keys[0].address }.map(\.transaction.nonce) == [0])
    }

    @Test func defaultsAreGeths() {
        let limits = TransactionPoolLimits()
        #expect(limits.accountSlots == 16 && limits.globalSlots == 5120)
        #expect(limits.accountQueue == 64 && limits.globalQueue == 1024)
        #expect(limits.capacity == 6144 && limits.maximumTransactionSize == 131_072)
        #expect(TransactionPoolLimits.slots(forSize: 1) == 1 && TransactionPoolLimits.slots(forSize: 32_768) == 1)
        #expect(TransactionPoolLimits.slots(forSize: 32_769) == 2 && TransactionPoolLimits.slots(forSize: 131_072) == 4)
    }
}
