import ChainTypes
import Consensus
import Primitives
import State
import Storage

// Blocks from other authorities: verify, execute, and adopt the heaviest chain (several signers
// on several hosts forming one chain, DESIGN.md §8).

/// What `Node.importBlocks(_:)` did.
public enum BlockImportOutcome: Equatable, Sendable {
    /// The blocks extend the head; this many became canonical.
    case extended(Int)
    /// The blocks formed a heavier branch: this many canonical blocks were dropped and this many
    /// imported ones took their place.
    case reorganized(dropped: Int, adopted: Int)
    /// Every block was valid but the branch is not heavier than the head (EIP-225's fork choice is
    /// the greatest total difficulty; a tie keeps the head), so nothing changed.
    case keptHead
    /// Every block was already canonical here.
    case known
}

extension Node {
    /// Imports consecutive blocks from a peer. The first block's parent must be stored here
    /// (canonical or not). Each block is checked as geth checks one from the network: the header
    /// against its parent (`BlockExecutor.validateHeader`), the Clique seal and signer rules
    /// against the snapshot of its own branch, then executed on its parent's state with every root,
    /// the gas used and the bloom compared. If the branch ends heavier than the head, it becomes
    /// canonical: a rewind to the common ancestor and one append per block (each its own atomic
    /// batch, so a kill leaves a whole block), log subscribers get the dropped blocks' logs again
    /// marked removed (oldest block first), and the transactions of dropped blocks that the new
    /// branch lacks go back to the pool.
    /// - Parameter blocks: the blocks in order, each the parent of the next.
    /// - Returns: what changed.
    /// - Throws: `NodeError.chain` naming the first block that fails (nothing is adopted then;
    ///   trie nodes of blocks already executed may remain, unreferenced).
    @discardableResult
    public func importBlocks(_ blocks: [Block]) throws(NodeError) -> BlockImportOutcome {
        try locked { () throws(NodeError) -> BlockImportOutcome in
            do throws(ChainError) { return try importLocked(blocks) } catch { throw .chain(error) }
        }
    }

    private func importLocked(_ blocks: [Block]) throws(ChainError) -> BlockImportOutcome {
        // Blocks already canonical here are skipped; the rest must chain from a stored block.
        var remaining = blocks[...]
        while let first = remaining.first, chain.canonicalHash(number: first.header.number) == first.header.hash {
            remaining = remaining.dropFirst()
        }
        guard let first = remaining.first else { return .known }
        guard let ancestor = chain.header(hash: first.header.parentHash), ancestor.number + 1 == first.header.number else {
            throw .unknownAncestor(number: first.header.number, parentHash: first.header.parentHash)
        }
        let ancestorHash = first.header.parentHash
        let branch = BranchHeaders(base: chain)
        var blockHashes = hashesBack(from: ancestor, hash: ancestorHash, headers: branch)
        var parent = ancestor
        var parentHash = ancestorHash
        var totalDifficulty = try chain.totalDifficulty(number: ancestor.number, hash: ancestorHash)
        var executed: [(block: Block, result: ExecutedBlock)] = []
        for block in remaining {
            let header = block.header
            guard header.parentHash == parentHash else {
                throw .unknownAncestor(number: header.number, parentHash: header.parentHash)
            }
            let result = try NodeMetrics.time(NodeMetrics.importTime) { () throws(ChainError) -> ExecutedBlock in
                try ChainError.consensusStep { () throws(ConsensusError) in try engine.verify(header, parent: parent, chain: branch) }
                let state = WorldState(store: chain.store, root: parent.stateRoot)
                let result = try executor.importBlock(block, parent: parent, state: state, blockHashes: blockHashes)
                // The post-state's nodes go to the store now (content-addressed, harmless if the branch
                // is never adopted) so the next block of the branch can read them.
                do throws(StorageError) { try chain.store.write(result.stateBatch) } catch { throw .storage(error) }
                return result
            }
            let hash = header.hash
            branch.add(header, hash: hash)
            blockHashes[header.number] = hash
            if header.number >= 256 { blockHashes[header.number - 256] = nil }
            totalDifficulty = totalDifficulty &+ header.difficulty
            executed.append((block, result))
            parent = header
            parentHash = hash
        }
        guard totalDifficulty > chain.headTotalDifficulty else { return .keptHead }

        var dropped: [BlockRecord] = []
        if ancestorHash != chain.headHash {
            var number = chain.head.number
            while number > ancestor.number {
                if let record = try chain.canonicalBlock(number: number) { dropped.append(record) }
                number -= 1
            }
            try chain.rewind(to: ancestorHash)
            for record in dropped.reversed() {
                if let receipts = try chain.receipts(blockHash: record.hash) { publishRemoved(record, receipts: receipts) }
            }
        }
        var adopted: [BlockRecord] = []
        for (block, result) in executed {
            let record = try chain.append(block, receipts: result.receipts, senders: result.senders, stateBatch: WriteBatch())
            adopted.append(record)
            publish(record, receipts: result.receipts)
        }
        cachedState = nil
        dev.nextTimestamp = nil
        rebuildRecentHashes()
        let state = pendingState()
        let adoptedHashes = Set(adopted.flatMap(\.transactionHashes))
        for record in adopted {
            for sender in Set(record.senders) { pool.removeStale(of: sender, stateNonce: state.nonce(of: sender)) }
        }
        // Transactions only the dropped blocks held are pending again (as geth's reorg reinjects them).
        for record in dropped.reversed() {
            for (index, transaction) in record.block.transactions.enumerated()
            where !adoptedHashes.contains(record.transactionHashes[index]) {
                let pooled = PooledTransaction(transaction: transaction, hash: record.transactionHashes[index],
                                               sender: record.senders[index])
                _ = try? pool.add(pooled, state: state, baseFee: nextBaseFeeLocked(),
                                  blockGasLimit: nextGasLimit())
            }
        }
        if dropped.isEmpty { return .extended(adopted.count) }
        log("reorganized: dropped \(dropped.count) block(s) above #\(ancestor.number), adopted \(adopted.count), new head #\(chain.head.number) \(chain.headHash)")
        return .reorganized(dropped: dropped.count, adopted: adopted.count)
    }

    /// The hashes BLOCKHASH may ask for when executing the child of `header`: up to 256 of its
    /// ancestors and itself, following parent links (the branch may not be canonical).
    private func hashesBack(from header: Header, hash: Hash32, headers: BranchHeaders) -> [UInt64: Hash32] {
        var hashes: [UInt64: Hash32] = [header.number: hash]
        var current = header
        while current.number > 0, hashes.count < 256, let parent = headers.header(hash: current.parentHash) {
            hashes[parent.number] = current.parentHash
            current = parent
        }
        return hashes
    }
}

/// The stored headers plus those of a branch being imported, so Clique's snapshots can walk back
/// through blocks that are not stored yet.
final class BranchHeaders: HeaderReader {
    private let base: ChainStore
    private var added: [Hash32: Header] = [:]

    init(base: ChainStore) { self.base = base }

    func add(_ header: Header, hash: Hash32) { added[hash] = header }

    func header(hash: Hash32) -> Header? { added[hash] ?? base.header(hash: hash) }

    func canonicalHeader(number: UInt64) -> Header? { base.canonicalHeader(number: number) }
}

extension Node {
    /// The canonical block hash at a height, or nil above the head.
    /// - Parameter number: the block number.
    /// - Returns: the hash.
    public func canonicalHash(number: UInt64) -> Hash32? {
        locked { chain.canonicalHash(number: number) }
    }
}
