import Primitives

// clique_* methods, answered by the consensus engine.

extension Node {
    /// The authorized signers after a block (clique_getSigners).
    /// - Parameter tag: the block.
    /// - Returns: the signers in ascending order.
    /// - Throws: `NodeError.unknownBlock` or `.chain`.
    public func signers(at tag: BlockTag = .latest) throws(NodeError) -> [Address] {
        try locked { () throws(NodeError) -> [Address] in
            guard let (header, _) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
            do throws(ChainError) { return try engine.signers(after: header, chain: chain) } catch { throw .chain(error) }
        }
    }

    /// The voting state after a block (clique_getSnapshot).
    /// - Parameter tag: the block.
    /// - Returns: signers, recent sealers, votes and tally.
    /// - Throws: `NodeError.unknownBlock` or `.chain`.
    public func signerSnapshot(at tag: BlockTag = .latest) throws(NodeError) -> SignerSnapshot {
        try locked { () throws(NodeError) -> SignerSnapshot in
            guard let (header, _) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
            do throws(ChainError) { return try engine.signerSnapshot(after: header, chain: chain) } catch { throw .chain(error) }
        }
    }

    /// The address that sealed a block (clique_getSigner).
    /// - Parameter tag: the block.
    /// - Returns: the signer; for block 0, which has no seal, the zero address.
    /// - Throws: `NodeError.unknownBlock` or `.chain` if the seal does not recover.
    public func author(of tag: BlockTag) throws(NodeError) -> Address {
        try locked { () throws(NodeError) -> Address in
            guard let (header, _) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
            if header.number == 0 { return .zero }
            do throws(ChainError) { return try engine.author(of: header) } catch { throw .chain(error) }
        }
    }

    /// Votes to add (true) or drop (false) a signer in the blocks this node seals (clique_propose).
    /// - Parameters:
    ///   - address: the signer voted on.
    ///   - authorize: true to add, false to drop.
    public func propose(_ address: Address, authorize: Bool) { engine.propose(address, authorize: authorize) }

    /// Withdraws a vote (clique_discard).
    /// - Parameter address: the signer voted on.
    public func discard(_ address: Address) { engine.discard(address) }

    /// This node's current votes (clique_proposals).
    public var proposals: [Address: Bool] { engine.proposals }
}
