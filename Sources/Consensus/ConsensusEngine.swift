import ChainTypes
import JSONRPC
import Primitives

/// What a node needs from a consensus engine, and nothing more (geth's `consensus.Engine`): fill a
/// new header's consensus fields, decide when it may be sealed, seal it, verify a header from
/// elsewhere, and name who sealed one. The engine's own controls and views (Clique's votes and
/// snapshots) are not part of it: an engine serves them through its own RPC namespace
/// (`registerMethods(on:chain:)`, geth's `Engine.APIs`), so the node and the RPC server need not
/// know what engine they run.
///
/// The Clique module's `CliqueEngine` (EIP-225) is the engine GoldenGrain nodes run; the node is
/// given it by the assembly in GoldenGrainNode (`NodeConfiguration.installGoldenGrain`).
public protocol ConsensusEngine: AnyObject, Sendable {
    /// The address this engine seals with, or nil if it cannot seal.
    var signer: Address? { get }

    /// Fills the consensus fields of a header built on `parent` (for Clique: difficulty, extra
    /// data, mix hash, and the vote in coinbase and nonce).
    /// - Parameters:
    ///   - header: the new header; its number and timestamp are set.
    ///   - parent: its parent.
    ///   - chain: the stored headers.
    /// - Throws: `ConsensusError` if this node may not seal the block.
    func prepare(_ header: inout Header, parent: Header, chain: any HeaderReader) throws(ConsensusError)

    /// How long after the header's timestamp the seal may be published.
    ///
    /// The node's period-N sealing loop asks before it prepares the block, so an engine must decide
    /// from the number, parent hash and timestamp alone, not from fields `prepare` fills.
    /// - Parameters:
    ///   - header: the next header; its number, parent hash and timestamp are set, not its consensus fields.
    ///   - chain: the stored headers.
    /// - Returns: seconds to wait past `header.timestamp`; `.infinity` while this node may not seal
    ///   the block at all.
    func sealDelay(for header: Header, chain: any HeaderReader) -> Double

    /// Seals a prepared header.
    /// - Parameters:
    ///   - header: the prepared header with its final roots.
    ///   - chain: the stored headers.
    /// - Returns: the sealed header.
    /// - Throws: `ConsensusError` if the engine has no key or may not seal it.
    func seal(_ header: Header, chain: any HeaderReader) throws(ConsensusError) -> Header

    /// Checks a header's consensus fields and seal against its parent.
    /// - Parameters:
    ///   - header: the header.
    ///   - parent: its parent.
    ///   - chain: the stored headers.
    /// - Throws: `ConsensusError` naming the rule broken.
    func verify(_ header: Header, parent: Header, chain: any HeaderReader) throws(ConsensusError)

    /// The address that sealed a header.
    /// - Parameter header: a sealed header.
    /// - Returns: the signer.
    /// - Throws: `ConsensusError` if the seal is missing or does not recover.
    func author(of header: Header) throws(ConsensusError) -> Address

    /// Adds the engine's own RPC namespace (Clique: `clique_*`) to a server's method table.
    /// - Parameters:
    ///   - methods: the table.
    ///   - chain: the node's headers, read one consistent call at a time.
    func registerMethods(on methods: inout RPCMethods, chain: any ChainHeaderReader)
}

/// Why an engine refused to prepare, seal or verify a header: the engine's own error, kept whole
/// so that a caller who knows the engine can inspect it (`reason as? CliqueError`), and whose
/// description is the message users see ("unauthorized signer: …", "recently signed: …").
public struct ConsensusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The engine's error.
    public let reason: any Error & Sendable & CustomStringConvertible

    /// Wraps an engine's error.
    /// - Parameter reason: the engine's own error value.
    public init(_ reason: some Error & Sendable & CustomStringConvertible) { self.reason = reason }

    /// The engine error's message.
    public var description: String { reason.description }

    /// Two consensus errors are equal when their engine errors have the same type and message.
    public static func == (lhs: ConsensusError, rhs: ConsensusError) -> Bool {
        type(of: lhs.reason) == type(of: rhs.reason) && lhs.description == rhs.description
    }
}
