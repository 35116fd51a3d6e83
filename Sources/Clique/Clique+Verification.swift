import ChainTypes
import Primitives

// Header verification, in go-ethereum's order (consensus/clique/clique.go): first the fields a
// header can be judged on alone, then the fields that depend on its parent, then the seal, which
// depends on the snapshot at the parent.

extension Clique {
    /// Verifies a header against its parent and the snapshot after that parent (EIP-225).
    ///
    /// Checks, in order: not in the future (if `now` is given); a checkpoint's coinbase is zero;
    /// the nonce is a vote (0 or 0xff…ff), and zero on a checkpoint; the extra data holds the
    /// 32-byte vanity and the 65-byte seal, with N × 20 signer bytes between them on a checkpoint
    /// and none elsewhere; mix hash zero; ommers hash of the empty list; the parent is the
    /// header's parent; timestamp ≥ parent timestamp + period; the snapshot is at the parent; a
    /// checkpoint lists exactly the snapshot's signers; the sealer is authorized and has not signed
    /// one of the last floor(N/2) blocks; difficulty 2 in turn, 1 out of turn.
    ///
    /// Execution-level fields (gas limit, gas used, base fee, roots) are not Clique's and are not
    /// checked here.
    /// - Parameters:
    ///   - header: the header to verify (number ≥ 1).
    ///   - parent: its parent header.
    ///   - snapshot: the snapshot at `parent` (`snapshot(at:hash:parents:headerLookup:)`).
    ///   - now: the current Unix time in seconds, to reject blocks from the future; nil skips that check.
    /// - Returns: the sealer's address (the block's author, for COINBASE and fees).
    /// - Throws: the `CliqueError` of the first rule broken.
    @discardableResult
    package func verifyHeader(_ header: Header, parent: Header, snapshot: Snapshot,
                             now: UInt64? = nil) throws(CliqueError) -> Address {
        try verifyStandaloneFields(header, now: now)
        let number = header.number
        guard parent.number &+ 1 == number, parent.hash == header.parentHash else {
            throw .unknownAncestor(number: number, parentHash: header.parentHash)
        }
        let (minimum, overflow) = parent.timestamp.addingReportingOverflow(config.period)
        guard !overflow, header.timestamp >= minimum else {
            throw .invalidTimestamp(number: number, timestamp: header.timestamp, minimum: minimum)
        }
        guard snapshot.number == parent.number, snapshot.hash == parent.hash else {
            throw .invalidVotingChain(expectedNumber: snapshot.number + 1, expectedParent: snapshot.hash,
                                      number: number, parentHash: header.parentHash)
        }
        if isCheckpoint(number) {
            let listed = try Self.checkpointSigners(of: header)
            guard listed == snapshot.signers else {
                throw .mismatchingCheckpointSigners(number: number, listed: listed, expected: snapshot.signers)
            }
        }
        let signer = try self.signer(of: header)
        guard snapshot.isAuthorized(signer) else { throw .unauthorizedSigner(number: number, signer: signer) }
        if let previous = snapshot.recentBlock(signedBy: signer, before: number) {
            throw .recentlySigned(number: number, signer: signer, previous: previous)
        }
        let expected = snapshot.difficulty(for: signer, at: number)
        guard header.difficulty == expected else {
            throw .invalidDifficulty(number: number, difficulty: header.difficulty, expected: expected)
        }
        return signer
    }

    /// The checks that need neither the parent nor a snapshot.
    func verifyStandaloneFields(_ header: Header, now: UInt64?) throws(CliqueError) {
        let number = header.number
        if let now, header.timestamp > now {
            throw .futureBlock(number: number, timestamp: header.timestamp, now: now)
        }
        let checkpoint = isCheckpoint(number)
        if checkpoint && header.coinbase != .zero {
            throw .invalidCheckpointBeneficiary(number: number, coinbase: header.coinbase)
        }
        guard header.nonce == Self.nonceAuthorize || header.nonce == Self.nonceDrop else {
            throw .invalidVoteNonce(number: number, nonce: header.nonce)
        }
        if checkpoint && header.nonce != Self.nonceDrop {
            throw .invalidCheckpointVote(number: number, nonce: header.nonce)
        }
        try Self.checkExtraDataLength(header)
        let signerBytes = header.extraData.count - CliqueExtraData.vanityLength - CliqueExtraData.sealLength
        if !checkpoint && signerBytes != 0 {
            throw .extraSigners(number: number, byteCount: signerBytes)
        }
        if checkpoint && signerBytes % 20 != 0 {
            throw .invalidCheckpointSigners(number: number, byteCount: signerBytes)
        }
        guard header.mixHash == .zero else { throw .invalidMixHash(number: number, mixHash: header.mixHash) }
        guard header.ommersHash == Header.emptyOmmersHash else {
            throw .invalidOmmersHash(number: number, ommersHash: header.ommersHash)
        }
    }
}
