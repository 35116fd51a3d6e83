#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Primitives

/// The byte-addressed memory of one frame (Yellow Paper §9.1): a raw buffer owned by the frame,
/// grown geometrically, whose active size is always a multiple of 32 bytes.
///
/// Expansion is paid for before it happens: `expand(to:gasLeft:)` prices the growth with C_mem
/// (Yellow Paper eq. 326) and only then grows the buffer. Offsets and sizes are limited to 32 bits,
/// as in evmone: anything larger would cost more gas than a block can hold.
///
/// The buffer comes from `malloc` and grows with `realloc`, not allocate-copy-free: once it is
/// large, glibc serves it with `mmap` and `realloc` moves the pages with `mremap` instead of copying
/// them and faulting in fresh ones (memory-heavy programs such as evm-benchmarks' structarray_alloc
/// and memory_grow_* grow memory a word at a time to hundreds of KiB).
@usableFromInline
struct Memory {
    /// The buffer; `capacity` bytes, the first `size` of them active and initialised.
    @usableFromInline var bytes: UnsafeMutableRawPointer
    /// The active size in bytes (MSIZE), a multiple of 32.
    @usableFromInline var size: Int
    /// The allocated size in bytes.
    @usableFromInline var capacity: Int

    /// The largest offset or size an opcode may use; beyond this the frame runs out of gas.
    @usableFromInline static let maximumSize = Int(UInt32.max)
    /// The first allocation, big enough for most frames so they never reallocate.
    @usableFromInline static let initialCapacity = 4096

    @usableFromInline
    init() {
        guard let bytes = malloc(Memory.initialCapacity) else { fatalError("out of memory") }
        self.bytes = bytes
        size = 0
        capacity = Memory.initialCapacity
    }

    @usableFromInline
    func deallocate() { free(bytes) }

    /// Makes memory cover the `size` bytes at `offset` (MLOAD and MSTORE: 32, MSTORE8: 1), charging
    /// the expansion to `gasLeft`.
    /// - Parameters:
    ///   - offset: the first byte, from the stack.
    ///   - size: the access width, 1…32.
    ///   - gasLeft: the frame's gas counter.
    /// - Returns: the offset, or `nil` when the frame is out of gas.
    @inlinable @inline(__always)
    mutating func wordOffset(_ offset: UInt256, size: Int, gasLeft: inout Int64) -> Int? {
        guard let start = offset.uint64IfFits, start <= UInt64(Memory.maximumSize) else { return nil }
        let end = Int(start) &+ size
        if _slowPath(end > self.size) && !expand(to: end, gasLeft: &gasLeft) { return nil }
        return Int(start)
    }

    /// Charges C_mem(new) − C_mem(old) to `gasLeft` and grows memory to cover `end` bytes, rounded
    /// up to a word. Kept out of line: growth is rare next to the loads and stores that test for it.
    /// - Parameters:
    ///   - end: one past the last byte needed, above `size`.
    ///   - gasLeft: the frame's gas counter.
    /// - Returns: false when the frame is out of gas (memory is then unchanged).
    @usableFromInline @inline(never)
    mutating func expand(to end: Int, gasLeft: inout Int64) -> Bool {
        let newWords = GasCost.wordCount(end)
        let oldWords = Int64(size >> 5)
        gasLeft &-= GasCost.memoryCost(words: newWords) &- GasCost.memoryCost(words: oldWords)
        guard gasLeft >= 0 else { return false }
        grow(to: Int(newWords) << 5)
        return true
    }

    /// Makes `newSize` bytes active, zero-filled; `newSize` is a multiple of 32 above `size`.
    @usableFromInline
    mutating func grow(to newSize: Int) {
        if newSize > capacity {
            let newCapacity = max(newSize, capacity &* 2)
            guard let newBytes = realloc(bytes, newCapacity) else { fatalError("out of memory") }
            bytes = newBytes
            capacity = newCapacity
        }
        (bytes + size).initializeMemory(as: UInt8.self, repeating: 0, count: newSize &- size)
        size = newSize
    }

    /// A copy of `count` bytes at `offset` (already inside the active size).
    @inlinable
    func copy(offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes + offset, count: count))
    }

    /// The active bytes, valid until memory next grows (for tracers).
    @inlinable
    var activeBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: bytes, count: size) }
}
