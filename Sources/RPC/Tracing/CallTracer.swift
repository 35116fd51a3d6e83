import EVM
import JSONRPC
import Primitives

/// geth's `callTracer`: the tree of message calls, each frame
/// `{from, gas, gasUsed, to, input, output, error, revertReason, calls, logs, value, type}` in
/// geth's field order, with empty `output`, `error`, `revertReason`, `calls` and `logs` left out
/// and `value` left out for DELEGATECALL and STATICCALL.
///
/// Options (geth's `tracerConfig`): `onlyTopCall` records the outermost frame only; `withLog` adds
/// each frame's logs as `{address, topics, data, position}`, where `position` is how many sub-calls
/// the frame had made when the log was emitted (so a reader can interleave logs and calls, geth
/// PR 28389). Logs of a frame that failed, or whose caller failed, are dropped, since they never
/// reach a receipt (geth's `clearFailedLogs`).
///
/// The outermost frame reports the transaction's gas limit and its whole gas used (intrinsic gas
/// included), as geth does; set them with `result(gasLimit:gasUsed:)`. Used by one execution at a
/// time and read afterwards, hence `@unchecked Sendable`.
public final class CallTracer: Tracer, @unchecked Sendable {
    /// geth's `callTracerConfig`.
    public struct Options: Sendable, Equatable {
        /// Record the outermost frame only (`onlyTopCall`).
        package var onlyTopCall = false
        /// Record logs in each frame (`withLog`).
        public var withLog = false
        /// Creates options with geth's defaults (both off).
        public init() {}
    }

    struct LogEntry {
        var address: Address
        var topics: [Hash32]
        var data: [UInt8]
        var position: Int
    }

    final class Frame {
        var type: String
        var from: Address
        var to: Address?
        var value: UInt256?
        var gas: Int64
        var gasUsed: Int64 = 0
        var input: [UInt8]
        var output: [UInt8] = []
        var error: String?
        var revertReason: String?
        var calls: [Frame] = []
        var logs: [LogEntry] = []

        init(type: String, from: Address, to: Address?, value: UInt256?, gas: Int64, input: [UInt8]) {
            self.type = type; self.from = from; self.to = to; self.value = value; self.gas = gas; self.input = input
        }
    }

    private let options: Options
    private var stack: [(frame: Frame, isStatic: Bool)] = []
    private var root: Frame?
    /// Frames open below the top one while `onlyTopCall` skips them.
    private var skippedDepth = 0

    /// Creates a tracer.
    /// - Parameter options: geth's `tracerConfig` (default: all frames, no logs).
    public init(options: Options = Options()) { self.options = options }

    /// Opens a call frame.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
        if options.onlyTopCall && !stack.isEmpty {
            skippedDepth += 1
            return
        }
        let parentIsStatic = stack.last?.isStatic ?? false
        let type: String
        switch message.kind {
        case .call: type = message.isStatic && !parentIsStatic ? "STATICCALL" : "CALL"
        case .delegateCall: type = "DELEGATECALL"
        case .callCode: type = "CALLCODE"
        case .create: type = "CREATE"
        case .create2: type = "CREATE2"
        }
        let hasValue = type != "DELEGATECALL" && type != "STATICCALL"
        let isCreation = message.kind == .create || message.kind == .create2
        let frame = Frame(type: type, from: message.sender, to: isCreation ? nil : message.recipient,
                          value: hasValue ? message.value : nil, gas: message.gas, input: message.input)
        stack.last?.frame.calls.append(frame)
        if stack.isEmpty { root = frame }
        stack.append((frame, message.isStatic))
    }

    /// Nothing per opcode.
    public func willExecute(_ step: TraceStep) {}

    /// Records a log in the innermost open frame, positioned after the sub-calls made so far.
    public func logDidEmit(address: Address, topics: [Hash32], data: [UInt8]) {
        guard options.withLog, skippedDepth == 0, let frame = stack.last?.frame else { return }
        frame.logs.append(LogEntry(address: address, topics: topics, data: data, position: frame.calls.count))
    }

    /// Closes a call frame with its result.
    public func frameDidEnd(message: Message, result: CallResult) {
        if skippedDepth > 0 {
            skippedDepth -= 1
            return
        }
        guard let (frame, _) = stack.popLast() else { return }
        frame.gasUsed = message.gas - max(result.gasLeft, 0)
        if let created = result.createAddress { frame.to = created }
        switch result.status {
        case .success:
            frame.output = result.output
        case .revert:
            frame.output = result.output
            frame.error = "execution reverted"
            frame.revertReason = RevertReason.decode(result.output)
        default:
            frame.error = EthHandler.executionErrorMessage(result.status)
        }
    }

    /// The call tree as geth writes it.
    /// - Parameters:
    ///   - gasLimit: the transaction's gas limit, for the outermost frame.
    ///   - gasUsed: the transaction's gas used, for the outermost frame.
    /// - Returns: the outermost frame, or null if nothing ran.
    public func result(gasLimit: UInt64?, gasUsed: UInt64?) -> JSON {
        guard let root else { return .null }
        if let gasLimit { root.gas = Int64(clamping: gasLimit) }
        if let gasUsed { root.gasUsed = Int64(clamping: gasUsed) }
        Self.dropFailedLogs(root, parentFailed: false)
        return Self.json(root)
    }

    /// geth's `clearFailedLogs`: a failed frame's logs, and those of everything it called, are gone.
    static func dropFailedLogs(_ frame: Frame, parentFailed: Bool) {
        let failed = parentFailed || frame.error != nil
        if failed { frame.logs.removeAll() }
        for call in frame.calls { dropFailedLogs(call, parentFailed: failed) }
    }

    static func json(_ frame: Frame) -> JSON {
        var members: [(String, JSON)] = [
            ("from", Quantity.json(frame.from)),
            ("gas", Quantity.json(UInt64(max(frame.gas, 0)))),
            ("gasUsed", Quantity.json(UInt64(max(frame.gasUsed, 0)))),
        ]
        if let to = frame.to { members.append(("to", Quantity.json(to))) }
        members.append(("input", Quantity.data(frame.input)))
        if !frame.output.isEmpty { members.append(("output", Quantity.data(frame.output))) }
        if let error = frame.error { members.append(("error", .string(error))) }
        if let reason = frame.revertReason { members.append(("revertReason", .string(reason))) }
        if !frame.calls.isEmpty { members.append(("calls", .array(frame.calls.map(json)))) }
        if !frame.logs.isEmpty {
            members.append(("logs", .array(frame.logs.map { log in
                .object([("address", Quantity.json(log.address)), ("topics", .array(log.topics.map { Quantity.json($0) })),
                         ("data", Quantity.data(log.data)), ("position", Quantity.json(UInt64(log.position)))])
            })))
        }
        if let value = frame.value { members.append(("value", Quantity.json(value))) }
        members.append(("type", .string(frame.type)))
        return .object(members)
    }
}
