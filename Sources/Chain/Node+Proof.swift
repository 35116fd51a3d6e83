import ChainTypes
import Primitives
import State

// EIP-1186 proofs (eth_getProof).

extension Node {
    /// Proves an account and some of its storage slots at a block (eth_getProof).
    ///
    /// At the head the proofs are of the state reads see (eth_getBalance and friends), which
    /// includes dev changes made since the head was sealed (anvil_setBalance, …); without such
    /// changes that is the head's `stateRoot`, and at any earlier block it always is.
    /// - Parameters:
    ///   - address: the account.
    ///   - storageKeys: the slots to prove, in the order the result lists them.
    ///   - tag: the block.
    /// - Returns: the account's fields with the proofs, and the root they verify against.
    /// - Throws: `NodeError.unknownBlock`, or `.chain(.state(…))` if a trie node is missing or corrupt.
    public func proof(of address: Address, storageKeys: [UInt256], at tag: BlockTag = .latest) throws(NodeError) -> AccountProof {
        try locked { () throws(NodeError) -> AccountProof in
            let (root, _) = try stateRoot(at: tag)
            do throws(StateError) {
                return try WorldState(store: chain.store, root: root).proof(of: address, storageKeys: storageKeys)
            } catch {
                throw .chain(.state(error))
            }
        }
    }
}
