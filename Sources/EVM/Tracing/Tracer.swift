import Primitives

/// One opcode about to run, as a tracer sees it.
///
/// The buffers are views into the running frame: they are valid only during the `Tracer` call
/// that receives the step. Copy what you keep.
public struct TraceStep {
    /// The opcode's offset in the code.
    public let pc: Int
    /// The opcode byte: an `Opcode` raw value, or an undefined byte (the frame then halts).
    public let opcode: UInt8
    /// Gas left before the opcode is charged.
    public let gasLeft: Int64
    /// The opcode's base gas from the instruction table. Dynamic costs (memory, cold access, …)
    /// are not included, as in evmone's EIP-3155 tracer; they show in the next step's `gasLeft`.
    public let gasCost: Int64
    /// The stack, bottom item first.
    public let stack: UnsafeBufferPointer<UInt256>
    /// The active memory.
    public let memory: UnsafeRawBufferPointer
    /// The frame's call depth, 0 for the transaction's frame (`Message.depth`).
    public let depth: Int
    /// The frame's refund counter so far.
    public let refund: Int64
    /// The return data of the last nested call.
    public let returnData: [UInt8]

    /// Creates a step (for tracer tests and adapters).
    public init(pc: Int, opcode: UInt8, gasLeft: Int64, gasCost: Int64, stack: UnsafeBufferPointer<UInt256>,
                memory: UnsafeRawBufferPointer, depth: Int, refund: Int64, returnData: [UInt8]) {
        self.pc = pc; self.opcode = opcode; self.gasLeft = gasLeft; self.gasCost = gasCost
        self.stack = stack; self.memory = memory; self.depth = depth; self.refund = refund
        self.returnData = returnData
    }
}

/// Observes execution: each frame's start and end, and every opcode before it runs.
///
/// The interpreter is generic over the tracer, so hooks are called directly, and with `NoTracer`
/// (whose `isEnabled` is false) the specialised loop contains no tracing code at all. A tracer is
/// a class so that the host can hand the same one to every nested frame it starts.
public protocol Tracer: AnyObject {
    /// Whether the interpreter should build steps and call the hooks. Defaults to true.
    static var isEnabled: Bool { get }

    /// A frame is about to run.
    /// - Parameters:
    ///   - message: the frame's message (its `depth` is 0 for the transaction's frame).
    ///   - code: the code it runs.
    func frameDidStart(message: Message, code: AnalyzedCode)

    /// An opcode is about to run (before its stack check and gas charge).
    /// - Parameter step: the frame's state; its buffers are valid only during this call.
    func willExecute(_ step: TraceStep)

    /// A frame has ended.
    /// - Parameters:
    ///   - message: the frame's message.
    ///   - result: how it ended.
    func frameDidEnd(message: Message, result: CallResult)

    /// A LOG0–LOG4 has emitted a log (after its gas was charged, so only logs that were actually
    /// appended arrive; a later revert of the frame still discards them). Optional: the default
    /// does nothing.
    /// - Parameters:
    ///   - address: the emitting account.
    ///   - topics: the topics.
    ///   - data: the payload.
    func logDidEmit(address: Address, topics: [Hash32], data: [UInt8])
}

extension Tracer {
    /// Tracing is on unless a tracer says otherwise.
    @inlinable public static var isEnabled: Bool { true }

    /// Ignores logs.
    @inlinable public func logDidEmit(address: Address, topics: [Hash32], data: [UInt8]) {}
}

/// The tracer that does nothing: selecting it compiles tracing out of the interpreter loop.
public final class NoTracer: Tracer, Sendable {
    /// One shared instance; it has no state.
    public static let shared = NoTracer()

    /// Creates a tracer that does nothing.
    public init() {}

    /// Always false: the loop skips building steps.
    @inlinable public static var isEnabled: Bool { false }

    /// Does nothing.
    @inlinable @inline(__always) public func frameDidStart(message: Message, code: AnalyzedCode) {}

    /// Does nothing.
    @inlinable @inline(__always) public func willExecute(_ step: TraceStep) {}

    /// Does nothing.
    @inlinable @inline(__always) public func frameDidEnd(message: Message, result: CallResult) {}
}
