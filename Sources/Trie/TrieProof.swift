import Primitives

/// Merkle proofs of inclusion and absence (go-ethereum `trie/proof.go`; the `accountProof` and
/// `storageProof` lists of EIP-1186 `eth_getProof`).
///
/// A proof is the list of RLP nodes on a key's path, root first, leaving out nodes embedded in their
/// parent (those are inside the parent's RLP already). The verifier indexes the nodes by keccak256
/// and walks from the root hash, so it needs no order and ignores nodes off the path; any change to
/// a node on the path changes its hash, and the walk then finds no node for the hash it expects.
extension MerklePatriciaTrie {
    /// Builds a proof for `key`: of its value if present, of its absence otherwise.
    /// - Parameter key: the key bytes.
    /// - Returns: the RLP of each hash-referenced node on the key's path, root first; empty for an empty trie.
    /// - Throws: `TrieError` if a node on the path is missing from the store or malformed.
    public func prove(_ key: [UInt8]) throws(TrieError) -> [[UInt8]] {
        _ = rootHash()  // caches every reference, so encoding a node below needs no rehash
        var proof: [[UInt8]] = []
        try collectProof(&root, key: key, depth: 0, isRoot: true, into: &proof)
        return proof
    }

    private func collectProof(_ node: inout TrieNode, key: [UInt8], depth: Int, isRoot: Bool,
                              into proof: inout [[UInt8]]) throws(TrieError) {
        switch node {
        case .empty:
            return
        case .hashNode(let hash):
            let encoded = try loadEncoding(hash)
            node = try TrieNode.decode(encoded, hash: hash)
            proof.append(encoded)
        case .leafNode, .extensionNode, .branchNode:
            if isRoot || node.cachedReference.map({ if case .hash = $0 { true } else { false } }) == true {
                proof.append(hasher.encoding(of: node))
            }
        }
        switch node {
        case .empty, .hashNode, .leafNode:
            return
        case .extensionNode(let extensionNode):
            guard keyHasPrefix(key, from: depth, extensionNode.path) else { return }
            try collectProof(&extensionNode.child, key: key, depth: depth + extensionNode.path.count,
                             isRoot: false, into: &proof)
        case .branchNode(let branch):
            guard depth < key.count * 2 else { return }
            try collectProof(&branch.children[Int(nibble(key, depth))], key: key, depth: depth + 1,
                             isRoot: false, into: &proof)
        }
    }

    /// Checks a proof against a root hash and returns what it proves about `key`.
    /// - Parameters:
    ///   - root: the trusted root hash.
    ///   - key: the key bytes.
    ///   - proof: RLP nodes as `prove(_:)` returns them (any order; extra nodes are ignored).
    /// - Returns: the key's value, or nil if the proof shows the key is absent.
    /// - Throws: `TrieError.proofNodeMissing` if the path leads to a hash no proof node has (a
    ///   tampered or incomplete proof), or `.malformedNode` if a node on the path is not a trie node.
    public static func verifyProof(root: Hash32, key: [UInt8], proof: [[UInt8]]) throws(TrieError) -> [UInt8]? {
        var nodes: [Hash32: [UInt8]] = [:]
        nodes.reserveCapacity(proof.count)
        for encoded in proof { nodes[Keccak256.hash(encoded)] = encoded }
        var wanted = root
        var depth = 0
        while true {
            guard let encoded = nodes[wanted] else {
                if wanted == emptyRoot { return nil }  // the empty trie proves every key absent
                throw .proofNodeMissing(hash: wanted)
            }
            if encoded == [0x80] { return nil }  // RLP("") is the empty trie's root node
            var node = try TrieNode.decode(encoded, hash: wanted)
            walk: while true {
                switch node {
                case .empty:
                    return nil
                case .hashNode(let hash):
                    wanted = hash
                    break walk
                case .leafNode(let leaf):
                    guard depth + leaf.path.count == key.count * 2, keyHasPrefix(key, from: depth, leaf.path) else { return nil }
                    return leaf.value
                case .extensionNode(let extensionNode):
                    guard keyHasPrefix(key, from: depth, extensionNode.path) else { return nil }
                    depth += extensionNode.path.count
                    node = extensionNode.child
                case .branchNode(let branch):
                    if depth == key.count * 2 { return branch.value.isEmpty ? nil : branch.value }
                    node = branch.children[Int(nibble(key, depth))]
                    depth += 1
                }
            }
        }
    }
}
