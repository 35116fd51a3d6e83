import EVM
import Primitives
import State

/// Validates and executes transactions against a `WorldState` (Yellow Paper §6; go-ethereum
/// `core/state_transition.go`; evmone `test/state/state.cpp`).
///
/// Validation comes first and changes nothing, in go-ethereum's order: nonce (too low, too high,
/// at its maximum), EIP-3607 sender code, EIP-1559 fee caps against each other and the base fee,
/// the block gas limit, the sender's funds for gasLimit × fee cap + value, the intrinsic gas, and
/// the EIP-3860 init-code size. Execution then increments the nonce (a creation's frame does that
/// itself), buys the gas at the effective price, pre-warms the sender, the recipient, the
/// precompiles, the coinbase (EIP-3651) and the access list (EIP-2930), runs the frame, refunds
/// min(refund counter, gas used / 5) (EIP-3529), returns the unused gas, pays the coinbase the
/// priority fee per gas used (the base fee is burnt), and ends the transaction in the state
/// (EIP-6780 destructions, EIP-161 empty-account deletion).
public struct TransactionProcessor: Sendable {
    /// The precompiles every transaction sees (and pre-warms).
    public var precompiles: PrecompileRegistry
    /// Analysed code shared across transactions.
    public let codeCache: CodeCache
    /// Checks left out for simulated calls (eth_simulateV1); empty, the default, for blocks.
    public var relaxations: Relaxations = []

    /// Checks a simulation leaves out, as geth's `Message.SkipTransactionChecks` and `vm.Config.NoBaseFee` do.
    public struct Relaxations: OptionSet, Sendable {
        /// The bit set.
        public let rawValue: UInt8
        /// Creates a set from its bits.
        /// - Parameter rawValue: the bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A sender with code may send (no EIP-3607 check).
        public static let skipsSenderCodeCheck = Relaxations(rawValue: 1)
        /// A transaction whose fee cap and tip are both zero runs below the base fee, paying nothing.
        public static let allowsFreeBelowBaseFee = Relaxations(rawValue: 2)
    }

    /// Creates a processor.
    /// - Parameters:
    ///   - precompiles: the precompile registry.
    ///   - codeCache: the analysed-code cache (a fresh one by default).
    public init(precompiles: PrecompileRegistry, codeCache: CodeCache = CodeCache()) {
        self.precompiles = precompiles; self.codeCache = codeCache
    }

    /// Checks a transaction against the state and block without changing anything.
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - block: the block it would go in.
    ///   - state: the state before it.
    /// - Returns: its intrinsic gas.
    /// - Throws: `TransactionValidationError` naming the first rule it breaks.
    public func validate(_ transaction: ExecutionTransaction, in block: BlockEnvironment,
                         state: WorldState) throws(TransactionValidationError) -> UInt64 {
        let sender = transaction.sender
        if transaction.kind == .blob { throw .unsupportedType(transaction.kind.rawValue) }
        let stateNonce = state.nonce(of: sender)
        if transaction.nonce < stateNonce {
            throw .nonceTooLow(sender: sender, transactionNonce: transaction.nonce, stateNonce: stateNonce)
        }
        if transaction.nonce > stateNonce {
            throw .nonceTooHigh(sender: sender, transactionNonce: transaction.nonce, stateNonce: stateNonce)
        }
        if stateNonce == UInt64.max { throw .nonceIsMax(sender: sender, nonce: stateNonce) }
        let senderCodeHash = state.codeHash(of: sender)
        if senderCodeHash != .emptyKeccak && !relaxations.contains(.skipsSenderCodeCheck) {
            throw .senderNotEOA(sender: sender, codeHash: senderCodeHash)
        }
        if transaction.maxPriorityFeePerGas > transaction.maxFeePerGas {
            throw .priorityFeeGreaterThanMaxFee(sender: sender, maxPriorityFeePerGas: transaction.maxPriorityFeePerGas,
                                                maxFeePerGas: transaction.maxFeePerGas)
        }
        let isFree = transaction.maxFeePerGas.isZero && transaction.maxPriorityFeePerGas.isZero
        if transaction.maxFeePerGas < block.baseFee && !(isFree && relaxations.contains(.allowsFreeBelowBaseFee)) {
            throw .maxFeePerGasBelowBaseFee(sender: sender, maxFeePerGas: transaction.maxFeePerGas, baseFee: block.baseFee)
        }
        if transaction.gasLimit > block.gasLimit {
            throw .gasLimitExceedsBlockGasLimit(gasLimit: transaction.gasLimit, blockGasLimit: block.gasLimit)
        }
        let product = transaction.maxFeePerGas.multipliedFullWidth(by: UInt256(transaction.gasLimit))
        let (required, sumOverflow) = product.low.addingReportingOverflow(transaction.value)
        if !product.high.isZero || sumOverflow {
            throw .gasPriceProductOverflow(sender: sender, gasLimit: transaction.gasLimit, maxFeePerGas: transaction.maxFeePerGas)
        }
        let balance = state.balance(of: sender)
        if balance < required { throw .insufficientFunds(sender: sender, balance: balance, required: required) }
        let intrinsicGas = IntrinsicGas.of(transaction)
        if transaction.gasLimit < intrinsicGas {
            throw .intrinsicGasTooLow(gasLimit: transaction.gasLimit, intrinsicGas: intrinsicGas)
        }
        if transaction.isCreation && transaction.data.count > IntrinsicGas.maxInitCodeSize {
            throw .initCodeSizeExceeded(size: transaction.data.count, limit: IntrinsicGas.maxInitCodeSize)
        }
        return intrinsicGas
    }

    /// Validates and executes a transaction, leaving its effects in `state` (the transaction is
    /// finalized but not committed: call `state.commit()` for a root).
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - block: the block it executes in.
    ///   - state: the state to execute against.
    ///   - tracer: observes every frame and opcode, or nil (the default).
    /// - Returns: status, gas used, output, logs and the created address.
    /// - Throws: `TransactionValidationError` if the transaction is invalid; the state is then unchanged.
    public func apply(_ transaction: ExecutionTransaction, in block: BlockEnvironment, to state: WorldState,
                      tracer: (any Tracer)? = nil) throws(TransactionValidationError) -> TransactionOutcome {
        let intrinsicGas = try validate(transaction, in: block, state: state)
        let sender = transaction.sender
        let gasPrice = transaction.effectiveGasPrice(baseFee: block.baseFee)
        let gasLimit = transaction.gasLimit

        state.beginTransaction()
        if !transaction.isCreation { state.setNonce(transaction.nonce + 1, of: sender) }
        state.subtractBalance(gasPrice &* UInt256(gasLimit), from: sender)

        state.accessAddress(sender)
        if let to = transaction.to { state.accessAddress(to) }
        for address in precompiles.addresses { state.accessAddress(address) }
        state.accessAddress(block.coinbase)  // EIP-3651
        for entry in transaction.accessList {
            state.accessAddress(entry.address)
            for key in entry.storageKeys { state.accessStorage(at: entry.address, key: key) }
        }

        let context = TransactionContext(
            gasPrice: gasPrice, origin: sender, coinbase: block.coinbase, number: block.number,
            timestamp: block.timestamp, gasLimit: block.gasLimit, prevRandao: block.prevRandao,
            chainId: UInt256(block.chainId), baseFee: block.baseFee, blobBaseFee: block.blobBaseFee)
        let host = ExecutionHost(state: state, precompiles: precompiles, codeCache: codeCache, block: block,
                                 transactionContext: context, tracer: tracer)
        let to = transaction.to ?? .zero
        let message = Message(kind: transaction.isCreation ? .create : .call, depth: 0,
                              gas: Int64(gasLimit - intrinsicGas), recipient: to, sender: sender,
                              input: transaction.data, value: transaction.value, codeAddress: to)
        let result = host.call(message)

        let gasLeft = UInt64(max(result.gasLeft, 0))
        var gasUsed = gasLimit - gasLeft
        let refundCounter = result.status.isSuccess ? UInt64(max(result.gasRefund, 0)) : 0
        let refund = min(refundCounter, gasUsed / 5)  // EIP-3529
        gasUsed -= refund
        state.addBalance(gasPrice &* UInt256(gasLimit - gasUsed), to: sender)
        // Only a free simulated call (`allowsFreeBelowBaseFee`) pays less than the base fee; it pays no tip.
        if gasPrice >= block.baseFee {
            let priorityFee = gasPrice &- block.baseFee
            state.addBalance(priorityFee &* UInt256(gasUsed), to: block.coinbase)
        }

        let logs = state.logs
        state.finalizeTransaction()
        return TransactionOutcome(status: result.status, gasUsed: gasUsed, gasRefunded: refund,
                                  output: result.output, logs: logs,
                                  createdAddress: result.status.isSuccess ? result.createAddress : nil)
    }
}
