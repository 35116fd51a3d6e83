import Chain
import Primitives

/// The `clique_` namespace (geth `consensus/clique/api.go`): signers, snapshots and votes.
public struct CliqueHandler: Sendable {
    /// The node.
    public let node: Node

    /// Creates the handler.
    /// - Parameter node: the node.
    public init(node: Node) { self.node = node }

    /// Adds `clique_getSigners`, `clique_getSignersAtHash`, `clique_getSnapshot`,
    /// `clique_getSnapshotAtHash`, `clique_proposals`, `clique_propose` and `clique_discard`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let node = self.node
        methods.register("clique_getSigners") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let tag = try parameters.optional(0, BlockArgument.number) ?? .latest
            return .array(try withNode { () throws(NodeError) in try node.signers(at: tag) }.map { Quantity.json($0) })
        }
        methods.register("clique_getSignersAtHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            return .array(try withNode { () throws(NodeError) in try node.signers(at: .hash(hash)) }.map { Quantity.json($0) })
        }
        methods.register("clique_getSnapshot") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return try Self.snapshot(node, at: parameters.optional(0, BlockArgument.number) ?? .latest)
        }
        methods.register("clique_getSnapshotAtHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return try Self.snapshot(node, at: .hash(parameters.required(0, HexArgument.hash)))
        }
        methods.register("clique_proposals") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            let proposals = node.proposals.sorted { $0.key < $1.key }
            return .object(proposals.map { (Hex.encode($0.key.bytes), .bool($0.value)) })
        }
        methods.register("clique_propose") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            node.propose(address, authorize: try parameters.required(1, SimpleArgument.bool))
            return .null
        }
        methods.register("clique_discard") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            node.discard(try parameters.required(0, HexArgument.address))
            return .null
        }
    }

    /// A snapshot as geth writes it: `{number, hash, signers: {addr: {}}, recents: {n: addr},
    /// votes: [{signer, block, address, authorize}], tally: {addr: {authorize, votes}}}`; recents
    /// ascending by block, tally by address.
    static func snapshot(_ node: Node, at tag: BlockTag) throws(RPCError) -> JSON {
        guard try withNode({ () throws(NodeError) in try node.block(tag) }) != nil else {
            throw .server("unknown block")
        }
        let snapshot = try withNode { () throws(NodeError) in try node.signerSnapshot(at: tag) }
        return .object([
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
