import Primitives

/// Everything one frame's opcodes read and write: gas, refund counter, stack,
/// memory, the return-data buffer of the last nested call, and the message and code being run.
///
/// Created by `Interpreter.execute` for one frame, passed `inout` to every opcode function, and
/// torn down when the frame ends. The program counter is a local of the dispatch loop instead,
/// so the compiler keeps it in a register. Nothing in it is shared with other frames: a nested call gets a
/// fresh state from the host's own call to `Interpreter.execute`.
@usableFromInline
struct ExecutionState {
    /// Gas left; a charge that drives it below zero halts with `outOfGas`.
    @usableFromInline var gasLeft: Int64
    /// The frame's refund counter (EIP-3529); may go negative within a frame.
    @usableFromInline var gasRefund: Int64 = 0
    /// The operand stack.
    @usableFromInline var stack: Stack
    /// The frame's memory.
    @usableFromInline var memory: Memory
    /// Output of the last nested call or create (EIP-211 RETURNDATASIZE/RETURNDATACOPY).
    @usableFromInline var returnData: [UInt8] = []
    /// What RETURN or REVERT hands back to the caller.
    @usableFromInline var output: [UInt8] = []
    /// The message that started the frame.
    @usableFromInline let message: Message
    /// The code being run; kept alive for as long as `codeBytes` is read.
    @usableFromInline let code: AnalyzedCode
    /// `code`'s padded bytes.
    @usableFromInline let codeBytes: UnsafePointer<UInt8>

    @usableFromInline
    init(message: Message, code: AnalyzedCode) {
        self.gasLeft = message.gas
        self.message = message
        self.code = code
        self.codeBytes = UnsafePointer(code.paddedBytes)
        self.stack = Stack()
        self.memory = Memory()
    }

    /// Frees the stack and memory buffers.
    @usableFromInline
    func deallocate() {
        stack.deallocate()
        memory.deallocate()
    }

    /// Charges gas.
    /// - Parameter cost: a non-negative amount.
    /// - Returns: false when the charge leaves less than zero (the caller halts with `outOfGas`).
    @inlinable @inline(__always)
    mutating func charge(_ cost: Int64) -> Bool {
        gasLeft &-= cost
        return gasLeft >= 0
    }

    /// Makes memory cover `size` bytes at `offset`, charging the expansion (Yellow Paper eq. 326).
    ///
    /// A zero size touches no memory, whatever the offset. An offset or size above 2^32 − 1 runs
    /// out of gas: no block could pay for such memory.
    /// - Parameters:
    ///   - offset: the start, from the stack.
    ///   - size: the byte count, from the stack.
    /// - Returns: the region as integers, or `nil` when the frame is out of gas.
    @inlinable @inline(__always)
    mutating func memoryRegion(offset: UInt256, size: UInt256) -> (offset: Int, size: Int)? {
        if size.isZero { return (0, 0) }
        guard let start = offset.uint64IfFits, let count = size.uint64IfFits,
              start <= UInt64(Memory.maximumSize), count <= UInt64(Memory.maximumSize) else { return nil }
        let end = Int(start) &+ Int(count)
        if end > memory.size && !expandMemory(to: end) { return nil }
        return (Int(start), Int(count))
    }

    /// Charges C_mem(new) − C_mem(old) and grows memory to cover `end` bytes, rounded up to a word.
    /// - Parameter end: one past the last byte needed.
    /// - Returns: false when the frame is out of gas.
    @inlinable @inline(__always)
    mutating func expandMemory(to end: Int) -> Bool {
        memory.expand(to: end, gasLeft: &gasLeft)
    }

    /// Copies `count` bytes of `source` from `sourceOffset` into memory at `memoryOffset`, filling
    /// with zeros where the source ends (CALLDATACOPY, CODECOPY, EXTCODECOPY). The memory region
    /// must already be paid for.
    @inlinable
    func copyToMemory(from source: UnsafeRawBufferPointer, sourceOffset: UInt256, memoryOffset: Int, count: Int) {
        guard count > 0 else { return }
        let destination = memory.bytes + memoryOffset
        var available = 0
        if let start = sourceOffset.uint64IfFits, start < UInt64(source.count) {
            available = min(count, source.count &- Int(start))
            destination.copyMemory(from: source.baseAddress! + Int(start), byteCount: available)
        }
        if available < count {
            (destination + available).initializeMemory(as: UInt8.self, repeating: 0, count: count &- available)
        }
    }
}
