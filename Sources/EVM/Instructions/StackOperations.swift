import Primitives

// Stack operations: POP 0x50, PUSH0 0x5f (EIP-3855), PUSH1–PUSH32 0x60–0x7f, DUP1–DUP16 0x80–0x8f,
// SWAP1–SWAP16 0x90–0x9f (Yellow Paper appendix H.2). None has dynamic gas. PUSH reads its
// immediate without a bounds check: `AnalyzedCode` pads the code with 33 zero bytes, so an
// immediate cut off by the end of the code reads as zeros, as the Yellow Paper specifies.

/// POP, PUSH0–PUSH32, DUP1–DUP16, SWAP1–SWAP16.
@usableFromInline
enum StackOperations {
    /// POP: drops μs[0].
    @inlinable @inline(__always)
    static func pop(_ stack: inout Stack) {
        stack.top -= 1
    }

    /// PUSH0 (EIP-3855): pushes zero.
    @inlinable @inline(__always)
    static func push0(_ stack: inout Stack) {
        stack.push(.zero)
    }

    /// PUSHn: pushes the `count` bytes after the opcode as a big-endian number and moves past them.
    /// - Parameters:
    ///   - count: 1…32.
    ///   - code: the padded code bytes.
    ///   - pc: the program counter, moved to the last immediate byte.
    @inlinable @inline(__always)
    static func push(_ count: Int, _ stack: inout Stack, code: UnsafePointer<UInt8>, pc: inout Int) {
        let immediate = UnsafeRawPointer(code + (pc &+ 1))
        if count <= 8 {
            let word = UInt64(bigEndian: immediate.loadUnaligned(as: UInt64.self)) >> UInt64(64 &- 8 &* count)
            stack.push(UInt256(word))
        } else {
            stack.push(UInt256(loadingBigEndianFrom: immediate) >> (256 &- 8 &* count))
        }
        pc &+= count
    }

    /// DUPn: pushes a copy of μs[n − 1].
    /// - Parameter depth: n, 1…16.
    @inlinable @inline(__always)
    static func dup(_ depth: Int, _ stack: inout Stack) {
        stack.push(stack[depth &- 1])
    }

    /// SWAPn: exchanges μs[0] and μs[n].
    /// - Parameter depth: n, 1…16.
    @inlinable @inline(__always)
    static func swap(_ depth: Int, _ stack: inout Stack) {
        let top = stack[0]
        stack[0] = stack[depth]
        stack[depth] = top
    }
}
