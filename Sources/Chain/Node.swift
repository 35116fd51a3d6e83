import ChainTypes
import Consensus
import EVM
import Foundation
import Metrics
import Primitives
import Signatures
import State
import Storage

/// The node: chain store, executor, transaction pool, consensus engine and dev controls behind one
/// thread-safe facade that the JSON-RPC handlers call (DESIGN.md §3, §4).
///
/// Concurrency: a lock-protected final class, not an actor. Every public method takes one lock for
/// its whole duration and runs synchronously, so JSON-RPC handlers may call it from any thread or
/// task, concurrently, and each call sees one consistent head; the work under the lock is short
/// (a state read, one call, or one block). The period-N sealing loop runs on its own thread and
/// takes the same lock per block. Event streams (`newHeads()`, `logEvents(matching:)`,
/// `pendingTransactionEvents()`) are `AsyncStream`s fed under the lock and consumed outside it.
///
/// Block production: with automine (the default when the genesis period is 0) a block is sealed as
/// soon as a transaction becomes executable, with every transaction that is ready by then (at most
/// `automineTransactionsPerBlock`, default 1,000, as anvil's instant miner); `mine(blocks:timestamp:)`
/// seals on demand (evm_mine); with a period N `startSealing()` seals a block every N seconds (empty ones too, as geth's Clique does), out of
/// turn after the EIP-225 wiggle.
///
/// Timestamps: the next block's timestamp is the one `setNextBlockTimestamp` fixed, else
/// max(wall clock + `increaseTime` offset, parent + max(period, 1)): strictly increasing (as anvil
/// and Hardhat keep them, so `block.timestamp` differs between consecutive blocks even when they
/// come faster than one per second) and at least parent + period, which Clique requires.
///
/// Dev state changes (setBalance, setCode, setNonce, setStorageAt) change the head state at once:
/// reads at the head see them, and the next block builds on them (the store records that block's
/// pre-state root, so traces replay correctly).
public final class Node: @unchecked Sendable {
    /// The configuration the node was started with.
    public let configuration: NodeConfiguration
    /// The chain id (EIP-155).
    public let chainId: UInt64

    let lock = NSLock()
    /// Serializes automine's block sealing so concurrent senders share blocks (`automine(waiting:)`).
    let miningLock = NSLock()
    let chain: ChainStore
    let executor: BlockExecutor
    let engine: any ConsensusEngine

    /// The consensus engine this node seals and verifies with (geth's `BlockChain.Engine()`).
    package var consensusEngine: any ConsensusEngine { engine }
    var pool: TransactionPool
    /// Unlocked keys, impersonation, automine, the dev clock and evm_snapshot's states.
    var dev: DevControls
    /// The period-N sealing thread.
    let sealer = Sealer()
    /// The state at `chain.pendingStateRoot`, kept between blocks so reads and the next block start warm.
    var cachedState: WorldState?
    /// Receipts with their derived fields, by block hash, for recent blocks (`receiptRecords`).
    let recentReceipts = BoundedCache<Hash32, [ReceiptRecord]>(capacity: 64)
    /// Canonical hashes of the last 256 blocks, for BLOCKHASH.
    var recentHashes: [UInt64: Hash32] = [:]
    /// New canonical heads (eth_subscribe "newHeads").
    let headFeed = EventFeed<BlockRecord>(bufferLimit: 1024)
    /// Logs of new canonical blocks, and of blocks leaving the chain marked removed (eth_subscribe "logs").
    let logFeed = EventFeed<LogRecord>(bufferLimit: 10_000)
    /// Hashes of transactions entering the pool (eth_subscribe "newPendingTransactions").
    let pendingFeed = EventFeed<Hash32>(bufferLimit: 10_000)

    /// Opens (or creates) the chain in `store` and starts the node; with a period above zero call
    /// `startSealing()` to produce blocks on a timer.
    ///
    /// The configuration must carry its consensus engine (`NodeConfiguration.consensus`, which
    /// `installGoldenGrain` in Consensus sets): Chain has no engine of its own, because Consensus
    /// depends on Chain and not the reverse.
    /// - Parameters:
    ///   - configuration: genesis, keys, options and the consensus engine.
    ///   - store: `LevelDBStore` for a persistent node, `MemoryStore` for --ephemeral.
    ///   - syncsWrites: fsync each block (survives power loss; kill -9 is survived either way).
    /// - Throws: `NodeError.noConsensusEngine` without an engine, `.chain` if the store holds
    ///   another chain or cannot be read.
    public init(configuration: NodeConfiguration, store: any KeyValueStore, syncsWrites: Bool = false) throws(NodeError) {
        guard let consensus = configuration.consensus else { throw .noConsensusEngine }
        self.configuration = configuration
        chainId = configuration.genesis.chainId
        do throws(ChainError) {
            chain = try ChainStore(store: store, genesis: configuration.genesis, syncsWrites: syncsWrites)
        } catch {
            throw .chain(error)
        }
        executor = BlockExecutor(chainId: chainId, precompiles: configuration.precompiles)
        engine = consensus
        pool = TransactionPool(limits: configuration.poolLimits)
        dev = DevControls(unlockedKeys: configuration.unlockedKeys, isAutomine: configuration.isAutomine)
        rebuildRecentHashes()
    }

    /// Runs `body` under the node's lock.
    func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Head

    /// The head block's number (eth_blockNumber).
    public var headNumber: UInt64 { locked { chain.head.number } }

    /// The head block's hash.
    public var headHash: Hash32 { locked { chain.headHash } }

    /// The head header.
    public var headHeader: Header { locked { chain.head } }

    /// The genesis block's hash.
    public var genesisHash: Hash32 { chain.genesisHash }

    /// The accounts eth_accounts lists: the unlocked keys' addresses in order, then impersonated ones.
    public var accounts: [Address] {
        locked { dev.accounts }
    }

    /// The address this node seals with, if any (eth_coinbase; clique's signer).
    public var signer: Address? { engine.signer }

    // MARK: State access (lock held)

    /// The state the next block builds on, reused between blocks.
    func pendingState() -> WorldState {
        if let cachedState, cachedState.stateRoot == chain.pendingStateRoot { return cachedState }
        let state = WorldState(store: chain.store, root: chain.pendingStateRoot)
        cachedState = state
        return state
    }

    /// The header a tag names, or nil if it names no stored block.
    func resolveHeader(_ tag: BlockTag) -> (header: Header, hash: Hash32)? {
        switch tag {
        case .latest, .pending, .safe, .finalized:
            return (chain.head, chain.headHash)
        case .earliest:
            return chain.canonicalHeader(number: 0).map { ($0, chain.genesisHash) }
        case .number(let number):
            guard let hash = chain.canonicalHash(number: number), let header = chain.header(hash: hash) else { return nil }
            return (header, hash)
        case .hash(let hash):
            return chain.header(hash: hash).map { ($0, hash) }
        }
    }

    /// A state for reads at a tag: the pending state for the head, a fresh read-only view otherwise.
    func readState(at tag: BlockTag) throws(NodeError) -> WorldState {
        guard let (header, hash) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
        if hash == chain.headHash { return pendingState() }
        return WorldState(store: chain.store, root: header.stateRoot)
    }

    /// The state root of the block a tag names, dev changes at the head included.
    func stateRoot(at tag: BlockTag) throws(NodeError) -> (root: Hash32, header: Header) {
        guard let (header, hash) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
        return (hash == chain.headHash ? chain.pendingStateRoot : header.stateRoot, header)
    }

    func rebuildRecentHashes() {
        recentHashes.removeAll(keepingCapacity: true)
        let head = chain.head.number
        let lowest = head >= 255 ? head - 255 : 0
        for number in lowest ... head {
            if let hash = chain.canonicalHash(number: number) { recentHashes[number] = hash }
        }
    }

    /// Writes one log line unless anvil_setLoggingEnabled(false) silenced the node (lock held: every
    /// caller logs from inside a locked section).
    func log(_ line: String) {
        guard dev.isLoggingEnabled else { return }
        configuration.logger?(line)
    }

    // MARK: Events

    /// A stream of every new canonical head block (eth_subscribe "newHeads").
    /// - Returns: the stream; it ends when the consumer stops iterating or the node goes away.
    public func newHeads() -> AsyncStream<BlockRecord> { headFeed.subscribe() }

    /// A stream of new logs matching a filter's addresses and topics (eth_subscribe "logs"; the
    /// filter's block range is ignored).
    /// - Parameter filter: the address and topic criteria.
    /// - Returns: the stream.
    public func logEvents(matching filter: LogFilter) -> AsyncStream<LogRecord> {
        logFeed.subscribe { filter.matches($0.log) }
    }

    /// A stream of the hashes of transactions entering the pool (eth_subscribe "newPendingTransactions").
    /// - Returns: the stream.
    public func pendingTransactionEvents() -> AsyncStream<Hash32> { pendingFeed.subscribe() }

    /// Tells subscribers about a new head block and its logs.
    func publish(_ record: BlockRecord, receipts: [Receipt]) {
        NodeMetrics.headNumber.record(record.number)
        NodeMetrics.transactionsPerBlock.record(record.block.transactions.count)
        headFeed.send(record)
        if logFeed.hasSubscribers { logFeed.send(Self.logRecords(of: record, receipts: receipts)) }
    }

    /// Tells log subscribers that a block left the canonical chain: each of its logs again, with
    /// `isRemoved` set (geth's `removed: true`), so a dapp can undo what it did with them.
    func publishRemoved(_ record: BlockRecord, receipts: [Receipt]) {
        guard logFeed.hasSubscribers else { return }
        logFeed.send(Self.logRecords(of: record, receipts: receipts).map { log in
            var log = log
            log.isRemoved = true
            return log
        })
    }

    /// Every log of a block, positioned.
    static func logRecords(of record: BlockRecord, receipts: [Receipt]) -> [LogRecord] {
        var logs: [LogRecord] = []
        var logIndex = 0
        for (transactionIndex, receipt) in receipts.enumerated() {
            for log in receipt.logs {
                logs.append(LogRecord(log: log, blockHash: record.hash, blockNumber: record.number,
                                      transactionHash: record.transactionHashes[transactionIndex],
                                      transactionIndex: transactionIndex, logIndex: logIndex))
                logIndex += 1
            }
        }
        return logs
    }
}

