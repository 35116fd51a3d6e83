import ChainTypes
import Primitives

/// A receipt with the fields JSON-RPC derives beside the consensus ones (eth_getTransactionReceipt):
/// gas used by this transaction alone, the effective gas price, sender, recipient, created contract,
/// and its logs with their positions.
public struct ReceiptRecord: Hashable, Sendable {
    /// The consensus receipt (type, status, cumulative gas, bloom, logs).
    public var receipt: Receipt
    /// The transaction hash.
    public var transactionHash: Hash32
    /// The transaction's index in the block.
    public var transactionIndex: Int
    /// The block hash.
    public var blockHash: Hash32
    /// The block number.
    public var blockNumber: UInt64
    /// The sender.
    public var from: Address
    /// The recipient; nil for a contract creation.
    public var to: Address?
    /// The address a creation deploys to (also when it failed, as geth reports it); nil for a call.
    public var contractAddress: Address?
    /// The gas this transaction used (cumulative minus the previous receipt's).
    public var gasUsed: UInt64
    /// The price per gas paid (EIP-1559 effective gas price).
    public var effectiveGasPrice: UInt256
    /// The logs with their block-wide indices.
    public var logs: [LogRecord]

    /// Creates a record.
    /// - Parameters:
    ///   - receipt: the consensus receipt.
    ///   - transactionHash: the transaction hash.
    ///   - transactionIndex: its index.
    ///   - blockHash: the block hash.
    ///   - blockNumber: the block number.
    ///   - from: the sender.
    ///   - to: the recipient.
    ///   - contractAddress: the created contract.
    ///   - gasUsed: the gas used by this transaction.
    ///   - effectiveGasPrice: the price paid per gas.
    ///   - logs: the positioned logs.
    public init(receipt: Receipt, transactionHash: Hash32, transactionIndex: Int, blockHash: Hash32, blockNumber: UInt64,
                from: Address, to: Address?, contractAddress: Address?, gasUsed: UInt64, effectiveGasPrice: UInt256,
                logs: [LogRecord]) {
        self.receipt = receipt; self.transactionHash = transactionHash; self.transactionIndex = transactionIndex
        self.blockHash = blockHash; self.blockNumber = blockNumber; self.from = from; self.to = to
        self.contractAddress = contractAddress; self.gasUsed = gasUsed; self.effectiveGasPrice = effectiveGasPrice
        self.logs = logs
    }
}
