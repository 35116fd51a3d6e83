import Primitives

/// What the node needs from a proof-of-authority engine: fill a new header's consensus fields,
/// decide when it may be sealed, seal it, and verify a header from elsewhere.
///
/// The Consensus module's `CliqueEngine` (EIP-225 with snapshots, vote counting and checkpoints)
/// is the engine nodes run (`NodeConfiguration.installGoldenGrain` in Consensus); it lives there
/// because Consensus depends on Chain and not the reverse. Chain itself has no implementation: a
/// `Node` is always given one through `NodeConfiguration.consensus`.
public protocol ConsensusEngine: AnyObject, Sendable {
    /// The address this engine seals with, or nil if it cannot seal.
    var signer: Address? { get }

    /// Fills difficulty, extra data (vanity, the signer list on checkpoints, a zero seal), mix hash,
    /// and the vote (coinbase, nonce) of a header built on `parent`.
    /// - Parameters:
    ///   - header: the new header; its number and timestamp are set.
    ///   - parent: its parent.
    ///   - chain: the stored headers.
    /// - Throws: `ChainError.consensus` if this node may not sign the block.
    func prepare(_ header: inout Header, parent: Header, chain: any HeaderReader) throws(ChainError)

    /// How long after the header's timestamp the seal may be published: zero in turn, a random
    /// wiggle out of turn (EIP-225: up to 500 ms per signer beyond half of them).
    ///
    /// The node's period-N sealing loop asks before it prepares the block, so an engine must decide
    /// from the number, parent hash and timestamp alone (whether the signer is in turn, from its
    /// own signer set), not from the difficulty or extra data, which are not filled in yet.
    /// - Parameters:
    ///   - header: the next header; its number, parent hash and timestamp are set, not its consensus fields.
    ///   - chain: the stored headers.
    /// - Returns: seconds to wait past `header.timestamp`; `.infinity` while this node may not seal
    ///   the block at all (not authorized, or signed too recently: another signer's block must come first).
    func sealDelay(for header: Header, chain: any HeaderReader) -> Double

    /// Seals a prepared header (the signature in the last 65 bytes of extra data).
    /// - Parameter header: the prepared header with its final roots.
    /// - Returns: the sealed header.
    /// - Throws: `ChainError.consensus` if the engine has no key or signed too recently.
    func seal(_ header: Header, chain: any HeaderReader) throws(ChainError) -> Header

    /// Checks a header's consensus fields and seal against its parent and the signer set.
    /// - Parameters:
    ///   - header: the header.
    ///   - parent: its parent.
    ///   - chain: the stored headers.
    /// - Throws: `ChainError.consensus` naming the rule broken.
    func verify(_ header: Header, parent: Header, chain: any HeaderReader) throws(ChainError)

    /// The address that sealed a header (ecrecover over its seal hash).
    /// - Parameter header: a sealed header.
    /// - Returns: the signer.
    /// - Throws: `ChainError.consensus` if the seal is missing or does not recover.
    func author(of header: Header) throws(ChainError) -> Address

    /// The authorized signers after the given block (clique_getSigners).
    /// - Parameters:
    ///   - header: the block.
    ///   - chain: the stored headers.
    /// - Returns: the signers in ascending order.
    /// - Throws: `ChainError` if the history cannot be read.
    func signers(after header: Header, chain: any HeaderReader) throws(ChainError) -> [Address]

    /// The voting state after the given block (clique_getSnapshot): signers, recent sealers,
    /// cast votes and their tally.
    /// - Parameters:
    ///   - header: the block.
    ///   - chain: the stored headers.
    /// - Returns: the snapshot.
    /// - Throws: `ChainError` if the history cannot be replayed.
    func signerSnapshot(after header: Header, chain: any HeaderReader) throws(ChainError) -> SignerSnapshot

    /// Adds or replaces this node's vote to authorize (true) or drop (false) a signer (clique_propose).
    /// - Parameters:
    ///   - address: the signer voted on.
    ///   - authorize: true to add, false to drop.
    func propose(_ address: Address, authorize: Bool)

    /// Withdraws this node's vote on an address (clique_discard).
    /// - Parameter address: the signer voted on.
    func discard(_ address: Address)

    /// This node's current votes (clique_proposals).
    var proposals: [Address: Bool] { get }
}

/// A proof-of-authority engine's voting state after one block, as clique_getSnapshot shows it
/// (geth's `Snapshot` JSON): a Chain-level view, so the node and the RPC layer need not know the
/// engine's own types.
public struct SignerSnapshot: Equatable, Sendable {
    /// A vote cast in a block header and still counting.
    public struct Vote: Equatable, Sendable {
        /// Who voted (the block's sealer).
        public var signer: Address
        /// The block that carried the vote.
        public var block: UInt64
        /// The account voted on.
        public var address: Address
        /// True to add it, false to drop it.
        public var authorize: Bool

        /// Creates a vote.
        public init(signer: Address, block: UInt64, address: Address, authorize: Bool) {
            self.signer = signer; self.block = block; self.address = address; self.authorize = authorize
        }
    }

    /// The running count of votes on one account.
    public struct Tally: Equatable, Sendable {
        /// Whether the votes are to add (true) or to drop (false).
        public var authorize: Bool
        /// How many signers voted so.
        public var votes: Int

        /// Creates a tally.
        public init(authorize: Bool, votes: Int) { self.authorize = authorize; self.votes = votes }
    }

    /// The block number.
    public var number: UInt64
    /// The block hash.
    public var hash: Hash32
    /// The authorized signers, ascending.
    public var signers: [Address]
    /// Who sealed each of the most recent blocks (those whose sealers may not seal yet).
    public var recents: [UInt64: Address]
    /// The votes counting toward the tally, in the order cast.
    public var votes: [Vote]
    /// The tally per account voted on.
    public var tally: [Address: Tally]

    /// Creates a snapshot view.
    public init(number: UInt64, hash: Hash32, signers: [Address], recents: [UInt64: Address], votes: [Vote],
                tally: [Address: Tally]) {
        self.number = number; self.hash = hash; self.signers = signers; self.recents = recents
        self.votes = votes; self.tally = tally
    }
}
