import Primitives

/// The `clique_` namespace (geth `consensus/clique/api.go`): signers, snapshots and votes.
public struct CliqueHandler: Sendable {
    /// The chain view over the node.
    public let view: ChainView

    /// Creates the handler.
    /// - Parameter view: the chain view.
    public init(view: ChainView) { self.view = view }

    /// Adds `clique_getSigners`, `clique_getSignersAtHash`, `clique_getSnapshot`,
    /// `clique_getSnapshotAtHash`, `clique_proposals`, `clique_propose` and `clique_discard`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let view = self.view
        let backend = view.backend
        methods.register("clique_getSigners") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let number = try await view.number(of: parameters.optional(0, BlockTag.decode) ?? .latest)
            do throws(NodeBackendError) { return .array(try await backend.cliqueSigners(atBlock: number).map { Quantity.json($0) }) } catch { throw RPCError(error) }
        }
        methods.register("clique_getSignersAtHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            let number = try await view.number(of: BlockReference.hash(hash, requireCanonical: false))
            do throws(NodeBackendError) { return .array(try await backend.cliqueSigners(atBlock: number).map { Quantity.json($0) }) } catch { throw RPCError(error) }
        }
        methods.register("clique_getSnapshot") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let number = try await view.number(of: parameters.optional(0, BlockTag.decode) ?? .latest)
            do throws(NodeBackendError) { return Self.json(try await backend.cliqueSnapshot(atBlock: number)) } catch { throw RPCError(error) }
        }
        methods.register("clique_getSnapshotAtHash") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            let number = try await view.number(of: BlockReference.hash(hash, requireCanonical: false))
            do throws(NodeBackendError) { return Self.json(try await backend.cliqueSnapshot(atBlock: number)) } catch { throw RPCError(error) }
        }
        methods.register("clique_proposals") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            let proposals = await backend.cliqueProposals().sorted { $0.key < $1.key }
            return .object(proposals.map { (Quantity.json($0.key).stringValue ?? "", .bool($0.value)) })
        }
        methods.register("clique_propose") { parameters throws(RPCError) in
            try parameters.expectAtMost(2)
            let address = try parameters.required(0, HexArgument.address)
            await backend.cliquePropose(address, authorize: try parameters.required(1, SimpleArgument.bool))
            return .null
        }
        methods.register("clique_discard") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            await backend.cliqueDiscard(try parameters.required(0, HexArgument.address))
            return .null
        }
    }

    /// A snapshot as geth writes it: `{number, hash, signers: {addr: {}}, recents: {n: addr}, votes, tally}`.
    /// - Parameter snapshot: the snapshot.
    /// - Returns: the JSON object.
    public static func json(_ snapshot: CliqueSnapshot) -> JSON {
        let signers = snapshot.signers.sorted().map { (Quantity.json($0).stringValue ?? "", JSON.object([])) }
        let recents = snapshot.recents.sorted { $0.key < $1.key }.map { (String($0.key), Quantity.json($0.value)) }
        let votes = snapshot.votes.map { vote in
            JSON.object([("signer", Quantity.json(vote.signer)), ("block", .integer(vote.block)),
                         ("address", Quantity.json(vote.address)), ("authorize", .bool(vote.authorize))])
        }
        var tally: [Address: (authorize: Bool, votes: Int)] = [:]
        for vote in snapshot.votes {
            tally[vote.address, default: (vote.authorize, 0)].votes += 1
        }
        let tallyJSON = tally.sorted { $0.key < $1.key }.map { entry in
            (Quantity.json(entry.key).stringValue ?? "",
             JSON.object([("authorize", .bool(entry.value.authorize)), ("votes", .integer(entry.value.votes))]))
        }
        return .object([
            ("number", .integer(snapshot.number)),
            ("hash", Quantity.json(snapshot.hash)),
            ("signers", .object(signers)),
            ("recents", .object(recents)),
            ("votes", .array(votes)),
            ("tally", .object(tallyJSON)),
        ])
    }
}
