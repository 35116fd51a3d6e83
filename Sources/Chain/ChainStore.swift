import ChainTypes
import Metrics
import Primitives
import State
import Storage

/// The chain's persistent records over one `KeyValueStore`: headers, canonical numbers, bodies,
/// receipts, senders, total difficulty, the transaction index, the head pointer, and (written by
/// `WorldState` into the same batch) trie nodes and code. The key schema is in
/// `ChainStoreSchema.swift` and docs/architecture.md.
///
/// Atomicity: `append(_:)` writes everything one block adds — its state nodes included — in ONE
/// `WriteBatch`, and moves the head pointer in that same batch, so after a crash (kill -9 at any
/// instant) the store holds the last whole block and nothing of the next. The in-memory head moves
/// only after the write returned. Writes are not synced by default: LevelDB appends the batch to
/// its log before `write` returns, which survives the death of the process but not a power loss
/// (set `syncsWrites` to survive that too, at a cost of one fsync per block).
///
/// Not thread-safe: the `Node` serializes access.
public final class ChainStore: HeaderReader {
    /// The underlying store.
    public let store: any KeyValueStore
    /// Whether block batches are written with fsync (LevelDB only).
    public let syncsWrites: Bool
    /// The genesis block's hash.
    public let genesisHash: Hash32
    /// The head header.
    public private(set) var head: Header
    /// The head block's hash.
    public private(set) var headHash: Hash32
    /// The head's total difficulty.
    public private(set) var headTotalDifficulty: UInt256
    /// The state root the next block builds on: the head's, or one dev methods moved it to.
    public private(set) var pendingStateRoot: Hash32
    /// Decoded recent blocks: a receipt or transaction lookup would otherwise decode its whole
    /// block and hash every transaction in it, once per request.
    private let recentBlocks = BlockRecordCache(capacity: 64)

    /// Opens the chain in `store`, resuming from its head, or writes block 0 of `genesis` if the
    /// store holds no chain.
    /// - Parameters:
    ///   - store: the key-value store (`LevelDBStore`, or `MemoryStore` for --ephemeral).
    ///   - genesis: the chain's genesis; a stored chain must have the same block 0.
    ///   - syncsWrites: fsync each block's batch.
    /// - Throws: `ChainError.genesisMismatch` for another chain's database, `.storage`, `.state` or `.corrupt`.
    public init(store: any KeyValueStore, genesis: Genesis, syncsWrites: Bool = false) throws(ChainError) {
        self.store = store
        self.syncsWrites = syncsWrites
        var batch = WriteBatch()
        let stateRoot: Hash32
        do throws(StateError) {
            stateRoot = try Genesis.commitState(of: genesis.alloc, store: store, into: &batch)
        } catch {
            throw .state(error)
        }
        let genesisHeader = genesis.header(stateRoot: stateRoot)
        genesisHash = genesisHeader.hash
        head = genesisHeader
        headHash = genesisHash
        headTotalDifficulty = genesisHeader.difficulty
        pendingStateRoot = stateRoot

        if let storedHead = try Self.read(store, ChainStoreSchema.headKey) {
            let storedGenesis = try Self.read(store, ChainStoreSchema.canonicalKey(0)).map { Hash32($0) } ?? .zero
            guard storedGenesis == genesisHash else { throw .genesisMismatch(stored: storedGenesis, expected: genesisHash) }
            let hash = Hash32(storedHead)
            guard let header = header(hash: hash) else { throw .corrupt(key: "LastBlock", reason: "head \(hash) has no header") }
            head = header
            headHash = hash
            headTotalDifficulty = try totalDifficulty(number: header.number, hash: hash)
            pendingStateRoot = try Self.read(store, ChainStoreSchema.devStateRootKey).map { Hash32($0) } ?? header.stateRoot
        } else {
            let record = BlockRecord(block: Block(header: genesisHeader, transactions: []), hash: genesisHash, senders: [],
                                     transactionHashes: [], totalDifficulty: genesisHeader.difficulty, size: 0)
            Self.addBlock(record, receipts: [], to: &batch)
            batch.put(genesisHash.bytes, forKey: ChainStoreSchema.headKey)
            try write(batch)
        }
    }

    // MARK: Writing

    /// Appends a block as the new head: its records, its transaction index entries, its state nodes
    /// (already in `stateBatch`) and the head pointer, all in one atomic batch.
    /// - Parameters:
    ///   - block: the sealed block; its parent must be the head.
    ///   - receipts: its receipts.
    ///   - senders: its transactions' senders.
    ///   - stateBatch: the trie nodes and code of its post-state (`WorldState.commit(into:)`).
    /// - Returns: the stored record.
    /// - Throws: `ChainError.unknownAncestor` if the parent is not the head, `.storage` if the write
    ///   fails (then nothing was written and the head is unchanged).
    @discardableResult
    public func append(_ block: Block, receipts: [Receipt], senders: [Address],
                       stateBatch: WriteBatch) throws(ChainError) -> BlockRecord {
        let header = block.header
        guard header.parentHash == headHash, header.number == head.number + 1 else {
            throw .unknownAncestor(number: header.number, parentHash: header.parentHash)
        }
        let hash = header.hash
        let totalDifficulty = headTotalDifficulty &+ header.difficulty
        let record = BlockRecord(block: block, hash: hash, senders: senders,
                                 transactionHashes: block.transactions.map(\.hash),
                                 totalDifficulty: totalDifficulty, size: block.encoded.count)
        var batch = stateBatch
        Self.addBlock(record, receipts: receipts, to: &batch)
        batch.put(hash.bytes, forKey: ChainStoreSchema.headKey)
        if pendingStateRoot != head.stateRoot {
            batch.delete(ChainStoreSchema.devStateRootKey)
            batch.put(pendingStateRoot.bytes, forKey: ChainStoreSchema.preStateRootKey(header.number, hash))
        }
        try write(batch)
        head = header
        headHash = hash
        headTotalDifficulty = totalDifficulty
        pendingStateRoot = header.stateRoot
        recentBlocks.insert(record, for: hash)
        return record
    }

    /// Records that dev methods changed the head state: the next block builds on `root`, whose
    /// nodes are in `stateBatch`; written atomically with them.
    /// - Parameters:
    ///   - root: the new state root.
    ///   - stateBatch: its trie nodes and code.
    /// - Throws: `ChainError.storage` if the write fails.
    package func setPendingStateRoot(_ root: Hash32, stateBatch: WriteBatch) throws(ChainError) {
        var batch = stateBatch
        if root == head.stateRoot { batch.delete(ChainStoreSchema.devStateRootKey) } else {
            batch.put(root.bytes, forKey: ChainStoreSchema.devStateRootKey)
        }
        try write(batch)
        pendingStateRoot = root
    }

    /// Rewinds the canonical chain to an earlier canonical block (evm_revert): heights above it stop
    /// being canonical and their transactions leave the index; their records stay (by hash), as
    /// go-ethereum keeps side chains. One batch.
    /// - Parameters:
    ///   - hash: the new head, a canonical block.
    ///   - pendingStateRoot: the state the next block builds on (default the new head's).
    /// - Throws: `ChainError.unknownBlock` if `hash` is not canonical, `.storage` if the write fails.
    package func rewind(to hash: Hash32, pendingStateRoot: Hash32? = nil) throws(ChainError) {
        guard let number = number(of: hash), canonicalHash(number: number) == hash,
              let header = header(hash: hash) else { throw .unknownBlock(hash) }
        var batch = WriteBatch()
        if number < head.number {
            for height in (number + 1) ... head.number {
                guard let dropped = canonicalHash(number: height) else { continue }
                if let record = try block(hash: dropped) {
                    for transactionHash in record.transactionHashes { batch.delete(ChainStoreSchema.lookupKey(transactionHash)) }
                }
                batch.delete(ChainStoreSchema.canonicalKey(height))
            }
        }
        batch.put(hash.bytes, forKey: ChainStoreSchema.headKey)
        let root = pendingStateRoot ?? header.stateRoot
        if root == header.stateRoot { batch.delete(ChainStoreSchema.devStateRootKey) } else {
            batch.put(root.bytes, forKey: ChainStoreSchema.devStateRootKey)
        }
        try write(batch)
        head = header
        headHash = hash
        headTotalDifficulty = try totalDifficulty(number: number, hash: hash)
        self.pendingStateRoot = root
    }

    /// Adds one block's records (not the head pointer) to a batch.
    static func addBlock(_ record: BlockRecord, receipts: [Receipt], to batch: inout WriteBatch) {
        let number = record.number
        let hash = record.hash
        batch.put(record.header.encoded, forKey: ChainStoreSchema.headerKey(number, hash))
        batch.put(ChainStoreSchema.numberBytes(number), forKey: ChainStoreSchema.numberKey(hash))
        batch.put(hash.bytes, forKey: ChainStoreSchema.canonicalKey(number))
        var body = RLPWriter(reservingCapacity: record.block.transactions.count * 120 + 8)
        body.appendList { list in
            for transaction in record.block.transactions { list.append(bytes: transaction.encoded) }
        }
        batch.put(body.finish(), forKey: ChainStoreSchema.bodyKey(number, hash))
        var receiptList = RLPWriter(reservingCapacity: receipts.count * 300 + 8)
        receiptList.appendList { list in
            for receipt in receipts { list.append(bytes: receipt.encoded) }
        }
        batch.put(receiptList.finish(), forKey: ChainStoreSchema.receiptsKey(number, hash))
        batch.put(record.senders.flatMap(\.bytes), forKey: ChainStoreSchema.sendersKey(number, hash))
        batch.put(record.totalDifficulty.minimalBigEndianBytes, forKey: ChainStoreSchema.totalDifficultyKey(number, hash))
        for (index, transactionHash) in record.transactionHashes.enumerated() {
            let location = ChainStoreSchema.numberBytes(number) + hash.bytes
                + withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) }
            batch.put(location, forKey: ChainStoreSchema.lookupKey(transactionHash))
        }
    }

    private func write(_ batch: WriteBatch) throws(ChainError) {
        do {
            if let leveldb = store as? LevelDBStore {
                let started = ContinuousClock.now
                try leveldb.write(batch, sync: syncsWrites)
                NodeMetrics.levelDBWriteTime.record(duration: started.duration(to: .now))
            } else {
                try store.write(batch)
            }
        } catch {
            throw .storage(error)
        }
    }

    // MARK: Reading

    private static func read(_ store: any KeyValueStore, _ key: [UInt8]) throws(ChainError) -> [UInt8]? {
        do { return try store.get(key) } catch { throw .storage(error) }
    }

    private func read(_ key: [UInt8]) -> [UInt8]? {
        do { return try store.get(key) } catch { return nil }
    }

    /// The height of a stored block.
    /// - Parameter hash: the block hash.
    /// - Returns: its number, or nil if not stored.
    public func number(of hash: Hash32) -> UInt64? {
        read(ChainStoreSchema.numberKey(hash)).map { ChainStoreSchema.readNumber($0) }
    }

    /// The canonical hash at a height.
    /// - Parameter number: the block number.
    /// - Returns: the hash, or nil above the head.
    public func canonicalHash(number: UInt64) -> Hash32? {
        guard number <= head.number else { return nil }
        return read(ChainStoreSchema.canonicalKey(number)).map { Hash32($0) }
    }

    /// The header with this hash, canonical or not.
    /// - Parameter hash: the block hash.
    /// - Returns: the header, or nil if not stored (or undecodable).
    public func header(hash: Hash32) -> Header? {
        if hash == headHash { return head }
        guard let number = number(of: hash), let bytes = read(ChainStoreSchema.headerKey(number, hash)) else { return nil }
        return try? Header(encoded: bytes)
    }

    /// The canonical header at a height.
    /// - Parameter number: the block number.
    /// - Returns: the header, or nil above the head.
    public func canonicalHeader(number: UInt64) -> Header? {
        guard let hash = canonicalHash(number: number) else { return nil }
        return header(hash: hash)
    }

    /// The total difficulty of a stored block.
    func totalDifficulty(number: UInt64, hash: Hash32) throws(ChainError) -> UInt256 {
        guard let bytes = read(ChainStoreSchema.totalDifficultyKey(number, hash)) else {
            throw .corrupt(key: "t\(number)", reason: "no total difficulty for block \(hash)")
        }
        return UInt256(bigEndianBytes: bytes)
    }

    /// A stored block with its senders, hashes, total difficulty and size.
    /// - Parameter hash: the block hash.
    /// - Returns: the record, or nil if not stored.
    /// - Throws: `ChainError.corrupt` if its records do not decode.
    public func block(hash: Hash32) throws(ChainError) -> BlockRecord? {
        if let cached = recentBlocks[hash] { return cached }
        guard let number = number(of: hash), let header = header(hash: hash) else { return nil }
        guard let body = read(ChainStoreSchema.bodyKey(number, hash)) else {
            throw .corrupt(key: "b\(number)", reason: "block \(hash) has a header but no body")
        }
        var transactions: [Transaction] = []
        do {
            var reader = RLPReader(body)
            var list = try reader.enterList()
            while !list.isAtEnd { transactions.append(try Transaction(encoded: Array(try list.readBytes()))) }
        } catch {
            throw .corrupt(key: "b\(number)", reason: "body of block \(hash): \(error)")
        }
        let senderBytes = read(ChainStoreSchema.sendersKey(number, hash)) ?? []
        guard senderBytes.count == transactions.count * 20 else {
            throw .corrupt(key: "s\(number)", reason: "\(senderBytes.count) sender bytes for \(transactions.count) transactions")
        }
        let senders = stride(from: 0, to: senderBytes.count, by: 20).map { Address(senderBytes[$0 ..< $0 + 20]) }
        let block = Block(header: header, transactions: transactions)
        let record = BlockRecord(block: block, hash: hash, senders: senders, transactionHashes: transactions.map(\.hash),
                                 totalDifficulty: try totalDifficulty(number: number, hash: hash),
                                 size: block.encoded.count)
        recentBlocks.insert(record, for: hash)
        return record
    }

    /// The canonical block at a height.
    /// - Parameter number: the block number.
    /// - Returns: the record, or nil above the head.
    /// - Throws: `ChainError.corrupt` if its records do not decode.
    package func canonicalBlock(number: UInt64) throws(ChainError) -> BlockRecord? {
        guard let hash = canonicalHash(number: number) else { return nil }
        return try block(hash: hash)
    }

    /// A stored block's receipts.
    /// - Parameter hash: the block hash.
    /// - Returns: the receipts in order, or nil if the block is not stored.
    /// - Throws: `ChainError.corrupt` if they do not decode.
    public func receipts(blockHash hash: Hash32) throws(ChainError) -> [Receipt]? {
        guard let number = number(of: hash), let bytes = read(ChainStoreSchema.receiptsKey(number, hash)) else { return nil }
        var receipts: [Receipt] = []
        do {
            var reader = RLPReader(bytes)
            var list = try reader.enterList()
            while !list.isAtEnd { receipts.append(try Receipt(encoded: Array(try list.readBytes()))) }
        } catch {
            throw .corrupt(key: "r\(number)", reason: "receipts of block \(hash): \(error)")
        }
        return receipts
    }

    /// The state a stored block executed on: its parent's post-state, or the state dev methods
    /// (setBalance, …) left before it was mined.
    /// - Parameter hash: the block hash.
    /// - Returns: the pre-state root, or nil if the block or its parent is not stored.
    package func preStateRoot(of hash: Hash32) -> Hash32? {
        guard let number = number(of: hash), let header = header(hash: hash) else { return nil }
        if let root = read(ChainStoreSchema.preStateRootKey(number, hash)) { return Hash32(root) }
        return self.header(hash: header.parentHash)?.stateRoot
    }

    /// Where a canonical transaction is: its block's hash and number and its index.
    /// - Parameter transactionHash: the transaction hash.
    /// - Returns: the location, or nil if no canonical block holds it.
    package func transactionLocation(_ transactionHash: Hash32) -> (blockHash: Hash32, blockNumber: UInt64, index: Int)? {
        guard let bytes = read(ChainStoreSchema.lookupKey(transactionHash)), bytes.count == 44 else { return nil }
        let number = ChainStoreSchema.readNumber(bytes[0 ..< 8])
        let hash = Hash32(bytes[8 ..< 40])
        let index = bytes[40 ..< 44].reduce(0) { $0 << 8 | Int($1) }
        guard canonicalHash(number: number) == hash else { return nil }
        return (hash, number, index)
    }
}

/// Stored blocks by hash (a block's records never change once written).
typealias BlockRecordCache = BoundedCache<Hash32, BlockRecord>
