import Chain
import ChainTypes
import P2P
import Primitives
import Synchronization

/// eth/68 for a node (go-ethereum eth/handler.go with eth/protocols/eth/handler.go, much smaller):
/// the Status handshake; serving headers, bodies, receipts and pooled transactions; importing the
/// blocks and transactions peers announce; announcing ours (NewBlock to √n peers and
/// NewBlockHashes to the rest, as soon as a block is sealed or imported; transactions the same
/// way); and catching up with a heavier peer (`ETHHandler+Sync.swift`).
public final class ETHHandler: SubProtocol {
    public let capability = Capability(name: ETHProtocol.name, version: UInt64(ETHProtocol.version))
    public let messageCount = UInt64(ETHProtocol.messageCount)

    /// The most items served per request (go-ethereum `maxHeadersServe`, `maxBodiesServe`,
    /// `maxReceiptsServe`) and the size after which a reply stops growing (`softResponseLimit`).
    static let maximumHeadersServed = 1_024
    static let maximumBodiesServed = 1_024
    static let maximumReceiptsServed = 1_024
    static let maximumTransactionsServed = 256
    static let softResponseLimit = 2 * 1024 * 1024
    /// Time for the peer's Status (go-ethereum `handshakeTimeout`).
    static let statusTimeout: Duration = .seconds(5)

    let node: Node
    /// The network id announced and required: the chain id.
    public let networkId: UInt64
    let forks: ForkSchedule
    let log: @Sendable (String) -> Void
    let peers = Mutex<[ObjectIdentifier: ETHPeer]>([:])
    let sync = Mutex(SyncState())

    struct SyncState {
        var isRunning = false
        var progress: SyncProgress?
    }

    /// Creates the handler for a node.
    /// - Parameters:
    ///   - node: the node.
    ///   - log: receives one line per notable event.
    public init(node: Node, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.node = node
        networkId = node.chainId
        forks = ForkSchedule.goldenGrain(genesisHash: node.genesisHash)
        self.log = log
    }

    /// Peers past the Status handshake (net_peerCount).
    public var peerCount: Int { peers.withLock { $0.count } }

    /// The catch-up in progress (eth_syncing), nil when none or once the head reaches it.
    public var syncProgress: SyncProgress? {
        let head = node.headNumber
        return sync.withLock { state in
            guard let progress = state.progress, head < progress.highestBlock else { return nil }
            return progress
        }
    }

    /// Our Status now.
    func localStatus() -> StatusMessage {
        let head = node.headHeader
        let totalDifficulty = (try? node.block(.latest))??.totalDifficulty ?? head.difficulty
        return StatusMessage(networkId: networkId, totalDifficulty: totalDifficulty, head: head.hash,
                             genesis: node.genesisHash, forkID: forks.forkID(head: head.number, time: head.timestamp))
    }

    public func run(_ connection: ProtocolPeer) async throws {
        connection.send(code: UInt64(StatusMessage.code.rawValue), payload: localStatus().encoded)
        var messages = connection.messages.makeAsyncIterator()
        let watchdog = Task {
            try await Task.sleep(for: Self.statusTimeout)
            connection.peer.disconnect(.readTimeout)
        }
        let first = await messages.next()
        watchdog.cancel()
        guard let first else { return }
        guard first.code == UInt64(StatusMessage.code.rawValue) else {
            throw ETHHandshakeError.noStatus(code: first.code)
        }
        let status = try StatusMessage(encoded: first.payload)
        try check(status)
        let peer = ETHPeer(connection: connection, head: status.head, totalDifficulty: status.totalDifficulty)
        peer.markBlock(status.head)
        peers.withLock { $0[ObjectIdentifier(peer)] = peer }
        defer {
            peers.withLock { $0[ObjectIdentifier(peer)] = nil }
            peer.failAll()
        }
        startSync(with: peer)
        while let message = await messages.next() {
            try handle(message, from: peer)
        }
    }

    /// The Status checks of go-ethereum eth/protocols/eth/handshake.go: version, network, genesis,
    /// fork id (each failure ends the session with a subprotocol error, as geth's does).
    func check(_ status: StatusMessage) throws(ETHHandshakeError) {
        guard status.version == UInt64(ETHProtocol.version) else {
            throw .versionMismatch(status.version)
        }
        guard status.networkId == networkId else { throw .networkMismatch(status.networkId, expected: networkId) }
        guard status.genesis == node.genesisHash else { throw .genesisMismatch(status.genesis, expected: node.genesisHash) }
        let head = node.headHeader
        do { try forks.validate(status.forkID, head: head.number, time: head.timestamp) } catch {
            throw .forkID(error)
        }
    }

    /// One message after Status. Requests are answered here; anything that waits for a peer
    /// (fetching an announced block, catching up) runs in its own task, since answers arrive
    /// through this same loop.
    func handle(_ message: ProtocolMessage, from peer: ETHPeer) throws {
        guard message.payload.count <= ETHProtocol.maximumMessageSize else {
            throw ETHHandshakeError.messageTooLarge(code: message.code, size: message.payload.count)
        }
        guard let code = ETHProtocol.MessageCode(rawValue: UInt(message.code)) else {
            throw ETHHandshakeError.unexpectedMessage(code: message.code)
        }
        switch code {
        case .status:
            throw ETHHandshakeError.unexpectedMessage(code: message.code)
        case .getBlockHeaders:
            let request = try GetBlockHeadersMessage(encoded: message.payload)
            peer.send(BlockHeadersMessage(requestId: request.requestId, headers: headers(for: request)))
        case .getBlockBodies:
            let request = try GetBlockBodiesMessage(encoded: message.payload)
            peer.send(BlockBodiesMessage(requestId: request.requestId, bodies: bodies(for: request.hashes)))
        case .getReceipts:
            let request = try GetReceiptsMessage(encoded: message.payload)
            peer.send(ReceiptsMessage(requestId: request.requestId, receipts: receipts(for: request.hashes)))
        case .getPooledTransactions:
            let request = try GetPooledTransactionsMessage(encoded: message.payload)
            peer.send(PooledTransactionsMessage(requestId: request.requestId,
                                                transactions: pooledTransactions(for: request.hashes)))
        case .blockHeaders:
            let answer = try BlockHeadersMessage(encoded: message.payload)
            _ = peer.deliver(answer.requestId, .headers(answer.headers))
        case .blockBodies:
            let answer = try BlockBodiesMessage(encoded: message.payload)
            _ = peer.deliver(answer.requestId, .bodies(answer.bodies))
        case .receipts:
            let answer = try ReceiptsMessage(encoded: message.payload)
            _ = peer.deliver(answer.requestId, .receipts(answer.receipts))
        case .pooledTransactions:
            let answer = try PooledTransactionsMessage(encoded: message.payload)
            _ = peer.deliver(answer.requestId, .transactions(answer.transactions))
        case .newBlock:
            let announcement = try NewBlockMessage(encoded: message.payload)
            receive(announcement, from: peer)
        case .newBlockHashes:
            let announcement = try NewBlockHashesMessage(encoded: message.payload)
            for item in announcement.announcements { peer.markBlock(item.hash) }
            let unknown = announcement.announcements.filter { node.header(hash: $0.hash) == nil }
            if !unknown.isEmpty { Task { await self.fetchAnnounced(unknown.map(\.hash), from: peer) } }
        case .transactions:
            let message = try TransactionsMessage(encoded: message.payload)
            addToPool(message.transactions, from: peer)
        case .newPooledTransactionHashes:
            let announcement = try NewPooledTransactionHashesMessage(encoded: message.payload)
            for hash in announcement.hashes { peer.markTransaction(hash) }
            let unknown = announcement.hashes.filter { (try? node.transaction(hash: $0)) ?? nil == nil }
            if !unknown.isEmpty { Task { await self.fetchTransactions(unknown, from: peer) } }
        }
    }

    // MARK: Serving

    /// The headers a GetBlockHeaders asks for: from the origin (by hash, any stored block; by
    /// number, canonical), every skip+1-th canonical block up or down, at most 1,024 and about 2 MiB.
    func headers(for request: GetBlockHeadersMessage) -> [Header] {
        var result: [Header] = []
        var size = 0
        let origin: Header?
        switch request.origin {
        case .hash(let hash): origin = node.header(hash: hash)
        case .number(let number): origin = node.canonicalHeader(number: number)
        }
        guard var header = origin else { return [] }
        let step = request.skip &+ 1
        let limit = min(UInt64(Self.maximumHeadersServed), request.amount)
        while UInt64(result.count) < limit && size < Self.softResponseLimit {
            result.append(header)
            size += header.encoded.count
            let (next, overflow) = request.reverse ? header.number.subtractingReportingOverflow(step)
                                                   : header.number.addingReportingOverflow(step)
            guard !overflow, step != 0, let following = node.canonicalHeader(number: next) else { break }
            header = following
        }
        return result
    }

    func bodies(for hashes: [Hash32]) -> [BlockBody] {
        var result: [BlockBody] = []
        var size = 0
        for hash in hashes.prefix(Self.maximumBodiesServed) where size < Self.softResponseLimit {
            guard let record = (try? node.block(.hash(hash))) ?? nil else { continue }
            let body = BlockBody(block: record.block)
            size += body.encoded.count
            result.append(body)
        }
        return result
    }

    func receipts(for hashes: [Hash32]) -> [[Receipt]] {
        var result: [[Receipt]] = []
        for hash in hashes.prefix(Self.maximumReceiptsServed) {
            guard let records = (try? node.receipts(of: .hash(hash))) ?? nil else { continue }
            result.append(records.map(\.receipt))
        }
        return result
    }

    func pooledTransactions(for hashes: [Hash32]) -> [Transaction] {
        hashes.prefix(Self.maximumTransactionsServed).compactMap { hash in
            guard let record = (try? node.transaction(hash: hash)) ?? nil, record.blockHash == nil else { return nil }
            return record.transaction
        }
    }

    // MARK: Receiving

    /// A NewBlock: imported at once when its parent is here; otherwise the peer is ahead by more
    /// than one block, and we catch up with it.
    func receive(_ announcement: NewBlockMessage, from peer: ETHPeer) {
        let block = announcement.block
        let hash = block.hash
        peer.markBlock(hash)
        peer.noteHead(hash, totalDifficulty: announcement.totalDifficulty)
        guard node.header(hash: hash) == nil else { return }
        guard node.header(hash: block.header.parentHash) != nil else {
            startSync(with: peer)
            return
        }
        Task { self.importAnnounced([block], from: peer) }
    }

    /// Imports blocks a peer announced, dropping the peer if they are invalid.
    func importAnnounced(_ blocks: [Block], from peer: ETHPeer) {
        do {
            let outcome = try node.importBlocks(blocks)
            if case .reorganized(let dropped, let adopted) = outcome {
                log("eth: reorganized to \(peer.peer)'s branch: \(dropped) block(s) dropped, \(adopted) adopted, head #\(node.headNumber)")
            }
        } catch {
            if case .chain(.unknownAncestor) = error {
                startSync(with: peer)
                return
            }
            log("eth: \(peer.peer) sent an invalid block: \(error); dropping it")
            peer.peer.disconnect(.subprotocolError)
        }
    }

    /// Fetches the announced blocks a peer has and we lack (headers, then bodies), and imports them.
    func fetchAnnounced(_ hashes: [Hash32], from peer: ETHPeer) async {
        for hash in hashes {
            do {
                let headers = try await fetchHeaders(from: peer, origin: .hash(hash), amount: 1)
                guard let header = headers.first, header.hash == hash else {
                    throw ETHSyncError.badAnswer("\(peer.peer) announced \(hash) but does not serve its header")
                }
                let blocks = try await fetchBodies(for: [header], from: peer)
                guard node.header(hash: header.parentHash) != nil else {
                    startSync(with: peer)
                    return
                }
                importAnnounced(blocks, from: peer)
            } catch is CancellationError {
                return
            } catch {
                log("eth: fetching announced block \(hash) from \(peer.peer): \(error)")
                return
            }
        }
    }

    /// Transactions a peer sent or we fetched: into the pool (without mining at once; the period
    /// sealer or automine decides), each remembered as known to that peer.
    func addToPool(_ transactions: [Transaction], from peer: ETHPeer) {
        for transaction in transactions {
            peer.markTransaction(transaction.hash)
            _ = try? node.submit(transaction, mining: true)
        }
    }

    func fetchTransactions(_ hashes: [Hash32], from peer: ETHPeer) async {
        for chunk in stride(from: 0, to: hashes.count, by: Self.maximumTransactionsServed) {
            let part = Array(hashes[chunk ..< min(hashes.count, chunk + Self.maximumTransactionsServed)])
            guard case .transactions(let transactions)? = try? await peer.request("pooled transactions", {
                GetPooledTransactionsMessage(requestId: $0, hashes: part)
            }) else { return }
            addToPool(transactions, from: peer)
        }
    }

    // MARK: Announcing

    /// Announces new heads and pending transactions to the peers until cancelled: run as a
    /// service beside the P2P server.
    public func announce() async {
        await withTaskGroup(of: Void.self) { group in
            let heads = node.newHeads()
            let transactions = node.pendingTransactionEvents()
            group.addTask {
                for await record in heads { self.announce(record) }
            }
            group.addTask {
                for await hash in transactions { self.announceTransaction(hash) }
            }
        }
    }

    /// A new head: the whole block to √n of the peers that lack it, its hash to the rest
    /// (go-ethereum `BroadcastBlock` with and without propagation).
    func announce(_ record: BlockRecord) {
        let (whole, hashOnly) = broadcastTargets { !$0.knowsBlock(record.hash) }
        guard !whole.isEmpty else { return }
        let block = NewBlockMessage(block: record.block, totalDifficulty: record.totalDifficulty)
        let hashes = NewBlockHashesMessage(announcements: [.init(hash: record.hash, number: record.block.header.number)])
        for peer in whole { peer.markBlock(record.hash); peer.send(block) }
        for peer in hashOnly { peer.markBlock(record.hash); peer.send(hashes) }
    }

    /// A new pending transaction: whole to √n of the peers that lack it, announced by hash to the rest.
    func announceTransaction(_ hash: Hash32) {
        guard let record = (try? node.transaction(hash: hash)) ?? nil, record.blockHash == nil else { return }
        let (whole, hashOnly) = broadcastTargets { !$0.knowsTransaction(hash) }
        guard !whole.isEmpty else { return }
        let transactions = TransactionsMessage(transactions: [record.transaction])
        let announcement = NewPooledTransactionHashesMessage(announcing: [record.transaction])
        for peer in whole { peer.markTransaction(hash); peer.send(transactions) }
        for peer in hashOnly { peer.markTransaction(hash); peer.send(announcement) }
    }

    /// The peers that lack something, shuffled and split: ⌈√n⌉ get it whole, the rest its hash.
    private func broadcastTargets(lacking: (ETHPeer) -> Bool) -> (whole: ArraySlice<ETHPeer>, hashOnly: ArraySlice<ETHPeer>) {
        let targets = peers.withLock { Array($0.values) }.filter(lacking).shuffled()
        let wholeCount = Int(Double(targets.count).squareRoot().rounded(.up))
        return (targets.prefix(wholeCount), targets.dropFirst(wholeCount))
    }
}

/// Why a peer's eth session was ended at or after Status.
public enum ETHHandshakeError: Error, CustomStringConvertible {
    case noStatus(code: UInt64)
    case versionMismatch(UInt64)
    case networkMismatch(UInt64, expected: UInt64)
    case genesisMismatch(Hash32, expected: Hash32)
    case forkID(ForkIDError)
    case unexpectedMessage(code: UInt64)
    case messageTooLarge(code: UInt64, size: Int)

    public var description: String {
        switch self {
        case .noStatus(let code): "first eth message has code 0x\(String(code, radix: 16)), expected Status (0x00)"
        case .versionMismatch(let version): "eth version \(version), expected \(ETHProtocol.version)"
        case .networkMismatch(let id, let expected): "network id \(id), expected \(expected)"
        case .genesisMismatch(let hash, let expected): "genesis \(hash), expected \(expected)"
        case .forkID(let error): "fork id: \(error)"
        case .unexpectedMessage(let code): "unexpected eth message 0x\(String(code, radix: 16))"
        case .messageTooLarge(let code, let size):
            "eth message 0x\(String(code, radix: 16)) of \(size) bytes, more than the \(ETHProtocol.maximumMessageSize) accepted"
        }
    }
}
