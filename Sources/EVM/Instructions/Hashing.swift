import Primitives

// KECCAK256, 0x20 (Yellow Paper appendix H.2, called SHA3 there): hashes memory in place, with no
// copy. Gas: 30 (base, in the table) + 6 per word hashed + memory expansion.

/// KECCAK256.
@usableFromInline
enum Hashing {
    /// KECCAK256: keccak256(memory[μs[0] ..< μs[0] + μs[1]]).
    @inlinable @inline(__always)
    static func keccak256(_ state: inout ExecutionState) -> StatusCode {
        let offset = state.stack.pop()
        guard let region = state.memoryRegion(offset: offset, size: state.stack[0]) else { return .outOfGas }
        guard state.charge(GasCost.keccak256Word &* GasCost.wordCount(region.size)) else { return .outOfGas }
        let digest = Keccak256.hash(raw: UnsafeRawBufferPointer(start: state.memory.bytes + region.offset,
                                                                count: region.size))
        state.stack[0] = UInt256(digest)
        return .success
    }
}
