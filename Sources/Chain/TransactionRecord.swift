import ChainTypes
import Primitives

/// A transaction with its sender and, once mined, where it is (eth_getTransactionByHash).
public struct TransactionRecord: Hashable, Sendable {
    /// The transaction.
    public var transaction: Transaction
    /// Its hash.
    public var hash: Hash32
    /// Its sender (recovered, or the impersonated account).
    public var sender: Address
    /// The containing block's hash; nil while pending.
    public var blockHash: Hash32?
    /// The containing block's number; nil while pending.
    public var blockNumber: UInt64?
    /// The containing block's timestamp; nil while pending.
    public var blockTimestamp: UInt64?
    /// The position in the block; nil while pending.
    public var index: Int?
    /// The containing block's base fee, for `effectiveGasPrice`; nil while pending.
    public var baseFeePerGas: UInt256?

    /// Creates a record.
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - hash: its hash.
    ///   - sender: its sender.
    ///   - blockHash: the block hash, nil while pending.
    ///   - blockNumber: the block number, nil while pending.
    ///   - index: the index in the block, nil while pending.
    ///   - baseFeePerGas: the block's base fee, nil while pending.
    ///   - blockTimestamp: the block's timestamp, nil while pending.
    public init(transaction: Transaction, hash: Hash32, sender: Address, blockHash: Hash32?, blockNumber: UInt64?,
                index: Int?, baseFeePerGas: UInt256?, blockTimestamp: UInt64? = nil) {
        self.transaction = transaction; self.hash = hash; self.sender = sender; self.blockHash = blockHash
        self.blockNumber = blockNumber; self.index = index; self.baseFeePerGas = baseFeePerGas
        self.blockTimestamp = blockTimestamp
    }

    /// The price per gas paid: for a mined transaction min(fee cap, base fee + tip) (EIP-1559);
    /// for a pending one its fee cap (what geth shows as `gasPrice` of a pending dynamic-fee transaction).
    public var effectiveGasPrice: UInt256 {
        guard let baseFeePerGas else { return transaction.maxFeePerGas }
        return transaction.effectiveGasPrice(baseFee: baseFeePerGas)
    }
}
