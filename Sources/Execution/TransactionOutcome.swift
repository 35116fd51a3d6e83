import EVM
import Primitives
import State

/// What executing a valid transaction produced (the stuff of its receipt).
public struct TransactionOutcome: Sendable {
    /// How the top-level frame ended.
    public var status: StatusCode
    /// Gas charged after the refund (EIP-3529), which the sender paid for.
    public var gasUsed: UInt64
    /// Gas refunded: min(refund counter, gas used / 5).
    public var gasRefunded: UInt64
    /// The top-level return or revert data (empty for a successful creation).
    public var output: [UInt8]
    /// The logs, empty unless the transaction succeeded.
    public var logs: [Log]
    /// The new contract's address, for a successful creation.
    public var createdAddress: Address?

    /// Creates an outcome.
    /// - Parameters:
    ///   - status: how the top-level frame ended.
    ///   - gasUsed: gas charged.
    ///   - gasRefunded: gas refunded.
    ///   - output: return or revert data.
    ///   - logs: emitted logs.
    ///   - createdAddress: the created contract, if any.
    public init(status: StatusCode, gasUsed: UInt64, gasRefunded: UInt64, output: [UInt8], logs: [Log],
                createdAddress: Address?) {
        self.status = status; self.gasUsed = gasUsed; self.gasRefunded = gasRefunded; self.output = output
        self.logs = logs; self.createdAddress = createdAddress
    }
}
