import EVM
import Primitives

/// Records which opcodes a case executed and which precompiles it called, and how each call
/// ended, for the differential fuzzer's coverage counters (`goldengrain statetest --jsonl
/// --coverage`). Cheap enough to leave on: a bit per opcode and per precompile outcome.
public final class CoverageTracer: Tracer {
    /// Bit `n` of word `n / 64` is set once opcode `n` has started executing.
    public private(set) var opcodes: [UInt64] = [0, 0, 0, 0]
    /// Precompile address number (1…255) → (called and succeeded, called and failed).
    public private(set) var precompiles: [Int: (succeeded: Bool, failed: Bool)] = [:]

    /// Creates an empty record.
    public init() {}

    /// Notes nothing: precompile frames are recorded when they end.
    /// - Parameters:
    ///   - message: the frame's message.
    ///   - code: the frame's code.
    public func frameDidStart(message: Message, code: AnalyzedCode) {}

    /// Sets the opcode's bit.
    /// - Parameter step: the step about to run.
    public func willExecute(_ step: TraceStep) {
        opcodes[Int(step.opcode >> 6)] |= 1 << UInt64(step.opcode & 63)
    }

    /// Records a call to a low address (a precompile, or the empty account there) and whether it
    /// succeeded.
    /// - Parameters:
    ///   - message: the frame's message.
    ///   - result: how it ended.
    public func frameDidEnd(message: Message, result: CallResult) {
        let address = message.codeAddress
        guard message.kind == .call || message.kind == .callCode || message.kind == .delegateCall,
              address.high == 0, address.middle == 0, address.low > 0, address.low < 0x200 else { return }
        var entry = precompiles[Int(address.low)] ?? (false, false)
        if result.status.isSuccess { entry.succeeded = true } else { entry.failed = true }
        precompiles[Int(address.low)] = entry
    }

    /// The record as JSON members: `"opcodes":"0x<256-bit map, bit n = opcode n>",
    /// "precompiles":{"<number>":"ok"|"fail"|"both"}`.
    public var jsonMembers: String {
        var map = UInt256.zero
        for word in 0..<4 { map = map | (UInt256(opcodes[word]) << (64 * word)) }
        let entries = precompiles.keys.sorted().map { number -> String in
            let entry = precompiles[number]!
            let text = entry.succeeded && entry.failed ? "both" : entry.succeeded ? "ok" : "fail"
            return "\"\(number)\":\"\(text)\""
        }
        return "\"opcodes\":\"\(map.hexQuantity)\",\"precompiles\":{\(entries.joined(separator: ","))}"
    }
}
