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

    /// Where the dev chain's marketplace lives (Genesis/dev.json's alloc; issue 11).
    static let marketplaceAddress = Address(high: 0, middle: 0, low: 0x2000)

    /// The marketplace lines of the banner, when the genesis alloc has code at 0x…2000: its address
    /// and, on a dev chain, the SIMULATED dev enclave registered there (address, private key from a
    /// public label, 64-byte public key), so a script can act as the enclave.
    /// - Parameters:
    ///   - genesis: the chain's genesis.
    ///   - isDev: whether the node runs with --dev.
    /// - Returns: the lines, none without a marketplace.
    static func marketplaceBannerLines(for genesis: Genesis, isDev: Bool) -> [String] {
        guard let account = genesis.alloc[marketplaceAddress], !account.code.isEmpty else { return [] }
        var lines = ["Marketplace:       \(marketplaceAddress)"]
        if isDev {
            let enclave = SimulatedEnclave.dev
            lines += [
                "Enclave:           \(enclave.address) (SIMULATED dev enclave — INSECURE: its key is public, anyone can sign as it)",
                "Enclave key:       \(Hex.encode(enclave.signingKey.bytes)) (SIMULATED: keccak256(\"\(SimulatedEnclave.devEnclaveKeyLabel)\"))",
                "Enclave pubkey:    \(Hex.encode(enclave.publicKeyBytes)) (SIMULATED)",
            ]
        }
        return lines
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
