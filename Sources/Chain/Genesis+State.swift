import ChainTypes
import Primitives
import State
import Storage

// The genesis state is built the way every later state is: each `alloc` entry inserted into a
// `WorldState` as pre-state, then committed. The encoding (Yellow Paper §4.1) is State's: the
// state trie maps keccak256(address) to rlp([nonce, balance, storageRoot, codeHash]); storage
// tries map keccak256(slot) to rlp(minimal value), zero values left out.

extension Genesis {
    /// The root of the allocated state.
    public var stateRoot: Hash32 { Genesis.stateRoot(of: alloc) }

    /// Block 0.
    public var block: Block { Block(header: header(stateRoot: stateRoot), transactions: []) }

    /// Computes the state root of an allocation (over a throwaway in-memory store).
    /// - Parameter alloc: the accounts.
    /// - Returns: the root; the empty trie's root for an empty allocation.
    public static func stateRoot(of alloc: [Address: GenesisAccount]) -> Hash32 {
        var batch = WriteBatch()
        do throws(StateError) {
            return try commitState(of: alloc, store: MemoryStore(), into: &batch)
        } catch {
            preconditionFailure("committing a genesis allocation in memory failed: \(error)")
        }
    }

    /// Inserts an allocation into a fresh state over `store` and adds its trie nodes and code to `batch`.
    /// - Parameters:
    ///   - alloc: the accounts.
    ///   - store: the store the state would read from (empty for a new chain).
    ///   - batch: receives the trie nodes and code.
    /// - Returns: the state root.
    /// - Throws: `StateError` if the commit fails.
    package static func commitState(of alloc: [Address: GenesisAccount], store: any KeyValueStore,
                                   into batch: inout WriteBatch) throws(StateError) -> Hash32 {
        let state = WorldState(store: store)
        for (address, account) in alloc {
            state.insertAccount(address, nonce: account.nonce, balance: account.balance, code: account.code,
                                storage: account.storage)
        }
        return try state.commit(into: &batch)
    }
}
