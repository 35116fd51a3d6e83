import Attestation
import ChainTypes
import Primitives

/// The banner lines of a GoldenGrain node that say which attestation roots the chain trusts and
/// where its marketplace is (the node itself is assembled by `Node.goldenGrain` in GoldenGrainNode).
enum NodeAssembly {
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
