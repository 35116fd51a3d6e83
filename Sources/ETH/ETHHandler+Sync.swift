import Chain
import ChainTypes
import Primitives

/// Catching up with a heavier peer (go-ethereum's downloader in full-sync mode, much smaller):
/// find the last block both chains share, fetch the headers after it and check that they chain,
/// fetch their bodies, and hand the blocks to `Node.importBlocks`, which verifies each header
/// (Clique seal and signer rules) before executing it and adopts the branch only if it is heavier.
extension ETHHandler {
    /// Headers per request while catching up (go-ethereum `MaxHeaderFetch`), bodies per request
    /// (`MaxBodyFetch`), and the deepest fork followed (as the JSON-RPC peer sync).
    static let headersPerRequest = 192
    static let bodiesPerRequest = 128
    static let maximumReorgDepth: UInt64 = 1_024

    /// Starts catching up with `peer` unless a catch-up is already running (one at a time: the
    /// next announcement from any peer starts another once it ends).
    func startSync(with peer: ETHPeer) {
        let ours = (try? node.block(.latest))??.totalDifficulty ?? .zero
        guard peer.head.totalDifficulty > ours else { return }
        let started = sync.withLock { state -> Bool in
            guard !state.isRunning else { return false }
            state.isRunning = true
            return true
        }
        guard started else { return }
        Task {
            defer { sync.withLock { $0.isRunning = false } }
            do {
                try await catchUp(with: peer)
            } catch is CancellationError {
            } catch {
                log("eth: catching up with \(peer.peer): \(error); dropping it")
                peer.peer.disconnect(.uselessPeer)
            }
        }
    }

    /// Imports the peer's chain while it is heavier than ours (a few rounds: the peer may seal on).
    func catchUp(with peer: ETHPeer) async throws {
        for _ in 0 ..< 16 {
            guard let ours = try node.block(.latest) else { return }
            let (headHash, headDifficulty) = peer.head
            guard headDifficulty > ours.totalDifficulty else { return }
            let top = try await fetchHeaders(from: peer, origin: .hash(headHash), amount: 1)
            guard let target = top.first, target.hash == headHash else {
                throw ETHSyncError.badAnswer("the peer announced head \(headHash) but does not serve its header")
            }
            noteTarget(target.number, from: ours.number)
            let ancestor = try await commonAncestor(with: peer, peerNumber: target.number, ourNumber: ours.number)
            let imported: Int
            if ancestor == ours.number {
                imported = try await extend(from: ancestor, to: target.number, with: peer)
            } else {
                imported = try await importBranch(from: ancestor, to: target.number, with: peer)
            }
            if imported > 0 { log("eth: imported \(imported) block(s) from \(peer.peer), head #\(node.headNumber)") }
        }
    }

    /// The highest block number at which the peer's canonical header is ours too, searched
    /// downwards in reverse header requests, at most `maximumReorgDepth` below our head.
    func commonAncestor(with peer: ETHPeer, peerNumber: UInt64, ourNumber: UInt64) async throws -> UInt64 {
        var number = min(peerNumber, ourNumber)
        let lowest = ourNumber > Self.maximumReorgDepth ? ourNumber - Self.maximumReorgDepth : 0
        while true {
            let count = min(UInt64(64), number - lowest + 1)
            let headers = try await fetchHeaders(from: peer, origin: .number(number), amount: count, reverse: true)
            guard !headers.isEmpty else {
                throw ETHSyncError.badAnswer("the peer serves no header at #\(number), below its head #\(peerNumber)")
            }
            for header in headers where node.canonicalHash(number: header.number) == header.hash {
                return header.number
            }
            guard number >= lowest + count else {
                throw ETHSyncError.badAnswer("no block in common within \(Self.maximumReorgDepth) blocks of our head #\(ourNumber)")
            }
            number -= count
        }
    }

    /// The peer extends our head: import batch by batch.
    private func extend(from ancestor: UInt64, to target: UInt64, with peer: ETHPeer) async throws -> Int {
        var total = 0
        var next = ancestor + 1
        var parentHash = node.canonicalHash(number: ancestor)
        while next <= target {
            let count = min(UInt64(Self.headersPerRequest), target - next + 1)
            let headers = try await fetchHeaders(from: peer, origin: .number(next), amount: count)
            try checkChain(headers, from: next, parentHash: parentHash)
            let blocks = try await fetchBodies(for: headers, from: peer)
            do {
                if case .extended(let count) = try node.importBlocks(blocks) { total += count }
            } catch {
                throw ETHSyncError.badAnswer("blocks #\(next)… rejected: \(error)")
            }
            for block in blocks { peer.markBlock(block.hash) }
            parentHash = headers.last?.hash
            next += UInt64(headers.count)
        }
        return total
    }

    /// The peer is on another branch: fetch all of it and import it at once, so the node can weigh it.
    private func importBranch(from ancestor: UInt64, to target: UInt64, with peer: ETHPeer) async throws -> Int {
        var blocks: [Block] = []
        var next = ancestor + 1
        var parentHash = node.canonicalHash(number: ancestor)
        while next <= target {
            let count = min(UInt64(Self.headersPerRequest), target - next + 1)
            let headers = try await fetchHeaders(from: peer, origin: .number(next), amount: count)
            try checkChain(headers, from: next, parentHash: parentHash)
            blocks += try await fetchBodies(for: headers, from: peer)
            parentHash = headers.last?.hash
            next += UInt64(headers.count)
        }
        let outcome: BlockImportOutcome
        do { outcome = try node.importBlocks(blocks) } catch {
            throw ETHSyncError.badAnswer("branch from #\(ancestor + 1) rejected: \(error)")
        }
        for block in blocks { peer.markBlock(block.hash) }
        if case .reorganized(let dropped, let adopted) = outcome {
            log("eth: reorganized to \(peer.peer)'s branch: \(dropped) block(s) dropped, \(adopted) adopted")
            return adopted
        }
        return 0
    }

    /// Headers must be the ones asked for and chain one to the next.
    private func checkChain(_ headers: [Header], from first: UInt64, parentHash: Hash32?) throws {
        guard !headers.isEmpty else { throw ETHSyncError.badAnswer("the peer serves no header at #\(first)") }
        var expectedParent = parentHash
        for (offset, header) in headers.enumerated() {
            guard header.number == first + UInt64(offset) else {
                throw ETHSyncError.badAnswer("asked for header #\(first + UInt64(offset)), got #\(header.number)")
            }
            if let expectedParent, header.parentHash != expectedParent {
                throw ETHSyncError.badAnswer("header #\(header.number) does not extend the one before it")
            }
            expectedParent = header.hash
        }
    }

    func fetchHeaders(from peer: ETHPeer, origin: BlockOrigin, amount: UInt64, reverse: Bool = false) async throws -> [Header] {
        let response = try await peer.request("headers") {
            GetBlockHeadersMessage(requestId: $0, origin: origin, amount: amount, reverse: reverse)
        }
        guard case .headers(let headers) = response, headers.count <= Int(amount) else {
            throw ETHSyncError.badAnswer("a BlockHeaders answer with more headers than asked for")
        }
        return headers
    }

    /// The bodies of `headers`, in batches, each checked against its header (transactions root,
    /// no uncles or withdrawals on a Clique chain), as whole blocks.
    func fetchBodies(for headers: [Header], from peer: ETHPeer) async throws -> [Block] {
        var blocks: [Block] = []
        for start in stride(from: 0, to: headers.count, by: Self.bodiesPerRequest) {
            let part = Array(headers[start ..< min(headers.count, start + Self.bodiesPerRequest)])
            let response = try await peer.request("bodies") { GetBlockBodiesMessage(requestId: $0, hashes: part.map(\.hash)) }
            guard case .bodies(let bodies) = response, bodies.count == part.count else {
                throw ETHSyncError.badAnswer("a BlockBodies answer without every body asked for")
            }
            for (header, body) in zip(part, bodies) {
                guard body.uncles.isEmpty, body.withdrawals?.isEmpty ?? true,
                      Block.transactionsRoot(of: body.transactions) == header.transactionsRoot else {
                    throw ETHSyncError.badAnswer("the body of block #\(header.number) does not match its header")
                }
                blocks.append(Block(header: header, transactions: body.transactions))
            }
        }
        return blocks
    }

    private func noteTarget(_ number: UInt64, from head: UInt64) {
        sync.withLock { state in
            if let current = state.progress, head < current.highestBlock {
                state.progress = SyncProgress(startingBlock: current.startingBlock, highestBlock: max(current.highestBlock, number))
            } else if number > head {
                state.progress = SyncProgress(startingBlock: head, highestBlock: number)
            }
        }
    }
}
