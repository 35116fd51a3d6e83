import Chain
import ChainTypes
import JSONRPC
import Primitives

/// Everything one server instance serves: the method table built from every namespace handler,
/// the dispatcher over it, and the state shared between HTTP and WebSocket (filters).
public struct RPCService: Sendable {
    /// The node.
    public let node: Node
    /// The polling filters.
    public let filters: FilterRegistry
    /// The HTTP method table.
    public let methods: RPCMethods
    /// The dispatcher over `methods`.
    public let dispatcher: JSONRPCDispatcher
    /// The configuration.
    public let configuration: RPCServerConfiguration

    /// Builds the method table from the `web3_`, `net_`, `eth_`, `evm_`/`anvil_`/`hardhat_`,
    /// `debug_`, the consensus engine's (`clique_`), signing and `txpool_` handlers.
    /// - Parameters:
    ///   - configuration: the server configuration.
    ///   - node: the node.
    public init(configuration: RPCServerConfiguration, node: Node) {
        self.configuration = configuration
        self.node = node
        let filters = FilterRegistry(timeout: configuration.filterTimeout)
        var methods = RPCMethods()
        Web3Handler().register(on: &methods)
        NetHandler(chainId: node.chainId, peerCount: configuration.peerCount).register(on: &methods)
        EthHandler(node: node, filters: filters, extraDataLimit: configuration.extraDataLimit,
                   syncProgress: configuration.syncProgress).register(on: &methods)
        DevHandler(node: node).register(on: &methods)
        DebugHandler(node: node).register(on: &methods)
        node.registerConsensusMethods(on: &methods)
        configuration.extraMethods?(&methods)
        SignHandler(node: node).register(on: &methods)
        RawDataHandler(node: node).register(on: &methods)
        TransactionPoolHandler(node: node).register(on: &methods)
        self.filters = filters
        let instrumented = RPCMetrics.instrumented(methods)
        self.methods = instrumented
        self.dispatcher = JSONRPCDispatcher(methods: instrumented, batchLimit: configuration.batchLimit,
                                            mapError: RPCError.init(mapping:), methodNotFound: RPCMetrics.countUnknown)
    }
}
