import Chain
import EVM
import Storage

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
        consensus = CliqueEngine(genesis: genesis, signerKey: signerKey, store: snapshotStore)
    }
}
