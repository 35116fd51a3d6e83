import Chain
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import ETH

/// `goldengrain node --metrics`: the Prometheus backend for the swift-metrics calls in Chain, Sync
/// and RPC, and a second Hummingbird application serving it as text at `GET /metrics` (geth's
/// `--metrics` and `--metrics.port`, on 127.0.0.1). The libraries record through swift-metrics
/// only; this executable is the one place that chooses the backend (docs/metrics.md).
enum MetricsServer {
    /// geth's default `--metrics.port`.
    static let defaultPort = 6060

    /// Prometheus' text exposition format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Bootstraps swift-metrics with a Prometheus registry. Must run before the node is built, so
    /// that its metrics are made by this backend and not swift-metrics' no-op one.
    /// - Returns: the registry the endpoint serves.
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A block holds from zero to a few thousand transactions.
        factory.valueHistogramBuckets["goldengrain_block_transactions"] = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000]
        // Durations from a LevelDB batch (sub-millisecond) to a full block (seconds).
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2_500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// The metrics application on `host:port`, as a service of the node's group; it prints
    /// "Metrics on http://HOST:PORT/metrics" once it listens. Before each scrape the gauges that
    /// describe the present (head age, pool sizes, peers) are brought up to date.
    static func application(registry: PrometheusCollectorRegistry, node: Node, eth: ETHHandler?,
                            host: String = "127.0.0.1", port: Int) -> any Service {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { _, _ -> Response in
            node.recordMetrics()
            ETHHandler.recordPeers(eth?.peerCount ?? 0)
            let text = registry.emitToBuffer()
            return Response(status: .ok, headers: [.contentType: contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        var logger = Logger(label: "goldengrain.metrics")
        logger.logLevel = .warning
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                FileHandle.standardOutput.write(Data("Metrics on http://\(host):\(bound)/metrics\n".utf8))
            },
            logger: logger
        )
        return Endpoint(application: application, host: host, port: port)
    }

    /// The application, whose failure (a port that cannot be bound) says it is the metrics server's.
    struct Endpoint<App: ApplicationProtocol>: Service {
        let application: App
        let host: String
        let port: Int

        func run() async throws {
            do { try await application.run() } catch { throw Failure(host: host, port: port, reason: error) }
        }
    }

    /// The metrics server could not run.
    struct Failure: Error, CustomStringConvertible {
        let host: String
        let port: Int
        let reason: any Error
        var description: String { "Metrics server failed on \(host):\(port): \(reason)" }
    }
}
