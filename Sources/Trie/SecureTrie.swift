import Primitives
import Storage

/// A trie keyed by keccak256 of the caller's keys, as Ethereum's state trie (keyed by hashed
/// addresses) and storage tries (keyed by hashed slots) are (Yellow Paper §4.1; go-ethereum
/// `trie/secure_trie.go`).
///
/// Hashing spreads keys evenly, which bounds path lengths at 64 nibbles whatever keys an attacker
/// chooses. Key preimages are not stored, so `forEach` on `trie` yields hashed keys.
public final class SecureTrie {
    /// The underlying trie, keyed by keccak256 of the caller's keys.
    public let trie: MerklePatriciaTrie

    /// Opens the trie with the given root. Nothing is read until a key is looked up.
    /// - Parameters:
    ///   - store: where nodes are loaded from (by hash).
    ///   - root: a root hash committed earlier, or `MerklePatriciaTrie.emptyRoot` (the default).
    public init(store: any KeyValueStore, root: Hash32 = MerklePatriciaTrie.emptyRoot) {
        trie = MerklePatriciaTrie(store: store, root: root)
    }

    /// Looks up a key.
    /// - Parameter key: the key bytes (hashed before lookup).
    /// - Returns: the value, or nil if the key is absent.
    /// - Throws: `TrieError` if a node on the key's path is missing from the store or malformed.
    public func get(_ key: [UInt8]) throws(TrieError) -> [UInt8]? {
        try trie.get(Keccak256.hash(key).bytes)
    }

    /// Sets the value of a key; an empty value deletes the key.
    /// - Parameters:
    ///   - value: the value bytes.
    ///   - key: the key bytes (hashed before insertion).
    /// - Throws: `TrieError` if a node on the key's path is missing from the store or malformed.
    public func insert(_ value: [UInt8], forKey key: [UInt8]) throws(TrieError) {
        try trie.insert(value, forKey: Keccak256.hash(key).bytes)
    }

    /// Removes a key; removing an absent key changes nothing.
    /// - Parameter key: the key bytes (hashed before lookup).
    /// - Throws: `TrieError` if a node on the key's path is missing from the store or malformed.
    public func delete(_ key: [UInt8]) throws(TrieError) {
        try trie.delete(Keccak256.hash(key).bytes)
    }

    /// The root hash, hashing only nodes changed since the last call.
    /// - Returns: the root hash, `MerklePatriciaTrie.emptyRoot` when empty.
    public func rootHash() -> Hash32 {
        trie.rootHash()
    }

    /// Adds every node changed since the last commit to `batch`; see `MerklePatriciaTrie.commit(into:)`.
    /// - Parameter batch: the batch to add puts to.
    /// - Returns: the root hash.
    public func commit(into batch: inout WriteBatch) -> Hash32 {
        trie.commit(into: &batch)
    }

    /// Builds a proof for a key (the path of its hash), as EIP-1186 `eth_getProof` returns.
    /// - Parameter key: the key bytes.
    /// - Returns: the RLP nodes on the path, root first.
    /// - Throws: `TrieError` if a node on the path is missing from the store or malformed.
    public func prove(_ key: [UInt8]) throws(TrieError) -> [[UInt8]] {
        try trie.prove(Keccak256.hash(key).bytes)
    }

    /// Checks a proof made by `prove(_:)` against a root hash.
    /// - Parameters:
    ///   - root: the trusted root hash.
    ///   - key: the key bytes (hashed before the walk).
    ///   - proof: the RLP nodes.
    /// - Returns: the key's value, or nil if the proof shows the key is absent.
    /// - Throws: `TrieError` if the proof is incomplete, tampered with or malformed.
    public static func verifyProof(root: Hash32, key: [UInt8], proof: [[UInt8]]) throws(TrieError) -> [UInt8]? {
        try MerklePatriciaTrie.verifyProof(root: root, key: Keccak256.hash(key).bytes, proof: proof)
    }
}
