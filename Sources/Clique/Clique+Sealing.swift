import ChainTypes
import Primitives

// Helpers for the local signer producing blocks (EIP-225 "Authorization strategies").

extension Clique {
    /// Fills the Clique fields of a header that `signer` is about to seal on top of `parent`.
    ///
    /// Sets: coinbase and nonce to one meaningful proposal (zero on checkpoints or without one);
    /// difficulty 2 in turn, 1 out of turn; extra data to the header's first 32 bytes of vanity
    /// (zero-padded), the snapshot's signers on a checkpoint, and a 65-byte zero placeholder for
    /// the seal; mix hash zero; ommers hash of the empty list; timestamp raised to at least the
    /// parent's plus the period. Number, parent hash and the execution fields are the caller's.
    /// - Parameters:
    ///   - header: the header to prepare; its number and parent hash must already be set.
    ///   - parent: the parent header.
    ///   - snapshot: the snapshot at `parent`.
    ///   - signer: the local signer's address.
    ///   - proposals: the local signer's proposals.
    ///   - generator: picks among several meaningful proposals.
    public func prepare(_ header: inout Header, parent: Header, snapshot: Snapshot, signer: Address,
                        proposals: Proposals, using generator: inout some RandomNumberGenerator) {
        let number = header.number
        header.coinbase = .zero
        header.nonce = Self.nonceDrop
        let checkpoint = isCheckpoint(number)
        if !checkpoint, let vote = proposals.vote(for: snapshot, using: &generator) {
            header.coinbase = vote.address
            header.nonce = vote.authorize ? Self.nonceAuthorize : Self.nonceDrop
        }
        header.difficulty = snapshot.difficulty(for: signer, at: number)
        var extraData = Array(header.extraData.prefix(CliqueExtraData.vanityLength))
        extraData += [UInt8](repeating: 0, count: CliqueExtraData.vanityLength - extraData.count)
        if checkpoint { extraData += snapshot.signers.flatMap(\.bytes) }
        extraData += [UInt8](repeating: 0, count: CliqueExtraData.sealLength)
        header.extraData = extraData
        header.mixHash = .zero
        header.ommersHash = Header.emptyOmmersHash
        header.timestamp = max(header.timestamp, parent.timestamp + config.period)
    }

    /// How long `signer` should wait before releasing `header`: until the header's timestamp, plus,
    /// out of turn, a random wiggle below (floor(N/2) + 1) × 500 ms, so that the in-turn signer's
    /// block (difficulty 2) usually arrives first (geth's `Seal`; EIP-225 "Authorization strategies").
    /// - Parameters:
    ///   - header: the prepared header.
    ///   - signer: the local signer's address.
    ///   - snapshot: the snapshot at the header's parent.
    ///   - now: the current time since the Unix epoch.
    ///   - generator: the source of the wiggle (a fixed one in tests).
    /// - Returns: the wait; zero if the header's time has passed and the signer is in turn.
    public func delay(for header: Header, signer: Address, snapshot: Snapshot, now: Duration,
                      using generator: inout some RandomNumberGenerator) -> Duration {
        var delay = Duration.seconds(Int64(clamping: header.timestamp)) - now
        if delay < .zero { delay = .zero }
        if !snapshot.isInTurn(signer, at: header.number) {
            let wiggle = Self.wiggleTime * Int(snapshot.signerLimit)
            let nanoseconds = UInt64(wiggle / .nanoseconds(1))
            delay += .nanoseconds(Int64(UInt64.random(in: 0 ..< nanoseconds, using: &generator)))
        }
        return delay
    }

    /// The upper bound (exclusive) of the out-of-turn wiggle with `signerCount` signers:
    /// (floor(N/2) + 1) × 500 ms.
    /// - Parameter signerCount: the number of authorized signers.
    /// - Returns: the bound.
    package static func maximumWiggle(signerCount: Int) -> Duration {
        wiggleTime * (signerCount / 2 + 1)
    }
}
