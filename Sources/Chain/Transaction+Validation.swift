import ChainTypes
import EVM
import Execution
import Primitives

// Rules a transaction must satisfy that need no state: they hold or fail whatever the accounts
// hold, so the pool can reject a transaction before it is executed and the block executor checks
// them again. Balance, nonce order and base fee are state or block checks and live with the
// executor.
//
// Overlap: the EVM's TransactionProcessor computes intrinsic gas too, when it charges it. This
// module keeps its own small pure function because decoding-level validation (the transaction
// pool, ethereum/tests TransactionTests) must not depend on executing anything; both follow the
// same rules and the TransactionTests vectors pin them.

extension Transaction {
    /// The most init code a contract creation may carry: 2 × the EIP-170 code size limit (EIP-3860).
    package static let maximumInitCodeSize = IntrinsicGas.maxInitCodeSize

    /// This transaction's intrinsic gas, by the one definition the EVM charges (`IntrinsicGas`).
    public var intrinsicGas: UInt64 {
        IntrinsicGas.of(data: data, isCreation: isContractCreation, accessList: accessList)
    }

    /// Checks the rules that need no state, in this order: the nonce is below 2^64 − 1 (EIP-2681);
    /// the priority fee does not exceed the fee cap (EIP-1559); gasLimit × maxFeePerGas fits in 256
    /// bits; init code is at most 49152 bytes (EIP-3860); the gas limit covers the intrinsic gas.
    /// - Throws: `TransactionError.nonceAtMaximum`, `.priorityFeeAboveMaxFee`, `.gasCostOverflow`,
    ///   `.initCodeTooLarge` or `.intrinsicGasTooLow`.
    package func validateWithoutState() throws(TransactionError) {
        guard nonce < UInt64.max else { throw .nonceAtMaximum }
        guard maxPriorityFeePerGas <= maxFeePerGas else {
            throw .priorityFeeAboveMaxFee(maxPriorityFeePerGas: maxPriorityFeePerGas, maxFeePerGas: maxFeePerGas)
        }
        guard maxFeePerGas.multipliedFullWidth(by: UInt256(gasLimit)).high.isZero else {
            throw .gasCostOverflow(gasLimit: gasLimit, maxFeePerGas: maxFeePerGas)
        }
        if isContractCreation && data.count > Transaction.maximumInitCodeSize {
            throw .initCodeTooLarge(size: data.count, limit: Transaction.maximumInitCodeSize)
        }
        let intrinsic = intrinsicGas
        guard gasLimit >= intrinsic else { throw .intrinsicGasTooLow(gasLimit: gasLimit, intrinsicGas: intrinsic) }
    }
}
