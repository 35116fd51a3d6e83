import Chain
import ChainTypes
import Foundation
import Hummingbird
import RPC
import Sync

/// Attaching the JSON-RPC server (HTTP and WebSocket on one port) to a running node.
enum RPCServerStartup {
    /// Starts serving JSON-RPC for `node` on `host:port` in the background; with port 0 the bound
    /// port is printed once known ("RPC listening on http://127.0.0.1:PORT"). A server that cannot
    /// bind ends the process with status 1, as geth and anvil do.
    /// - Parameters:
    ///   - node: the node to serve.
    ///   - host: the interface (default 127.0.0.1).
    ///   - port: the TCP port, 0 for any free port.
    ///   - isDev: a dev chain: blocks show only the 32-byte extraData vanity, so web3.py scripts
    ///     written for anvil need no proof-of-authority middleware.
    ///   - peers: the node's peer synchronizer, whose reachable peers net_peerCount counts.
    static func attach(to node: Node, host: String = "127.0.0.1", port: Int, isDev: Bool, peers: PeerSync? = nil) {
        var configuration = RPCServerConfiguration(host: host, port: port, extraDataLimit: isDev ? 32 : nil)
        if let peers {
            configuration.peerCount = { peers.reachablePeerCount }
            configuration.syncProgress = { peers.syncProgress }
        }
        let application = buildApplication(configuration: configuration, node: node) { boundHost, boundPort in
            FileHandle.standardOutput.write(Data("RPC listening on http://\(boundHost):\(boundPort)\n".utf8))
        }
        Task.detached {
            do {
                try await application.runService(gracefulShutdownSignals: [])
            } catch {
                FileHandle.standardError.write(Data("JSON-RPC server failed on \(host):\(port): \(error)\n".utf8))
                exit(1)
            }
        }
    }
}
