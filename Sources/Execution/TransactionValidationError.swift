import Primitives

/// Why a transaction is invalid and cannot be included in a block. An invalid transaction changes
/// no state. Messages reuse go-ethereum's phrases (core/error.go), which wallets and tools match on,
/// and name the values involved.
public enum TransactionValidationError: Error, Equatable, CustomStringConvertible {
    /// The transaction's nonce is below the sender's.
    case nonceTooLow(sender: Address, transactionNonce: UInt64, stateNonce: UInt64)
    /// The transaction's nonce is above the sender's.
    case nonceTooHigh(sender: Address, transactionNonce: UInt64, stateNonce: UInt64)
    /// The sender's nonce is 2^64 − 1 and cannot be incremented (EIP-2681).
    case nonceIsMax(sender: Address, nonce: UInt64)
    /// The sender has code, so it cannot originate transactions (EIP-3607).
    case senderNotEOA(sender: Address, codeHash: Hash32)
    /// The tip cap exceeds the fee cap (EIP-1559).
    case priorityFeeGreaterThanMaxFee(sender: Address, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256)
    /// The fee cap (or gas price) is below the block's base fee (EIP-1559).
    case maxFeePerGasBelowBaseFee(sender: Address, maxFeePerGas: UInt256, baseFee: UInt256)
    /// The transaction asks for more gas than the block allows.
    case gasLimitExceedsBlockGasLimit(gasLimit: UInt64, blockGasLimit: UInt64)
    /// gasLimit × fee cap + value does not fit in 256 bits.
    case gasPriceProductOverflow(sender: Address, gasLimit: UInt64, maxFeePerGas: UInt256)
    /// The sender cannot pay gasLimit × fee cap + value.
    case insufficientFunds(sender: Address, balance: UInt256, required: UInt256)
    /// The gas limit is below the intrinsic gas.
    case intrinsicGasTooLow(gasLimit: UInt64, intrinsicGas: UInt64)
    /// A creation's init code exceeds 49152 bytes (EIP-3860).
    case initCodeSizeExceeded(size: Int, limit: Int)
    /// The transaction type is not supported (EIP-4844 blob transactions are out of scope).
    case unsupportedType(UInt8)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .nonceTooLow(let sender, let transactionNonce, let stateNonce):
            return "nonce too low: address \(sender), tx: \(transactionNonce) state: \(stateNonce)"
        case .nonceTooHigh(let sender, let transactionNonce, let stateNonce):
            return "nonce too high: address \(sender), tx: \(transactionNonce) state: \(stateNonce)"
        case .nonceIsMax(let sender, let nonce):
            return "nonce has max value: address \(sender), nonce: \(nonce)"
        case .senderNotEOA(let sender, let codeHash):
            return "sender not an eoa: address \(sender), codehash: \(codeHash)"
        case .priorityFeeGreaterThanMaxFee(let sender, let tip, let cap):
            return "max priority fee per gas higher than max fee per gas: address \(sender), maxPriorityFeePerGas: \(tip), maxFeePerGas: \(cap)"
        case .maxFeePerGasBelowBaseFee(let sender, let cap, let baseFee):
            return "max fee per gas less than block base fee: address \(sender), maxFeePerGas: \(cap), baseFee: \(baseFee)"
        case .gasLimitExceedsBlockGasLimit(let gasLimit, let blockGasLimit):
            return "gas limit \(gasLimit) exceeds block gas limit \(blockGasLimit)"
        case .gasPriceProductOverflow(let sender, let gasLimit, let cap):
            return "insufficient funds for gas * price + value: address \(sender), gas limit \(gasLimit) × max fee per gas \(cap) overflows 256 bits"
        case .insufficientFunds(let sender, let balance, let required):
            return "insufficient funds for gas * price + value: address \(sender) have \(balance) want \(required)"
        case .intrinsicGasTooLow(let gasLimit, let intrinsicGas):
            return "intrinsic gas too low: have \(gasLimit), want \(intrinsicGas)"
        case .initCodeSizeExceeded(let size, let limit):
            return "max initcode size exceeded: code size \(size) limit \(limit)"
        case .unsupportedType(let type):
            return "transaction type \(type) not supported"
        }
    }
}
