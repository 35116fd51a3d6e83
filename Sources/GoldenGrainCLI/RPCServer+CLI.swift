import Chain
import Foundation
import Hummingbird
import RPC

/// Attaching the JSON-RPC server (HTTP and WebSocket on one port) to a running node.
enum RPCServerStartup {
    /// Starts serving JSON-RPC for `node` on `host:port` in the background; with port 0 the bound
    /// port is printed once known ("RPC listening on http://127.0.0.1:PORT"). A server that cannot
    /// bind ends the process with status 1, as geth and anvil do.
    /// - Parameters:
    ///   - node: the node to serve.
    ///   - host: the interface (default 127.0.0.1).
    ///   - port: the TCP port, 0 for any free port.
    static func attach(to node: Node, host: String = "127.0.0.1", port: Int) {
        let configuration = RPCServerConfiguration(host: host, port: port)
        let application = buildApplication(configuration: configuration, node: node) { boundHost, boundPort in
            print("RPC listening on http://\(boundHost):\(boundPort)")
            fflush(stdout)
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
