import Chain
import ChainTypes
import Foundation
import Metrics
import Primitives

/// Keeps a node on the heaviest chain its peers know, and passes its pending transactions on, so
/// that several authorities on several hosts (or loopback ports) form one chain (DESIGN.md §8).
///
/// Peers are other nodes' JSON-RPC URLs (`goldengrain node --peer URL`); the exchange uses only
/// methods every node serves: `eth_getBlockByNumber` for a peer's head and total difficulty,
/// `debug_getRawBlock` for blocks in their consensus encoding (in JSON-RPC batches), and
/// `eth_sendRawTransaction` to hand on transactions. A round, every `interval`, asks each peer for
/// its head; a peer whose total difficulty beats ours is walked back to the last block we share,
/// and its blocks after that are imported (`Node.importBlocks`: verified, executed, adopted only
/// if heavier). A peer that is down, slow or wrong costs one logged line per round and nothing
/// else: every block is checked here before it is adopted.
///
/// This is a pull protocol over polling, not devp2p: enough for a handful of authorities that
/// know each other's addresses, which is what a private proof-of-authority testnet is.
public final class PeerSync: @unchecked Sendable {
    /// The node kept in sync.
    public let node: Node
    /// The peers' RPC URLs.
    public let peers: [URL]
    /// The pause between rounds.
    public let interval: TimeInterval
    /// The most blocks a fork may reach back to be followed (beyond it a peer is reported, not followed).
    package static let maximumReorgDepth: UInt64 = 1024
    /// Blocks fetched per JSON-RPC batch.
    static let blocksPerBatch = 64

    private let logger: (@Sendable (String) -> Void)?
    private let clients: [PeerClient]
    private let forwardingClients: [PeerClient]
    private let forwarding = DispatchQueue(label: "goldengrain-peer-forwarding")
    private let lock = NSLock()
    private var isStopped = true
    private var lastProblem: [URL: String] = [:]
    private var reachable: Set<URL> = []
    private var progress: SyncProgress?
    private var forwardingTask: Task<Void, Never>?

    /// Creates the synchronizer (call `start()`).
    /// - Parameters:
    ///   - node: the node.
    ///   - peers: the peers' JSON-RPC URLs.
    ///   - interval: seconds between rounds (default 0.25).
    ///   - logger: receives one line per import, reorganization or peer problem.
    public init(node: Node, peers: [URL], interval: TimeInterval = 0.25, logger: (@Sendable (String) -> Void)? = nil) {
        self.node = node
        self.peers = peers
        self.interval = interval
        self.logger = logger
        clients = peers.map { PeerClient(url: $0) }
        forwardingClients = peers.map { PeerClient(url: $0) }
        Self.peersGauge.record(0)
    }

    /// The catch-up in progress (eth_syncing): from where, and to the highest head a heavier peer
    /// showed; nil once the head reaches it (or when no peer is ahead).
    public var syncProgress: SyncProgress? {
        let head = node.headNumber
        lock.lock()
        defer { lock.unlock() }
        guard let progress, head < progress.highestBlock else { return nil }
        return progress
    }

    /// How many peers answered their last round (net_peerCount).
    public var reachablePeerCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return reachable.count
    }

    /// Starts the round thread and transaction forwarding.
    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard isStopped else { return }
        isStopped = false
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "goldengrain-peer-sync"
        thread.start()
        let stream = node.pendingTransactionEvents()
        forwardingTask = Task.detached { [weak self] in
            for await hash in stream {
                guard let self else { return }
                self.forward(hash)
            }
        }
    }

    /// Stops after the round in progress.
    public func stop() {
        lock.lock()
        isStopped = true
        forwardingTask?.cancel()
        forwardingTask = nil
        lock.unlock()
    }

    private func run() {
        while true {
            lock.lock()
            let stopped = isStopped
            lock.unlock()
            if stopped { return }
            syncOnce()
            Thread.sleep(forTimeInterval: interval)
        }
    }

    /// One round: each peer in turn (the thread started by `start()` runs one every `interval`;
    /// a caller may also run one itself, without the thread).
    /// - Returns: what each peer round did, for logs and tests.
    @discardableResult
    package func syncOnce() -> [URL: Result<BlockImportOutcome?, PeerSyncError>] {
        var outcomes: [URL: Result<BlockImportOutcome?, PeerSyncError>] = [:]
        for client in clients {
            do throws(PeerSyncError) {
                let outcome = try sync(with: client)
                outcomes[client.url] = .success(outcome)
                report(client.url, problem: nil)
            } catch {
                outcomes[client.url] = .failure(error)
                report(client.url, problem: error.description)
            }
        }
        return outcomes
    }

    /// Records that a heavier peer's head is at `number` (the start stays where catching up began).
    private func noteTarget(_ number: UInt64, from head: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        if let current = progress, head < current.highestBlock {
            progress = SyncProgress(startingBlock: current.startingBlock, highestBlock: max(current.highestBlock, number))
        } else if number > head {
            progress = SyncProgress(startingBlock: head, highestBlock: number)
        }
    }

    /// Logs a peer's problem once, and once more when it is gone.
    private func report(_ url: URL, problem: String?) {
        lock.lock()
        let previous = lastProblem[url]
        lastProblem[url] = problem
        if problem == nil || problem!.hasPrefix("blocks rejected") { reachable.insert(url) } else { reachable.remove(url) }
        let count = reachable.count
        lock.unlock()
        Self.peersGauge.record(count)
        if let problem, problem != previous { logger?("peer \(url): \(problem)") }
        if problem == nil, previous != nil { logger?("peer \(url): reachable again") }
    }

    /// Brings the node up to one peer's chain if that chain is heavier.
    private func sync(with client: PeerClient) throws(PeerSyncError) -> BlockImportOutcome? {
        let peerHead = try call(client, "eth_getBlockByNumber", [.string("latest"), .bool(false)])
        guard let peerNumber = peerHead["number"].flatMap(Self.quantity),
              let peerDifficulty = peerHead["totalDifficulty"].flatMap(Self.bigQuantity) else {
            throw .peer("\(client.url) answered eth_getBlockByNumber(latest) without a number and totalDifficulty")
        }
        let ours = try local { () throws(NodeError) in try node.block(.latest) }
        guard let ours, peerDifficulty > ours.totalDifficulty else { return nil }
        noteTarget(peerNumber, from: ours.number)
        let ancestor = try commonAncestor(with: client, peerNumber: peerNumber, ourNumber: ours.number)
        if ancestor == ours.number {
            // The peer extends our head: import in batches, each extending the last.
            var total = 0
            var next = ancestor + 1
            while next <= peerNumber {
                let last = min(peerNumber, next + UInt64(Self.blocksPerBatch) - 1)
                let blocks = try fetchBlocks(from: client, numbers: next ... last)
                let outcome = try local { () throws(NodeError) in try node.importBlocks(blocks) }
                if case .extended(let count) = outcome { total += count }
                next = last + 1
            }
            if total > 0 { logger?("imported \(total) block(s) from \(client.url), head #\(node.headNumber)") }
            return .extended(total)
        }
        // A fork: the whole branch is imported at once, so the node can weigh it against its head.
        guard ancestor < peerNumber else {
            throw .peer("\(client.url) claims more total difficulty than this node with head #\(peerNumber), a block this node already has")
        }
        let blocks = try fetchBlocks(from: client, numbers: (ancestor + 1) ... peerNumber)
        return try local { () throws(NodeError) in try node.importBlocks(blocks) }
    }

    /// The highest block number at which the peer's canonical hash equals ours.
    private func commonAncestor(with client: PeerClient, peerNumber: UInt64, ourNumber: UInt64) throws(PeerSyncError) -> UInt64 {
        var number = min(peerNumber, ourNumber)
        let lowest = ourNumber > Self.maximumReorgDepth ? ourNumber - Self.maximumReorgDepth : 0
        guard number >= lowest else {
            throw .peer("\(client.url) claims more total difficulty at block #\(peerNumber) than this node has at #\(ourNumber), more than \(Self.maximumReorgDepth) blocks below it")
        }
        while true {
            let count = min(UInt64(16), number - lowest + 1)
            let numbers = (0 ..< count).map { number - $0 }
            let headers = try batch(client, "eth_getBlockByNumber", numbers.map { [.string(Self.hex($0)), .bool(false)] })
            for (index, header) in headers.enumerated() {
                guard case .string(let text)? = header["hash"], let theirs = try? Hash32(hex: text) else {
                    throw .peer("\(client.url) has no block #\(numbers[index]) although its head is #\(peerNumber)")
                }
                if node.canonicalHash(number: numbers[index]) == theirs { return numbers[index] }
            }
            guard numbers.last! > lowest else {
                throw .peer("\(client.url) shares no block with this node in the last \(Self.maximumReorgDepth) (a different chain, or a fork too deep to follow)")
            }
            number = numbers.last! - 1
        }
    }

    /// Fetches blocks by number with `debug_getRawBlock`, in batches, and decodes them.
    private func fetchBlocks(from client: PeerClient, numbers: ClosedRange<UInt64>) throws(PeerSyncError) -> [Block] {
        guard numbers.count <= Int(Self.maximumReorgDepth) else {
            throw .peer("\(client.url) is \(numbers.count) blocks ahead on a fork; at most \(Self.maximumReorgDepth) are followed")
        }
        var blocks: [Block] = []
        var start = numbers.lowerBound
        while start <= numbers.upperBound {
            let end = min(numbers.upperBound, start + UInt64(Self.blocksPerBatch) - 1)
            let raw = try batch(client, "debug_getRawBlock", (start ... end).map { [.string(Self.hex($0))] })
            for (offset, value) in raw.enumerated() {
                guard case .string(let text) = value, let bytes = try? Hex.decode(text) else {
                    throw .peer("\(client.url) debug_getRawBlock(#\(start + UInt64(offset))) did not answer hex")
                }
                do throws(BlockError) { blocks.append(try Block(encoded: bytes)) } catch {
                    throw .peer("\(client.url) sent block #\(start + UInt64(offset)) that does not decode: \(error)")
                }
            }
            start = end + 1
        }
        return blocks
    }

    /// Hands a newly pooled transaction to every peer (they answer "already known" when it came
    /// from them, which ends the echo).
    private func forward(_ hash: Hash32) {
        guard let record = try? node.transaction(hash: hash), record.blockHash == nil else { return }
        let raw = JSON.string(Hex.encode(record.transaction.encoded))
        forwarding.async { [forwardingClients, logger] in
            for client in forwardingClients {
                do throws(PeerClient.Failure) { _ = try client.call("eth_sendRawTransaction", [raw]) } catch {
                    let text = error.description
                    if !text.contains("already known") && !text.contains("nonce too low") {
                        logger?("peer \(client.url): forwarding \(hash) failed: \(text)")
                    }
                }
            }
        }
    }

    private func call(_ client: PeerClient, _ method: String, _ params: [JSON]) throws(PeerSyncError) -> JSON {
        do throws(PeerClient.Failure) { return try client.call(method, params) } catch { throw .peer(error.description) }
    }

    private func batch(_ client: PeerClient, _ method: String, _ paramLists: [[JSON]]) throws(PeerSyncError) -> [JSON] {
        do throws(PeerClient.Failure) { return try client.batch(method, paramLists) } catch { throw .peer(error.description) }
    }

    private func local<T>(_ body: () throws(NodeError) -> T) throws(PeerSyncError) -> T {
        do throws(NodeError) { return try body() } catch { throw .rejected(error.description) }
    }

    static func hex(_ number: UInt64) -> String { "0x" + String(number, radix: 16) }

    static func quantity(_ value: JSON) -> UInt64? {
        guard case .string(let text) = value, text.hasPrefix("0x") else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }

    static func bigQuantity(_ value: JSON) -> UInt256? {
        guard case .string(let text) = value else { return nil }
        return try? UInt256(hex: text)
    }
}

/// Why a round with one peer did nothing.
public enum PeerSyncError: Error, CustomStringConvertible, Sendable {
    /// The peer could not be reached or answered something unusable.
    case peer(String)
    /// The peer's blocks failed this node's checks (the node's error names the block and rule).
    case rejected(String)

    public var description: String {
        switch self {
        case .peer(let message): return message
        case .rejected(let message): return "blocks rejected: \(message)"
        }
    }
}
