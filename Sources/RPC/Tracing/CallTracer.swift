import EVM
import Primitives

/// geth's `callTracer`: the tree of message calls, each frame
/// `{from, gas, gasUsed, to, input, output, error, revertReason, calls, value, type}` in geth's
/// field order, with empty `output`, `error`, `revertReason` and `calls` left out and `value`
/// left out for DELEGATECALL and STATICCALL.
///
/// The outermost frame reports the transaction's gas limit and its whole gas used (intrinsic gas
/// included), as geth does; set them with `result(gasLimit:gasUsed:)`. Used by one execution at a
/// time and read afterwards, hence `@unchecked Sendable`.
public final class CallTracer: Tracer, @unchecked Sendable {
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

        init(type: String, from: Address, to: Address?, value: UInt256?, gas: Int64, input: [UInt8]) {
            self.type = type; self.from = from; self.to = to; self.value = value; self.gas = gas; self.input = input
        }
    }

    private var stack: [(frame: Frame, isStatic: Bool)] = []
    private var root: Frame?

    /// Creates a tracer.
    public init() {}

    /// Opens a call frame.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
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

    /// Closes a call frame with its result.
    public func frameDidEnd(message: Message, result: CallResult) {
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
        return Self.json(root)
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
        if let value = frame.value { members.append(("value", Quantity.json(value))) }
        members.append(("type", .string(frame.type)))
        return .object(members)
    }
}
