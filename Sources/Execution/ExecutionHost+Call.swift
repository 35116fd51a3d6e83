import EVM
import Primitives
import State

// Running a nested frame: CALL, CALLCODE, DELEGATECALL, STATICCALL, and a transaction's message
// call. The order of checks follows go-ethereum's `EVM.Call` (core/vm/evm.go): depth, then the
// value check, then a snapshot, the transfer, and precompile or bytecode execution. A frame that
// fails reverts to the snapshot; only REVERT (and the two "never started" cases) returns gas.

extension ExecutionHost {
    /// The deepest call depth at which a frame may still run (Yellow Paper §9: 1024).
    public static let maximumCallDepth = 1024

    /// Runs a nested frame.
    /// - Parameter message: the call or create to run.
    /// - Returns: the frame's result.
    public func call(_ message: Message) -> CallResult {
        if message.depth > Self.maximumCallDepth {
            return CallResult(status: .callDepthExceeded, gasLeft: message.gas)
        }
        switch message.kind {
        case .create, .create2:
            return create(message)
        case .call, .callCode, .delegateCall:
            return callFrame(message)
        }
    }

    /// The CALL-family part of `call(_:)`.
    func callFrame(_ message: Message) -> CallResult {
        let transfersValue = message.kind == .call || message.kind == .callCode
        if transfersValue && !message.value.isZero && state.balance(of: message.sender) < message.value {
            return CallResult(status: .insufficientBalance, gasLeft: message.gas)
        }
        let snapshot = state.snapshot()
        if message.kind == .call {
            if message.value.isZero {
                // A zero-value CALL still touches the recipient (EIP-161).
                state.touch(message.recipient)
            } else {
                state.subtractBalance(message.value, from: message.sender)
                state.addBalance(message.value, to: message.recipient)
            }
        }
        if let precompile = precompiles.precompile(at: message.codeAddress) {
            return tracingCodelessFrame(message) { runPrecompile(precompile, message: message, snapshot: snapshot) }
        }
        let codeHash = state.codeHash(of: message.codeAddress)
        if codeHash == .emptyKeccak {
            return tracingCodelessFrame(message) { CallResult(status: .success, gasLeft: message.gas) }
        }
        let codeAddress = message.codeAddress
        let code = codeCache.analyzedCode(hash: codeHash) { state.code(of: codeAddress) }
        var result = execute(message, code: code)
        if !result.status.isSuccess {
            state.revert(to: snapshot)
            if result.status != .revert { result.gasLeft = 0 }
            result.gasRefund = 0
        }
        return result
    }

    /// Runs a precompile: charges its price from the message's gas; failure or too little gas
    /// reverts the frame and consumes all the gas (go-ethereum `RunPrecompiledContract`).
    func runPrecompile(_ precompile: any Precompile, message: Message, snapshot: Int) -> CallResult {
        let required = precompile.requiredGas(input: message.input)
        guard required <= UInt64(max(message.gas, 0)) else {
            state.revert(to: snapshot)
            return CallResult(status: .outOfGas, gasLeft: 0)
        }
        switch precompile.run(input: message.input, context: precompileContext) {
        case .success(let output):
            return CallResult(status: .success, gasLeft: message.gas - Int64(required), output: output)
        case .failure:
            state.revert(to: snapshot)
            return CallResult(status: .precompileFailure, gasLeft: 0)
        }
    }

    /// Runs a frame that has no bytecode to interpret (a precompile, or an account without code)
    /// between the tracer's frame hooks, so tracers see every frame geth's do: callTracer lists
    /// calls to precompiles and plain value transfers (a transfer's trace is its one CALL frame).
    /// - Parameters:
    ///   - message: the frame's message.
    ///   - body: runs the frame.
    /// - Returns: the frame's result.
    @inline(__always)
    func tracingCodelessFrame(_ message: Message, _ body: () -> CallResult) -> CallResult {
        guard let tracer, type(of: tracer).isEnabled else { return body() }
        tracer.frameDidStart(message: message, code: AnalyzedCode.empty)
        let result = body()
        tracer.frameDidEnd(message: message, result: result)
        return result
    }

    /// Runs bytecode in a frame with the interpreter (traced only when a tracer is set).
    func execute(_ message: Message, code: AnalyzedCode) -> CallResult {
        if let tracer { return Interpreter.execute(message, code: code, host: self, tracer: tracer) }
        return Interpreter.execute(message, code: code, host: self)
    }
}
