import Chain
import Primitives
import Synchronization

/// Read helpers shared by the handlers: resolving block references, recovering senders, totals of
/// difficulty, and assembling transaction, receipt and block JSON from the backend's blocks and
/// receipts.
public struct ChainView: Sendable {
    /// The node.
    public let backend: any NodeBackend
    private let totalDifficulties: TotalDifficultyCache

    /// Creates a view of a node.
    /// - Parameter backend: the node.
    public init(backend: any NodeBackend) {
        self.backend = backend
        self.totalDifficulties = TotalDifficultyCache()
    }

    /// The number of the block a tag names; a number past the head is "header not found".
    /// - Parameter tag: the tag.
    /// - Returns: the block number.
    /// - Throws: `RPCError` -32000 "header not found".
    public func number(of tag: BlockTag) async throws(RPCError) -> UInt64 {
        let head = await backend.headBlockNumber()
        switch tag {
        case .latest, .pending, .safe, .finalized: return head
        case .earliest: return 0
        case .number(let number):
            guard number <= head else { throw RPCError(NodeBackendError.headerNotFound) }
            return number
        }
    }

    /// The number of the block a reference names (geth's messages for unknown hashes).
    /// - Parameter reference: the reference.
    /// - Returns: the block number.
    /// - Throws: `RPCError` -32000 "header not found" / "header for hash not found" /
    ///   "hash is not currently canonical".
    public func number(of reference: BlockReference) async throws(RPCError) -> UInt64 {
        switch reference {
        case .tag(let tag): return try await number(of: tag)
        case .hash(let hash, let requireCanonical):
            guard let block = await backend.block(hash: hash) else { throw .server("header for hash not found") }
            if requireCanonical, await backend.block(number: block.header.number)?.hash != hash {
                throw .server("hash is not currently canonical")
            }
            return block.header.number
        }
    }

    /// The block a tag names, or nil past the head.
    /// - Parameter tag: the tag.
    /// - Returns: the block.
    public func block(_ tag: BlockTag) async -> Block? {
        let head = await backend.headBlockNumber()
        switch tag {
        case .latest, .pending, .safe, .finalized: return await backend.block(number: head)
        case .earliest: return await backend.block(number: 0)
        case .number(let number): return number <= head ? await backend.block(number: number) : nil
        }
    }

    /// The sender of a transaction, or the zero address if it cannot be found.
    /// - Parameter transaction: the transaction.
    /// - Returns: the sender.
    public func sender(of transaction: Transaction) async -> Address {
        await backend.sender(of: transaction) ?? .zero
    }

    /// The total difficulty up to and including a block.
    /// - Parameter block: the block.
    /// - Returns: the sum of difficulties from genesis.
    public func totalDifficulty(of block: Block) async -> UInt256 {
        if let known = totalDifficulties.value(for: block.hash) { return known }
        var chain: [Block] = [block]
        var total = UInt256.zero
        while let last = chain.last, last.header.number > 0 {
            if let known = totalDifficulties.value(for: last.header.parentHash) { total = known; break }
            guard let parent = await backend.block(hash: last.header.parentHash) else { break }
            chain.append(parent)
        }
        for entry in chain.reversed() {
            total = total &+ entry.header.difficulty
            totalDifficulties.store(total, for: entry.hash)
        }
        return total
    }

    /// A block as JSON, with transaction hashes or full transaction objects.
    /// - Parameters:
    ///   - block: the block.
    ///   - fullTransactions: whether to include full transaction objects.
    /// - Returns: the JSON object.
    public func blockJSON(_ block: Block, fullTransactions: Bool) async -> JSON {
        var transactions: [JSON] = []
        for (index, transaction) in block.transactions.enumerated() {
            if fullTransactions {
                transactions.append(await transactionJSON(transaction, in: block, index: index))
            } else {
                transactions.append(Quantity.json(transaction.hash))
            }
        }
        return ChainJSON.block(block, totalDifficulty: await totalDifficulty(of: block), transactions: transactions)
    }

    /// A mined transaction as JSON.
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - block: its block.
    ///   - index: its index there.
    /// - Returns: the JSON object.
    public func transactionJSON(_ transaction: Transaction, in block: Block, index: Int) async -> JSON {
        let inclusion = ChainJSON.Inclusion(blockHash: block.hash, blockNumber: block.header.number,
                                            baseFee: block.header.baseFeePerGas, index: index)
        return ChainJSON.transaction(transaction, sender: await sender(of: transaction), inclusion: inclusion)
    }

    /// A receipt as JSON.
    /// - Parameters:
    ///   - block: the block.
    ///   - receipts: the block's receipts.
    ///   - index: the transaction's index.
    /// - Returns: the JSON object.
    public func receiptJSON(block: Block, receipts: [Receipt], index: Int) async -> JSON {
        let transaction = block.transactions[index]
        let previous = index > 0 ? receipts[index - 1].cumulativeGasUsed : 0
        let firstLogIndex = receipts[..<index].reduce(0) { $0 + $1.logs.count }
        let inclusion = ChainJSON.Inclusion(blockHash: block.hash, blockNumber: block.header.number,
                                            baseFee: block.header.baseFeePerGas, index: index)
        return ChainJSON.receipt(receipts[index], transaction: transaction, sender: await sender(of: transaction),
                                 inclusion: inclusion, previousCumulativeGasUsed: previous, firstLogIndex: firstLogIndex)
    }
}

/// Totals of difficulty by block hash; Clique's difficulties are 1 and 2, so totals never change once known.
final class TotalDifficultyCache: Sendable {
    private let totals = Mutex<[Hash32: UInt256]>([:])

    func value(for hash: Hash32) -> UInt256? { totals.withLock { $0[hash] } }

    func store(_ total: UInt256, for hash: Hash32) { totals.withLock { $0[hash] = total } }
}
