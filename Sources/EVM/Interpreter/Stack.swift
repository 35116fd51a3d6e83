import Primitives

/// The operand stack of one frame: 1024 words allocated once when the frame starts, with the top
/// as a raw pointer, so push, pop and peek are a pointer move and a 32-byte copy.
///
/// The dispatch loop checks the height against each opcode's table row before the opcode runs
/// (evmone's `check_requirements`), so the opcode functions index the stack without checks.
/// `top` points one past the topmost item; `self[0]` is the topmost item.
@usableFromInline
struct Stack {
    /// The first slot; owned by the frame and freed by `deallocate()`.
    @usableFromInline let bottom: UnsafeMutablePointer<UInt256>
    /// One past the topmost item.
    @usableFromInline var top: UnsafeMutablePointer<UInt256>

    @usableFromInline
    init() {
        bottom = .allocate(capacity: InstructionTable.stackLimit)
        top = bottom
    }

    @usableFromInline
    func deallocate() { bottom.deallocate() }

    /// The number of items.
    @inlinable @inline(__always)
    var height: Int { top - bottom }

    /// The number of items times 32: compared against the table's byte limits, it saves the
    /// division a typed pointer difference needs.
    @inlinable @inline(__always)
    var byteHeight: Int { UnsafeRawPointer(bottom).distance(to: UnsafeRawPointer(top)) }

    /// The item `depth` places below the top (0 is the top).
    @inlinable @inline(__always)
    subscript(depth: Int) -> UInt256 {
        get { top[-1 &- depth] }
        nonmutating set { top[-1 &- depth] = newValue }
    }

    /// Pushes an item; the loop has checked there is room.
    @inlinable @inline(__always)
    mutating func push(_ value: UInt256) {
        top.pointee = value
        top += 1
    }

    /// Pops the top item; the loop has checked there is one.
    @inlinable @inline(__always)
    mutating func pop() -> UInt256 {
        top -= 1
        return top.pointee
    }

    /// The items bottom first, valid until the stack next changes (for tracers).
    @inlinable
    var items: UnsafeBufferPointer<UInt256> { UnsafeBufferPointer(start: bottom, count: height) }
}
