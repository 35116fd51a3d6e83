import Chain
import ChainTypes
import Clique
import EVM
import Storage

// The one place where a GoldenGrain node is assembled from its genesis (DESIGN.md §1, §6):
// genesis → precompile registry (`PrecompileRegistry.goldenGrain`, with Attestation and Inference)
// → Clique engine → `Node`. Chain and RPC know only the `ConsensusEngine` protocol and a registry;
// this module is the only one that sees Clique, Attestation and Inference together with Chain.

extension NodeConfiguration {
    /// Fits a configuration with what a GoldenGrain node runs: `CliqueEngine` (EIP-225 with vote
    /// counting) sealing with `signerKey`, and the precompiles of `genesis` (Cancun's, plus
    /// ATTESTATION_VERIFY and INFERENCE_EVAL as `PrecompileRegistry.goldenGrain` assembles them from
    /// the genesis `goldengrain` section). The `goldengrain node` command calls this; tests call it
    /// to run the same node.
    ///
    /// Call it after `signerKey` is final: the engine keeps the key it is given here.
    /// - Parameter snapshotStore: where the engine persists Clique snapshots (the store the node
    ///   opens, so they survive a restart), or nil to keep them in memory.
    /// - Throws: `GenesisError.invalidCertificate` or `.certificateDigestMismatch` if a trusted root
    ///   of the genesis is not a certificate with its pinned SHA-256.
    public mutating func installGoldenGrain(snapshotStore: (any KeyValueStore)?) throws(GenesisError) {
        precompiles = try PrecompileRegistry.goldenGrain(genesis.goldenGrain)
        consensus = CliqueEngine(config: genesis.clique, signerKey: signerKey, store: snapshotStore)
    }
}

extension Node {
    /// Opens a GoldenGrain node: the configuration fitted with Clique and the genesis precompiles
    /// (`installGoldenGrain`), then `Node(configuration:store:syncsWrites:)`.
    /// - Parameters:
    ///   - configuration: the configuration, its signer key final.
    ///   - store: the node's store; Clique snapshots are persisted in it too.
    ///   - syncsWrites: fsync each block.
    /// - Returns: the node.
    /// - Throws: `GenesisError` if a trusted root is not a certificate with its pinned hash,
    ///   `NodeError` if the store cannot be opened as this chain.
    public static func goldenGrain(configuration: NodeConfiguration, store: any KeyValueStore,
                                   syncsWrites: Bool = false) throws -> Node {
        var configuration = configuration
        try configuration.installGoldenGrain(snapshotStore: store)
        return try Node(configuration: configuration, store: store, syncsWrites: syncsWrites)
    }
}
