import Foundation
import Primitives
import Signatures

/// The `goldengrain` section of a genesis file: what the attestation and inference precompiles
/// trust and where they live (DESIGN.md §6).
///
/// ```json
/// "goldengrain": {
///   "attestation": {
///     "trustedRoots": [{"sha256": "0x…", "pem": "-----BEGIN CERTIFICATE-----…"}, {"sha256": "0x…", "derHex": "0x30…"}],
///     "trustedMeasurements": ["0x<32-byte MRENCLAVE>"],
///     "acceptedTCBStatuses": ["UpToDate", "SWHardeningNeeded"],
///     "requireCollateral": false
///   },
///   "precompiles": {"attestation": "0x…1000", "inference": "0x…1001"},
///   "marketplace": "0x…"
/// }
/// ```
/// Every member is optional; absent lists are empty and absent addresses take their defaults.
public struct GoldenGrainConfig: Hashable, Sendable {
    /// A root certificate the attestation verifier accepts at the top of a PCK chain.
    public struct TrustedRoot: Hashable, Sendable {
        /// SHA-256 of `certificate`, as the genesis declares it (checked on load).
        public var sha256: Hash32
        /// The certificate, DER-encoded.
        public var certificate: [UInt8]

        /// Creates a trusted root, computing its digest.
        /// - Parameter certificate: the DER certificate.
        public init(certificate: [UInt8]) {
            self.certificate = certificate
            self.sha256 = Signatures.SHA256.hash(certificate)
        }
    }

    /// What ATTESTATION_VERIFY accepts beyond a verified quote (issue 16): the TCB statuses of a
    /// quote that comes with collateral, and whether collateral is required. The Attestation
    /// module's `AttestationPolicy` is built from it.
    public struct AttestationPolicy: Hashable, Sendable {
        /// Intel's names of the accepted statuses, in Intel's order, each once.
        public var acceptedTCBStatuses: [String]
        /// Whether a quote without collateral is refused.
        public var requireCollateral: Bool

        /// UpToDate and SWHardeningNeeded, collateral optional: the values when the genesis says nothing.
        public init(acceptedTCBStatuses: [String] = GoldenGrainConfig.defaultAcceptedTCBStatuses,
                    requireCollateral: Bool = false) {
            self.acceptedTCBStatuses = acceptedTCBStatuses
            self.requireCollateral = requireCollateral
        }
    }

    /// Intel's seven TCB statuses (TCB Info v3, QE Identity v2), in the order of their on-chain
    /// codes 1…7 (`TCBStatus` in the Attestation module).
    public static let tcbStatusNames = ["UpToDate", "SWHardeningNeeded", "ConfigurationNeeded",
                                        "ConfigurationAndSWHardeningNeeded", "OutOfDate",
                                        "OutOfDateConfigurationNeeded", "Revoked"]
    /// The statuses accepted when the genesis lists none: UpToDate and SWHardeningNeeded.
    public static let defaultAcceptedTCBStatuses = ["UpToDate", "SWHardeningNeeded"]

    /// The default address of ATTESTATION_VERIFY (0x…1000).
    public static let defaultAttestationPrecompile = Address(high: 0, middle: 0, low: 0x1000)
    /// The default address of INFERENCE_EVAL (0x…1001).
    public static let defaultInferencePrecompile = Address(high: 0, middle: 0, low: 0x1001)

    /// Root certificates the attestation precompile trusts.
    public var trustedRoots: [TrustedRoot]
    /// Enclave measurements (MRENCLAVE) the marketplace trusts.
    public var trustedMeasurements: [Hash32]
    /// The attestation policy (`goldengrain.attestation.acceptedTCBStatuses`, `.requireCollateral`).
    public var attestationPolicy: AttestationPolicy
    /// Where the attestation precompile is installed.
    public var attestationPrecompile: Address
    /// Where the inference precompile is installed.
    public var inferencePrecompile: Address
    /// The predeployed marketplace contract, if the genesis has one.
    public var marketplace: Address?

    /// Creates a configuration.
    /// - Parameters:
    ///   - trustedRoots: trusted root certificates.
    ///   - trustedMeasurements: trusted MRENCLAVE values.
    ///   - attestationPrecompile: the attestation precompile's address.
    ///   - inferencePrecompile: the inference precompile's address.
    ///   - marketplace: the predeployed marketplace, if any.
    ///   - attestationPolicy: the attestation policy; the defaults when absent.
    public init(trustedRoots: [TrustedRoot] = [], trustedMeasurements: [Hash32] = [],
                attestationPrecompile: Address = GoldenGrainConfig.defaultAttestationPrecompile,
                inferencePrecompile: Address = GoldenGrainConfig.defaultInferencePrecompile,
                marketplace: Address? = nil, attestationPolicy: AttestationPolicy = AttestationPolicy()) {
        self.trustedRoots = trustedRoots
        self.trustedMeasurements = trustedMeasurements
        self.attestationPolicy = attestationPolicy
        self.attestationPrecompile = attestationPrecompile
        self.inferencePrecompile = inferencePrecompile
        self.marketplace = marketplace
    }

    /// Reads the section from parsed JSON.
    static func read(_ value: JSON?) throws(GenesisError) -> GoldenGrainConfig {
        typealias R = GenesisFieldReader
        var config = GoldenGrainConfig()
        guard let value else { return config }
        let section = try R.object(value, "goldengrain")
        if let attestationValue = section["attestation"] {
            let attestation = try R.object(attestationValue, "goldengrain.attestation")
            if let roots = attestation["trustedRoots"] {
                for (index, element) in try R.array(roots, "goldengrain.attestation.trustedRoots").enumerated() {
                    config.trustedRoots.append(try readRoot(element, "goldengrain.attestation.trustedRoots[\(index)]"))
                }
            }
            if let measurements = attestation["trustedMeasurements"] {
                for (index, element) in try R.array(measurements, "goldengrain.attestation.trustedMeasurements").enumerated() {
                    config.trustedMeasurements.append(try R.hash(element, "goldengrain.attestation.trustedMeasurements[\(index)]"))
                }
            }
            config.attestationPolicy = try readPolicy(attestation)
        }
        if let precompilesValue = section["precompiles"] {
            let precompiles = try R.object(precompilesValue, "goldengrain.precompiles")
            if let address = precompiles["attestation"] {
                config.attestationPrecompile = try R.address(address, "goldengrain.precompiles.attestation")
            }
            if let address = precompiles["inference"] {
                config.inferencePrecompile = try R.address(address, "goldengrain.precompiles.inference")
            }
        }
        if let marketplace = section["marketplace"], marketplace != .null {
            config.marketplace = try R.address(marketplace, "goldengrain.marketplace")
        }
        try checkPrecompile(config.attestationPrecompile, "goldengrain.precompiles.attestation", others: [])
        try checkPrecompile(config.inferencePrecompile, "goldengrain.precompiles.inference",
                            others: [config.attestationPrecompile])
        return config
    }

    /// Rejects an address that is another precompile's: 0x01–0x0a, 0x100 (P256VERIFY) or one in `others`.
    private static func checkPrecompile(_ address: Address, _ field: String, others: [Address]) throws(GenesisError) {
        let isStandard = address.high == 0 && address.middle == 0 && (1...0x0a ~= address.low || address.low == 0x100)
        if isStandard || others.contains(address) { throw .precompileAddressClash(field: field, address: address) }
    }

    /// Reads `acceptedTCBStatuses` (Intel's names, each once) and `requireCollateral` (a boolean).
    private static func readPolicy(_ attestation: [String: JSON]) throws(GenesisError) -> AttestationPolicy {
        typealias R = GenesisFieldReader
        var policy = AttestationPolicy()
        if let value = attestation["acceptedTCBStatuses"] {
            let field = "goldengrain.attestation.acceptedTCBStatuses"
            var names: [String] = []
            for (index, element) in try R.array(value, field).enumerated() {
                let name = try R.string(element, "\(field)[\(index)]")
                guard tcbStatusNames.contains(name) else {
                    throw .wrongType(field: "\(field)[\(index)]", expected: "one of Intel's TCB statuses "
                                     + tcbStatusNames.joined(separator: ", "), found: element.quoted)
                }
                guard !names.contains(name) else {
                    throw .wrongType(field: "\(field)[\(index)]", expected: "each status once", found: "\(element.quoted) again")
                }
                names.append(name)
            }
            policy.acceptedTCBStatuses = tcbStatusNames.filter(names.contains)
        }
        if let value = attestation["requireCollateral"] {
            guard case .bool(let flag) = value else {
                throw .wrongType(field: "goldengrain.attestation.requireCollateral", expected: "true or false",
                                 found: "\(value.kind) \(value.quoted)")
            }
            policy.requireCollateral = flag
        }
        return policy
    }

    private static func readRoot(_ value: JSON, _ field: String) throws(GenesisError) -> TrustedRoot {
        typealias R = GenesisFieldReader
        let members = try R.object(value, field)
        guard let declaredValue = members["sha256"] else { throw .missingField(field + ".sha256") }
        let declared = try R.hash(declaredValue, field + ".sha256")
        let certificate: [UInt8]
        if let pem = members["pem"] {
            certificate = try decodePEM(try R.string(pem, field + ".pem"), field + ".pem")
        } else if let der = members["derHex"] {
            certificate = try R.bytes(der, field + ".derHex")
        } else {
            throw .missingField(field + ".pem or " + field + ".derHex")
        }
        let root = TrustedRoot(certificate: certificate)
        guard root.sha256 == declared else {
            throw .certificateDigestMismatch(field: field, declared: declared, actual: root.sha256)
        }
        return root
    }

    /// Extracts the DER bytes of the first CERTIFICATE block of a PEM text (RFC 7468).
    private static func decodePEM(_ text: String, _ field: String) throws(GenesisError) -> [UInt8] {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound ..< text.endIndex) else {
            throw .invalidCertificate(field: field, reason: "no \(begin) … \(end) block found, expected a PEM certificate")
        }
        let body = text[start.upperBound ..< stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)), !data.isEmpty else {
            throw .invalidCertificate(field: field, reason: "the PEM body is not valid base64")
        }
        return Array(data)
    }
}
