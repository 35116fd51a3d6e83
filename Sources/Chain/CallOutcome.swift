import ChainTypes
import EVM
import Primitives
import State

/// What an eth_call (or debug_traceCall) produced. A revert is a result here, not an error: the
/// JSON-RPC layer turns `status == .revert` into error 3 "execution reverted" with `output` as data.
public struct CallOutcome: Sendable {
    /// How the top-level frame ended.
    public var status: StatusCode
    /// The return data, or the revert data.
    public var output: [UInt8]
    /// The gas used, after refunds.
    public var gasUsed: UInt64
    /// The logs the call would emit.
    public var logs: [Log]
    /// The created contract, for a successful creation.
    public var createdAddress: Address?

    /// Creates an outcome.
    /// - Parameters:
    ///   - status: how the frame ended.
    ///   - output: return or revert data.
    ///   - gasUsed: gas used.
    ///   - logs: logs emitted.
    ///   - createdAddress: the created contract.
    public init(status: StatusCode, output: [UInt8], gasUsed: UInt64, logs: [Log], createdAddress: Address?) {
        self.status = status; self.output = output; self.gasUsed = gasUsed; self.logs = logs
        self.createdAddress = createdAddress
    }

    /// Whether the call ran to completion.
    public var isSuccess: Bool { status == .success }
}
