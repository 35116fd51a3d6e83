import Attestation
import Chain
import Consensus
import Primitives
import Storage

/// The parts of a GoldenGrain node beyond what `NodeConfiguration` defaults to: the Clique engine
/// with vote counting and the genesis precompiles (`NodeConfiguration.installGoldenGrain`), and the
/// banner lines that say which attestation roots the chain trusts.
enum NodeAssembly {
    /// Opens a node with `CliqueEngine` and the precompiles of its genesis.
    /// - Parameters:
    ///   - configuration: the configuration, its signer key final.
    ///   - store: the node's store; Clique snapshots are persisted in it too.
    ///   - syncsWrites: fsync each block.
    /// - Returns: the node.
    /// - Throws: `GenesisError` if a trusted root is not a certificate with its pinned hash,
    ///   `NodeError` if the store cannot be opened as this chain.
    static func node(configuration: NodeConfiguration, store: any KeyValueStore, syncsWrites: Bool = false) throws -> Node {
        var configuration = configuration
        try configuration.installGoldenGrain(snapshotStore: store)
        return try Node(configuration: configuration, store: store, syncsWrites: syncsWrites)
    }

    /// One banner line per trusted attestation root; the simulated test root is labelled insecure.
    /// - Parameter genesis: the chain's genesis.
    /// - Returns: the lines (one saying "none" if the genesis trusts no root).
    static func bannerLines(for genesis: Genesis) -> [String] {
        let roots = genesis.goldenGrain.trustedRoots
        guard !roots.isEmpty else { return ["Attestation root:  none (ATTESTATION_VERIFY rejects every quote)"] }
        return roots.map { root in
            let label = root.sha256 == SimulatedCertificateAuthority.rootSHA256
                ? " (simulated test root: \(SimulatedCertificateAuthority.warning))" : ""
            return "Attestation root:  sha256 \(root.sha256)\(label)"
        }
    }
}
