import Primitives
import Storage
import Trie

/// The state root of a genesis allocation, computed directly over `SecureTrie`.
///
/// Stop-gap: this is replaced by the State module's `WorldState` commit once that lands on main
/// (branch evm-state); it exists so that the genesis header and hash can be built before then.
/// Both must agree on every allocation.
///
/// The encoding, explained once (Yellow Paper §4.1): the state trie maps keccak256(address) to
/// rlp([nonce, balance, storageRoot, codeHash]); an account's storage trie maps keccak256(slot) to
/// rlp(value as minimal big-endian bytes), leaving zero values out; codeHash is keccak256(code)
/// (keccak256 of nothing for an account without code).
public enum GenesisState {
    /// Computes the state root of an allocation.
    /// - Parameter alloc: the accounts.
    /// - Returns: the root; `MerklePatriciaTrie.emptyRoot` for an empty allocation.
    public static func stateRoot(of alloc: [Address: GenesisAccount]) -> Hash32 {
        let store = MemoryStore()
        let accounts = SecureTrie(store: store)
        for (address, account) in alloc {
            let storage = SecureTrie(store: store)
            for (slot, value) in account.storage where !value.isZero {
                insert(RLP.encode(bytes: value.minimalBigEndianBytes), forKey: slot.bigEndianBytes, into: storage)
            }
            var writer = RLPWriter(reservingCapacity: 110)
            writer.appendList { list in
                list.append(uint: account.nonce)
                list.append(bytes: account.balance.minimalBigEndianBytes)
                list.append(bytes: storage.rootHash().bytes)
                list.append(bytes: Keccak256.hash(account.code).bytes)
            }
            insert(writer.finish(), forKey: address.bytes, into: accounts)
        }
        return accounts.rootHash()
    }

    private static func insert(_ value: [UInt8], forKey key: [UInt8], into trie: SecureTrie) {
        do throws(TrieError) {
            try trie.insert(value, forKey: key)
        } catch {
            preconditionFailure("inserting into an in-memory trie failed: \(error)")
        }
    }
}
