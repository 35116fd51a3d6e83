import Primitives
import Trie

/// EIP-1186 Merkle proofs of an account and some of its storage slots, as `eth_getProof` returns
/// them (go-ethereum `internal/ethapi` `GetProof`).
///
/// The account proof is the path of keccak256(address) in the state trie; each storage proof is the
/// path of keccak256(slot) in the account's storage trie. Both are lists of RLP nodes, root first,
/// that `SecureTrie.verifyProof(root:key:proof:)` (or any EIP-1186 verifier) checks against the
/// state root and the storage root.
public struct AccountProof: Sendable, Equatable {
    /// One storage slot's value and proof.
    public struct StorageProof: Sendable, Equatable {
        /// The slot.
        public var key: UInt256
        /// Its value (zero if unset).
        public var value: UInt256
        /// The RLP nodes on the path of keccak256(key) in the storage trie, root first; empty when
        /// the account has no storage (its storage root is the empty trie's, which proves every slot
        /// absent on its own).
        public var proof: [[UInt8]]
    }

    /// The account.
    public var address: Address
    /// The state root the proofs verify against.
    public var stateRoot: Hash32
    /// The RLP nodes on the path of keccak256(address) in the state trie, root first.
    public var accountProof: [[UInt8]]
    /// The nonce (zero for an absent account).
    public var nonce: UInt64
    /// The balance (zero for an absent account).
    public var balance: UInt256
    /// The code hash; zero for an absent account, as geth reports it (its `GetCodeHash`).
    public var codeHash: Hash32
    /// The storage root; zero for an absent account, as geth reports it (its `GetStorageRoot`).
    public var storageHash: Hash32
    /// One proof per requested slot, in request order.
    public var storageProofs: [StorageProof]
}

extension WorldState {
    /// Proves an account and some of its slots against the committed state root.
    ///
    /// Reads only the committed tries (at `stateRoot`), never uncommitted changes, so call it on a
    /// state opened at a root or just committed: the proofs must verify against `stateRoot`.
    /// - Parameters:
    ///   - address: the account.
    ///   - storageKeys: the slots to prove, in the order the result lists them.
    /// - Returns: the account's fields with the proofs.
    /// - Throws: `StateError.trie` if a node on a path is missing from the store, `.corrupt` if a leaf
    ///   does not decode.
    public func proof(of address: Address, storageKeys: [UInt256]) throws(StateError) -> AccountProof {
        let stateTrie = SecureTrie(store: store, root: stateRoot)
        let accountProof: [[UInt8]]
        do { accountProof = try stateTrie.prove(address.bytes) } catch { throw .trie(error) }
        let account = try readCommittedAccount(address)
        var storageProofs: [AccountProof.StorageProof] = []
        storageProofs.reserveCapacity(storageKeys.count)
        let storageRoot = account?.storageRoot ?? Account.emptyStorageRoot
        let storageTrie = storageRoot == Account.emptyStorageRoot ? nil : SecureTrie(store: store, root: storageRoot)
        for key in storageKeys {
            guard let storageTrie else {
                storageProofs.append(.init(key: key, value: .zero, proof: []))
                continue
            }
            let proof: [[UInt8]]
            do { proof = try storageTrie.prove(key.bigEndianBytes) } catch { throw .trie(error) }
            let value = try readCommittedStorage(storageRoot: storageRoot, key: key)
            storageProofs.append(.init(key: key, value: value, proof: proof))
        }
        return AccountProof(address: address, stateRoot: stateRoot, accountProof: accountProof,
                            nonce: account?.nonce ?? 0, balance: account?.balance ?? .zero,
                            codeHash: account?.codeHash ?? .zero, storageHash: account?.storageRoot ?? .zero,
                            storageProofs: storageProofs)
    }
}
