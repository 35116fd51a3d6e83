import ChainTypes
import Chain
import Clique
import Primitives

/// The node's Clique views and votes as the tests use them: through its engine (the node itself
/// knows only the `ConsensusEngine` protocol), as the clique_ RPC namespace reaches them.
extension Node {
    /// The node's engine, which these tests always assemble as Clique.
    var clique: CliqueEngine { consensusEngine as! CliqueEngine }

    /// The authorized signers after a block (clique_getSigners).
    func signers(at tag: BlockTag = .latest) throws -> [Address] {
        guard let header = header(at: tag) else { throw NodeError.unknownBlock(tag.description) }
        return try clique.signers(after: header, chain: self)
    }

    /// Casts this node's vote (clique_propose).
    func propose(_ address: Address, authorize: Bool) { clique.propose(address, authorize: authorize) }

    /// Withdraws this node's vote (clique_discard).
    func discard(_ address: Address) { clique.discard(address) }

    /// This node's votes (clique_proposals).
    var proposals: [Address: Bool] { clique.proposals }
}
