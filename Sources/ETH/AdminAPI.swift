import ChainTypes
import JSONRPC
import P2P
import Primitives

/// The `admin_` peer methods of go-ethereum (node/api.go): `admin_nodeInfo`, `admin_peers`,
/// `admin_addPeer`, `admin_removePeer`, with geth's shapes, over the node's P2P server.
public struct AdminAPI: Sendable {
    let server: P2PServer
    let eth: ETHHandler

    public init(server: P2PServer, eth: ETHHandler) {
        self.server = server
        self.eth = eth
    }

    /// Adds the four methods to a table.
    public func register(on methods: inout RPCMethods) {
        let api = self
        methods.register("admin_nodeInfo") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return api.nodeInfo()
        }
        methods.register("admin_peers") { parameters throws(RPCError) in
            try parameters.expectAtMost(0)
            return .array(api.server.peerInfos.map(Self.json))
        }
        methods.register("admin_addPeer") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return .bool(api.server.addPeer(try Self.enode(parameters)))
        }
        methods.register("admin_removePeer") { parameters throws(RPCError) in
            try parameters.expectAtMost(1)
            return .bool(api.server.removePeer(try Self.enode(parameters)))
        }
    }

    static func enode(_ parameters: RPCParameters) throws(RPCError) -> Enode {
        let text = try parameters.required(0, SimpleArgument.string)
        do { return try Enode(parsing: text) } catch {
            throw .invalidParams("invalid enode: \(error)")
        }
    }

    func nodeInfo() -> JSON {
        let enode = server.enode
        let port = JSON.number(String(enode.tcpPort))
        let status = eth.localStatus()
        let head = eth.node.headHeader
        return .object([
            ("id", .string(Hex.encode(enode.id.bytes, prefix: false))),
            ("name", .string(server.configuration.clientId)),
            ("enode", .string(enode.description)),
            ("ip", .string(enode.host?.description ?? server.configuration.advertisedHost)),
            ("ports", .object([("discovery", port), ("listener", port)])),
            ("listenAddr", .string("\(server.configuration.listenHost == "0.0.0.0" ? "[::]" : server.configuration.listenHost):\(enode.tcpPort)")),
            ("protocols", .object([
                ("eth", .object([
                    ("network", .number(String(eth.networkId))),
                    ("difficulty", .number(status.totalDifficulty.description)),
                    ("genesis", Quantity.json(status.genesis)),
                    ("head", Quantity.json(head.hash)),
                ])),
            ])),
        ])
    }

    static func json(_ peer: PeerInfo) -> JSON {
        .object([
            ("enode", .string(peer.enode)),
            ("id", .string(peer.id)),
            ("name", .string(peer.name)),
            ("caps", .array(peer.capabilities.map { .string($0) })),
            ("network", .object([
                ("localAddress", .string(peer.localAddress)),
                ("remoteAddress", .string(peer.remoteAddress)),
                ("inbound", .bool(peer.isInbound)),
                ("trusted", .bool(false)),
                ("static", .bool(peer.isStatic)),
            ])),
            ("protocols", .object([("eth", .object([("version", .number(String(ETHProtocol.version)))]))])),
        ])
    }
}
