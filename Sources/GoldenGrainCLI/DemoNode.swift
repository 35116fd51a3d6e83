import ArgumentParser
import Chain
import ChainTypes
import Foundation
import RPC

/// The demo's own node when no `--rpc` is given: `goldengrain node --dev --ephemeral` assembled by
/// the same code (`NodeStartup.start`), with its JSON-RPC server on a free port of 127.0.0.1.
/// Nothing is printed: the port is learned from the server's start callback.
final class DemoNode: @unchecked Sendable {
    let started: NodeStartup.Started
    let url: String
    let server: Task<Void, Never>

    private init(started: NodeStartup.Started, url: String, server: Task<Void, Never>) {
        self.started = started
        self.url = url
        self.server = server
    }

    /// Starts an ephemeral dev chain (Genesis/dev.json, block 0 stamped now) and serves it.
    /// - Returns: the running node and its URL.
    /// - Throws: what `NodeStartup.start` throws, or `ValidationError` if the server does not bind.
    static func start() throws -> DemoNode {
        let command = try NodeCommand.parse(["--dev", "--ephemeral", "--port", "0"])
        let started = try NodeStartup.start(command)
        let bound = BoundPort()
        let application = buildApplication(configuration: RPCServerConfiguration(host: "127.0.0.1", port: 0, extraDataLimit: 32),
                                           node: started.node) { _, port in bound.set(port) }
        let server = Task.detached {
            do { try await application.runService(gracefulShutdownSignals: []) } catch {
                bound.fail("\(error)")
            }
        }
        guard let port = bound.wait(seconds: 20) else {
            server.cancel()
            throw ValidationError("the demo's in-process dev node did not start its JSON-RPC server: \(bound.failure ?? "no port after 20 s")")
        }
        started.node.startSealing()
        return DemoNode(started: started, url: "http://127.0.0.1:\(port)", server: server)
    }

    /// Stops sealing (the server ends with the process).
    func stop() {
        started.node.stopSealing()
    }

    /// The port the server bound, handed from its start callback to the waiting thread.
    final class BoundPort: @unchecked Sendable {
        let condition = NSCondition()
        var port: Int?
        var failure: String?

        func set(_ port: Int) {
            condition.lock()
            self.port = port
            condition.broadcast()
            condition.unlock()
        }

        func fail(_ reason: String) {
            condition.lock()
            failure = reason
            condition.broadcast()
            condition.unlock()
        }

        func wait(seconds: Double) -> Int? {
            let deadline = Date(timeIntervalSinceNow: seconds)
            condition.lock()
            defer { condition.unlock() }
            while port == nil && failure == nil {
                if !condition.wait(until: deadline) { break }
            }
            return port
        }
    }
}
