import Primitives

/// Writes an EIP-3155 trace: one JSON object per opcode, then one summary line when the outermost
/// frame ends.
///
/// Step lines carry, in this order: `pc`, `op`, `gas` (before the opcode), `gasCost` (the opcode's
/// base gas, as evmone reports it), `memSize`, `stack` (bottom first, hex quantities),
/// `returnData` (only when non-empty), `depth` (starting at 1, as EIP-3155 says), `refund` and
/// `opName`:
///
///     {"pc":0,"op":96,"gas":"0x2710","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}
///
/// The summary line is `{"output":"…","gasUsed":"0x…"}`, with the output as bare lower-case hex
/// (empty for no output, as in the EIP's example), and an `"error"` field naming the status when
/// the frame did not succeed.
public final class EIP3155Tracer: Tracer {
    private let write: (String) -> Void
    private var initialGas: [Int64] = []

    /// Creates a tracer that hands each line, without its newline, to `write`.
    /// - Parameter write: receives one JSON line per call.
    public init(write: @escaping (String) -> Void) {
        self.write = write
    }

    /// Records the frame's starting gas for the summary.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
        initialGas.append(message.gas)
    }

    /// Writes one step line.
    public func willExecute(_ step: TraceStep) {
        var line = "{\"pc\":\(step.pc),\"op\":\(step.opcode),\"gas\":\"\(hex(step.gasLeft))\""
        line += ",\"gasCost\":\"\(hex(step.gasCost))\",\"memSize\":\(step.memory.count),\"stack\":["
        for (index, item) in step.stack.enumerated() {
            if index > 0 { line += "," }
            line += "\"\(item.hexQuantity)\""
        }
        line += "]"
        if !step.returnData.isEmpty { line += ",\"returnData\":\"\(Hex.encode(step.returnData))\"" }
        line += ",\"depth\":\(step.depth + 1),\"refund\":\(step.refund)"
        line += ",\"opName\":\"\(InstructionTable.name(of: step.opcode))\"}"
        write(line)
    }

    /// Writes the summary line when the outermost frame ends.
    public func frameDidEnd(message: Message, result: CallResult) {
        let startGas = initialGas.popLast() ?? message.gas
        guard initialGas.isEmpty else { return }
        var line = "{\"output\":\"\(Hex.encode(result.output, prefix: false))\""
        line += ",\"gasUsed\":\"\(hex(startGas - result.gasLeft))\""
        if result.status != .success { line += ",\"error\":\"\(result.status)\"" }
        line += "}"
        write(line)
    }

    private func hex(_ value: Int64) -> String {
        "0x" + String(UInt64(bitPattern: value), radix: 16)
    }
}
