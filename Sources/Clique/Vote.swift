import Primitives

/// One signer's standing vote, as a block cast it (EIP-225 "Voting on signers").
///
/// A block votes through its header: `coinbase` names the account voted on and `nonce` says
/// which way (0xffffffffffffffff: authorize, 0: deauthorize). Only the latest vote per signer and
/// target is kept; votes are cleared at every epoch checkpoint.
public struct Vote: Hashable, Sendable {
    /// The authorized signer that cast the vote.
    public var signer: Address
    /// The number of the block that carried the vote.
    public var block: UInt64
    /// The account voted on.
    public var address: Address
    /// Whether the vote is to authorize (`true`) or to deauthorize (`false`) `address`.
    package var authorize: Bool

    /// Creates a vote.
    /// - Parameters:
    ///   - signer: the signer casting it.
    ///   - block: the block carrying it.
    ///   - address: the account voted on.
    ///   - authorize: true to add `address` as a signer, false to drop it.
    public init(signer: Address, block: UInt64, address: Address, authorize: Bool) {
        self.signer = signer
        self.block = block
        self.address = address
        self.authorize = authorize
    }
}

/// The running count of the votes on one account.
///
/// Only meaningful votes are counted (to add a non-signer, or to drop a signer), so every vote in
/// one tally points the same way until the account's status changes, which clears the tally.
public struct Tally: Hashable, Sendable {
    /// Whether the votes are to authorize (`true`) or to deauthorize (`false`) the account.
    package var authorize: Bool
    /// How many signers currently vote this way.
    public var votes: Int

    /// Creates a tally.
    /// - Parameters:
    ///   - authorize: the direction of the votes.
    ///   - votes: their number.
    public init(authorize: Bool, votes: Int) {
        self.authorize = authorize
        self.votes = votes
    }
}
