import Primitives

// Comparison and bitwise logic operations, 0x10–0x1d (Yellow Paper appendix H.2; SHL, SHR and SAR
// from EIP-145). None has dynamic gas. μs[0] is the top of the stack.

/// LT, GT, SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, SHL, SHR, SAR.
@usableFromInline
enum Bitwise {
    /// LT: 1 if μs[0] < μs[1] (unsigned), else 0.
    @inlinable @inline(__always)
    static func lt(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a < stack[0] ? .one : .zero
    }

    /// GT: 1 if μs[0] > μs[1] (unsigned), else 0.
    @inlinable @inline(__always)
    static func gt(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = stack[0] < a ? .one : .zero
    }

    /// SLT: 1 if μs[0] < μs[1] as two's-complement integers, else 0.
    @inlinable @inline(__always)
    static func slt(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a.signedLessThan(stack[0]) ? .one : .zero
    }

    /// SGT: 1 if μs[0] > μs[1] as two's-complement integers, else 0.
    @inlinable @inline(__always)
    static func sgt(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a.signedGreaterThan(stack[0]) ? .one : .zero
    }

    /// EQ: 1 if μs[0] = μs[1], else 0.
    @inlinable @inline(__always)
    static func eq(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a == stack[0] ? .one : .zero
    }

    /// ISZERO: 1 if μs[0] = 0, else 0.
    @inlinable @inline(__always)
    static func iszero(_ stack: inout Stack) {
        stack[0] = stack[0].isZero ? .one : .zero
    }

    /// AND: bitwise and.
    @inlinable @inline(__always)
    static func and(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a & stack[0]
    }

    /// OR: bitwise or.
    @inlinable @inline(__always)
    static func or(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a | stack[0]
    }

    /// XOR: bitwise exclusive or.
    @inlinable @inline(__always)
    static func xor(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a ^ stack[0]
    }

    /// NOT: bitwise complement.
    @inlinable @inline(__always)
    static func not(_ stack: inout Stack) {
        stack[0] = ~stack[0]
    }

    /// BYTE: byte μs[0] of μs[1], counting from the most significant; 0 when μs[0] ≥ 32.
    @inlinable @inline(__always)
    static func byte(_ stack: inout Stack) {
        let index = stack.pop()
        stack[0] = stack[0].byte(at: index)
    }

    /// SHL (EIP-145): μs[1] shifted left by μs[0] bits; 0 for shifts of 256 or more.
    @inlinable @inline(__always)
    static func shl(_ stack: inout Stack) {
        let shift = stack.pop()
        stack[0] = stack[0].shiftedLeft(by: shift)
    }

    /// SHR (EIP-145): μs[1] shifted right by μs[0] bits, filling with zeros.
    @inlinable @inline(__always)
    static func shr(_ stack: inout Stack) {
        let shift = stack.pop()
        stack[0] = stack[0].shiftedRight(by: shift)
    }

    /// SAR (EIP-145): μs[1] shifted right by μs[0] bits, filling with its sign bit.
    @inlinable @inline(__always)
    static func sar(_ stack: inout Stack) {
        let shift = stack.pop()
        stack[0] = stack[0].arithmeticShiftedRight(by: shift)
    }
}
