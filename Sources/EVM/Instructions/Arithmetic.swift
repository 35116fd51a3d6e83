import Primitives

// Stop and arithmetic operations, 0x01–0x0b (Yellow Paper appendix H.2). Stack bounds and base
// gas are checked by the dispatch loop from `InstructionTable`; only EXP has dynamic gas.
// The first operand is the top of the stack (μs[0]), the second the item below it (μs[1]).

/// ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND.
@usableFromInline
enum Arithmetic {
    /// ADD: μs[0] + μs[1] mod 2^256.
    @inlinable @inline(__always)
    static func add(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a &+ stack[0]
    }

    /// MUL: μs[0] × μs[1] mod 2^256.
    @inlinable @inline(__always)
    static func mul(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a &* stack[0]
    }

    /// SUB: μs[0] − μs[1] mod 2^256.
    @inlinable @inline(__always)
    static func sub(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a &- stack[0]
    }

    /// DIV: ⌊μs[0] ÷ μs[1]⌋, zero when dividing by zero.
    @inlinable @inline(__always)
    static func div(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a.quotient(dividingBy: stack[0])
    }

    /// SDIV: two's-complement division rounding toward zero; zero when dividing by zero.
    @inlinable @inline(__always)
    static func sdiv(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a.signedQuotient(dividingBy: stack[0])
    }

    /// MOD: μs[0] mod μs[1], zero when the modulus is zero.
    @inlinable @inline(__always)
    static func mod(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a.remainder(dividingBy: stack[0])
    }

    /// SMOD: two's-complement remainder with the sign of the dividend; zero for modulus zero.
    @inlinable @inline(__always)
    static func smod(_ stack: inout Stack) {
        let a = stack.pop()
        stack[0] = a.signedRemainder(dividingBy: stack[0])
    }

    /// ADDMOD: (μs[0] + μs[1]) mod μs[2] without intermediate wrap-around; zero for modulus zero.
    @inlinable @inline(__always)
    static func addmod(_ stack: inout Stack) {
        let a = stack.pop(), b = stack.pop()
        stack[0] = UInt256.addMod(a, b, stack[0])
    }

    /// MULMOD: (μs[0] × μs[1]) mod μs[2] without intermediate wrap-around; zero for modulus zero.
    @inlinable @inline(__always)
    static func mulmod(_ stack: inout Stack) {
        let a = stack.pop(), b = stack.pop()
        stack[0] = UInt256.mulMod(a, b, stack[0])
    }

    /// EXP: μs[0] ^ μs[1] mod 2^256, plus 50 gas per byte of the exponent (EIP-160).
    @inlinable @inline(__always)
    static func exp(_ stack: inout Stack, gasLeft: inout Int64) -> StatusCode {
        let base = stack.pop()
        let exponent = stack[0]
        gasLeft &-= GasCost.expByte &* Int64(exponent.byteWidth)
        guard gasLeft >= 0 else { return .outOfGas }
        stack[0] = base.power(exponent)
        return .success
    }

    /// SIGNEXTEND: extends the sign of byte μs[0] (counted from the least significant) of μs[1].
    @inlinable @inline(__always)
    static func signextend(_ stack: inout Stack) {
        let byteIndex = stack.pop()
        stack[0] = stack[0].signExtended(fromByte: byteIndex)
    }
}
