import JSONRPC
import Metrics

/// JSON-RPC metrics (docs/metrics.md) through the swift-metrics API; no backend is chosen here.
/// Each served method gets its own `method` label; every name the server does not serve counts
/// under one label, `unknown`, so callers cannot grow the label set.
enum RPCMetrics {
    static let requestsLabel = "goldengrain_rpc_requests_total"
    static let durationLabel = "goldengrain_rpc_request_duration_seconds"
    /// The `method` label of calls to methods the server does not serve.
    static let unknownMethod = "unknown"

    private static let unknownRequests = Counter(label: requestsLabel, dimensions: [("method", unknownMethod)])

    /// The table with every method wrapped so that each call increments its request counter and
    /// records its duration (failures included). The handlers are made here, once per method.
    static func instrumented(_ methods: RPCMethods) -> RPCMethods {
        _ = unknownRequests  // made now, so `unknown` shows 0 before the first such call
        var wrapped = RPCMethods()
        for name in methods.names {
            guard let method = methods[name] else { continue }
            let requests = Counter(label: requestsLabel, dimensions: [("method", name)])
            let duration = Metrics.Timer(label: durationLabel, dimensions: [("method", name)])
            wrapped.register(name) { parameters in
                requests.increment()
                let started = ContinuousClock.now
                defer { duration.record(duration: started.duration(to: .now)) }
                return try await method(parameters)
            }
        }
        return wrapped
    }

    /// Counts one call of a method not served (`JSONRPCDispatcher.methodNotFound`).
    @Sendable static func countUnknown(_ name: String) {
        unknownRequests.increment()
    }
}
