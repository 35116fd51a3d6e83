import Primitives

// Flow operations: JUMP 0x56, JUMPI 0x57, PC 0x58, GAS 0x5a, JUMPDEST 0x5b (Yellow Paper appendix
// H.2). Jump destinations come from the bitmap `AnalyzedCode` computed once per code. JUMP and
// JUMPI set the program counter (a local of the loop, passed inout, so it stays in a register);
// every other opcode leaves that to the loop.

/// JUMP, JUMPI, PC, GAS.
@usableFromInline
enum ControlFlow {
    /// Moves to `destination` if it is a JUMPDEST outside PUSH data.
    @inlinable @inline(__always)
    static func jump(to destination: UInt256, _ state: inout ExecutionState, pc: inout Int) -> StatusCode {
        guard let target = destination.intIfFits, state.code.isValidJumpDestination(target) else {
            return .badJumpDestination
        }
        pc = target
        return .success
    }

    /// JUMP: continues at μs[0].
    @inlinable @inline(__always)
    static func jump(_ state: inout ExecutionState, pc: inout Int) -> StatusCode {
        jump(to: state.stack.pop(), &state, pc: &pc)
    }

    /// JUMPI: continues at μs[0] if μs[1] is non-zero, else at the next opcode.
    @inlinable @inline(__always)
    static func jumpi(_ state: inout ExecutionState, pc: inout Int) -> StatusCode {
        let destination = state.stack.pop(), condition = state.stack.pop()
        if condition.isZero {
            pc &+= 1
            return .success
        }
        return jump(to: destination, &state, pc: &pc)
    }

    /// PC: the offset of this opcode.
    @inlinable @inline(__always)
    static func pc(_ state: inout ExecutionState, pc: Int) {
        state.stack.push(UInt256(UInt64(pc)))
    }

    /// GAS: gas left after paying for this opcode.
    @inlinable @inline(__always)
    static func gas(_ state: inout ExecutionState) {
        state.stack.push(UInt256(UInt64(state.gasLeft)))
    }
}
