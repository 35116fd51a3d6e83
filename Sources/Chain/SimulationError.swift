import Execution
import Primitives

/// Why eth_simulateV1 refused a whole simulation. A call that reverts or halts is not an error (it
/// is a `SimulatedCall` with a failed status); these stop everything, with geth's messages. The
/// JSON-RPC layer gives each its spec code (execution-apis `execute.yaml`, geth `internal/ethapi/errors.go`).
public enum SimulationError: Error, Equatable, CustomStringConvertible {
    /// No blocks were given (-32602).
    case emptyInput
    /// More blocks or calls than the limits (256 blocks, 5000 calls a block, 10000 in all; -38026).
    case clientLimitExceeded(String)
    /// A block number is not above the previous block's (-38020).
    case blockNumberNotIncreasing(number: UInt64, previous: UInt64)
    /// A block timestamp is not above the previous block's (-38021).
    case timestampNotIncreasing(timestamp: UInt64, previous: UInt64)
    /// A call asks for more gas than its block has left (-38015).
    case blockGasLimitReached(remaining: UInt64, required: UInt64)
    /// A call cannot be a transaction of its block (nonce, funds, fee, intrinsic gas; -38010…-38025,
    /// -32602 or -32603 by the reason).
    case invalidTransaction(TransactionValidationError, suppliedGas: UInt64)
    /// The call's fields do not go together ("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified"; -32000).
    case invalidCall(String)
    /// A precompile is moved onto its own address (-38022; geth says "account 0x… is already overridden", -32000).
    case movePrecompileToItself(Address)
    /// Two precompiles are moved to the same address (-38023; geth lets the later one win).
    case movePrecompileDestinationReused(Address, first: Address, second: Address)
    /// A state override was refused ("account 0x… is not a precompile", …; -32000).
    case invalidOverride(String)
    /// The base block does not exist (-32000 "header not found").
    case unknownBlock(String)
    /// Committing a simulated block's state failed (-32603).
    case state(String)

    /// geth's message.
    public var description: String {
        switch self {
        case .emptyInput: return "empty input"
        case .clientLimitExceeded(let message): return message
        case .blockNumberNotIncreasing(let number, let previous): return "block numbers must be in order: \(number) <= \(previous)"
        case .timestampNotIncreasing(let timestamp, let previous):
            return "block timestamps must be in order: \(timestamp) <= \(previous)"
        case .blockGasLimitReached(let remaining, let required):
            return "block gas limit reached: remaining: \(remaining), required: \(required)"
        case .invalidTransaction(let error, let suppliedGas): return "err: \(error.description) (supplied gas \(suppliedGas))"
        case .invalidCall(let message), .invalidOverride(let message), .state(let message): return message
        case .unknownBlock: return "header not found"
        case .movePrecompileToItself(let address):
            return "MovePrecompileToAddress referenced itself in replacement: account \(address.checksummed)"
        case .movePrecompileDestinationReused(let destination, let first, let second):
            return "Multiple MovePrecompileToAddress referencing the same address to replace: \(destination.checksummed) "
                + "(from \(first.checksummed) and \(second.checksummed))"
        }
    }
}
