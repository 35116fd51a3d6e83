import Primitives
import Storage

/// An Ethereum Merkle Patricia Trie (Yellow Paper, appendix D) over a `KeyValueStore`, giving the
/// same root hashes as go-ethereum's `trie.Trie`.
///
/// Design choices:
/// - A final class, not a copy-on-write struct: the trie is a cache of nodes loaded from the store
///   and of unsaved changes, and even `get` fills that cache (a node is loaded once, then reused).
///   Reference semantics make that sharing honest; value semantics would make every read `mutating`.
///   To branch off a version, `commit` it and open another trie at the committed root.
/// - Nodes are small final classes mutated in place along the updated path (see `TrieNode`).
/// - Nodes load lazily: opening a trie at a root reads nothing; each operation loads the nodes on
///   its key's path, and a node absent from the store is `TrieError.missingNode` naming its hash.
/// - `rootHash()` hashes only nodes changed since the last hash; `commit(into:)` writes only nodes
///   changed since the last commit. Old nodes are never deleted from the store (no pruning).
///
/// Invariants: keys are byte strings of any length, values are non-empty byte strings (an empty
/// value means "absent", as in Ethereum, so inserting one deletes the key). A trie instance is not
/// thread-safe: confine it to one task. Updates work in place, so if `insert` or `delete` throws
/// (a node missing from or corrupt in the store) the in-memory trie is left half-updated: discard
/// it and reopen the last committed root.
public final class MerklePatriciaTrie {
    /// The root of the empty trie: keccak256(RLP("")) = keccak256(0x80).
    public static let emptyRoot = Keccak256.hash([0x80])

    /// The store nodes are loaded from; `commit(into:)` produces batches for it.
    public let store: any KeyValueStore
    var root: TrieNode
    var hasher = TrieHasher()

    /// Opens the trie with the given root. Nothing is read until a key is looked up.
    /// - Parameters:
    ///   - store: where nodes are loaded from (by hash).
    ///   - root: a root hash committed earlier, or `emptyRoot` (the default) for a new trie.
    public init(store: any KeyValueStore, root: Hash32 = MerklePatriciaTrie.emptyRoot) {
        self.store = store
        self.root = root == Self.emptyRoot ? .empty : .hashNode(root)
    }

    // MARK: Reading

    /// Looks up a key.
    /// - Parameter key: the key bytes.
    /// - Returns: the value, or nil if the key is absent.
    /// - Throws: `TrieError` if a node on the key's path is missing from the store or malformed.
    public func get(_ key: [UInt8]) throws(TrieError) -> [UInt8]? {
        try lookup(&root, key: key, depth: 0)
    }

    private func lookup(_ node: inout TrieNode, key: [UInt8], depth: Int) throws(TrieError) -> [UInt8]? {
        switch node {
        case .empty:
            return nil
        case .hashNode(let hash):
            node = try resolve(hash)
            return try lookup(&node, key: key, depth: depth)
        case .leafNode(let leaf):
            guard depth + leaf.path.count == key.count * 2, keyHasPrefix(key, from: depth, leaf.path) else { return nil }
            return leaf.value
        case .extensionNode(let extensionNode):
            guard keyHasPrefix(key, from: depth, extensionNode.path) else { return nil }
            return try lookup(&extensionNode.child, key: key, depth: depth + extensionNode.path.count)
        case .branchNode(let branch):
            if depth == key.count * 2 { return branch.value.isEmpty ? nil : branch.value }
            return try lookup(&branch.children[Int(nibble(key, depth))], key: key, depth: depth + 1)
        }
    }

    /// Loads and decodes the node stored under `hash`.
    func resolve(_ hash: Hash32) throws(TrieError) -> TrieNode {
        try TrieNode.decode(loadEncoding(hash), hash: hash)
    }

    /// Reads the RLP stored under `hash`.
    func loadEncoding(_ hash: Hash32) throws(TrieError) -> [UInt8] {
        let encoded: [UInt8]?
        do {
            encoded = try store.get(hash.bytes)
        } catch {
            throw .storage(error)
        }
        guard let encoded else { throw .missingNode(hash: hash) }
        return encoded
    }

    // MARK: Writing

    /// Sets the value of a key; an empty value deletes the key (Ethereum semantics).
    /// - Parameters:
    ///   - value: the value bytes.
    ///   - key: the key bytes.
    /// - Throws: `TrieError` if a node on the key's path is missing from the store or malformed.
    public func insert(_ value: [UInt8], forKey key: [UInt8]) throws(TrieError) {
        if value.isEmpty {
            try delete(key)
            return
        }
        _ = try insert(&root, path: HexPrefix.nibbles(of: key)[...], value: value)
    }

    /// Removes a key; removing an absent key changes nothing.
    /// - Parameter key: the key bytes.
    /// - Throws: `TrieError` if a node on the key's path is missing from the store or malformed.
    public func delete(_ key: [UInt8]) throws(TrieError) {
        _ = try delete(&root, path: HexPrefix.nibbles(of: key)[...])
    }

    /// Inserts below `node`; returns whether anything changed (an equal value changes nothing).
    private func insert(_ node: inout TrieNode, path: ArraySlice<UInt8>, value: [UInt8]) throws(TrieError) -> Bool {
        switch node {
        case .empty:
            node = .leafNode(LeafNode(path: path, value: value))
            return true

        case .hashNode(let hash):
            node = try resolve(hash)
            return try insert(&node, path: path, value: value)

        case .leafNode(let leaf):
            let common = commonPrefixLength(leaf.path, path)
            if common == leaf.path.count && common == path.count {
                if leaf.value == value { return false }
                leaf.value = value
                leaf.flags = .dirty
                return true
            }
            // The paths part at `common`: a branch there holds the old leaf and the new value.
            let branch = BranchNode()
            if common == leaf.path.count {
                branch.value = leaf.value
            } else {
                let index = leaf.path.startIndex + common
                let branchNibble = Int(leaf.path[index])
                leaf.path = leaf.path[(index + 1)...]
                leaf.flags = .dirty
                branch.children[branchNibble] = .leafNode(leaf)
            }
            place(value, at: path.dropFirst(common), in: branch)
            node = wrap(.branchNode(branch), under: path.prefix(common))
            return true

        case .extensionNode(let extensionNode):
            let common = commonPrefixLength(extensionNode.path, path)
            if common == extensionNode.path.count {
                let changed = try insert(&extensionNode.child, path: path.dropFirst(common), value: value)
                if changed { extensionNode.flags = .dirty }
                return changed
            }
            // Split the extension at `common`.
            let branch = BranchNode()
            let index = extensionNode.path.startIndex + common
            let branchNibble = Int(extensionNode.path[index])
            if extensionNode.path.count - common == 1 {
                branch.children[branchNibble] = extensionNode.child
            } else {
                extensionNode.path = extensionNode.path[(index + 1)...]
                extensionNode.flags = .dirty
                branch.children[branchNibble] = .extensionNode(extensionNode)
            }
            place(value, at: path.dropFirst(common), in: branch)
            node = wrap(.branchNode(branch), under: path.prefix(common))
            return true

        case .branchNode(let branch):
            guard let first = path.first else {
                if branch.value == value { return false }
                branch.value = value
                branch.flags = .dirty
                return true
            }
            let changed = try insert(&branch.children[Int(first)], path: path.dropFirst(), value: value)
            if changed { branch.flags = .dirty }
            return changed
        }
    }

    /// Puts `value` into a fresh branch: as its own value if `rest` is empty, else as a leaf child.
    private func place(_ value: [UInt8], at rest: ArraySlice<UInt8>, in branch: BranchNode) {
        guard let first = rest.first else {
            branch.value = value
            return
        }
        branch.children[Int(first)] = .leafNode(LeafNode(path: rest.dropFirst(), value: value))
    }

    /// `node` behind an extension for `prefix`, or `node` itself when the prefix is empty.
    private func wrap(_ node: TrieNode, under prefix: ArraySlice<UInt8>) -> TrieNode {
        prefix.isEmpty ? node : .extensionNode(ExtensionNode(path: prefix, child: node))
    }

    /// Deletes below `node`; returns whether anything changed. Keeps the trie canonical: no branch
    /// with fewer than two entries, no extension followed by an extension or a leaf.
    private func delete(_ node: inout TrieNode, path: ArraySlice<UInt8>) throws(TrieError) -> Bool {
        switch node {
        case .empty:
            return false

        case .hashNode(let hash):
            node = try resolve(hash)
            return try delete(&node, path: path)

        case .leafNode(let leaf):
            guard leaf.path == path else { return false }
            node = .empty
            return true

        case .extensionNode(let extensionNode):
            guard path.starts(with: extensionNode.path) else { return false }
            guard try delete(&extensionNode.child, path: path.dropFirst(extensionNode.path.count)) else { return false }
            switch extensionNode.child {
            case .empty:
                node = .empty
            case .leafNode(let leaf):
                leaf.path = joinedPath(extensionNode.path, leaf.path)
                leaf.flags = .dirty
                node = .leafNode(leaf)
            case .extensionNode(let child):
                child.path = joinedPath(extensionNode.path, child.path)
                child.flags = .dirty
                node = .extensionNode(child)
            case .branchNode, .hashNode:
                extensionNode.flags = .dirty
            }
            return true

        case .branchNode(let branch):
            if let first = path.first {
                guard try delete(&branch.children[Int(first)], path: path.dropFirst()) else { return false }
            } else {
                if branch.value.isEmpty { return false }
                branch.value = []
            }
            branch.flags = .dirty
            if branch.entryCount >= 2 { return true }
            node = try collapse(branch)
            return true
        }
    }

    /// Replaces a branch left with one entry by the equivalent leaf or extension.
    private func collapse(_ branch: BranchNode) throws(TrieError) -> TrieNode {
        guard let index = branch.children.firstIndex(where: { if case .empty = $0 { false } else { true } }) else {
            return .leafNode(LeafNode(path: [][...], value: branch.value))
        }
        var child = branch.children[index]
        if case .hashNode(let hash) = child { child = try resolve(hash) }
        let nibblePath: ArraySlice<UInt8> = [UInt8(index)][...]
        switch child {
        case .leafNode(let leaf):
            leaf.path = joinedPath(nibblePath, leaf.path)
            leaf.flags = .dirty
            return child
        case .extensionNode(let extensionNode):
            extensionNode.path = joinedPath(nibblePath, extensionNode.path)
            extensionNode.flags = .dirty
            return child
        case .branchNode, .empty, .hashNode:
            return .extensionNode(ExtensionNode(path: nibblePath, child: child))
        }
    }

    // MARK: Hashing and committing

    /// The root hash, hashing only the nodes changed since the last call (cached hashes are reused).
    /// - Returns: keccak256 of the root node's RLP, or `emptyRoot` for an empty trie.
    public func rootHash() -> Hash32 {
        if case .hashNode(let hash) = root { return hash }
        return hasher.rootHash(of: root)
    }

    /// Adds every node created or changed since the last commit to `batch`, keyed by its hash, for
    /// an atomic block commit. Nodes whose RLP is shorter than 32 bytes are embedded in their parent
    /// and not stored on their own; the root is always stored. After the batch is written, a trie
    /// opened on the same store at the returned root sees the same contents.
    /// - Parameter batch: the batch to add puts to.
    /// - Returns: the root hash.
    public func commit(into batch: inout WriteBatch) -> Hash32 {
        if case .hashNode(let hash) = root { return hash }
        return hasher.commitRoot(root, into: &batch)
    }
}
