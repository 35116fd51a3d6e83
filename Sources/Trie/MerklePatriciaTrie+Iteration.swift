import Primitives

/// Ordered iteration (go-ethereum `trie/iterator.go`, used for state dumps and `debug_storageRangeAt`).
///
/// Keys come out in ascending unsigned byte-wise order: at a branch, the key ending there (a prefix
/// of every key below it) comes first, then the children in nibble order 0…15.
extension MerklePatriciaTrie {
    /// Visits every key and value in ascending key order, loading nodes from the store as needed.
    /// - Parameter body: called with each key and value; return false to stop early.
    /// - Throws: `TrieError` if a node is missing from the store or malformed.
    public func forEach(_ body: (_ key: [UInt8], _ value: [UInt8]) -> Bool) throws(TrieError) {
        var path: [UInt8] = []
        path.reserveCapacity(64)
        // The root hash names the node if the root itself is corrupt; it is cached after any commit.
        _ = try visit(&root, path: &path, storedHash: rootHash(), body)
    }

    /// Returns false once `body` asks to stop. `storedHash` is the hash of the nearest hashed
    /// ancestor, named if a stored node spells a key with an odd number of nibbles.
    private func visit(_ node: inout TrieNode, path: inout [UInt8], storedHash: Hash32,
                       _ body: ([UInt8], [UInt8]) -> Bool) throws(TrieError) -> Bool {
        var storedHash = storedHash
        if case .hash(let hash)? = node.cachedReference { storedHash = hash }
        switch node {
        case .empty:
            return true
        case .hashNode(let hash):
            node = try resolve(hash)
            return try visit(&node, path: &path, storedHash: hash, body)
        case .leafNode(let leaf):
            let mark = path.count
            path.append(contentsOf: leaf.path)
            defer { path.removeSubrange(mark...) }
            return body(try Self.key(path, storedHash: storedHash), leaf.value)
        case .extensionNode(let extensionNode):
            let mark = path.count
            path.append(contentsOf: extensionNode.path)
            defer { path.removeSubrange(mark...) }
            return try visit(&extensionNode.child, path: &path, storedHash: storedHash, body)
        case .branchNode(let branch):
            if !branch.value.isEmpty, !body(try Self.key(path, storedHash: storedHash), branch.value) { return false }
            for index in 0 ..< 16 {
                path.append(UInt8(index))
                defer { path.removeLast() }
                if !(try visit(&branch.children[index], path: &path, storedHash: storedHash, body)) { return false }
            }
            return true
        }
    }

    /// The key bytes of a nibble path that ends at a value; only a corrupt store yields an odd path.
    private static func key(_ path: [UInt8], storedHash: Hash32) throws(TrieError) -> [UInt8] {
        guard path.count % 2 == 0 else {
            throw .malformedNode(hash: storedHash, reason: "a value sits at a path of \(path.count) nibbles, expected whole bytes")
        }
        return HexPrefix.bytes(fromNibbles: path[...])
    }
}
