import ChainTypes
import Primitives

// Advancing a snapshot over headers: the tallying rules of EIP-225 "Voting on signers".
//
// For each header, in order:
// 1. At an epoch checkpoint (number % epoch == 0) all votes and tallies are cleared.
// 2. The signer of block number − SIGNER_LIMIT leaves `recents`; the sealer must then be an
//    authorized signer that is not in `recents`, and takes its place there.
// 3. The sealer's earlier vote on the same account, if any, is withdrawn; its new vote counts if
//    it is meaningful (add a non-signer, drop a signer).
// 4. If the account's tally now exceeds N/2, the change happens: the account is added or dropped.
//    A dropped signer's own votes are withdrawn and, as the limit may shrink, one more recent
//    entry leaves. All votes on the account are then discarded. Only the account voted on in this
//    header changes: other tallies that now exceed N/2 wait until a later vote touches them
//    (no cascading, EIP-225 "Cascading votes").

extension Snapshot {
    /// Advances the snapshot over `headers`, which must continue it block by block.
    ///
    /// The snapshot changes only if every header applies: on a throw it is left as it was.
    /// - Parameters:
    ///   - headers: the headers after `number`, in order; none is fine.
    ///   - engine: recovers (and caches) each header's signer.
    /// - Throws: `CliqueError.invalidVotingChain` if a header does not follow its predecessor,
    ///   `.invalidSeal`, `.missingSignature` or `.missingVanity` if a seal does not recover,
    ///   `.unauthorizedSigner`, `.recentlySigned`, or `.invalidVoteNonce`.
    public mutating func apply(_ headers: some Sequence<Header>, using engine: Clique) throws(CliqueError) {
        var next = self
        for header in headers {
            try next.apply(header, signer: engine.signer(of: header))
        }
        self = next
    }

    /// The snapshot after `headers`, leaving this one unchanged.
    /// - Parameters:
    ///   - headers: the headers after `number`, in order.
    ///   - engine: recovers (and caches) each header's signer.
    /// - Returns: the advanced snapshot.
    /// - Throws: as `apply(_:using:)`.
    public func applying(_ headers: some Sequence<Header>, using engine: Clique) throws(CliqueError) -> Snapshot {
        var next = self
        try next.apply(headers, using: engine)
        return next
    }

    /// Applies one header whose sealer is already known.
    mutating func apply(_ header: Header, signer: Address) throws(CliqueError) {
        let number = header.number
        guard number == self.number + 1, header.parentHash == hash else {
            throw .invalidVotingChain(expectedNumber: self.number + 1, expectedParent: hash,
                                      number: number, parentHash: header.parentHash)
        }
        if number % epoch == 0 {
            votes = []
            tally = [:]
        }
        if number >= signerLimit { recents[number - signerLimit] = nil }
        guard isAuthorized(signer) else { throw .unauthorizedSigner(number: number, signer: signer) }
        if let previous = recents.first(where: { $0.value == signer })?.key {
            throw .recentlySigned(number: number, signer: signer, previous: previous)
        }
        recents[number] = signer

        let authorize: Bool
        switch header.nonce {
        case Clique.nonceAuthorize: authorize = true
        case Clique.nonceDrop: authorize = false
        default: throw .invalidVoteNonce(number: number, nonce: header.nonce)
        }
        let target = header.coinbase
        if let index = votes.firstIndex(where: { $0.signer == signer && $0.address == target }) {
            withdraw(votes[index])
            votes.remove(at: index)
        }
        if cast(on: target, authorize: authorize) {
            votes.append(Vote(signer: signer, block: number, address: target, authorize: authorize))
        }

        guard let count = tally[target], count.votes > signers.count / 2 else {
            self.number = number
            hash = header.hash
            return
        }
        if count.authorize {
            signers.insertSorted(target)
        } else {
            signers.removeAll { $0 == target }
            // The limit may have just shrunk by one: the oldest recent signer may sign again.
            if number >= signerLimit { recents[number - signerLimit] = nil }
            for vote in votes where vote.signer == target { withdraw(vote) }
            votes.removeAll { $0.signer == target }
        }
        votes.removeAll { $0.address == target }
        tally[target] = nil
        self.number = number
        hash = header.hash
    }

    /// Counts a vote if it is meaningful: to add a non-signer, or to drop a signer.
    /// - Returns: whether it was counted.
    private mutating func cast(on address: Address, authorize: Bool) -> Bool {
        guard isAuthorized(address) != authorize else { return false }
        tally[address, default: Tally(authorize: authorize, votes: 0)].votes += 1
        return true
    }

    /// Uncounts a vote that was counted.
    private mutating func withdraw(_ vote: Vote) {
        guard var count = tally[vote.address], count.authorize == vote.authorize else { return }
        count.votes -= 1
        tally[vote.address] = count.votes > 0 ? count : nil
    }
}
