import Primitives

/// The in-memory node kinds of a Merkle Patricia Trie (Yellow Paper, appendix D; go-ethereum `trie/node.go`).
///
/// - `leafNode`: the rest of a key's path and its value, `[HP(path, leaf), value]` on the wire.
/// - `extensionNode`: a shared path segment and one child, `[HP(path, extension), child]`.
/// - `branchNode`: sixteen children, one per next nibble, and the value of a key ending here, a 17-item list.
/// - `hashNode`: a child known only by hash, not yet loaded from the store (resolved on demand).
///
/// Nodes are small final classes mutated in place: a trie owns its nodes, so an update touches only
/// the path to its key and allocates only the nodes it adds. Each node caches how its parent refers
/// to it (`flags.reference`) so that `rootHash()` re-encodes and rehashes only the nodes changed
/// since the last call.
enum TrieNode {
    case empty
    case leafNode(LeafNode)
    case extensionNode(ExtensionNode)
    case branchNode(BranchNode)
    case hashNode(Hash32)

    /// The cached reference of a node whose reference has been computed; nil for `.empty`.
    var cachedReference: NodeReference? {
        switch self {
        case .empty: return nil
        case .hashNode(let hash): return .hash(hash)
        case .leafNode(let leaf): return leaf.flags.reference
        case .extensionNode(let node): return node.flags.reference
        case .branchNode(let branch): return branch.flags.reference
        }
    }
}

/// How a parent refers to a child: by hash when the child's RLP is at least 32 bytes, otherwise by
/// embedding the child's RLP itself (Yellow Paper, appendix D, the function c(𝕁, i)).
enum NodeReference: Equatable {
    case hash(Hash32)
    case embedded([UInt8])
}

/// Cache state shared by all node classes.
struct NodeFlags {
    /// The node's reference as computed from its current content; nil once the node changes.
    var reference: NodeReference?
    /// Whether the node has changed since it was loaded or committed, so `commit` must write it.
    var isDirty: Bool

    /// Flags of a node that is new or changed.
    static let dirty = NodeFlags(reference: nil, isDirty: true)
}

final class LeafNode {
    /// The remaining key nibbles after the path leading to this node.
    var path: ArraySlice<UInt8>
    var value: [UInt8]
    var flags: NodeFlags

    init(path: ArraySlice<UInt8>, value: [UInt8], flags: NodeFlags = .dirty) {
        self.path = path
        self.value = value
        self.flags = flags
    }
}

final class ExtensionNode {
    /// The shared nibbles; never empty in a well-formed trie.
    var path: ArraySlice<UInt8>
    /// A branch (possibly not yet loaded).
    var child: TrieNode
    var flags: NodeFlags

    init(path: ArraySlice<UInt8>, child: TrieNode, flags: NodeFlags = .dirty) {
        self.path = path
        self.child = child
        self.flags = flags
    }
}

final class BranchNode {
    /// Exactly 16 children, indexed by the next nibble.
    var children: [TrieNode]
    /// The value of the key that ends at this branch; empty for none.
    var value: [UInt8]
    var flags: NodeFlags

    init(children: [TrieNode] = Array(repeating: .empty, count: 16), value: [UInt8] = [], flags: NodeFlags = .dirty) {
        self.children = children
        self.value = value
        self.flags = flags
    }

    /// The number of non-empty children plus one if the branch holds a value.
    var entryCount: Int {
        var count = value.isEmpty ? 0 : 1
        for child in children {
            if case .empty = child { continue }
            count += 1
        }
        return count
    }
}

/// Nibble `index` of a byte key, without materialising a nibble array (used by lookups).
@inline(__always)
func nibble(_ key: [UInt8], _ index: Int) -> UInt8 {
    let byte = key[index >> 1]
    return index & 1 == 0 ? byte >> 4 : byte & 0x0f
}

/// Whether `path` equals the nibbles of `key` from nibble `start` on, for exactly `path.count` nibbles.
@inline(__always)
func keyHasPrefix(_ key: [UInt8], from start: Int, _ path: ArraySlice<UInt8>) -> Bool {
    guard start + path.count <= key.count * 2 else { return false }
    var index = start
    for element in path {
        if nibble(key, index) != element { return false }
        index += 1
    }
    return true
}

/// The length of the common prefix of two nibble paths.
@inline(__always)
func commonPrefixLength(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    var count = 0
    let limit = min(a.count, b.count)
    var ai = a.startIndex, bi = b.startIndex
    while count < limit && a[ai] == b[bi] {
        count += 1; ai += 1; bi += 1
    }
    return count
}

/// `prefix` followed by `suffix`, as a fresh path.
func joinedPath(_ prefix: ArraySlice<UInt8>, _ suffix: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var joined = [UInt8]()
    joined.reserveCapacity(prefix.count + suffix.count)
    joined.append(contentsOf: prefix)
    joined.append(contentsOf: suffix)
    return joined[...]
}
