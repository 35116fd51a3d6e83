import Primitives

// Flow operations: JUMP 0x56, JUMPI 0x57, PC 0x58, GAS 0x5a, JUMPDEST 0x5b (Yellow Paper appendix
// H.2). Jump destinations come from the bitmap `AnalyzedCode` computed once per code. JUMP and
// JUMPI set the program counter (a local of the loop, passed inout, so it stays in a register);
// every other opcode leaves that to the loop.

/// JUMP, JUMPI, PC, GAS. They work on the dispatch loop's locals (stack, gas counter, program
/// counter, the code's jump-destination bitmap), not on the whole `ExecutionState`.
@usableFromInline
enum ControlFlow {
    /// Moves to `destination` if it is a JUMPDEST outside PUSH data.
    /// - Parameters:
    ///   - destination: the target, from the stack.
    ///   - code: the frame's analysed code, whose bitmap says where JUMPDESTs are.
    ///   - pc: the program counter, set to `destination` on success.
    @inlinable @inline(__always)
    static func jump(to destination: UInt256, code: JumpDestinations, pc: inout Int) -> StatusCode {
        guard let target = destination.intIfFits, code.isValid(target) else { return .badJumpDestination }
        pc = target
        return .success
    }

    /// JUMP: continues at μs[0].
    @inlinable @inline(__always)
    static func jump(_ stack: inout Stack, code: JumpDestinations, pc: inout Int) -> StatusCode {
        jump(to: stack.pop(), code: code, pc: &pc)
    }

    /// JUMPI: continues at μs[0] if μs[1] is non-zero, else at the next opcode.
    @inlinable @inline(__always)
    static func jumpi(_ stack: inout Stack, code: JumpDestinations, pc: inout Int) -> StatusCode {
        let destination = stack.pop(), condition = stack.pop()
        if condition.isZero {
            pc &+= 1
            return .success
        }
        return jump(to: destination, code: code, pc: &pc)
    }

    /// PC: the offset of this opcode.
    @inlinable @inline(__always)
    static func pc(_ stack: inout Stack, pc: Int) {
        stack.push(UInt256(UInt64(pc)))
    }

    /// GAS: gas left after paying for this opcode.
    @inlinable @inline(__always)
    static func gas(_ stack: inout Stack, gasLeft: Int64) {
        stack.push(UInt256(UInt64(gasLeft)))
    }
}

/// The jump-destination bitmap of the running code, copied out of `AnalyzedCode` once per frame so
/// JUMP and JUMPI test a bit through a local pointer, not through the class instance.
@usableFromInline
struct JumpDestinations {
    /// Bit `i` is set when byte `i` is a JUMPDEST opcode.
    @usableFromInline let bits: UnsafePointer<UInt64>
    /// The code size: offsets at or past it are never valid.
    @usableFromInline let codeSize: Int

    @inlinable
    init(_ code: AnalyzedCode) {
        bits = UnsafePointer(code.jumpDestinationBits)
        codeSize = code.size
    }

    /// Whether `destination` is a JUMPDEST opcode inside the code.
    @inlinable @inline(__always)
    func isValid(_ destination: Int) -> Bool {
        guard UInt(bitPattern: destination) < UInt(bitPattern: codeSize) else { return false }
        return bits[destination >> 6] & (1 << UInt64(destination & 63)) != 0
    }
}
