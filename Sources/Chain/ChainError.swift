import ChainTypes
import Consensus
import Execution
import Primitives
import State
import Storage

/// Why the chain store, the block executor or block import failed.
///
/// Messages name the values found and what was expected, in go-ethereum's words where it has them
/// ("invalid gas used (remote: 21000 local: 42000)", "invalid merkle root"), so that users who know
/// geth recognise them.
public enum ChainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key-value store failed underneath (LevelDB's own message is carried).
    case storage(StorageError)
    /// The world state could not be read or committed (missing trie node, corrupt account).
    case state(StateError)
    /// Stored bytes under the named key do not decode; the database is corrupt.
    case corrupt(key: String, reason: String)
    /// The database holds a chain whose genesis differs from the genesis file given.
    case genesisMismatch(stored: Hash32, expected: Hash32)
    /// No block with this hash is stored.
    case unknownBlock(Hash32)
    /// A block's parent is not stored.
    case unknownAncestor(number: UInt64, parentHash: Hash32)
    /// A header field does not follow from its parent (number, timestamp, gas limit, base fee, gas used).
    case invalidHeader(number: UInt64, field: String, expected: String, actual: String)
    /// A root the header declares differs from the one execution computes.
    case rootMismatch(number: UInt64, root: String, header: Hash32, computed: Hash32)
    /// A transaction of a block cannot be included (bad signature, nonce, funds, gas).
    case invalidTransaction(number: UInt64, index: Int, BlockTransactionError)
    /// The consensus engine refused to prepare, seal or verify a header (its own error inside).
    case consensus(ConsensusError)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .storage(let error):
            return error.description
        case .state(let error):
            return "state: \(error)"
        case .corrupt(let key, let reason):
            return "database corrupt at key \(key): \(reason)"
        case .genesisMismatch(let stored, let expected):
            return "database already contains an incompatible genesis block (have \(stored), new \(expected)); use another --datadir"
        case .unknownBlock(let hash):
            return "unknown block \(hash)"
        case .unknownAncestor(let number, let parentHash):
            return "unknown ancestor: block \(number) has parent \(parentHash), which is not stored"
        case .invalidHeader(let number, let field, let expected, let actual):
            return "invalid \(field) in block \(number): have \(actual), want \(expected)"
        case .rootMismatch(let number, let root, let header, let computed):
            return "invalid \(root) root in block \(number) (remote: \(header) local: \(computed))"
        case .invalidTransaction(let number, let index, let reason):
            return "invalid transaction \(index) in block \(number): \(reason)"
        case .consensus(let error):
            return error.description
        }
    }
}

extension ChainError {
    /// Runs a consensus-engine step (prepare, seal, verify), wrapping a refusal as `.consensus`.
    /// - Parameter step: the engine call.
    /// - Returns: its result.
    /// - Throws: `ChainError.consensus` with the engine's error.
    static func consensusStep<T>(_ step: () throws(ConsensusError) -> T) throws(ChainError) -> T {
        do throws(ConsensusError) { return try step() } catch { throw .consensus(error) }
    }
}

/// Why one transaction of a block cannot be included, with the lower module's own error kept.
public enum BlockTransactionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Its signature does not recover a sender.
    case sender(TransactionError)
    /// Its gas limit is more than the block has left.
    case exceedsBlockGas(left: UInt64, wanted: UInt64)
    /// Execution refused it (nonce, funds, fee cap, intrinsic gas).
    case validation(TransactionValidationError)

    /// The lower error's message, or the gas shortfall in geth's words.
    public var description: String {
        switch self {
        case .sender(let error): return error.description
        case .exceedsBlockGas(let left, let wanted): return "gas limit reached: block has \(left) gas left, transaction wants \(wanted)"
        case .validation(let error): return error.description
        }
    }
}
