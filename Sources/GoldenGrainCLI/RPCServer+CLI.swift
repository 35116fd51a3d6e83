import Chain
import Foundation
import Hummingbird
import RPC
import ServiceLifecycle
import Sync

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
    ///   - peers: the node's peer synchronizer, whose reachable peers net_peerCount counts.
    /// - Returns: the Hummingbird application (a `Service`).
    static func application(for node: Node, host: String = "127.0.0.1", port: Int, isDev: Bool,
                            peers: PeerSync? = nil) -> any Service {
        var configuration = RPCServerConfiguration(host: host, port: port, extraDataLimit: isDev ? 32 : nil)
        if let peers {
            configuration.peerCount = { peers.reachablePeerCount }
            configuration.syncProgress = { peers.syncProgress }
        }
        return buildApplication(configuration: configuration, node: node) { boundHost, boundPort in
            FileHandle.standardOutput.write(Data("RPC listening on http://\(boundHost):\(boundPort)\n".utf8))
        }
    }
}
