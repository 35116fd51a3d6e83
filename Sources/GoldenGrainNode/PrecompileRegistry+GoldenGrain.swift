import Attestation
import ChainTypes
import EVM
import Inference
import Primitives

extension PrecompileRegistry {
    /// The registry of a GoldenGrain chain: the standard Cancun set (`cancun()`), plus
    /// ATTESTATION_VERIFY at `config.attestationPrecompile` trusting exactly `config.trustedRoots`
    /// under `config.attestationPolicy` (accepted TCB statuses, collateral required or not), plus
    /// INFERENCE_EVAL at `config.inferencePrecompile`.
    ///
    /// A genesis that trusts no root still gets the attestation precompile; it then returns empty
    /// output for every quote, as for any quote that fails verification.
    /// - Parameter config: the genesis file's `goldengrain` section (`Genesis.goldenGrain`).
    /// - Returns: the registry to put into `NodeConfiguration.precompiles`.
    /// - Throws: `GenesisError.invalidCertificate` naming `goldengrain.attestation.trustedRoots[i]` if a
    ///   root is not one DER X.509 certificate, `.certificateDigestMismatch` if it does not hash to
    ///   its pinned SHA-256.
    public static func goldenGrain(_ config: GoldenGrainConfig) throws(GenesisError) -> PrecompileRegistry {
        var roots: [Attestation.TrustedRoot] = []
        for (index, pinned) in config.trustedRoots.enumerated() {
            let field = "goldengrain.attestation.trustedRoots[\(index)]"
            do throws(AttestationError) {
                roots.append(try Attestation.TrustedRoot(der: pinned.certificate, expectedSHA256: pinned.sha256))
            } catch {
                if case .trustedRootHashMismatch(let expected, let actual) = error {
                    throw .certificateDigestMismatch(field: field, declared: expected, actual: actual)
                }
                throw .invalidCertificate(field: field, reason: error.description)
            }
        }
        // The genesis reader admits only Intel's seven names, which are TCBStatus's raw values.
        let accepted = Set(config.attestationPolicy.acceptedTCBStatuses.compactMap(TCBStatus.init(rawValue:)))
        let policy = AttestationPolicy(acceptedTCBStatuses: accepted,
                                       requireCollateral: config.attestationPolicy.requireCollateral)
        var registry = PrecompileRegistry.cancun()
        registry.register(AttestationPrecompile(trustedRoots: roots, policy: policy), at: config.attestationPrecompile)
        registry.register(InferencePrecompile(), at: config.inferencePrecompile)
        return registry
    }
}
