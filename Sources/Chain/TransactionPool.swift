import Primitives
import State

/// Transactions waiting for a block, per sender in nonce order (after go-ethereum's
/// core/txpool/legacypool): a transaction is *pending* (executable) when every nonce from the
/// sender's state nonce up to its own is pooled, and *queued* (future) when there is a gap before it.
///
/// Admission checks, in order, each with geth's message: "already known"; the size limit
/// ("oversized data"); the stateless rules of `Transaction.validateWithoutState()` ("intrinsic gas too
/// low", "max priority fee per gas higher than max fee per gas", …); "exceeds block gas limit"; "max
/// fee per gas less than block base fee" (anvil's rule: such a transaction could never be mined on
/// a dev chain whose base fee only falls when blocks are empty); "nonce too low" against the state;
/// EIP-3607 "sender not an eoa"; "insufficient funds for gas * price + value" against the balance;
/// then replacement: the same sender and nonce is accepted only if both the fee cap and the tip rise
/// by at least `priceBumpPercent` (and strictly), else "replacement transaction underpriced"; then
/// the per-account and total limits.
///
/// A value type: the node keeps one under its lock, and evm_snapshot copies it.
public struct TransactionPool: Sendable {
    /// The bounds.
    public let limits: TransactionPoolLimits
    private var bySender: [Address: [UInt64: PooledTransaction]] = [:]
    private var byHash: [Hash32: PooledTransaction] = [:]

    /// Creates an empty pool.
    /// - Parameter limits: the bounds.
    public init(limits: TransactionPoolLimits = TransactionPoolLimits()) {
        self.limits = limits
    }

    /// How many transactions the pool holds.
    public var count: Int { byHash.count }

    /// The pooled transaction with this hash.
    /// - Parameter hash: the transaction hash.
    /// - Returns: it, or nil.
    public func transaction(hash: Hash32) -> PooledTransaction? { byHash[hash] }

    /// Validates a transaction against the head state and adds it.
    /// - Parameters:
    ///   - pooled: the transaction with its sender.
    ///   - state: the state the next block builds on (read only).
    ///   - baseFee: the next block's base fee.
    ///   - blockGasLimit: the next block's gas limit.
    /// - Returns: the hash of the transaction it replaced, if any.
    /// - Throws: `TransactionPoolError` naming the first rule broken.
    @discardableResult
    public mutating func add(_ pooled: PooledTransaction, state: WorldState, baseFee: UInt256,
                             blockGasLimit: UInt64) throws(TransactionPoolError) -> Hash32? {
        let transaction = pooled.transaction
        if byHash[pooled.hash] != nil { throw .alreadyKnown(pooled.hash) }
        let size = transaction.encoded.count
        if size > limits.maximumTransactionSize { throw .oversizedData(size: size, limit: limits.maximumTransactionSize) }
        do throws(TransactionError) { try transaction.validateWithoutState() } catch {
            if case .intrinsicGasTooLow(let gasLimit, let intrinsicGas) = error {
                throw .intrinsicGasTooLow(gasLimit: gasLimit, intrinsicGas: intrinsicGas)
            }
            throw .invalid(error)
        }
        if transaction.gasLimit > blockGasLimit {
            throw .exceedsBlockGasLimit(gasLimit: transaction.gasLimit, blockGasLimit: blockGasLimit)
        }
        if transaction.maxFeePerGas < baseFee {
            throw .maxFeeBelowBaseFee(sender: pooled.sender, maxFeePerGas: transaction.maxFeePerGas, baseFee: baseFee)
        }
        let sender = pooled.sender
        let stateNonce = state.nonce(of: sender)
        if transaction.nonce < stateNonce { throw .nonceTooLow(nextNonce: stateNonce, transactionNonce: transaction.nonce) }
        if state.codeHash(of: sender) != .emptyKeccak { throw .senderNotEOA(sender: sender) }
        let (product, productOverflow) = transaction.maxFeePerGas.multipliedFullWidth(by: UInt256(transaction.gasLimit)).low
            .addingReportingOverflow(transaction.value)
        let balance = state.balance(of: sender)
        if productOverflow || balance < product { throw .insufficientFunds(balance: balance, cost: product) }

        var queue = bySender[sender] ?? [:]
        var replaced: Hash32?
        if let existing = queue[transaction.nonce] {
            let old = existing.transaction
            let bump = limits.priceBumpPercent
            let feeThreshold = Self.bumped(old.maxFeePerGas, percent: bump)
            let tipThreshold = Self.bumped(old.maxPriorityFeePerGas, percent: bump)
            let raisesStrictly = transaction.maxFeePerGas > old.maxFeePerGas && transaction.maxPriorityFeePerGas > old.maxPriorityFeePerGas
            guard raisesStrictly, transaction.maxFeePerGas >= feeThreshold, transaction.maxPriorityFeePerGas >= tipThreshold else {
                throw .replacementUnderpriced(existingMaxFee: old.maxFeePerGas, existingTip: old.maxPriorityFeePerGas,
                                              maxFee: transaction.maxFeePerGas, tip: transaction.maxPriorityFeePerGas,
                                              bumpPercent: bump)
            }
            replaced = existing.hash
        } else {
            if queue.count >= limits.perAccount { throw .accountLimitExceeded(sender: sender, limit: limits.perAccount) }
            if byHash.count >= limits.total { throw .poolFull(limit: limits.total) }
        }
        if let replaced { byHash[replaced] = nil }
        queue[transaction.nonce] = pooled
        bySender[sender] = queue
        byHash[pooled.hash] = pooled
        return replaced
    }

    /// value × (100 + percent) / 100, as geth computes the replacement threshold.
    private static func bumped(_ value: UInt256, percent: UInt64) -> UInt256 {
        let (high, low) = value.multipliedFullWidth(by: UInt256(100 + percent))
        guard high.isZero else { return .max }
        return low.quotient(dividingBy: UInt256(100))
    }

    /// The nonce the sender's next transaction should carry: the state nonce, moved past every
    /// consecutive pooled nonce (eth_getTransactionCount with "pending").
    /// - Parameters:
    ///   - sender: the account.
    ///   - stateNonce: its nonce in the head state.
    /// - Returns: the pending nonce.
    public func pendingNonce(of sender: Address, stateNonce: UInt64) -> UInt64 {
        guard let queue = bySender[sender] else { return stateNonce }
        var nonce = stateNonce
        while queue[nonce] != nil { nonce += 1 }
        return nonce
    }

    /// The executable transactions, per sender in nonce order (senders in address order, so the
    /// result is deterministic).
    /// - Parameter stateNonce: each sender's nonce in the state the next block builds on.
    /// - Returns: one non-empty list per sender with something executable.
    public func pending(stateNonce: (Address) -> UInt64) -> [[PooledTransaction]] {
        var result: [[PooledTransaction]] = []
        for sender in bySender.keys.sorted() {
            let queue = bySender[sender]!
            var nonce = stateNonce(sender)
            var list: [PooledTransaction] = []
            while let next = queue[nonce] { list.append(next); nonce += 1 }
            if !list.isEmpty { result.append(list) }
        }
        return result
    }

    /// The transactions waiting behind a nonce gap, per sender in nonce order.
    /// - Parameter stateNonce: each sender's state nonce.
    /// - Returns: the queued transactions.
    public func queued(stateNonce: (Address) -> UInt64) -> [[PooledTransaction]] {
        let executable = Set(pending(stateNonce: stateNonce).joined().map(\.hash))
        var result: [[PooledTransaction]] = []
        for sender in bySender.keys.sorted() {
            let list = bySender[sender]!.values.sorted { $0.transaction.nonce < $1.transaction.nonce }
                .filter { !executable.contains($0.hash) }
            if !list.isEmpty { result.append(list) }
        }
        return result
    }

    /// Drops every transaction of `sender` whose nonce is below `stateNonce` (mined or superseded).
    /// - Parameters:
    ///   - sender: the account.
    ///   - stateNonce: its nonce after the latest block.
    public mutating func removeStale(of sender: Address, stateNonce: UInt64) {
        guard var queue = bySender[sender] else { return }
        for (nonce, pooled) in queue where nonce < stateNonce {
            queue[nonce] = nil
            byHash[pooled.hash] = nil
        }
        bySender[sender] = queue.isEmpty ? nil : queue
    }

    /// Removes one transaction (and leaves the sender's later ones queued behind the gap).
    /// - Parameter hash: the transaction hash.
    public mutating func remove(hash: Hash32) {
        guard let pooled = byHash.removeValue(forKey: hash) else { return }
        bySender[pooled.sender]?[pooled.transaction.nonce] = nil
        if bySender[pooled.sender]?.isEmpty == true { bySender[pooled.sender] = nil }
    }

    /// The senders with pooled transactions.
    public var senders: [Address] { Array(bySender.keys) }
}
