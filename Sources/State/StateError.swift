import Primitives
import Storage
import Trie

/// Why the world state could not be read or committed. EVM halts are never `StateError`s:
/// they are results (`StatusCode`); this is for broken or missing storage only.
public enum StateError: Error, Equatable, CustomStringConvertible {
    /// The backing key-value store failed.
    case storage(StorageError)
    /// A trie operation failed (a node missing from the store, or malformed).
    case trie(TrieError)
    /// The store has no code under a hash an account names.
    case missingCode(Hash32)
    /// A stored account or node did not decode.
    case corrupt(String)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .storage(let error): return "state storage failed: \(error)"
        case .trie(let error): return "state trie failed: \(error)"
        case .missingCode(let hash): return "missing code with hash \(hash)"
        case .corrupt(let message): return "corrupt state: \(message)"
        }
    }
}
