import Primitives

/// Decoding of stored and proof nodes (Yellow Paper, appendix D; go-ethereum `trie/node.go` `decodeNode`).
///
/// A node is an RLP list of 2 items (leaf or extension, told apart by the hex-prefix flag) or
/// 17 items (branch). A child slot holds the empty string (no child), a 32-byte hash, or, for a
/// child whose RLP is shorter than 32 bytes, that RLP list itself. Decoded nodes are clean: their
/// reference is the one they were stored under, so rehashing an unchanged trie costs nothing.
extension TrieNode {
    /// Decodes the RLP of a node stored under `hash`.
    /// - Parameters:
    ///   - encoded: the node's RLP.
    ///   - hash: keccak256 of `encoded`, the node's identity.
    /// - Returns: the node, with children that are only hashes left unresolved.
    /// - Throws: `TrieError.malformedNode` naming `hash` and the reason.
    static func decode(_ encoded: [UInt8], hash: Hash32) throws(TrieError) -> TrieNode {
        let reference: NodeReference = encoded.count >= 32 ? .hash(hash) : .embedded(encoded)
        let decoder = NodeDecoder(hash: hash)
        do {
            return try decoder.decode(encoded[...], reference: reference)
        } catch let error as TrieError {
            throw error
        } catch let error as RLPError {
            throw .malformedNode(hash: hash, reason: error.description)
        } catch {
            throw .malformedNode(hash: hash, reason: "\(error)")
        }
    }
}

/// Walks one stored node. It throws both `RLPError` and `TrieError` (untyped, so `try` needs no
/// per-call conversion); `TrieNode.decode` maps them all to `TrieError.malformedNode`.
private struct NodeDecoder {
    let hash: Hash32

    func malformed(_ reason: String) -> TrieError {
        .malformedNode(hash: hash, reason: reason)
    }

    func decode(_ encoded: ArraySlice<UInt8>, reference: NodeReference) throws -> TrieNode {
        var reader = RLPReader(encoded)
        var items = try reader.enterList()
        try reader.expectEnd()
        var counter = items
        var count = 0
        while !counter.isAtEnd {
            try counter.skipItem()
            count += 1
        }
        let flags = NodeFlags(reference: reference, isDirty: false)
        switch count {
        case 2:
            let compactPath = try items.readBytes()
            guard let (path, isLeaf) = HexPrefix.decode(compactPath) else {
                throw malformed("path \(Hex.encode(compactPath)) is not hex-prefix encoded")
            }
            if isLeaf {
                return .leafNode(LeafNode(path: path[...], value: Array(try items.readBytes()), flags: flags))
            }
            let child = try decodeChild(&items)
            if case .empty = child { throw malformed("extension node has no child") }
            return .extensionNode(ExtensionNode(path: path[...], child: child, flags: flags))
        case 17:
            var children = [TrieNode]()
            children.reserveCapacity(16)
            for _ in 0 ..< 16 { children.append(try decodeChild(&items)) }
            return .branchNode(BranchNode(children: children, value: Array(try items.readBytes()), flags: flags))
        default:
            throw malformed("node is a list of \(count) items, expected 2 or 17")
        }
    }

    /// Reads one child slot: empty string, 32-byte hash, or an embedded node shorter than 32 bytes.
    func decodeChild(_ items: inout RLPReader) throws -> TrieNode {
        let offset = items.offset
        if try items.nextItemIsList() {
            let raw = try items.readRawItem()
            guard raw.count < 32 else {
                throw malformed("embedded child at offset \(offset) is \(raw.count) bytes, expected fewer than 32")
            }
            return try decode(raw, reference: .embedded(Array(raw)))
        }
        let bytes = try items.readBytes()
        switch bytes.count {
        case 0: return .empty
        case 32: return .hashNode(Hash32(bytes))
        default: throw malformed("child reference at offset \(offset) is \(bytes.count) bytes, expected 0 or 32")
        }
    }
}
