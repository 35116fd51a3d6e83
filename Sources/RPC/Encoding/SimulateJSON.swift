import Chain
import ChainTypes
import EVM
import Execution
import JSONRPC
import Primitives

/// eth_simulateV1's result and errors as go-ethereum writes them (`internal/ethapi/simulate.go`):
/// each block is the block object of eth_getBlockByNumber with a `calls` member (keys sorted, as
/// geth marshals the map); each call is `{returnData, logs, gasUsed, maxUsedGas, status, error?}`
/// with `error` `{message, code: 3, data}` for a revert and `{message, code: -32015}` for another
/// failure; logs carry `blockTimestamp` (geth's simulate logs since v1.16). The spec's codes
/// (`execute.yaml`) are given here, once.
public enum SimulateJSON {
    /// The result array.
    /// - Parameters:
    ///   - blocks: the simulated blocks.
    ///   - fullTransactions: whether blocks list transaction objects.
    /// - Returns: the JSON array.
    public static func result(_ blocks: [SimulatedBlock], fullTransactions: Bool) -> JSON {
        .array(blocks.map { block(_: $0, fullTransactions: fullTransactions) })
    }

    /// One block with its calls.
    /// - Parameters:
    ///   - simulated: the block.
    ///   - fullTransactions: whether to list transaction objects.
    /// - Returns: the JSON object.
    public static func block(_ simulated: SimulatedBlock, fullTransactions: Bool) -> JSON {
        guard case .object(var members) = ChainJSON.block(simulated.record, fullTransactions: fullTransactions) else {
            preconditionFailure("ChainJSON.block returns an object")
        }
        let timestamp = simulated.record.header.timestamp
        let calls = JSON.array(simulated.calls.map { call($0, blockTimestamp: timestamp) })
        let position = members.firstIndex { $0.0 > "calls" } ?? members.count
        members.insert(("calls", calls), at: position)
        return .object(members)
    }

    /// One call's result.
    /// - Parameters:
    ///   - call: the call.
    ///   - blockTimestamp: its block's timestamp, for its logs.
    /// - Returns: the JSON object.
    public static func call(_ call: SimulatedCall, blockTimestamp: UInt64) -> JSON {
        var members: [(String, JSON)] = [
            ("returnData", Quantity.data(call.returnData)),
            ("logs", .array(call.logs.map { log($0, blockTimestamp: blockTimestamp) })),
            ("gasUsed", Quantity.json(call.gasUsed)),
            ("maxUsedGas", Quantity.json(call.maxUsedGas)),
            ("status", Quantity.json(call.isSuccess ? UInt64(1) : 0)),
        ]
        switch call.status {
        case .success:
            break
        case .revert:
            let error = RPCError.executionReverted(call.returnData)
            members.append(("error", .object([("message", .string(error.message)), ("code", .number(String(error.code))),
                                              ("data", error.data ?? .string("0x"))])))
        default:
            members.append(("error", .object([("message", .string(EthHandler.executionErrorMessage(call.status))),
                                              ("code", .number(String(vmErrorCode)))])))
        }
        return .object(members)
    }

    /// A log as eth_getLogs shows it (`ChainJSON.log`), with geth's `blockTimestamp` after `blockHash`.
    static func log(_ record: LogRecord, blockTimestamp: UInt64) -> JSON {
        guard case .object(var members) = ChainJSON.log(record) else { preconditionFailure("a log is a JSON object") }
        let position = (members.firstIndex { $0.0 == "blockHash" } ?? members.count - 1) + 1
        members.insert(("blockTimestamp", Quantity.json(blockTimestamp)), at: position)
        return .object(members)
    }

    /// The spec's code for a call that halted other than by REVERT ("vm execution error").
    public static let vmErrorCode = -32015

    /// The JSON-RPC error for a refused simulation, with the spec's code (geth's `errors.go`).
    /// - Parameter error: the node's error.
    /// - Returns: the RPC error.
    public static func error(_ error: SimulationError) -> RPCError {
        RPCError(code: code(of: error), message: error.description)
    }

    /// The spec's code for a refused simulation.
    /// - Parameter error: the node's error.
    /// - Returns: the code.
    public static func code(of error: SimulationError) -> Int {
        switch error {
        case .emptyInput: return -32602
        case .clientLimitExceeded: return -38026
        case .blockNumberNotIncreasing: return -38020
        case .timestampNotIncreasing: return -38021
        case .blockGasLimitReached: return -38015
        case .invalidCall, .invalidOverride, .unknownBlock: return -32000
        case .state: return -32603
        case .movePrecompileToItself: return -38022
        case .movePrecompileDestinationReused: return -38023
        case .invalidTransaction(let reason, _):
            switch reason {
            case .nonceTooLow: return -38010
            case .nonceTooHigh: return -38011
            case .maxFeePerGasBelowBaseFee: return -38012
            case .intrinsicGasTooLow: return -38013
            case .insufficientFunds, .gasPriceProductOverflow: return -38014
            case .senderNotEOA: return -38024
            case .initCodeSizeExceeded: return -38025
            case .priorityFeeGreaterThanMaxFee: return -32602
            case .nonceIsMax, .gasLimitExceedsBlockGasLimit, .unsupportedType: return -32603
            }
        }
    }
}
