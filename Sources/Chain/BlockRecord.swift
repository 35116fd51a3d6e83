import ChainTypes
import Primitives

/// A stored block with what JSON-RPC shows beside it: its hash, each transaction's sender and
/// hash, its total difficulty and its encoded size.
public struct BlockRecord: Hashable, Sendable {
    /// The block.
    public var block: Block
    /// The block hash.
    public var hash: Hash32
    /// The sender of each transaction, in order.
    public var senders: [Address]
    /// The hash of each transaction, in order.
    public var transactionHashes: [Hash32]
    /// The sum of the difficulties from block 0 to this one.
    public var totalDifficulty: UInt256
    /// The length in bytes of the block's RLP encoding (`size` in JSON-RPC).
    public var size: Int

    /// Creates a record.
    /// - Parameters:
    ///   - block: the block.
    ///   - hash: its hash.
    ///   - senders: each transaction's sender.
    ///   - transactionHashes: each transaction's hash.
    ///   - totalDifficulty: the total difficulty up to and including this block.
    ///   - size: the encoded size.
    public init(block: Block, hash: Hash32, senders: [Address], transactionHashes: [Hash32],
                totalDifficulty: UInt256, size: Int) {
        self.block = block; self.hash = hash; self.senders = senders
        self.transactionHashes = transactionHashes; self.totalDifficulty = totalDifficulty; self.size = size
    }

    /// The header.
    public var header: Header { block.header }
    /// The block number.
    public var number: UInt64 { block.header.number }

    /// The transactions as JSON-RPC lists them with `fullTransactions: true`.
    public var transactionRecords: [TransactionRecord] {
        block.transactions.indices.map { index in
            TransactionRecord(transaction: block.transactions[index], hash: transactionHashes[index],
                              sender: senders[index], blockHash: hash, blockNumber: number, index: index,
                              baseFeePerGas: block.header.baseFeePerGas, blockTimestamp: block.header.timestamp)
        }
    }
}
