import Primitives

// The dispatch loop (Yellow Paper §9.4, appendix H), shaped after evmone's baseline interpreter:
// fetch the opcode, check its stack requirements and charge its base gas from the instruction
// table, then call its function from one `switch` on the opcode byte. Opcode functions hold only
// the semantics and the dynamic gas. Halts are results (`StatusCode`), not thrown errors.
//
// Performance notes: the whole loop is `@inlinable` and generic over `Host` and `Tracer`, so it is
// specialised for the concrete host and tracer where it is called: host calls are direct calls,
// and with `NoTracer` the tracing code disappears. Per opcode there is no allocation, no
// reference counting, no dictionary lookup and no existential dispatch: the code, the jump
// bitmap, the instruction table and the stack are raw pointers, and the switch on a byte with
// literal cases compiles to a jump table.
//
// The loop keeps the stack top, the gas counter and the program counter in locals (registers),
// as evmone's baseline keeps them in its `Position` and revm in its interpreter's locals. The
// opcodes that need only those (arithmetic, comparison, bitwise, stack, jumps, MLOAD/MSTORE) run
// inline on the locals. Every other opcode goes through `runStateful`, kept out of line: the loop
// writes the locals back to `ExecutionState` first and reloads them after, because those opcodes
// take the whole state `inout`, and a state whose address escapes into an out-of-line call could
// not have its fields in registers. Measured on evm-benchmarks (docs/performance.md, "EVM").

/// Runs EVM bytecode, one call frame at a time, for the Cancun revision (no EOF).
public enum Interpreter {
    /// Runs one frame: the host calls this for every frame it starts (the transaction's call or
    /// create, and every nested CALL/CREATE it performs).
    ///
    /// Who charges what:
    /// - The **interpreter** charges everything spent inside the frame: base and dynamic opcode
    ///   gas, memory expansion, EIP-2929 cold/warm access (2600/100 per account, 2100/100 per slot),
    ///   SSTORE per EIP-2200/2929/3529 from the host's `StorageStatus`, and for nested frames the
    ///   value transfer (9000), the new account (25000, CALL with value to an account that does not
    ///   exist, EIP-161), EIP-3860's 2 gas per init-code word and 49,152-byte init-code limit,
    ///   CREATE2's 6 gas per hashed word, and the EIP-150 cap (all but 1/64 of the gas left). A
    ///   value-bearing CALL/CALLCODE message carries the 2300 stipend on top of the gas the caller
    ///   paid for.
    /// - The **host** (`Host.call`) handles what lies around a nested frame: the depth limit and the
    ///   sender's balance (a frame that never starts returns `callDepthExceeded` or
    ///   `insufficientBalance` with `gasLeft == message.gas`, stipend included, and the caller
    ///   pushes 0), value transfer, snapshots and revert, precompiles, CREATE/CREATE2 addresses and
    ///   collisions, and for creates the code deposit (200 gas per byte of returned code) and the
    ///   EIP-170/EIP-3541 checks. The host also drops `gasRefund` of frames that fail; the
    ///   interpreter only adds a nested frame's refund when it succeeded.
    ///
    /// Frame setup cost is the caller's business: this call allocates a 32 KiB stack and a 4 KiB
    /// memory buffer, and frees both before returning.
    ///
    /// - Parameters:
    ///   - message: the frame's message; `message.gas` is the gas available.
    ///   - code: the analysed code to run (contract code from `CodeCache`, or init code).
    ///   - host: the world the frame runs against.
    ///   - tracer: observes each frame and opcode; pass the same tracer to nested frames.
    /// - Returns: the status, gas left (0 unless success or revert), the refund counter (0 unless
    ///   success) and the output (RETURN or REVERT data; empty otherwise).
    @inlinable
    public static func execute<H: Host, T: Tracer>(_ message: Message, code: AnalyzedCode, host: H,
                                                   tracer: T) -> CallResult {
        if T.isEnabled { tracer.frameDidStart(message: message, code: code) }
        var state = ExecutionState(message: message, code: code)
        let status = withExtendedLifetime(code) { run(&state, host: host, tracer: tracer) }
        let result: CallResult
        switch status {
        case .success:
            result = CallResult(status: .success, gasLeft: state.gasLeft, gasRefund: state.gasRefund,
                                output: state.output)
        case .revert:
            result = CallResult(status: .revert, gasLeft: state.gasLeft, gasRefund: 0, output: state.output)
        default:
            result = CallResult(status: status, gasLeft: 0)
        }
        state.deallocate()
        if T.isEnabled { tracer.frameDidEnd(message: message, result: result) }
        return result
    }

    /// Runs one frame without tracing.
    /// - Parameters:
    ///   - message: the frame's message; `message.gas` is the gas available.
    ///   - code: the analysed code to run.
    ///   - host: the world the frame runs against.
    /// - Returns: how the frame ended; see `execute(_:code:host:tracer:)`.
    @inlinable
    public static func execute<H: Host>(_ message: Message, code: AnalyzedCode, host: H) -> CallResult {
        execute(message, code: code, host: host, tracer: NoTracer.shared)
    }

    /// The dispatch loop. Returns how the frame halted; `state.gasLeft` and `state.stack` are
    /// current when it returns.
    @inlinable
    static func run<H: Host, T: Tracer>(_ state: inout ExecutionState, host: H, tracer: T) -> StatusCode {
        let table = InstructionTable.traits
        let code = state.codeBytes
        let jumpDestinations = JumpDestinations(state.code)
        var stack = state.stack
        var gasLeft = state.gasLeft
        defer {
            state.stack = stack
            state.gasLeft = gasLeft
        }
        var pc = 0
        while true {
            let opcode = code[pc]
            let traits = table[Int(opcode)]
            if T.isEnabled {
                tracer.willExecute(TraceStep(
                    pc: pc, opcode: opcode, gasLeft: gasLeft, gasCost: traits.baseGas,
                    stack: stack.items, memory: state.memory.activeBytes, depth: state.message.depth,
                    refund: state.gasRefund, returnData: state.returnData))
            }
            // One unsigned comparison covers both bounds: below the minimum wraps around to a
            // huge value. Only on failure do we work out which bound it was.
            let height = stack.byteHeight
            if _slowPath(UInt(bitPattern: height &- Int(traits.minimumByteHeight)) > UInt(traits.byteHeightRange)) {
                return height < Int(traits.minimumByteHeight) ? .stackUnderflow : .stackOverflow
            }
            gasLeft &-= traits.baseGas
            if _slowPath(gasLeft < 0) { return .outOfGas }

            var status = StatusCode.success
            switch opcode {
            case 0x00: return .success  // STOP
            case 0x01: Arithmetic.add(&stack)
            case 0x02: Arithmetic.mul(&stack)
            case 0x03: Arithmetic.sub(&stack)
            case 0x04: Arithmetic.div(&stack)
            case 0x05: Arithmetic.sdiv(&stack)
            case 0x06: Arithmetic.mod(&stack)
            case 0x07: Arithmetic.smod(&stack)
            case 0x08: Arithmetic.addmod(&stack)
            case 0x09: Arithmetic.mulmod(&stack)
            case 0x0a: status = Arithmetic.exp(&stack, gasLeft: &gasLeft)
            case 0x0b: Arithmetic.signextend(&stack)
            case 0x10: Bitwise.lt(&stack)
            case 0x11: Bitwise.gt(&stack)
            case 0x12: Bitwise.slt(&stack)
            case 0x13: Bitwise.sgt(&stack)
            case 0x14: Bitwise.eq(&stack)
            case 0x15: Bitwise.iszero(&stack)
            case 0x16: Bitwise.and(&stack)
            case 0x17: Bitwise.or(&stack)
            case 0x18: Bitwise.xor(&stack)
            case 0x19: Bitwise.not(&stack)
            case 0x1a: Bitwise.byte(&stack)
            case 0x1b: Bitwise.shl(&stack)
            case 0x1c: Bitwise.shr(&stack)
            case 0x1d: Bitwise.sar(&stack)
            case 0x50: StackOperations.pop(&stack)
            case 0x51: status = MemoryOperations.mload(&stack, memory: &state.memory, gasLeft: &gasLeft)
            case 0x52: status = MemoryOperations.mstore(&stack, memory: &state.memory, gasLeft: &gasLeft)
            case 0x53: status = MemoryOperations.mstore8(&stack, memory: &state.memory, gasLeft: &gasLeft)
            case 0x56:
                status = ControlFlow.jump(&stack, code: jumpDestinations, pc: &pc)
                if _slowPath(status != .success) { return status }
                continue  // the program counter is set
            case 0x57:
                status = ControlFlow.jumpi(&stack, code: jumpDestinations, pc: &pc)
                if _slowPath(status != .success) { return status }
                continue  // the program counter is set
            case 0x58: ControlFlow.pc(&stack, pc: pc)
            case 0x59: MemoryOperations.msize(&stack, memory: state.memory)
            case 0x5a: ControlFlow.gas(&stack, gasLeft: gasLeft)
            case 0x5b: break  // JUMPDEST
            case 0x5f: StackOperations.push0(&stack)
            case 0x60: StackOperations.push(1, &stack, code: code, pc: &pc)
            case 0x61: StackOperations.push(2, &stack, code: code, pc: &pc)
            case 0x62: StackOperations.push(3, &stack, code: code, pc: &pc)
            case 0x63: StackOperations.push(4, &stack, code: code, pc: &pc)
            case 0x64: StackOperations.push(5, &stack, code: code, pc: &pc)
            case 0x65: StackOperations.push(6, &stack, code: code, pc: &pc)
            case 0x66: StackOperations.push(7, &stack, code: code, pc: &pc)
            case 0x67: StackOperations.push(8, &stack, code: code, pc: &pc)
            case 0x68: StackOperations.push(9, &stack, code: code, pc: &pc)
            case 0x69: StackOperations.push(10, &stack, code: code, pc: &pc)
            case 0x6a: StackOperations.push(11, &stack, code: code, pc: &pc)
            case 0x6b: StackOperations.push(12, &stack, code: code, pc: &pc)
            case 0x6c: StackOperations.push(13, &stack, code: code, pc: &pc)
            case 0x6d: StackOperations.push(14, &stack, code: code, pc: &pc)
            case 0x6e: StackOperations.push(15, &stack, code: code, pc: &pc)
            case 0x6f: StackOperations.push(16, &stack, code: code, pc: &pc)
            case 0x70: StackOperations.push(17, &stack, code: code, pc: &pc)
            case 0x71: StackOperations.push(18, &stack, code: code, pc: &pc)
            case 0x72: StackOperations.push(19, &stack, code: code, pc: &pc)
            case 0x73: StackOperations.push(20, &stack, code: code, pc: &pc)
            case 0x74: StackOperations.push(21, &stack, code: code, pc: &pc)
            case 0x75: StackOperations.push(22, &stack, code: code, pc: &pc)
            case 0x76: StackOperations.push(23, &stack, code: code, pc: &pc)
            case 0x77: StackOperations.push(24, &stack, code: code, pc: &pc)
            case 0x78: StackOperations.push(25, &stack, code: code, pc: &pc)
            case 0x79: StackOperations.push(26, &stack, code: code, pc: &pc)
            case 0x7a: StackOperations.push(27, &stack, code: code, pc: &pc)
            case 0x7b: StackOperations.push(28, &stack, code: code, pc: &pc)
            case 0x7c: StackOperations.push(29, &stack, code: code, pc: &pc)
            case 0x7d: StackOperations.push(30, &stack, code: code, pc: &pc)
            case 0x7e: StackOperations.push(31, &stack, code: code, pc: &pc)
            case 0x7f: StackOperations.push(32, &stack, code: code, pc: &pc)
            case 0x80: StackOperations.dup(1, &stack)
            case 0x81: StackOperations.dup(2, &stack)
            case 0x82: StackOperations.dup(3, &stack)
            case 0x83: StackOperations.dup(4, &stack)
            case 0x84: StackOperations.dup(5, &stack)
            case 0x85: StackOperations.dup(6, &stack)
            case 0x86: StackOperations.dup(7, &stack)
            case 0x87: StackOperations.dup(8, &stack)
            case 0x88: StackOperations.dup(9, &stack)
            case 0x89: StackOperations.dup(10, &stack)
            case 0x8a: StackOperations.dup(11, &stack)
            case 0x8b: StackOperations.dup(12, &stack)
            case 0x8c: StackOperations.dup(13, &stack)
            case 0x8d: StackOperations.dup(14, &stack)
            case 0x8e: StackOperations.dup(15, &stack)
            case 0x8f: StackOperations.dup(16, &stack)
            case 0x90: StackOperations.swap(1, &stack)
            case 0x91: StackOperations.swap(2, &stack)
            case 0x92: StackOperations.swap(3, &stack)
            case 0x93: StackOperations.swap(4, &stack)
            case 0x94: StackOperations.swap(5, &stack)
            case 0x95: StackOperations.swap(6, &stack)
            case 0x96: StackOperations.swap(7, &stack)
            case 0x97: StackOperations.swap(8, &stack)
            case 0x98: StackOperations.swap(9, &stack)
            case 0x99: StackOperations.swap(10, &stack)
            case 0x9a: StackOperations.swap(11, &stack)
            case 0x9b: StackOperations.swap(12, &stack)
            case 0x9c: StackOperations.swap(13, &stack)
            case 0x9d: StackOperations.swap(14, &stack)
            case 0x9e: StackOperations.swap(15, &stack)
            case 0x9f: StackOperations.swap(16, &stack)
            case 0xfe: return .invalidInstruction  // INVALID (EIP-141)
            default:
                // Everything that reads or writes more than the stack, memory and gas.
                state.stack = stack
                state.gasLeft = gasLeft
                let halt = runStateful(opcode, &state, host: host, pc: pc)
                stack = state.stack
                gasLeft = state.gasLeft
                if let halt { return halt }
            }
            if _slowPath(status != .success) { return status }
            pc &+= 1
        }
    }

    /// The opcodes that take the whole `ExecutionState` (environment, block, storage, logs,
    /// KECCAK256, copies, calls, creates, halts with output) and undefined opcodes. Out of line so
    /// that the dispatch loop's locals stay in registers; these opcodes cost far more than the
    /// call.
    /// - Parameters:
    ///   - opcode: the opcode; its stack bounds and base gas are checked and charged.
    ///   - state: the frame, with `stack` and `gasLeft` current.
    ///   - host: the world.
    ///   - pc: the opcode's offset.
    /// - Returns: `nil` to go on with the next opcode, or how the frame halts.
    @inlinable @inline(never)
    static func runStateful<H: Host>(_ opcode: UInt8, _ state: inout ExecutionState, host: H, pc: Int) -> StatusCode? {
        var status = StatusCode.success
        switch opcode {
        case 0x20: status = Hashing.keccak256(&state)
        case 0x30: Environment.address(&state)
        case 0x31: status = Environment.balance(&state, host: host)
        case 0x32: Environment.origin(&state, host: host)
        case 0x33: Environment.caller(&state)
        case 0x34: Environment.callvalue(&state)
        case 0x35: Environment.calldataload(&state)
        case 0x36: Environment.calldatasize(&state)
        case 0x37: status = Environment.calldatacopy(&state)
        case 0x38: Environment.codesize(&state)
        case 0x39: status = Environment.codecopy(&state)
        case 0x3a: Environment.gasprice(&state, host: host)
        case 0x3b: status = Environment.extcodesize(&state, host: host)
        case 0x3c: status = Environment.extcodecopy(&state, host: host)
        case 0x3d: Environment.returndatasize(&state)
        case 0x3e: status = Environment.returndatacopy(&state)
        case 0x3f: status = Environment.extcodehash(&state, host: host)
        case 0x40: BlockInformation.blockhash(&state, host: host)
        case 0x41: BlockInformation.coinbase(&state, host: host)
        case 0x42: BlockInformation.timestamp(&state, host: host)
        case 0x43: BlockInformation.number(&state, host: host)
        case 0x44: BlockInformation.prevrandao(&state, host: host)
        case 0x45: BlockInformation.gaslimit(&state, host: host)
        case 0x46: BlockInformation.chainid(&state, host: host)
        case 0x47: BlockInformation.selfbalance(&state, host: host)
        case 0x48: BlockInformation.basefee(&state, host: host)
        case 0x49: BlockInformation.blobhash(&state, host: host)
        case 0x4a: BlockInformation.blobbasefee(&state, host: host)
        case 0x54: status = StorageOperations.sload(&state, host: host)
        case 0x55: status = StorageOperations.sstore(&state, host: host)
        case 0x5c: StorageOperations.tload(&state, host: host)
        case 0x5d: status = StorageOperations.tstore(&state, host: host)
        case 0x5e: status = MemoryOperations.mcopy(&state)
        case 0xa0: status = Logging.log(0, &state, host: host)
        case 0xa1: status = Logging.log(1, &state, host: host)
        case 0xa2: status = Logging.log(2, &state, host: host)
        case 0xa3: status = Logging.log(3, &state, host: host)
        case 0xa4: status = Logging.log(4, &state, host: host)
        case 0xf0: status = SystemOperations.create(isCreate2: false, &state, host: host)
        case 0xf1: status = SystemOperations.call(.call, &state, host: host)
        case 0xf2: status = SystemOperations.call(.callCode, &state, host: host)
        case 0xf3: return SystemOperations.halt(with: .success, &state)  // RETURN
        case 0xf4: status = SystemOperations.call(.delegateCall, &state, host: host)
        case 0xf5: status = SystemOperations.create(isCreate2: true, &state, host: host)
        case 0xfa: status = SystemOperations.call(.staticCall, &state, host: host)
        case 0xfd: return SystemOperations.halt(with: .revert, &state)  // REVERT
        case 0xff: return SystemOperations.selfdestruct(&state, host: host)
        default: return .undefinedInstruction
        }
        return status == .success ? nil : status
    }
}
