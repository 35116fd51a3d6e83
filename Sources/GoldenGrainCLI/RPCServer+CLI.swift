import Chain
import ETH
import Foundation
import Hummingbird
import RPC
import ServiceLifecycle

/// The JSON-RPC server (HTTP and WebSocket on one port) of a running node, as a service.
enum RPCServerStartup {
    /// The server for `node` on `host:port`, to run in the node's service group; with port 0 the
    /// bound port is printed once known ("RPC listening on http://127.0.0.1:PORT"). A server that
    /// cannot bind fails the group, and the process ends with status 1, as geth and anvil do.
    /// - Parameters:
    ///   - node: the node to serve.
    ///   - host: the interface (default 127.0.0.1).
    ///   - port: the TCP port, 0 for any free port.
    ///   - isDev: a dev chain: blocks show only the 32-byte extraData vanity, so web3.py scripts
    ///     written for anvil need no proof-of-authority middleware.
    ///   - network: the node's devp2p side: its eth peers are net_peerCount, its catch-up
    ///     eth_syncing, and it serves admin_.
    /// - Returns: the Hummingbird application (a `Service`).
    static func application(for node: Node, host: String = "127.0.0.1", port: Int, isDev: Bool,
                            network: NodeNetwork.Started? = nil) -> any Service {
        var configuration = RPCServerConfiguration(host: host, port: port, extraDataLimit: isDev ? 32 : nil)
        if let network {
            let eth = network.eth
            configuration.peerCount = { eth.peerCount }
            configuration.syncProgress = { eth.syncProgress }
            let admin = AdminAPI(server: network.server, eth: network.eth)
            configuration.extraMethods = { methods in admin.register(on: &methods) }
        }
        return buildApplication(configuration: configuration, node: node) { boundHost, boundPort in
            FileHandle.standardOutput.write(Data("RPC listening on http://\(boundHost):\(boundPort)\n".utf8))
        }
    }
}
