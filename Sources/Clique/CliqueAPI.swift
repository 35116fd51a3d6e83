import ChainTypes
import JSONRPC
import Primitives

/// The `clique_` namespace (geth's `consensus/clique/api.go`): signers, snapshots and this node's
/// votes, served by the engine itself (`CliqueEngine.registerMethods`), so neither the node nor
/// the RPC server knows Clique's types.
struct CliqueAPI: Sendable {
    /// The engine whose snapshots and votes are shown.
    let engine: CliqueEngine
    /// The node's headers.
    let chain: any ChainHeaderReader

    /// Adds `clique_getSigners`, `clique_getSignersAtHash`, `clique_getSnapshot`,
    /// `clique_getSnapshotAtHash`, `clique_proposals`, `clique_propose` and `clique_discard`.
    /// - Parameter methods: the table to add to.
    func register(on methods: inout RPCMethods) {
        let api = self
        methods.register("clique_getSigners") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let tag = try parameters.optional(0, BlockArgument.number) ?? .latest
            return .array(try api.snapshot(at: tag).signers.map { Quantity.json($0) })
        }
        methods.register("clique_getSignersAtHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            return .array(try api.snapshot(at: .hash(hash)).signers.map { Quantity.json($0) })
        }
        methods.register("clique_getSnapshot") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return Self.json(try api.snapshot(at: parameters.optional(0, BlockArgument.number) ?? .latest))
        }
        methods.register("clique_getSnapshotAtHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return Self.json(try api.snapshot(at: .hash(parameters.required(0, HexArgument.hash))))
        }
        methods.register("clique_proposals") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            let proposals = api.engine.proposals.sorted { $0.key < $1.key }
            return .object(proposals.map { (Hex.encode($0.key.bytes), .bool($0.value)) })
        }
        methods.register("clique_propose") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            api.engine.propose(address, authorize: try parameters.required(1, SimpleArgument.bool))
            return .null
        }
        methods.register("clique_discard") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            api.engine.discard(try parameters.required(0, HexArgument.address))
            return .null
        }
    }

    /// The snapshot after the block a tag names, votes tallied.
    /// - Throws: `RPCError` -32000 "unknown block", or -32603 with the `CliqueError` message if
    ///   the history cannot be replayed.
    func snapshot(at tag: BlockTag) throws(RPCError) -> Snapshot {
        guard let header = chain.header(at: tag) else { throw .server("unknown block") }
        do throws(CliqueError) {
            return try engine.snapshot(after: header, chain: chain)
        } catch {
            throw .internalError(error.description)
        }
    }

    /// A snapshot as geth writes it: `{number, hash, signers: {addr: {}}, recents: {n: addr},
    /// votes: [{signer, block, address, authorize}], tally: {addr: {authorize, votes}}}`; recents
    /// ascending by block, tally by address.
    static func json(_ snapshot: Snapshot) -> JSON {
        .object([
            ("number", .integer(snapshot.number)),
            ("hash", Quantity.json(snapshot.hash)),
            ("signers", .object(snapshot.signers.sorted().map { (Hex.encode($0.bytes), JSON.object([])) })),
            ("recents", .object(snapshot.recents.sorted { $0.key < $1.key }.map { (String($0.key), Quantity.json($0.value)) })),
            ("votes", .array(snapshot.votes.map { vote in
                .object([("signer", Quantity.json(vote.signer)), ("block", .integer(vote.block)),
                         ("address", Quantity.json(vote.address)), ("authorize", .bool(vote.authorize))])
            })),
            ("tally", .object(snapshot.tally.sorted { $0.key < $1.key }.map { entry in
                (Hex.encode(entry.key.bytes), JSON.object([("authorize", .bool(entry.value.authorize)),
                                                           ("votes", .integer(entry.value.votes))]))
            })),
        ])
    }
}
