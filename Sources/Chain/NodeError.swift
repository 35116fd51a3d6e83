import ChainTypes
import Primitives

/// Why a `Node` request failed. The JSON-RPC layer maps each case to one error code once, at the
/// edge: `.rejected`, `.chain` and most others to -32000 with `description` as the message, and
/// `.executionReverted` to 3 "execution reverted" with the revert data.
public enum NodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The transaction pool refused a transaction (geth's messages, see `TransactionPoolError`).
    case rejected(TransactionPoolError)
    /// Raw transaction bytes do not decode.
    case invalidTransaction(TransactionError)
    /// The chain store, the executor or block import failed.
    case chain(ChainError)
    /// The block a request names is not known (or not yet mined).
    case unknownBlock(String)
    /// A call reverted (eth_estimateGas; for eth_call the revert is a result).
    case executionReverted(data: [UInt8])
    /// A call failed for another reason than a revert (out of gas, invalid opcode, …).
    case executionFailed(reason: String)
    /// eth_estimateGas: even the gas cap is not enough for the call to succeed.
    case gasRequiredExceedsAllowance(cap: UInt64)
    /// A call or estimate is invalid before execution (nonce, funds, fee caps, gas limit).
    case invalidCall(reason: String)
    /// eth_sendTransaction from an account the node holds no key for and does not impersonate.
    case unknownAccount(Address)
    /// evm_revert with an id that was never issued or was already used.
    case unknownSnapshot(UInt64)
    /// evm_setNextBlockTimestamp / evm_mine with a timestamp not after the head's.
    case timestampNotAfterParent(timestamp: UInt64, parentTimestamp: UInt64)
    /// The node has no signer key, so it cannot seal blocks.
    case notASigner
    /// A transaction hash the node does not know.
    case unknownTransaction(Hash32)
    /// A request argument is out of range (block count, percentiles, range too wide).
    case invalidArgument(String)
    /// The configuration carries no consensus engine (`NodeConfiguration.consensus` is nil).
    case noConsensusEngine
    /// An eth_getLogs query matched more than `limit` logs; the logs of the blocks in
    /// `fittingRange` fit (Infura's -32005 "query returned more than 10000 results").
    case tooManyLogs(limit: Int, fittingRange: ClosedRange<UInt64>)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .rejected(let error):
            return error.description
        case .invalidTransaction(let error):
            return "invalid transaction: \(error)"
        case .chain(let error):
            return error.description
        case .unknownBlock(let name):
            return "header not found: block \(name)"
        case .executionReverted(let data):
            return data.isEmpty ? "execution reverted" : "execution reverted: \(Hex.encode(data))"
        case .executionFailed(let reason):
            return "execution failed: \(reason)"
        case .gasRequiredExceedsAllowance(let cap):
            return "gas required exceeds allowance (\(cap))"
        case .invalidCall(let reason):
            return reason
        case .unknownAccount(let address):
            return "unknown account \(address): no key is unlocked for it and it is not impersonated"
        case .unknownSnapshot(let id):
            return "unknown snapshot id \(id) (ids are single-use)"
        case .timestampNotAfterParent(let timestamp, let parentTimestamp):
            return "timestamp \(timestamp) is lower than or equal to previous block's timestamp \(parentTimestamp)"
        case .notASigner:
            return "this node has no signer key, so it cannot seal blocks"
        case .unknownTransaction(let hash):
            return "transaction \(hash) not found"
        case .invalidArgument(let message):
            return message
        case .tooManyLogs(let limit, let range):
            return "query returned more than \(limit) results. Try with this block range [0x\(String(range.lowerBound, radix: 16)), 0x\(String(range.upperBound, radix: 16))]."
        case .noConsensusEngine:
            return "the node configuration has no consensus engine: set NodeConfiguration.consensus (installGoldenGrain in Consensus) before starting the node"
        }
    }
}
