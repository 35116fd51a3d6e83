import EVM
import JSONRPC
import Primitives

/// geth's `4byteTracer`: how often each function selector was called, keyed
/// `"0x<selector>-<call data size after the selector>"` (`{"0x27dc297e-128": 1}`), keys sorted as Go
/// writes a map. Every CALL, CALLCODE, DELEGATECALL and STATICCALL frame with at least four bytes of
/// input counts, the transaction's own call included; creations and calls into precompiles do not.
/// Used by one execution at a time and read afterwards, hence `@unchecked Sendable`.
public final class FourByteTracer: Tracer, @unchecked Sendable {
    private let precompiles: Set<Address>
    private var counts: [String: Int] = [:]

    /// Creates a tracer.
    /// - Parameter precompiles: the precompile addresses, whose calls are not counted.
    public init(precompiles: [Address]) { self.precompiles = Set(precompiles) }

    /// Counts the frame's selector.
    public func frameDidStart(message: Message, code: AnalyzedCode) {
        guard message.input.count >= 4, !precompiles.contains(message.codeAddress) else { return }
        switch message.kind {
        case .call, .callCode, .delegateCall: break
        case .create, .create2: return
        }
        let key = Hex.encode(Array(message.input.prefix(4))) + "-\(message.input.count - 4)"
        counts[key, default: 0] += 1
    }

    /// Nothing per opcode.
    public func willExecute(_ step: TraceStep) {}

    /// Nothing at a frame's end.
    public func frameDidEnd(message: Message, result: CallResult) {}

    /// The counts as geth writes them.
    /// - Returns: `{"0xselector-size": count}`, keys sorted.
    public func result() -> JSON {
        .object(counts.keys.sorted().map { ($0, .integer(counts[$0]!)) })
    }
}
