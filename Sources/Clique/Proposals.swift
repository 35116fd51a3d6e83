import Primitives

/// The local signer's standing proposals, as `clique_propose` and `clique_discard` manage them
/// (EIP-225 "Voting strategies").
///
/// When it seals a non-checkpoint block, the signer picks one proposal that still makes sense
/// against the snapshot (to add a non-signer, or to drop a signer) and casts it through the
/// header's coinbase and nonce. A proposal is kept after it passes, since a reorg may undo the
/// block that passed it; it simply stops making sense until then.
public struct Proposals: Hashable, Sendable {
    /// Whether to authorize (`true`) or deauthorize (`false`) each proposed address.
    public private(set) var entries: [Address: Bool]

    /// Creates an empty set of proposals.
    public init() {
        entries = [:]
    }

    /// Proposes to add (`authorize == true`) or drop `address`, replacing an earlier proposal on it.
    /// - Parameters:
    ///   - address: the account voted on.
    ///   - authorize: true to vote it in, false to vote it out.
    package mutating func propose(_ address: Address, authorize: Bool) {
        entries[address] = authorize
    }

    /// Withdraws the proposal on `address`, if any.
    /// - Parameter address: the account.
    public mutating func discard(_ address: Address) {
        entries[address] = nil
    }

    /// The proposals that make sense against `snapshot`, ascending by address.
    /// - Parameter snapshot: the snapshot at the parent of the block being sealed.
    /// - Returns: the votes that would count: adding non-signers, dropping signers.
    public func meaningful(for snapshot: Snapshot) -> [(address: Address, authorize: Bool)] {
        entries.filter { snapshot.isAuthorized($0.key) != $0.value }
            .sorted { $0.key < $1.key }
            .map { (address: $0.key, authorize: $0.value) }
    }

    /// Picks one meaningful proposal at random, to cast in the next block.
    /// - Parameters:
    ///   - snapshot: the snapshot at the parent of the block being sealed.
    ///   - generator: the source of randomness (a seeded one in tests).
    /// - Returns: the vote to cast, or nil if no proposal makes sense.
    public func vote(for snapshot: Snapshot, using generator: inout some RandomNumberGenerator)
        -> (address: Address, authorize: Bool)? {
        meaningful(for: snapshot).randomElement(using: &generator)
    }
}
