import Primitives
import Storage

/// Encodes nodes and computes their references (Yellow Paper, appendix D; go-ethereum `trie/hasher.go`).
///
/// A node's reference is its RLP when that is shorter than 32 bytes, otherwise keccak256 of it.
/// The root is always referred to by hash. References are cached in each node, and a node's
/// cache is cleared whenever it changes, so hashing after n inserts touches only the changed paths,
/// and each changed node is encoded and hashed once. All encoding goes through one scratch buffer
/// owned by the hasher: children are finished before their parent starts, so one buffer suffices.
struct TrieHasher {
    private var scratch: [UInt8] = []

    init() {
        scratch.reserveCapacity(544)  // a full branch: 16 × 33-byte hashes + headers + a short value
    }

    // MARK: Hashing

    /// The node's reference, computing (and caching) it and those of its changed descendants.
    /// - Returns: nil for the empty node.
    mutating func reference(of node: TrieNode) -> NodeReference? {
        if let cached = node.cachedReference { return cached }
        switch node {
        case .empty, .hashNode:
            return node.cachedReference
        case .leafNode(let leaf):
            encodeLeaf(leaf)
            let reference = makeReference()
            leaf.flags.reference = reference
            return reference
        case .extensionNode(let node):
            _ = self.reference(of: node.child)
            encodeExtension(node)
            let reference = makeReference()
            node.flags.reference = reference
            return reference
        case .branchNode(let branch):
            for child in branch.children { _ = self.reference(of: child) }
            encodeBranch(branch)
            let reference = makeReference()
            branch.flags.reference = reference
            return reference
        }
    }

    /// The hash of a root node (the root is hashed even when its RLP is shorter than 32 bytes).
    mutating func rootHash(of node: TrieNode) -> Hash32 {
        switch reference(of: node) {
        case nil: return MerklePatriciaTrie.emptyRoot
        case .hash(let hash)?: return hash
        case .embedded(let encoded)?: return Keccak256.hash(encoded)
        }
    }

    // MARK: Committing

    /// Writes every dirty node under `node` (children first) to `batch` under its hash, marks it clean,
    /// and returns the node's reference. Embedded nodes are not written: they live inside their parent.
    mutating func commit(_ node: TrieNode, into batch: inout WriteBatch) -> NodeReference? {
        switch node {
        case .empty, .hashNode:
            return node.cachedReference
        case .leafNode(let leaf):
            guard leaf.flags.isDirty else { return leaf.flags.reference }
            encodeLeaf(leaf)
            leaf.flags = NodeFlags(reference: store(leaf.flags.reference, into: &batch), isDirty: false)
            return leaf.flags.reference
        case .extensionNode(let node):
            guard node.flags.isDirty else { return node.flags.reference }
            _ = commit(node.child, into: &batch)
            encodeExtension(node)
            node.flags = NodeFlags(reference: store(node.flags.reference, into: &batch), isDirty: false)
            return node.flags.reference
        case .branchNode(let branch):
            guard branch.flags.isDirty else { return branch.flags.reference }
            for child in branch.children { _ = commit(child, into: &batch) }
            encodeBranch(branch)
            branch.flags = NodeFlags(reference: store(branch.flags.reference, into: &batch), isDirty: false)
            return branch.flags.reference
        }
    }

    /// Commits the root, which is stored under its hash even when its RLP is shorter than 32 bytes.
    mutating func commitRoot(_ node: TrieNode, into batch: inout WriteBatch) -> Hash32 {
        switch commit(node, into: &batch) {
        case nil:
            return MerklePatriciaTrie.emptyRoot
        case .hash(let hash)?:
            return hash
        case .embedded(let encoded)?:
            let hash = Keccak256.hash(encoded)
            batch.put(encoded, forKey: hash.bytes)
            return hash
        }
    }

    /// Uses the reference computed earlier, if any, else the one of the encoding in `scratch`;
    /// puts the encoding into `batch` when the reference is a hash.
    private mutating func store(_ cached: NodeReference?, into batch: inout WriteBatch) -> NodeReference {
        let reference = cached ?? makeReference()
        if case .hash(let hash) = reference {
            batch.put(scratch, forKey: hash.bytes)
        }
        return reference
    }

    // MARK: Encoding

    /// The RLP of a node whose children's references are already cached (after `reference(of:)`).
    mutating func encoding(of node: TrieNode) -> [UInt8] {
        switch node {
        case .empty: return [0x80]
        case .hashNode: preconditionFailure("an unresolved node has no encoding in memory")
        case .leafNode(let leaf): encodeLeaf(leaf)
        case .extensionNode(let node): encodeExtension(node)
        case .branchNode(let branch): encodeBranch(branch)
        }
        return scratch
    }

    private mutating func makeReference() -> NodeReference {
        scratch.count < 32 ? .embedded(scratch) : .hash(Keccak256.hash(scratch))
    }

    private mutating func encodeLeaf(_ leaf: LeafNode) {
        scratch.removeAll(keepingCapacity: true)
        let payload = HexPrefix.rlpLength(nibbleCount: leaf.path.count) + RLP.encodedLength(ofBytes: leaf.value)
        RLP.appendListHeader(payloadLength: payload, to: &scratch)
        HexPrefix.appendRLP(leaf.path, isLeaf: true, to: &scratch)
        RLP.append(bytes: leaf.value, to: &scratch)
    }

    private mutating func encodeExtension(_ node: ExtensionNode) {
        scratch.removeAll(keepingCapacity: true)
        let child = node.child.cachedReference
        let payload = HexPrefix.rlpLength(nibbleCount: node.path.count) + Self.encodedLength(of: child)
        RLP.appendListHeader(payloadLength: payload, to: &scratch)
        HexPrefix.appendRLP(node.path, isLeaf: false, to: &scratch)
        Self.append(child, to: &scratch)
    }

    private mutating func encodeBranch(_ branch: BranchNode) {
        scratch.removeAll(keepingCapacity: true)
        var payload = RLP.encodedLength(ofBytes: branch.value)
        for child in branch.children { payload += Self.encodedLength(of: child.cachedReference) }
        RLP.appendListHeader(payloadLength: payload, to: &scratch)
        for child in branch.children { Self.append(child.cachedReference, to: &scratch) }
        RLP.append(bytes: branch.value, to: &scratch)
    }

    private static func encodedLength(of reference: NodeReference?) -> Int {
        switch reference {
        case nil: return 1
        case .hash?: return 33
        case .embedded(let encoded)?: return encoded.count
        }
    }

    private static func append(_ reference: NodeReference?, to out: inout [UInt8]) {
        switch reference {
        case nil:
            out.append(0x80)
        case .hash(let hash)?:
            out.append(0xa0)
            withUnsafeBytes(of: hash.w0.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: hash.w1.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: hash.w2.bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: hash.w3.bigEndian) { out.append(contentsOf: $0) }
        case .embedded(let encoded)?:
            out.append(contentsOf: encoded)
        }
    }
}
