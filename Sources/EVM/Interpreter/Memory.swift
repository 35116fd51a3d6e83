import Primitives

/// The byte-addressed memory of one frame (Yellow Paper §9.1): a raw buffer owned by the frame,
/// grown geometrically, whose active size is always a multiple of 32 bytes.
///
/// Expansion is paid for before it happens: `ExecutionState.expandMemory` prices the growth with
/// C_mem (Yellow Paper eq. 326) and only then calls `grow(to:)`. Offsets and sizes are limited to
/// 32 bits, as in evmone: anything larger would cost more gas than a block can hold.
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
        bytes = .allocate(byteCount: Memory.initialCapacity, alignment: 16)
        size = 0
        capacity = Memory.initialCapacity
    }

    @usableFromInline
    func deallocate() { bytes.deallocate() }

    /// Makes `newSize` bytes active, zero-filled; `newSize` is a multiple of 32 above `size`.
    /// Kept out of line: growth is rare next to the loads and stores that test for it.
    @usableFromInline @inline(never)
    mutating func grow(to newSize: Int) {
        if newSize > capacity {
            let newCapacity = max(newSize, capacity &* 2)
            let newBytes = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            newBytes.copyMemory(from: bytes, byteCount: size)
            bytes.deallocate()
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
