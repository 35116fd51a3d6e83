import EVM
import Primitives
import State

// CREATE, CREATE2 and creation transactions, in go-ethereum's `EVM.create` order: value check,
// sender nonce increment (failing at 2^64 − 1, EIP-2681), address derivation, warming the new
// address (EIP-2929, kept even if the creation fails), the collision check (EIP-684, extended to
// non-empty storage by EIP-7610), then a snapshot, the new account with nonce 1 (EIP-161), the
// value transfer, the init code, and the code deposit: at most 24576 bytes (EIP-170), not
// starting with 0xEF (EIP-3541), 200 gas per byte.

extension ExecutionHost {
    /// The largest deployable code (EIP-170).
    public static let maximumCodeSize = 24576
    /// Gas per byte of deposited code (Yellow Paper G_codedeposit).
    public static let codeDepositGasPerByte: Int64 = 200

    /// The CREATE-family part of `call(_:)`.
    func create(_ message: Message) -> CallResult {
        let sender = message.sender
        if !message.value.isZero && state.balance(of: sender) < message.value {
            return CallResult(status: .insufficientBalance, gasLeft: message.gas)
        }
        let nonce = state.nonce(of: sender)
        guard nonce < UInt64.max else {
            return CallResult(status: .argumentOutOfRange, gasLeft: message.gas)
        }
        state.setNonce(nonce + 1, of: sender)
        let address = message.kind == .create2
            ? ContractAddress.create2(sender: sender, salt: message.salt, initCodeHash: Keccak256.hash(message.input))
            : ContractAddress.create(sender: sender, nonce: nonce)
        state.accessAddress(address)
        if state.nonce(of: address) != 0 || state.codeHash(of: address) != .emptyKeccak || state.hasStorage(address) {
            return CallResult(status: .createCollision, gasLeft: 0)
        }
        let snapshot = state.snapshot()
        state.createContract(at: address)
        state.setNonce(1, of: address)
        if !message.value.isZero {
            state.subtractBalance(message.value, from: sender)
            state.addBalance(message.value, to: address)
        }
        var frame = message
        frame.recipient = address
        frame.codeAddress = address
        frame.input = []
        let result = execute(frame, code: AnalyzedCode(message.input))
        guard result.status.isSuccess else {
            state.revert(to: snapshot)
            return CallResult(status: result.status, gasLeft: result.status == .revert ? result.gasLeft : 0,
                              output: result.status == .revert ? result.output : [])
        }
        let code = result.output
        if code.count > Self.maximumCodeSize || code.first == 0xEF {
            state.revert(to: snapshot)
            return CallResult(status: .contractValidationFailure, gasLeft: 0)
        }
        let depositCost = Int64(code.count) * Self.codeDepositGasPerByte
        guard result.gasLeft >= depositCost else {
            state.revert(to: snapshot)
            return CallResult(status: .outOfGas, gasLeft: 0)
        }
        state.setCode(code, of: address)
        return CallResult(status: .success, gasLeft: result.gasLeft - depositCost, gasRefund: result.gasRefund,
                          createAddress: address)
    }
}
