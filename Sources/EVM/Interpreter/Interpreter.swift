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
// bitmap, the instruction table and the stack are raw pointers, and the switch on the byte, with
// `Opcode` raw values as cases (constants, folded like literals), compiles to jump tables.
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
        let blocks = BlockTable(state.code)
        var stack = state.stack
        var gasLeft = state.gasLeft
        defer {
            state.stack = stack
            state.gasLeft = gasLeft
        }
        var pc = 0
        // Stack bounds and base gas are checked once per basic block (`AnalyzedCode`), on entering
        // it: at offset 0, after a JUMP or JUMPI (the target or the byte after), and after each
        // opcode that reads the gas left. `careful` switches to checking every opcode instead: when
        // tracing (a tracer is shown each opcode's gas), and when a block's check fails, so that the
        // frame fails at the same opcode and with the same status as it would opcode by opcode (a
        // failed block check means some opcode of the block fails; the frame ends there).
        var careful = T.isEnabled || !enterBlock(blocks, at: 0, byteHeight: stack.byteHeight, gasLeft: &gasLeft)
        while true {
            let opcode = code[pc]
            if _slowPath(careful) {
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
            }

            var status = StatusCode.success
            switch opcode {
            case Opcode.stop.rawValue: return .success
            case Opcode.add.rawValue: Arithmetic.add(&stack)
            case Opcode.mul.rawValue: Arithmetic.mul(&stack)
            case Opcode.sub.rawValue: Arithmetic.sub(&stack)
            case Opcode.div.rawValue: Arithmetic.div(&stack)
            case Opcode.sdiv.rawValue: Arithmetic.sdiv(&stack)
            case Opcode.mod.rawValue: Arithmetic.mod(&stack)
            case Opcode.smod.rawValue: Arithmetic.smod(&stack)
            case Opcode.addmod.rawValue: Arithmetic.addmod(&stack)
            case Opcode.mulmod.rawValue: Arithmetic.mulmod(&stack)
            case Opcode.exp.rawValue: status = Arithmetic.exp(&stack, gasLeft: &gasLeft)
            case Opcode.signextend.rawValue: Arithmetic.signextend(&stack)
            case Opcode.lt.rawValue: Bitwise.lt(&stack)
            case Opcode.gt.rawValue: Bitwise.gt(&stack)
            case Opcode.slt.rawValue: Bitwise.slt(&stack)
            case Opcode.sgt.rawValue: Bitwise.sgt(&stack)
            case Opcode.eq.rawValue: Bitwise.eq(&stack)
            case Opcode.iszero.rawValue: Bitwise.iszero(&stack)
            case Opcode.and.rawValue: Bitwise.and(&stack)
            case Opcode.or.rawValue: Bitwise.or(&stack)
            case Opcode.xor.rawValue: Bitwise.xor(&stack)
            case Opcode.not.rawValue: Bitwise.not(&stack)
            case Opcode.byte.rawValue: Bitwise.byte(&stack)
            case Opcode.shl.rawValue: Bitwise.shl(&stack)
            case Opcode.shr.rawValue: Bitwise.shr(&stack)
            case Opcode.sar.rawValue: Bitwise.sar(&stack)
            case Opcode.pop.rawValue: StackOperations.pop(&stack)
            case Opcode.mload.rawValue: status = MemoryOperations.mload(&stack, memory: &state.memory, gasLeft: &gasLeft)
            case Opcode.mstore.rawValue: status = MemoryOperations.mstore(&stack, memory: &state.memory, gasLeft: &gasLeft)
            case Opcode.mstore8.rawValue: status = MemoryOperations.mstore8(&stack, memory: &state.memory, gasLeft: &gasLeft)
            case Opcode.jump.rawValue:
                status = ControlFlow.jump(&stack, code: jumpDestinations, pc: &pc)
                if _slowPath(status != .success) { return status }
                if !careful { careful = !enterBlock(blocks, at: pc, byteHeight: stack.byteHeight, gasLeft: &gasLeft) }
                continue  // the program counter is set
            case Opcode.jumpi.rawValue:
                status = ControlFlow.jumpi(&stack, code: jumpDestinations, pc: &pc)
                if _slowPath(status != .success) { return status }
                // The target (a JUMPDEST) or the byte after: a block is entered either way.
                if !careful { careful = !enterBlock(blocks, at: pc, byteHeight: stack.byteHeight, gasLeft: &gasLeft) }
                continue  // the program counter is set
            case Opcode.pc.rawValue: ControlFlow.pc(&stack, pc: pc)
            case Opcode.msize.rawValue: MemoryOperations.msize(&stack, memory: state.memory)
            case Opcode.gas.rawValue:
                ControlFlow.gas(&stack, gasLeft: gasLeft)
                if !careful { careful = !enterBlock(blocks, at: pc &+ 1, byteHeight: stack.byteHeight, gasLeft: &gasLeft) }
            case Opcode.jumpdest.rawValue: break  // its gas was charged on entering the block
            case Opcode.push0.rawValue: StackOperations.push0(&stack)
            case Opcode.push1.rawValue: StackOperations.push(1, &stack, code: code, pc: &pc)
            case Opcode.push2.rawValue: StackOperations.push(2, &stack, code: code, pc: &pc)
            case Opcode.push3.rawValue: StackOperations.push(3, &stack, code: code, pc: &pc)
            case Opcode.push4.rawValue: StackOperations.push(4, &stack, code: code, pc: &pc)
            case Opcode.push5.rawValue: StackOperations.push(5, &stack, code: code, pc: &pc)
            case Opcode.push6.rawValue: StackOperations.push(6, &stack, code: code, pc: &pc)
            case Opcode.push7.rawValue: StackOperations.push(7, &stack, code: code, pc: &pc)
            case Opcode.push8.rawValue: StackOperations.push(8, &stack, code: code, pc: &pc)
            case Opcode.push9.rawValue: StackOperations.push(9, &stack, code: code, pc: &pc)
            case Opcode.push10.rawValue: StackOperations.push(10, &stack, code: code, pc: &pc)
            case Opcode.push11.rawValue: StackOperations.push(11, &stack, code: code, pc: &pc)
            case Opcode.push12.rawValue: StackOperations.push(12, &stack, code: code, pc: &pc)
            case Opcode.push13.rawValue: StackOperations.push(13, &stack, code: code, pc: &pc)
            case Opcode.push14.rawValue: StackOperations.push(14, &stack, code: code, pc: &pc)
            case Opcode.push15.rawValue: StackOperations.push(15, &stack, code: code, pc: &pc)
            case Opcode.push16.rawValue: StackOperations.push(16, &stack, code: code, pc: &pc)
            case Opcode.push17.rawValue: StackOperations.push(17, &stack, code: code, pc: &pc)
            case Opcode.push18.rawValue: StackOperations.push(18, &stack, code: code, pc: &pc)
            case Opcode.push19.rawValue: StackOperations.push(19, &stack, code: code, pc: &pc)
            case Opcode.push20.rawValue: StackOperations.push(20, &stack, code: code, pc: &pc)
            case Opcode.push21.rawValue: StackOperations.push(21, &stack, code: code, pc: &pc)
            case Opcode.push22.rawValue: StackOperations.push(22, &stack, code: code, pc: &pc)
            case Opcode.push23.rawValue: StackOperations.push(23, &stack, code: code, pc: &pc)
            case Opcode.push24.rawValue: StackOperations.push(24, &stack, code: code, pc: &pc)
            case Opcode.push25.rawValue: StackOperations.push(25, &stack, code: code, pc: &pc)
            case Opcode.push26.rawValue: StackOperations.push(26, &stack, code: code, pc: &pc)
            case Opcode.push27.rawValue: StackOperations.push(27, &stack, code: code, pc: &pc)
            case Opcode.push28.rawValue: StackOperations.push(28, &stack, code: code, pc: &pc)
            case Opcode.push29.rawValue: StackOperations.push(29, &stack, code: code, pc: &pc)
            case Opcode.push30.rawValue: StackOperations.push(30, &stack, code: code, pc: &pc)
            case Opcode.push31.rawValue: StackOperations.push(31, &stack, code: code, pc: &pc)
            case Opcode.push32.rawValue: StackOperations.push(32, &stack, code: code, pc: &pc)
            case Opcode.dup1.rawValue: StackOperations.dup(1, &stack)
            case Opcode.dup2.rawValue: StackOperations.dup(2, &stack)
            case Opcode.dup3.rawValue: StackOperations.dup(3, &stack)
            case Opcode.dup4.rawValue: StackOperations.dup(4, &stack)
            case Opcode.dup5.rawValue: StackOperations.dup(5, &stack)
            case Opcode.dup6.rawValue: StackOperations.dup(6, &stack)
            case Opcode.dup7.rawValue: StackOperations.dup(7, &stack)
            case Opcode.dup8.rawValue: StackOperations.dup(8, &stack)
            case Opcode.dup9.rawValue: StackOperations.dup(9, &stack)
            case Opcode.dup10.rawValue: StackOperations.dup(10, &stack)
            case Opcode.dup11.rawValue: StackOperations.dup(11, &stack)
            case Opcode.dup12.rawValue: StackOperations.dup(12, &stack)
            case Opcode.dup13.rawValue: StackOperations.dup(13, &stack)
            case Opcode.dup14.rawValue: StackOperations.dup(14, &stack)
            case Opcode.dup15.rawValue: StackOperations.dup(15, &stack)
            case Opcode.dup16.rawValue: StackOperations.dup(16, &stack)
            case Opcode.swap1.rawValue: StackOperations.swap(1, &stack)
            case Opcode.swap2.rawValue: StackOperations.swap(2, &stack)
            case Opcode.swap3.rawValue: StackOperations.swap(3, &stack)
            case Opcode.swap4.rawValue: StackOperations.swap(4, &stack)
            case Opcode.swap5.rawValue: StackOperations.swap(5, &stack)
            case Opcode.swap6.rawValue: StackOperations.swap(6, &stack)
            case Opcode.swap7.rawValue: StackOperations.swap(7, &stack)
            case Opcode.swap8.rawValue: StackOperations.swap(8, &stack)
            case Opcode.swap9.rawValue: StackOperations.swap(9, &stack)
            case Opcode.swap10.rawValue: StackOperations.swap(10, &stack)
            case Opcode.swap11.rawValue: StackOperations.swap(11, &stack)
            case Opcode.swap12.rawValue: StackOperations.swap(12, &stack)
            case Opcode.swap13.rawValue: StackOperations.swap(13, &stack)
            case Opcode.swap14.rawValue: StackOperations.swap(14, &stack)
            case Opcode.swap15.rawValue: StackOperations.swap(15, &stack)
            case Opcode.swap16.rawValue: StackOperations.swap(16, &stack)
            case Opcode.invalid.rawValue: return .invalidInstruction  // EIP-141
            default:
                // Everything that reads or writes more than the stack, memory and gas.
                state.stack = stack
                state.gasLeft = gasLeft
                let halt = runStateful(opcode, &state, host: host, pc: pc)
                stack = state.stack
                gasLeft = state.gasLeft
                if let halt { return halt }
                if !careful && AnalyzedCode.readsGasLeft(opcode) {
                    careful = !enterBlock(blocks, at: pc &+ 1, byteHeight: stack.byteHeight, gasLeft: &gasLeft)
                }
            }
            if _slowPath(status != .success) { return status }
            pc &+= 1
        }
    }

    /// Checks the stack bounds of the basic block starting at `pc` and charges its base gas.
    /// - Parameters:
    ///   - blocks: the code's blocks; one must start at `pc`.
    ///   - pc: the block's first offset.
    ///   - byteHeight: the stack height in bytes (32 per item).
    ///   - gasLeft: the gas counter, charged only when the check passes.
    /// - Returns: whether every opcode of the block has its stack items and the block's base gas is
    ///   paid; `false` leaves `gasLeft` alone, for the caller to go on opcode by opcode.
    @inlinable @inline(__always)
    static func enterBlock(_ blocks: BlockTable, at pc: Int, byteHeight: Int, gasLeft: inout Int64) -> Bool {
        let block = blocks.block(at: pc)
        if _slowPath(byteHeight < Int(block.minimumByteHeight) || byteHeight > Int(block.maximumByteHeight)
                     || gasLeft < block.gas) {
            return false
        }
        gasLeft &-= block.gas
        return true
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
        case Opcode.keccak256.rawValue: status = Hashing.keccak256(&state)
        case Opcode.address.rawValue: Environment.address(&state)
        case Opcode.balance.rawValue: status = Environment.balance(&state, host: host)
        case Opcode.origin.rawValue: Environment.origin(&state, host: host)
        case Opcode.caller.rawValue: Environment.caller(&state)
        case Opcode.callvalue.rawValue: Environment.callvalue(&state)
        case Opcode.calldataload.rawValue: Environment.calldataload(&state)
        case Opcode.calldatasize.rawValue: Environment.calldatasize(&state)
        case Opcode.calldatacopy.rawValue: status = Environment.calldatacopy(&state)
        case Opcode.codesize.rawValue: Environment.codesize(&state)
        case Opcode.codecopy.rawValue: status = Environment.codecopy(&state)
        case Opcode.gasprice.rawValue: Environment.gasprice(&state, host: host)
        case Opcode.extcodesize.rawValue: status = Environment.extcodesize(&state, host: host)
        case Opcode.extcodecopy.rawValue: status = Environment.extcodecopy(&state, host: host)
        case Opcode.returndatasize.rawValue: Environment.returndatasize(&state)
        case Opcode.returndatacopy.rawValue: status = Environment.returndatacopy(&state)
        case Opcode.extcodehash.rawValue: status = Environment.extcodehash(&state, host: host)
        case Opcode.blockhash.rawValue: BlockInformation.blockhash(&state, host: host)
        case Opcode.coinbase.rawValue: BlockInformation.coinbase(&state, host: host)
        case Opcode.timestamp.rawValue: BlockInformation.timestamp(&state, host: host)
        case Opcode.number.rawValue: BlockInformation.number(&state, host: host)
        case Opcode.prevrandao.rawValue: BlockInformation.prevrandao(&state, host: host)
        case Opcode.gaslimit.rawValue: BlockInformation.gaslimit(&state, host: host)
        case Opcode.chainid.rawValue: BlockInformation.chainid(&state, host: host)
        case Opcode.selfbalance.rawValue: BlockInformation.selfbalance(&state, host: host)
        case Opcode.basefee.rawValue: BlockInformation.basefee(&state, host: host)
        case Opcode.blobhash.rawValue: BlockInformation.blobhash(&state, host: host)
        case Opcode.blobbasefee.rawValue: BlockInformation.blobbasefee(&state, host: host)
        case Opcode.sload.rawValue: status = StorageOperations.sload(&state, host: host)
        case Opcode.sstore.rawValue: status = StorageOperations.sstore(&state, host: host)
        case Opcode.tload.rawValue: StorageOperations.tload(&state, host: host)
        case Opcode.tstore.rawValue: status = StorageOperations.tstore(&state, host: host)
        case Opcode.mcopy.rawValue: status = MemoryOperations.mcopy(&state)
        case Opcode.log0.rawValue: status = Logging.log(0, &state, host: host)
        case Opcode.log1.rawValue: status = Logging.log(1, &state, host: host)
        case Opcode.log2.rawValue: status = Logging.log(2, &state, host: host)
        case Opcode.log3.rawValue: status = Logging.log(3, &state, host: host)
        case Opcode.log4.rawValue: status = Logging.log(4, &state, host: host)
        case Opcode.create.rawValue: status = SystemOperations.create(isCreate2: false, &state, host: host)
        case Opcode.call.rawValue: status = SystemOperations.call(.call, &state, host: host)
        case Opcode.callcode.rawValue: status = SystemOperations.call(.callCode, &state, host: host)
        case Opcode.`return`.rawValue: return SystemOperations.halt(with: .success, &state)
        case Opcode.delegatecall.rawValue: status = SystemOperations.call(.delegateCall, &state, host: host)
        case Opcode.create2.rawValue: status = SystemOperations.create(isCreate2: true, &state, host: host)
        case Opcode.staticcall.rawValue: status = SystemOperations.call(.staticCall, &state, host: host)
        case Opcode.revert.rawValue: return SystemOperations.halt(with: .revert, &state)
        case Opcode.selfdestruct.rawValue: return SystemOperations.selfdestruct(&state, host: host)
        default: return .undefinedInstruction
        }
        return status == .success ? nil : status
    }
}
