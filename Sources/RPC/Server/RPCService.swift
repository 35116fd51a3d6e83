/// Everything one server instance serves: the method table built from every namespace handler,
/// the dispatcher over it, and the state shared between HTTP and WebSocket (filters).
public struct RPCService: Sendable {
    /// The node.
    public let backend: any NodeBackend
    /// The chain view over the node.
    public let view: ChainView
    /// The polling filters.
    public let filters: FilterRegistry
    /// The HTTP method table.
    public let methods: RPCMethods
    /// The dispatcher over `methods`.
    public let dispatcher: JSONRPCDispatcher
    /// The configuration.
    public let configuration: RPCServerConfiguration

    /// Builds the method table from the `web3_`, `net_`, `eth_`, `evm_`/`anvil_`/`hardhat_`,
    /// `debug_` and `clique_` handlers.
    /// - Parameters:
    ///   - configuration: the server configuration.
    ///   - backend: the node.
    public init(configuration: RPCServerConfiguration, backend: any NodeBackend) {
        self.configuration = configuration
        self.backend = backend
        let view = ChainView(backend: backend)
        let filters = FilterRegistry(timeout: configuration.filterTimeout)
        var methods = RPCMethods()
        Web3Handler().register(on: &methods)
        NetHandler(backend: backend).register(on: &methods)
        EthHandler(view: view, filters: filters).register(on: &methods)
        DevHandler(backend: backend).register(on: &methods)
        DebugHandler(view: view).register(on: &methods)
        CliqueHandler(view: view).register(on: &methods)
        self.view = view
        self.filters = filters
        self.methods = methods
        self.dispatcher = JSONRPCDispatcher(methods: methods, batchLimit: configuration.batchLimit)
    }
}
