import ChainTypes
import Consensus
import EVM
import Primitives
import Signatures

/// Everything a `Node` is started with besides its store.
///
/// Chain ships no consensus engine: `consensus` is nil until the code assembling the node sets it,
/// and `Node` refuses to start without one. `installGoldenGrain(snapshotStore:)` in Consensus sets
/// the engine GoldenGrain runs (`CliqueEngine`) together with the genesis precompiles.
public struct NodeConfiguration: Sendable {
    /// The chain's genesis.
    public var genesis: Genesis
    /// The key blocks are sealed with; nil for a node that only follows (cannot mine). The engine
    /// takes its own copy when it is built (`installGoldenGrain`), so set this first.
    public var signerKey: PrivateKey?
    /// Keys eth_sendTransaction signs with and eth_accounts lists (the dev accounts).
    public var unlockedKeys: [PrivateKey]
    /// Whether a block is mined as soon as a transaction becomes executable (anvil's automine);
    /// by default on when `genesis.clique.period == 0`.
    public var isAutomine: Bool
    /// How many ready transactions an automined block takes at most. A script that sends one
    /// transaction at a time gets one block per transaction whatever this is; transactions that
    /// arrive while a block is being sealed share the next one (anvil's instant miner takes up to
    /// 1,000). 1 forces one block per transaction, as Hardhat does.
    package var automineTransactionsPerBlock: Int
    /// The precompiles (standard Cancun set plus the GoldenGrain ones, which the CLI adds).
    public var precompiles: PrecompileRegistry
    /// The transaction pool's bounds.
    package var poolLimits: TransactionPoolLimits
    /// Whether legacy transactions without EIP-155 replay protection are accepted by
    /// `sendRawTransaction` (geth's --rpc.allow-unprotected-txs); off by default.
    package var allowsUnprotectedTransactions: Bool
    /// The gas limit of blocks this node builds; nil keeps the parent's.
    public var blockGasLimit: UInt64?
    /// The consensus engine; it must be set before the configuration starts a `Node` (Consensus's
    /// `installGoldenGrain` sets `CliqueEngine`).
    public var consensus: (any ConsensusEngine)?
    /// Receives one line per notable event (a transaction left out of a block and why); nil is silent.
    public var logger: (@Sendable (String) -> Void)?

    /// Creates a configuration.
    /// - Parameters:
    ///   - genesis: the genesis.
    ///   - signerKey: the sealing key, or nil.
    ///   - unlockedKeys: the keys of eth_accounts.
    ///   - isAutomine: mine on arrival (default: genesis period is 0).
    ///   - automineTransactionsPerBlock: ready transactions per automined block at most (default 1,000).
    ///   - precompiles: the precompiles (default Cancun's).
    ///   - poolLimits: the pool bounds.
    ///   - allowsUnprotectedTransactions: accept pre-EIP-155 legacy transactions.
    ///   - blockGasLimit: the gas limit of built blocks, nil for the parent's.
    ///   - consensus: the engine, or nil to set it later (`installGoldenGrain`); a `Node` needs one.
    ///   - logger: receives log lines, or nil.
    public init(genesis: Genesis, signerKey: PrivateKey?, unlockedKeys: [PrivateKey] = [], isAutomine: Bool? = nil,
                automineTransactionsPerBlock: Int = 1_000, precompiles: PrecompileRegistry = .cancun(),
                poolLimits: TransactionPoolLimits = TransactionPoolLimits(), allowsUnprotectedTransactions: Bool = false,
                blockGasLimit: UInt64? = nil, consensus: (any ConsensusEngine)? = nil,
                logger: (@Sendable (String) -> Void)? = nil) {
        self.genesis = genesis
        self.signerKey = signerKey
        self.unlockedKeys = unlockedKeys
        self.isAutomine = isAutomine ?? (genesis.clique.period == 0)
        self.automineTransactionsPerBlock = max(1, automineTransactionsPerBlock)
        self.precompiles = precompiles
        self.poolLimits = poolLimits
        self.allowsUnprotectedTransactions = allowsUnprotectedTransactions
        self.blockGasLimit = blockGasLimit
        self.consensus = consensus
        self.logger = logger
    }

    /// The dev configuration: the given genesis (Genesis/dev.json), the ten test-mnemonic keys
    /// unlocked, account 0 as the signer, automine when the period is 0, and no engine yet (call
    /// `installGoldenGrain` in Consensus before starting a `Node` with it).
    /// - Parameter genesis: the dev genesis.
    /// - Returns: the configuration.
    /// - Throws: `HDWalletError` if key derivation fails.
    public static func dev(genesis: Genesis) throws(HDWalletError) -> NodeConfiguration {
        let keys = try DevAccounts.keys()
        return NodeConfiguration(genesis: genesis, signerKey: keys[0], unlockedKeys: keys)
    }
}
