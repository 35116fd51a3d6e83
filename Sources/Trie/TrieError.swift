import Primitives
import Storage

/// Why a trie operation or a proof check failed. Lookups of absent keys are not errors (they return nil).
public enum TrieError: Error, Equatable, CustomStringConvertible {
    /// A node referenced by hash is not in the store: the root was never committed, or the database is incomplete.
    case missingNode(hash: Hash32)
    /// A stored or proof node is not a valid trie node encoding; the reason names the offending part.
    case malformedNode(hash: Hash32, reason: String)
    /// The key-value store failed while a node was being loaded.
    case storage(StorageError)
    /// A proof lacks the node with this hash that the path from the root leads to (or a proof node was altered).
    case proofNodeMissing(hash: Hash32)

    /// A user-facing message naming the node hash and what was wrong.
    public var description: String {
        switch self {
        case .missingNode(let hash):
            return "trie node \(hash) is missing from the store, expected it after a commit that references it"
        case .malformedNode(let hash, let reason):
            return "trie node \(hash) is malformed: \(reason)"
        case .storage(let error):
            return "trie node could not be loaded: \(error)"
        case .proofNodeMissing(let hash):
            return "proof has no node with hash \(hash), expected one on the path from the root"
        }
    }
}
