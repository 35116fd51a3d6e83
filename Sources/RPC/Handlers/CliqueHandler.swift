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

    /// A snapshot as geth writes it: `{number, hash, signers: {addr: {}}, recents: {n: addr}, votes, tally}`.
    /// Recents are the authors of the last floor(N/2) blocks (those whose signers may not sign yet).
    /// Votes and tallies are empty: the node reports only pending proposals (`clique_proposals`).
    static func snapshot(_ node: Node, at tag: BlockTag) throws(RPCError) -> JSON {
        guard let record = try withNode({ () throws(NodeError) in try node.block(tag) }) else {
            throw .server("unknown block")
        }
        let signers = try withNode { () throws(NodeError) in try node.signers(at: .hash(record.hash)) }.sorted()
        var recents: [(String, JSON)] = []
        let window = UInt64(signers.count / 2)
        if record.number > 0 && window > 0 {
            let first = record.number >= window ? record.number - window + 1 : 1
            for number in first...record.number {
                let author = try withNode { () throws(NodeError) in try node.author(of: .number(number)) }
                recents.append((String(number), Quantity.json(author)))
            }
        }
        return .object([
            ("number", .integer(record.number)),
            ("hash", Quantity.json(record.hash)),
            ("signers", .object(signers.map { (Hex.encode($0.bytes), JSON.object([])) })),
            ("recents", .object(recents)),
            ("votes", .array([])),
            ("tally", .object([])),
        ])
    }
}
