import Primitives

// System operations, 0xf0–0xff (Yellow Paper appendix H.2): CREATE, CALL, CALLCODE, RETURN,
// DELEGATECALL (EIP-7), CREATE2 (EIP-1014), STATICCALL (EIP-214), REVERT (EIP-140), SELFDESTRUCT
// (EIP-6780).
//
// Who charges what. The interpreter charges everything the calling frame pays: memory expansion
// for the argument and result regions, EIP-2929 cold account access (2600 in all), the value
// transfer (9000), the new account (25000, CALL with value to an account that does not exist,
// EIP-161), EIP-3860's 2 gas per init-code word and its 49,152-byte limit, CREATE2's 6 gas per
// word for hashing the init code, and it caps the gas passed on at all but one 64th of what is
// left (EIP-150). A value-bearing call gives the callee 2300 extra gas (the stipend) for free.
// The host then runs the nested frame: it checks the depth limit and the sender's balance (a
// frame that never starts returns all its gas), transfers value, takes snapshots, runs
// precompiles, derives CREATE addresses, and charges the code deposit (200 per byte) and checks
// EIP-170/EIP-3541 for created code.

/// CREATE, CREATE2, CALL, CALLCODE, DELEGATECALL, STATICCALL, RETURN, REVERT, SELFDESTRUCT.
@usableFromInline
enum SystemOperations {
    /// Which of the four call opcodes is running.
    @usableFromInline
    enum CallOpcode {
        case call, callCode, delegateCall, staticCall
    }

    /// CALL, CALLCODE, DELEGATECALL, STATICCALL: runs a nested frame through the host and pushes 1
    /// on success, 0 otherwise. Stack: gas, address, [value,] argument offset and size, result
    /// offset and size.
    @inlinable
    static func call<H: Host>(_ opcode: CallOpcode, _ state: inout ExecutionState, host: H) -> StatusCode {
        let requestedGas = state.stack.pop()
        let target = Environment.address(from: state.stack.pop())
        var value = UInt256.zero
        if opcode == .call || opcode == .callCode { value = state.stack.pop() }
        let hasValue = !value.isZero
        let inputOffset = state.stack.pop(), inputSize = state.stack.pop()
        let outputOffset = state.stack.pop(), outputSize = state.stack.pop()

        // EIP-214: a static frame may not transfer value with CALL.
        if opcode == .call && hasValue && state.message.isStatic { return .staticModeViolation }
        guard let input = state.memoryRegion(offset: inputOffset, size: inputSize),
              let output = state.memoryRegion(offset: outputOffset, size: outputSize),
              Environment.chargeAccountAccess(target, &state, host: host) else { return .outOfGas }
        var cost: Int64 = 0
        if hasValue {
            cost = GasCost.callValue
            // EIP-161: only CALL can create the recipient; CALLCODE sends value to itself.
            if opcode == .call && !host.accountExists(target) { cost &+= GasCost.newAccount }
        }
        guard state.charge(cost) else { return .outOfGas }

        // EIP-150: pass on at most all but one 64th of the gas left.
        let cap = state.gasLeft &- state.gasLeft / 64
        var callGas = cap
        if let requested = requestedGas.uint64IfFits, requested < UInt64(cap) { callGas = Int64(requested) }
        state.gasLeft &-= callGas
        if hasValue { callGas &+= GasCost.callStipend }

        let parent = state.message
        let message: Message
        switch opcode {
        case .call:
            message = Message(kind: .call, isStatic: parent.isStatic, depth: parent.depth &+ 1, gas: callGas,
                              recipient: target, sender: parent.recipient,
                              input: state.memory.copy(offset: input.offset, count: input.size),
                              value: value, codeAddress: target)
        case .callCode:
            message = Message(kind: .callCode, isStatic: parent.isStatic, depth: parent.depth &+ 1, gas: callGas,
                              recipient: parent.recipient, sender: parent.recipient,
                              input: state.memory.copy(offset: input.offset, count: input.size),
                              value: value, codeAddress: target)
        case .delegateCall:
            message = Message(kind: .delegateCall, isStatic: parent.isStatic, depth: parent.depth &+ 1,
                              gas: callGas, recipient: parent.recipient, sender: parent.sender,
                              input: state.memory.copy(offset: input.offset, count: input.size),
                              value: parent.value, codeAddress: target)
        case .staticCall:
            message = Message(kind: .call, isStatic: true, depth: parent.depth &+ 1, gas: callGas,
                              recipient: target, sender: parent.recipient,
                              input: state.memory.copy(offset: input.offset, count: input.size),
                              value: .zero, codeAddress: target)
        }
        let result = host.call(message)

        state.returnData = result.output
        let copied = min(output.size, result.output.count)
        if copied > 0 {
            let destination = state.memory.bytes + output.offset
            result.output.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: copied) }
        }
        state.gasLeft &+= result.gasLeft
        if result.status == .success { state.gasRefund &+= result.gasRefund }
        state.stack.push(result.status == .success ? .one : .zero)
        return .success
    }

    /// CREATE and CREATE2: runs init code through the host and pushes the new address, or 0 on
    /// failure. Stack: value, init-code offset and size, [salt].
    /// - Parameter isCreate2: true for CREATE2 (EIP-1014).
    @inlinable
    static func create<H: Host>(isCreate2: Bool, _ state: inout ExecutionState, host: H) -> StatusCode {
        if state.message.isStatic { return .staticModeViolation }  // EIP-214
        let value = state.stack.pop(), offset = state.stack.pop(), size = state.stack.pop()
        let salt = isCreate2 ? state.stack.pop() : .zero
        guard let initCode = state.memoryRegion(offset: offset, size: size) else { return .outOfGas }
        // EIP-3860: init code above 49,152 bytes is an exceptional abort of the creating frame
        // (evmone reports it as out of gas).
        if initCode.size > GasCost.maxInitCodeSize { return .outOfGas }
        let words = GasCost.wordCount(initCode.size)
        var cost = GasCost.initCodeWord &* words  // EIP-3860
        if isCreate2 { cost &+= GasCost.keccak256Word &* words }  // EIP-1014: hashing the init code
        guard state.charge(cost) else { return .outOfGas }

        let callGas = state.gasLeft &- state.gasLeft / 64  // EIP-150
        state.gasLeft &-= callGas
        let parent = state.message
        let message = Message(kind: isCreate2 ? .create2 : .create, isStatic: false, depth: parent.depth &+ 1,
                              gas: callGas, recipient: .zero, sender: parent.recipient,
                              input: state.memory.copy(offset: initCode.offset, count: initCode.size),
                              value: value, salt: salt, codeAddress: .zero)
        let result = host.call(message)

        // EIP-211: after a create, return data is the revert data, or empty.
        state.returnData = result.status == .revert ? result.output : []
        state.gasLeft &+= result.gasLeft
        if result.status == .success, let address = result.createAddress {
            state.gasRefund &+= result.gasRefund
            state.stack.push(Environment.word(address))
        } else {
            state.stack.push(.zero)
        }
        return .success
    }

    /// RETURN and REVERT: hands memory[μs[0] ..< μs[0] + μs[1]] to the caller and halts.
    /// - Parameter status: `.success` for RETURN, `.revert` for REVERT (EIP-140).
    /// - Returns: `status`, or `.outOfGas` if the memory expansion cannot be paid.
    @inlinable
    static func halt(with status: StatusCode, _ state: inout ExecutionState) -> StatusCode {
        let offset = state.stack.pop(), size = state.stack.pop()
        guard let region = state.memoryRegion(offset: offset, size: size) else { return .outOfGas }
        state.output = state.memory.copy(offset: region.offset, count: region.size)
        return status
    }

    /// SELFDESTRUCT: sends the balance to μs[0] and, under EIP-6780, deletes the account only if it
    /// was created in this transaction (the host decides). 5000 gas, plus 2600 for a cold
    /// beneficiary (EIP-2929), plus 25000 when a non-zero balance goes to an account that does not
    /// exist (EIP-161). No refund (EIP-3529). Forbidden in a static frame (EIP-214).
    @inlinable
    static func selfdestruct<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        if state.message.isStatic { return .staticModeViolation }
        let beneficiary = Environment.address(from: state.stack.pop())
        if host.accessAccount(beneficiary) == .cold {
            guard state.charge(GasCost.coldAccountAccess) else { return .outOfGas }
        }
        let account = state.message.recipient
        if !host.balance(of: account).isZero && !host.accountExists(beneficiary) {
            guard state.charge(GasCost.newAccount) else { return .outOfGas }
        }
        _ = host.selfDestruct(account, beneficiary: beneficiary)
        return .success
    }
}
