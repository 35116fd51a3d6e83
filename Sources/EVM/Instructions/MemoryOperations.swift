import Primitives

// Memory operations: MLOAD 0x51, MSTORE 0x52, MSTORE8 0x53, MSIZE 0x59 (Yellow Paper appendix
// H.2) and MCOPY 0x5e (EIP-5656). Loads and stores go straight through the memory pointer, never
// through a byte array. MLOAD, MSTORE, MSTORE8 and MSIZE take the dispatch loop's stack and gas
// counter (kept in registers) and the frame's memory, not the whole `ExecutionState`. Dynamic gas: memory expansion, and MCOPY's 3 gas per word copied.

/// MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY.
@usableFromInline
enum MemoryOperations {
    /// MLOAD: the 32-byte word at memory offset μs[0].
    @inlinable @inline(__always)
    static func mload(_ stack: inout Stack, memory: inout Memory, gasLeft: inout Int64) -> StatusCode {
        guard let offset = memory.wordOffset(stack[0], size: 32, gasLeft: &gasLeft) else { return .outOfGas }
        stack[0] = UInt256(loadingBigEndianFrom: memory.bytes + offset)
        return .success
    }

    /// MSTORE: writes μs[1] as 32 big-endian bytes at memory offset μs[0].
    @inlinable @inline(__always)
    static func mstore(_ stack: inout Stack, memory: inout Memory, gasLeft: inout Int64) -> StatusCode {
        let offsetWord = stack.pop(), value = stack.pop()
        guard let offset = memory.wordOffset(offsetWord, size: 32, gasLeft: &gasLeft) else { return .outOfGas }
        value.storeBigEndian(to: memory.bytes + offset)
        return .success
    }

    /// MSTORE8: writes the low byte of μs[1] at memory offset μs[0].
    @inlinable @inline(__always)
    static func mstore8(_ stack: inout Stack, memory: inout Memory, gasLeft: inout Int64) -> StatusCode {
        let offsetWord = stack.pop(), value = stack.pop()
        guard let offset = memory.wordOffset(offsetWord, size: 1, gasLeft: &gasLeft) else { return .outOfGas }
        memory.bytes.storeBytes(of: UInt8(truncatingIfNeeded: value.w0), toByteOffset: offset, as: UInt8.self)
        return .success
    }

    /// MSIZE: the active memory size in bytes.
    @inlinable @inline(__always)
    static func msize(_ stack: inout Stack, memory: Memory) {
        stack.push(UInt256(UInt64(memory.size)))
    }

    /// MCOPY (EIP-5656): copies μs[2] bytes from memory offset μs[1] to μs[0], as if through an
    /// intermediate buffer (the regions may overlap). Memory grows to cover both regions.
    @inlinable
    static func mcopy(_ state: inout ExecutionState) -> StatusCode {
        let destinationWord = state.stack.pop(), sourceWord = state.stack.pop(), size = state.stack.pop()
        guard let destination = state.memoryRegion(offset: destinationWord, size: size),
              let source = state.memoryRegion(offset: sourceWord, size: size),
              state.charge(GasCost.copyWord &* GasCost.wordCount(destination.size)) else { return .outOfGas }
        if destination.size > 0 {
            // copyMemory has memmove semantics, so overlapping regions copy correctly.
            (state.memory.bytes + destination.offset).copyMemory(from: state.memory.bytes + source.offset,
                                                                 byteCount: destination.size)
        }
        return .success
    }
}
