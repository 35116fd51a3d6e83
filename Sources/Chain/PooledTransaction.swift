import ChainTypes
import Primitives

/// A transaction with its hash and sender, as the pool keeps it and the block builder takes it.
public struct PooledTransaction: Hashable, Sendable {
    /// The signed transaction (or, for an impersonated sender, one with a placeholder signature).
    public var transaction: Transaction
    /// Its hash.
    public var hash: Hash32
    /// Its sender (recovered, or the impersonated account).
    public var sender: Address

    /// Creates a pooled transaction.
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - hash: its hash.
    ///   - sender: its sender.
    public init(transaction: Transaction, hash: Hash32, sender: Address) {
        self.transaction = transaction; self.hash = hash; self.sender = sender
    }

    /// Recovers the sender of a signed transaction.
    /// - Parameters:
    ///   - transaction: the signed transaction.
    ///   - chainId: the chain it must be signed for.
    /// - Throws: `TransactionError` if the signature is invalid.
    public init(signed transaction: Transaction, chainId: UInt64) throws(TransactionError) {
        self.init(transaction: transaction, hash: transaction.hash, sender: try transaction.recoverSender(chainId: chainId))
    }
}
