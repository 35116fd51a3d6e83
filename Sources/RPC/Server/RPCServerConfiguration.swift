import Chain
import JSONRPC
import Primitives

/// Where and how the JSON-RPC server listens, and its limits (geth's defaults).
public struct RPCServerConfiguration: Sendable {
    /// The interface to bind (default 127.0.0.1, like geth and anvil).
    public var host: String
    /// The TCP port (default 8545); 0 picks any free port, which is printed once bound.
    public var port: Int
    /// The largest request body accepted, in bytes (geth: 5 MiB); larger ones get HTTP 413.
    package var maximumBodySize: Int
    /// The most requests in one batch (geth: 1000).
    public var batchLimit: Int
    /// How long a polling filter lives without being polled (geth: 5 minutes).
    package var filterTimeout: Duration
    /// If set, blocks and headers show at most this many leading bytes of `extraData`. The dev node
    /// sets 32 (the Clique vanity) so that web3.py's default proof-of-authority check passes for
    /// scripts written for anvil; nil (the default) shows the whole field as geth does.
    public var extraDataLimit: Int?
    /// How many peers the node has (net_peerCount): set by a node that speaks devp2p (the eth
    /// handler's peers); nil answers 0.
    public var peerCount: (@Sendable () -> Int)?
    /// The catch-up in progress (eth_syncing), set by a node that syncs with peers; nil answers false.
    public var syncProgress: (@Sendable () -> SyncProgress?)?
    /// Namespaces served beside the node's own, added by whoever assembles the server (the CLI adds
    /// `admin_` from the devp2p side, which the RPC module does not know).
    public var extraMethods: (@Sendable (inout RPCMethods) -> Void)?

    /// Creates a configuration.
    /// - Parameters:
    ///   - host: the interface.
    ///   - port: the port, 0 for any free one.
    ///   - maximumBodySize: the body limit in bytes.
    ///   - batchLimit: the batch limit.
    ///   - filterTimeout: the filter idle timeout.
    ///   - extraDataLimit: the most `extraData` bytes shown, or nil for all.
    public init(host: String = "127.0.0.1", port: Int = 8545, maximumBodySize: Int = 5 * 1024 * 1024,
                batchLimit: Int = 1000, filterTimeout: Duration = .seconds(300), extraDataLimit: Int? = nil) {
        self.host = host; self.port = port; self.maximumBodySize = maximumBodySize; self.batchLimit = batchLimit
        self.filterTimeout = filterTimeout; self.extraDataLimit = extraDataLimit
    }
}
