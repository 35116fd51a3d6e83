import ArgumentParser
import Chain
import ETH
import Foundation
import NIOCore
import P2P
import ServiceLifecycle

/// The node's devp2p side: the node key, the P2P server with eth/68, and its service.
enum NodeNetwork {
    /// A bound, not yet running, network.
    struct Started {
        let server: P2PServer
        let listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        let eth: ETHHandler
        /// Discovery v4 and its UDP socket, unless --nodiscover.
        let discovery: (service: Discovery, channel: Discovery.Channel)?
    }

    /// Our client name in Hello and admin_nodeInfo, in geth's shape (name/version/os-arch/language).
    static let clientId = "GoldenGrain/v0.1.0/linux-amd64/swift6"

    /// Loads the node key, binds the listening port, and prepares the server, unless devp2p is off
    /// (a --dev node without --p2p-port, like geth --dev and anvil).
    /// - Throws: `ValidationError` naming the key file or the port when either fails.
    static func start(_ command: NodeCommand, node: Node, datadir: String?) throws -> Started? {
        guard command.p2pEnabled else { return nil }
        let key = try nodeKey(command, datadir: datadir)
        let eth = ETHHandler(node: node) { line in NodeStartup.say(line) }
        let bootnodes = try command.parsedBootnodes()
        let configuration = P2PServer.Configuration(
            nodeKey: key, listenPort: command.p2pPort ?? 30303, advertisedHost: try command.advertisedHost(),
            maximumPeers: command.maxPeers, clientId: clientId,
            staticPeers: bootnodes, protocols: [eth]) { line in NodeStartup.say(line) }
        let server = P2PServer(configuration: configuration)
        let listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do { listener = try MarketRuntime.run { try await server.bind() } } catch {
            throw ValidationError("devp2p listener failed on 0.0.0.0:\(configuration.listenPort): \(error)")
        }
        guard !command.nodiscover else { return Started(server: server, listener: listener, eth: eth, discovery: nil) }
        // Discovery listens on UDP at the TCP listener's port number, as geth's does.
        let port = server.listeningPort ?? configuration.listenPort
        let discovery = Discovery(nodeKey: key, port: port, advertisedHost: configuration.advertisedHost,
                                  tcpPort: UInt16(clamping: port), bootnodes: bootnodes,
                                  log: { line in NodeStartup.say(line) },
                                  onNode: { [server] node in server.connect(node) })
        do {
            let channel = try MarketRuntime.run { try await discovery.bind() }
            return Started(server: server, listener: listener, eth: eth, discovery: (discovery, channel))
        } catch {
            throw ValidationError("discovery failed to listen on UDP 0.0.0.0:\(port): \(error) (--nodiscover runs without it)")
        }
    }

    /// --nodekey FILE, else <datadir>/nodekey (created on first start), else (--ephemeral) a new key.
    static func nodeKey(_ command: NodeCommand, datadir: String?) throws -> NodeKey {
        do {
            if let file = command.nodeKeyFile { return try NodeKey.load(path: file) }
            if let datadir { return try NodeKey.loadOrCreate(dataDirectory: datadir) }
            return NodeKey.generate()
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// The P2P server and eth/68's announcements as one service: both stop at graceful shutdown, every
/// session sending Disconnect(quitting).
struct P2PService: Service {
    let network: NodeNetwork.Started

    func run() async throws {
        let network = network
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await network.server.run(network.listener) }
                group.addTask { await network.eth.announce() }
                if let discovery = network.discovery {
                    group.addTask { try await discovery.service.run(discovery.channel) }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
