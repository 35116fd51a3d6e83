import ChainTypes
import Primitives

/// Why the transaction pool refused a transaction.
///
/// The messages start with go-ethereum's exact phrases (core/error.go, core/txpool/errors.go), which
/// wallets, ethers, web3.py and Foundry match on, and go on to name the values involved, as geth's
/// pool does: "nonce too low: next nonce 5, tx nonce 3".
public enum TransactionPoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A transaction with the same hash is already in the pool.
    case alreadyKnown(Hash32)
    /// The nonce is below the sender's next nonce in the head state.
    case nonceTooLow(nextNonce: UInt64, transactionNonce: UInt64)
    /// The sender cannot pay gasLimit × fee cap + value.
    case insufficientFunds(balance: UInt256, cost: UInt256)
    /// The sender cannot pay this transaction on top of its pending ones (geth's overdraft check).
    case insufficientFundsWithPending(balance: UInt256, pendingCost: UInt256, cost: UInt256)
    /// The sender cannot pay for replacing one of its pending transactions with this dearer one.
    case insufficientFundsForReplacement(balance: UInt256, pendingCost: UInt256, cost: UInt256, replacedCost: UInt256)
    /// A transaction with the same sender and nonce is pooled and this one does not raise both the
    /// fee cap and the tip by at least the price bump (10%).
    case replacementUnderpriced(existingMaxFee: UInt256, existingTip: UInt256, maxFee: UInt256, tip: UInt256, bumpPercent: UInt64)
    /// The gas limit is below the intrinsic gas.
    case intrinsicGasTooLow(gasLimit: UInt64, intrinsicGas: UInt64)
    /// The gas limit is above the block gas limit.
    case exceedsBlockGasLimit(gasLimit: UInt64, blockGasLimit: UInt64)
    /// The fee cap is below the base fee of the next block.
    case maxFeeBelowBaseFee(sender: Address, maxFeePerGas: UInt256, baseFee: UInt256)
    /// The EIP-2718 type is not one this chain accepts (blob and set-code transactions).
    case unsupportedType(UInt8)
    /// The sender cannot be recovered from the signature (or the signature is for another chain).
    case invalidSender(reason: String)
    /// A legacy transaction without EIP-155 replay protection arrived over RPC.
    case unprotectedTransaction
    /// A stateless rule failed (tip above fee cap, init code too large, nonce at its maximum, …).
    case invalid(TransactionError)
    /// The transaction's encoding is larger than the pool accepts.
    case oversizedData(size: Int, limit: Int)
    /// The sender already has as many transactions queued behind a nonce gap as one account may,
    /// and this one would be the furthest out.
    case accountLimitExceeded(sender: Address, limit: Int)
    /// The pool is full and this transaction pays no more than the cheapest pooled one.
    case underpriced(tip: UInt256, maxFee: UInt256, cheapestTip: UInt256, cheapestMaxFee: UInt256, capacity: Int)
    /// The pool is full and evicting every cheaper transaction would not make room for this one.
    case poolFull(capacity: Int, slotsNeeded: Int, slotsFreeable: Int)
    /// The executable part of the pool is full and this sender already holds the most of it.
    case pendingFull(limit: Int, sender: Address, pending: Int)
    /// Making room for this gapped (queued) transaction would evict executable ones.
    case futureReplacesPending(sender: Address, nonce: UInt64)
    /// The sender has code, so it cannot originate transactions (EIP-3607).
    case senderNotEOA(sender: Address)

    /// A user-facing message starting with go-ethereum's phrase and naming the values.
    public var description: String {
        switch self {
        case .alreadyKnown:
            return "already known"
        case .nonceTooLow(let next, let nonce):
            return "nonce too low: next nonce \(next), tx nonce \(nonce)"
        case .insufficientFunds(let balance, let cost):
            return "insufficient funds for gas * price + value: balance \(balance), tx cost \(cost), overshot \(cost &- balance)"
        case .insufficientFundsWithPending(let balance, let pendingCost, let cost):
            let need = pendingCost &+ cost
            return "insufficient funds for gas * price + value: balance \(balance), queued cost \(pendingCost), tx cost \(cost), "
                + "overshot \(need &- balance)"
        case .insufficientFundsForReplacement(let balance, let pendingCost, let cost, let replacedCost):
            // geth prints the bump as a signed big integer; it is negative when the new one is cheaper.
            let bump = cost >= replacedCost ? "\(cost &- replacedCost)" : "-\(replacedCost &- cost)"
            let need = pendingCost &- replacedCost &+ cost
            return "insufficient funds for gas * price + value: balance \(balance), queued cost \(pendingCost), tx bumped \(bump), "
                + "overshot \(need &- balance)"
        case .replacementUnderpriced(let oldFee, let oldTip, let fee, let tip, let bump):
            return "replacement transaction underpriced: new tx gas fee cap \(fee) tip \(tip) <= \(bump)% bump over old fee cap \(oldFee) tip \(oldTip)"
        case .intrinsicGasTooLow(let gasLimit, let intrinsicGas):
            return "intrinsic gas too low: gas \(gasLimit), minimum needed \(intrinsicGas)"
        case .exceedsBlockGasLimit(let gasLimit, let blockGasLimit):
            return "exceeds block gas limit: tx gas \(gasLimit), block gas limit \(blockGasLimit)"
        case .maxFeeBelowBaseFee(let sender, let maxFee, let baseFee):
            return "max fee per gas less than block base fee: address \(sender), maxFeePerGas: \(maxFee), baseFee: \(baseFee)"
        case .unsupportedType(let type):
            return "transaction type not supported: type \(type), expected 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559)"
        case .invalidSender(let reason):
            return "invalid sender: \(reason)"
        case .unprotectedTransaction:
            return "only replay-protected (EIP-155) transactions allowed over RPC"
        case .invalid(let error):
            return error.description
        case .oversizedData(let size, let limit):
            return "oversized data: transaction size \(size), limit \(limit)"
        case .accountLimitExceeded(let sender, let limit):
            return "account limit exceeded: \(sender) already has \(limit) transactions queued behind a nonce gap"
        case .underpriced(let tip, let maxFee, let cheapestTip, let cheapestMaxFee, let capacity):
            return "transaction underpriced: tip \(tip) fee cap \(maxFee) pays no more than the cheapest pooled transaction "
                + "(tip \(cheapestTip) fee cap \(cheapestMaxFee)) and the pool is full (\(capacity) slots)"
        case .poolFull(let capacity, let needed, let freeable):
            return "txpool is full: all \(capacity) slots are taken, the transaction needs \(needed) more and cheaper transactions hold only \(freeable)"
        case .pendingFull(let limit, let sender, let pending):
            return "txpool is full: \(limit) executable slots in use and \(sender) holds the most (\(pending))"
        case .futureReplacesPending(let sender, let nonce):
            return "future transaction tries to replace pending: nonce \(nonce) of \(sender) is behind a nonce gap and "
                + "making room for it would evict executable transactions"
        case .senderNotEOA(let sender):
            return "sender not an eoa: address \(sender)"
        }
    }
}
