import Inference
import Primitives
import Signatures

/// A SIMULATED enclave as the demo needs it: its key, its measurement, and quotes bound to a chain
/// and a marketplace (the CLI makes them with Attestation's `SimulatedEnclave`, which this module
/// does not import).
public struct DemoEnclave: Sendable {
    /// The enclave's secp256k1 key (results are signed with it, keys sealed to it).
    public var signingKey: PrivateKey
    /// Its MRENCLAVE (trusted by the marketplaces the demo uses or deploys).
    public var mrEnclave: Hash32
    /// A DCAP quote whose reportData0 binds the key to (chain id, marketplace).
    public var quote: @Sendable (_ chainId: UInt64, _ marketplace: Address) -> [UInt8]
    /// The quote's collateral in the on-chain layout (GGC1), sent after it at registration; nil
    /// registers with the quote alone.
    public var collateral: [UInt8]?

    /// Creates an enclave.
    /// - Parameters:
    ///   - signingKey: the enclave key.
    ///   - mrEnclave: its measurement.
    ///   - collateral: the collateral sent after each quote, or nil.
    ///   - quote: makes a quote for (chain id, marketplace).
    public init(signingKey: PrivateKey, mrEnclave: Hash32, collateral: [UInt8]? = nil,
                quote: @escaping @Sendable (UInt64, Address) -> [UInt8]) {
        self.signingKey = signingKey
        self.mrEnclave = mrEnclave
        self.collateral = collateral
        self.quote = quote
    }

    /// The registration argument for (chain id, marketplace): the quote and the collateral.
    /// - Throws: `EnclaveEvidenceError` if the quote or collateral is malformed or too long.
    public func evidence(chainId: UInt64, marketplace: Address) throws(EnclaveEvidenceError) -> EnclaveEvidence {
        try EnclaveEvidence(quote: quote(chainId, marketplace), collateral: collateral)
    }
}

/// A running enclave worker the demo can stop.
public protocol DemoEnclaveWorker: Sendable {
    /// Why the worker ended on its own, if it did (nil while it runs).
    func failure() async -> String?
    /// Stops following the chain; returns once the worker has ended.
    func stop() async
}

/// What the demo hands the worker it starts for its enclave.
public struct DemoWorkerParameters: Sendable {
    /// The node.
    public var rpcURL: String
    /// The marketplace to follow.
    public var marketplace: Address
    /// The enclave key.
    public var enclaveKey: PrivateKey
    /// The account that relays submitResult.
    public var relayerKey: PrivateKey
    /// The first block to look at (the demo's registration).
    public var fromBlock: UInt64
    /// Where the worker may keep files (its journal).
    public var datadir: String
    /// Makes the enclave's registration quote for (chain id, marketplace).
    public var quote: @Sendable (_ chainId: UInt64, _ marketplace: Address) -> [UInt8]
    /// The collateral sent after the quote, or nil.
    public var collateral: [UInt8]?
    /// Log lines.
    public var log: @Sendable (String) -> Void
}

/// Starts the enclave worker of the demo's enclave.
public typealias DemoWorkerStarter = @Sendable (DemoWorkerParameters) async throws -> any DemoEnclaveWorker

/// Everything the demo story needs; the CLI fills it for the dev chain.
public struct DemoConfiguration: Sendable {
    /// The node's JSON-RPC URL.
    public var rpcURL: String
    /// How the node is described in the report ("in-process ephemeral dev node", "--rpc URL").
    public var nodeDescription: String
    /// The predeployed marketplace (0x…2000 on the dev chain).
    public var marketplace: Address = MarketplaceClient.devAddress
    /// The provider (buyer): creates the tasks, refunds them.
    public var provider: PrivateKey
    /// One developer per model.
    public var developers: [PrivateKey]
    /// Deploys PlainEvaluator and the plain-EVM marketplace (and owns it).
    public var deployer: PrivateKey
    /// Sends evaluateOnChain and the evaluator's batches ("anyone").
    public var caller: PrivateKey
    /// The enclave worker's relayer (submitResult) and the sender of registerEnclave.
    public var relayer: PrivateKey
    /// The demo's enclave (a fresh SIMULATED one).
    public var enclave: DemoEnclave
    /// Contracts/build/Marketplace.json `bytecode`.
    public var marketplaceBytecode: [UInt8]
    /// Contracts/build/PlainEvaluator.json `bytecode`.
    public var plainEvaluatorBytecode: [UInt8]
    /// The training split.
    public var training: Dataset
    /// The test split as a GGD file.
    public var testFile: [UInt8]
    /// The models, one per developer.
    public var models: [DemoModelSpec] = DemoModelSpec.standard
    /// The tasks' minimum accuracy.
    public var minAccuracyBps: UInt16 = 9_000
    /// The tasks' price of a perfect model.
    public var maxPricePerModel: UInt256 = Ether.weiPerEther
    /// Each task's budget: two ether pays any two models at up to one ether each.
    public var budget: UInt256 = Ether.weiPerEther &* UInt256(2)
    /// Seconds from the latest block to each task's deadline.
    public var submissionSeconds: UInt64 = 300
    /// Where encrypted files are stored (served as file:// URIs) and the worker keeps its journal.
    public var storeDirectory: String
    /// Also run PlainEvaluator alone on batches of this many samples when the whole test set fits a
    /// block (when it does not, batches are sized to fit a block whatever this says).
    public var plainBatchSamples: Int?
    /// How long to wait for the enclave's results.
    public var resultTimeout: Duration = .seconds(90)
    /// Starts the enclave worker.
    public var startWorker: DemoWorkerStarter
    /// Progress lines.
    public var progress: @Sendable (String) -> Void = { _ in }

    /// Creates a configuration.
    public init(rpcURL: String, nodeDescription: String, provider: PrivateKey, developers: [PrivateKey],
                deployer: PrivateKey, caller: PrivateKey, relayer: PrivateKey, enclave: DemoEnclave,
                marketplaceBytecode: [UInt8], plainEvaluatorBytecode: [UInt8], training: Dataset, testFile: [UInt8],
                storeDirectory: String, startWorker: @escaping DemoWorkerStarter = DemoConfiguration.enclaveWorker) {
        self.rpcURL = rpcURL
        self.nodeDescription = nodeDescription
        self.provider = provider
        self.developers = developers
        self.deployer = deployer
        self.caller = caller
        self.relayer = relayer
        self.enclave = enclave
        self.marketplaceBytecode = marketplaceBytecode
        self.plainEvaluatorBytecode = plainEvaluatorBytecode
        self.training = training
        self.testFile = testFile
        self.storeDirectory = storeDirectory
        self.startWorker = startWorker
    }
}

/// Why the demo stopped; names the step and what went wrong.
public struct DemoError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
