import ChainTypes
import Consensus
import JSONRPC
import Primitives
import Signatures
import Storage
import Synchronization

/// The node's consensus engine: `Clique` (EIP-225) behind the `ConsensusEngine` protocol, so a
/// `Node` seals, verifies and votes with the snapshots, votes tallied. Chain has no engine of its
/// own; `NodeConfiguration.installGoldenGrain` gives a node this one.
///
/// Every decision is taken against the snapshot after the block's parent, which `Clique` rebuilds
/// from the chain's stored headers (`HeaderReader.header(hash:)`) back to the nearest cached or
/// persisted snapshot or to the genesis checkpoint:
/// - `prepare` writes one of this node's meaningful proposals (`propose(_:authorize:)`, reaching it
///   through `Node.propose`) into the coinbase and nonce, difficulty 2 in turn and 1 out of turn,
///   and the snapshot's signers on epoch checkpoints; it refuses if this node's signer is not
///   authorized or signed one of the last floor(N/2) blocks.
/// - `sealDelay` is zero in turn and a random wiggle below (floor(N/2) + 1) × 500 ms out of turn,
///   drawn once per parent so that a caller polling it sees one stable deadline; it is infinite
///   while this signer may not seal at all (another signer's block must come first).
/// - `signers(after:chain:)` is the tallied signer list, so votes that reach a majority change it.
///
/// Proposals live in memory only: like geth's clique_propose, they are gone after a restart.
/// Thread safety: the proposals and the wiggle memo are behind a mutex, and `Clique`'s caches are
/// thread-safe, so any thread may call the engine (the node calls it under its own lock).
public final class CliqueEngine: ConsensusEngine {
    /// The EIP-225 engine: snapshots, sealing and verification.
    public let clique: Clique
    /// See `ConsensusEngine.signer`: the sealing key's address, or nil for a node that only follows.
    public let signer: Address?
    private let key: PrivateKey?
    private let localState = Mutex(LocalState())

    /// What the engine changes after creation: this node's votes and the current wiggle.
    private struct LocalState {
        var proposals = Proposals()
        /// The out-of-turn wiggle drawn for the block on top of `parent`.
        var wiggle: (parent: Hash32, seconds: Double)?
    }

    /// Creates an engine.
    /// - Parameters:
    ///   - config: the chain's period and epoch (`Genesis.clique`).
    ///   - signerKey: the key to seal with, or nil to verify and follow only.
    ///   - store: where `Clique` persists snapshots every 1024 blocks (the node's own store, so a
    ///     restarted node replays few headers), or nil to keep them in memory only.
    public init(config: CliqueConfig, signerKey: PrivateKey?, store: (any KeyValueStore)? = nil) {
        clique = Clique(config: config, store: store)
        key = signerKey
        signer = signerKey?.address
    }

    /// Creates an engine for a genesis file's chain.
    /// - Parameters:
    ///   - genesis: the genesis (its `config.clique` section is used; its signers come from block 0).
    ///   - signerKey: the key to seal with, or nil.
    ///   - store: where snapshots are persisted, or nil.
    public convenience init(genesis: Genesis, signerKey: PrivateKey?, store: (any KeyValueStore)? = nil) {
        self.init(config: genesis.clique, signerKey: signerKey, store: store)
    }

    // MARK: Snapshots

    /// The Clique snapshot after a stored block: signers, recent signers, pending votes and tally.
    /// - Parameters:
    ///   - header: the block's header (stored in `chain`, or the genesis header).
    ///   - chain: the stored headers.
    /// - Returns: the snapshot.
    /// - Throws: `CliqueError` if a header on the way back is missing or does not apply.
    public func snapshot(after header: Header, chain: any HeaderReader) throws(CliqueError) -> Snapshot {
        try snapshot(number: header.number, hash: header.hash, chain: chain)
    }

    /// The snapshot after block `number` with hash `hash`.
    private func snapshot(number: UInt64, hash: Hash32, chain: any HeaderReader) throws(CliqueError) -> Snapshot {
        try clique.snapshot(at: number, hash: hash) { (hash, _) throws(StorageError) -> Header? in
            chain.header(hash: hash)
        }
    }

    /// The snapshot a new header is judged against: the one after its parent.
    private func parentSnapshot(of header: Header, chain: any HeaderReader) throws(CliqueError) -> Snapshot {
        guard header.number > 0 else {
            throw .genesisHasNoParent
        }
        return try snapshot(number: header.number - 1, hash: header.parentHash, chain: chain)
    }

    /// Throws unless `signer` may seal block `number` on top of `snapshot` (EIP-225: it is
    /// authorized, and signed none of the last floor(N/2) blocks).
    private static func checkMaySeal(_ signer: Address, number: UInt64, snapshot: Snapshot) throws(CliqueError) {
        guard snapshot.isAuthorized(signer) else {
            throw .notAmongSigners(signer: signer, signerCount: snapshot.signers.count, after: snapshot.number)
        }
        if let previous = snapshot.recentBlock(signedBy: signer, before: number) {
            let limit = snapshot.signerLimit
            throw .sealedTooRecently(signer: signer, previous: previous, limit: limit, number: number)
        }
    }

    // MARK: ConsensusEngine

    /// See `ConsensusEngine.prepare`: Clique's fields from the snapshot after `parent` and this
    /// node's proposals.
    /// - Parameters:
    ///   - header: the new header; its number, parent hash and timestamp are set.
    ///   - parent: its parent.
    ///   - chain: the stored headers.
    /// - Throws: `ConsensusError` wrapping a `CliqueError` if this node has no key, is not an
    ///   authorized signer, or signed too recently.
    public func prepare(_ header: inout Header, parent: Header, chain: any HeaderReader) throws(ConsensusError) {
        try Self.wrapped { () throws(CliqueError) in
            guard let signer else { throw .noSignerKey }
            let snapshot = try self.snapshot(after: parent, chain: chain)
            try Self.checkMaySeal(signer, number: header.number, snapshot: snapshot)
            let proposals = localState.withLock { $0.proposals }
            var generator = SystemRandomNumberGenerator()
            clique.prepare(&header, parent: parent, snapshot: snapshot, signer: signer, proposals: proposals,
                           using: &generator)
        }
    }

    /// See `ConsensusEngine.sealDelay`: zero in turn; out of turn a wiggle below
    /// (floor(N/2) + 1) × 500 ms, the same for every call about the same parent; `.infinity` while
    /// this node cannot seal the block (no key, not authorized, or signed too recently).
    /// - Parameters:
    ///   - header: the header to seal (its number and parent hash are read, not its difficulty).
    ///   - chain: the stored headers.
    /// - Returns: seconds to wait past `header.timestamp`; 0 if the snapshot cannot be read, so that
    ///   sealing is attempted and reports the error.
    public func sealDelay(for header: Header, chain: any HeaderReader) -> Double {
        guard let signer else { return .infinity }
        let snapshot: Snapshot
        do throws(CliqueError) { snapshot = try parentSnapshot(of: header, chain: chain) } catch { return 0 }
        guard snapshot.canSeal(signer, at: header.number) else { return .infinity }
        if snapshot.isInTurn(signer, at: header.number) { return 0 }
        return localState.withLock { local in
            if let wiggle = local.wiggle, wiggle.parent == header.parentHash { return wiggle.seconds }
            var generator = SystemRandomNumberGenerator()
            let delay = clique.delay(for: header, signer: signer, snapshot: snapshot,
                                     now: .seconds(Int64(clamping: header.timestamp)), using: &generator)
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            local.wiggle = (header.parentHash, seconds)
            return seconds
        }
    }

    /// See `ConsensusEngine.seal`: signs the header after checking, against the snapshot after its
    /// parent, that this node may seal it.
    /// - Parameters:
    ///   - header: the prepared header with its final roots.
    ///   - chain: the stored headers.
    /// - Returns: the sealed header.
    /// - Throws: `ConsensusError` wrapping a `CliqueError` if this node has no key, is not
    ///   authorized, signed too recently, or the extra data has no room for the seal.
    public func seal(_ header: Header, chain: any HeaderReader) throws(ConsensusError) -> Header {
        try Self.wrapped { () throws(CliqueError) -> Header in
            guard let key, let signer else { throw .noSignerKey }
            let snapshot = try parentSnapshot(of: header, chain: chain)
            try Self.checkMaySeal(signer, number: header.number, snapshot: snapshot)
            return try clique.seal(header, with: key)
        }
    }

    /// See `ConsensusEngine.verify`: `Clique.verifyHeader` against the snapshot after `parent`.
    /// - Parameters:
    ///   - header: the header.
    ///   - parent: its parent, stored in `chain`.
    ///   - chain: the stored headers.
    /// - Throws: `ConsensusError` wrapping the `CliqueError` of the first EIP-225 rule broken.
    public func verify(_ header: Header, parent: Header, chain: any HeaderReader) throws(ConsensusError) {
        try Self.wrapped { () throws(CliqueError) in
            let snapshot = try self.snapshot(after: parent, chain: chain)
            try clique.verifyHeader(header, parent: parent, snapshot: snapshot)
        }
    }

    /// See `ConsensusEngine.author`.
    /// - Parameter header: a sealed header.
    /// - Returns: the address that sealed it.
    /// - Throws: `ConsensusError` wrapping a `CliqueError` if the seal is missing or does not recover.
    public func author(of header: Header) throws(ConsensusError) -> Address {
        try Self.wrapped { () throws(CliqueError) in try clique.signer(of: header) }
    }

    /// See `ConsensusEngine.registerMethods`: the `clique_` namespace (`CliqueAPI`).
    public func registerMethods(on methods: inout RPCMethods, chain: any ChainHeaderReader) {
        CliqueAPI(engine: self, chain: chain).register(on: &methods)
    }

    /// Runs a Clique step, handing its error to the node as a `ConsensusError`.
    private static func wrapped<T>(_ body: () throws(CliqueError) -> T) throws(ConsensusError) -> T {
        do throws(CliqueError) { return try body() } catch { throw ConsensusError(error) }
    }

    // MARK: Votes (clique_propose, clique_discard, clique_proposals)

    /// The signers of the snapshot after the block, votes tallied (clique_getSigners).
    /// - Parameters:
    ///   - header: the block.
    ///   - chain: the stored headers.
    /// - Returns: the signers in ascending order.
    /// - Throws: `CliqueError` if the history cannot be replayed.
    public func signers(after header: Header, chain: any HeaderReader) throws(CliqueError) -> [Address] {
        try snapshot(after: header, chain: chain).signers
    }

    /// Casts this node's vote in the blocks it seals, while the vote makes sense.
    /// - Parameters:
    ///   - address: the account voted on.
    ///   - authorize: true to vote it in, false to vote it out.
    package func propose(_ address: Address, authorize: Bool) {
        localState.withLock { $0.proposals.propose(address, authorize: authorize) }
    }

    /// Withdraws this node's vote on an address.
    /// - Parameter address: the account voted on.
    public func discard(_ address: Address) {
        localState.withLock { $0.proposals.discard(address) }
    }

    /// This node's current votes.
    package var proposals: [Address: Bool] {
        localState.withLock { $0.proposals.entries }
    }
}
