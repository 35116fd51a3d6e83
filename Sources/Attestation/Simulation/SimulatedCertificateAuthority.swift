import Primitives
import Signatures

/// A SIMULATED, INSECURE stand-in for Intel's SGX PCK certificate hierarchy: a root CA, a PCK
/// Platform CA and a PCK leaf certificate, all P-256, made with OpenSSL.
///
/// Every key is derived from a public label (d = keccak256(label)), so anyone can sign as this CA:
/// it proves nothing about hardware and exists only so that the dev chain and tests can exercise
/// the real verifier. The standard instance is reproducible byte for byte: fixed labels, fixed
/// serial numbers, fixed validity (2025-01-01T00:00:00Z to 2049-12-31T23:59:59Z) and deterministic
/// (RFC 6979) signatures, so its root DER and `rootSHA256` never change and the dev genesis can pin it.
public final class SimulatedCertificateAuthority: Sendable {
    /// The banner printed wherever the simulation is used.
    public static let warning = "SIMULATED — INSECURE, FOR DEVELOPMENT ONLY"

    /// The label of the standard instance; key labels append " root v1", " PCK platform CA v1",
    /// " PCK certificate v1" to it.
    public static let standardLabel = "GoldenGrain INSECURE simulated SGX"

    /// Start of validity of every certificate: 2025-01-01T00:00:00Z.
    public static let notBefore: Int64 = 1_735_689_600
    /// End of validity of every certificate: 2049-12-31T23:59:59Z.
    public static let notAfter: Int64 = 2_524_607_999

    /// SHA-256 of the standard simulated root's DER: the value a dev genesis pins. A test checks
    /// that the generated root still hashes to it.
    public static let rootSHA256 = Hash32(words: 0x0683_343b_7c52_a645, 0xd8bc_41f3_e08d_8987,
                                           0x68f2_0ce6_c102_cee9, 0xd1f1_8bee_68c4_4e4c)

    /// The standard, reproducible instance.
    public static let standard: SimulatedCertificateAuthority = {
        do {
            return try SimulatedCertificateAuthority(label: standardLabel)
        } catch {
            fatalError("cannot build the simulated certificate authority: \(error)")
        }
    }()

    /// The label the keys were derived from.
    public let label: String
    let rootCertificate: X509Certificate
    let intermediateCertificate: X509Certificate
    let pckCertificate: X509Certificate
    /// The PCK leaf key, which signs QE reports.
    public let pckSigningKey: P256SigningKey

    /// Builds a hierarchy whose keys derive from `label`; a different label gives an unrelated
    /// (foreign) root, as tests of untrusted roots need.
    /// - Parameter label: the public seed label.
    /// - Throws: `AttestationError.openSSLFailure` if OpenSSL cannot build a key or certificate.
    public init(label: String) throws(AttestationError) {
        let rootKey = try P256SigningKey(insecureLabel: label + " root v1")
        let intermediateKey = try P256SigningKey(insecureLabel: label + " PCK platform CA v1")
        let leafKey = try P256SigningKey(insecureLabel: label + " PCK certificate v1")
        let organization = (field: "O", value: "GoldenGrain SIMULATED INSECURE")
        let rootName = [(field: "CN", value: "GoldenGrain SIMULATED INSECURE SGX Root CA"), organization]
        let intermediateName = [(field: "CN", value: "GoldenGrain SIMULATED INSECURE SGX PCK Platform CA"), organization]
        let leafName = [(field: "CN", value: "GoldenGrain SIMULATED INSECURE SGX PCK Certificate"), organization]
        let notBefore = Self.notBefore, notAfter = Self.notAfter
        self.rootCertificate = try SimulatedCertificateBuilder.issue(
            role: .root, serial: 1, subject: rootName, issuer: rootName, notBefore: notBefore, notAfter: notAfter,
            subjectKey: rootKey, issuerKey: rootKey)
        self.intermediateCertificate = try SimulatedCertificateBuilder.issue(
            role: .intermediate, serial: 2, subject: intermediateName, issuer: rootName, notBefore: notBefore,
            notAfter: notAfter, subjectKey: intermediateKey, issuerKey: rootKey)
        self.pckCertificate = try SimulatedCertificateBuilder.issue(
            role: .leaf, serial: 3, subject: leafName, issuer: intermediateName, notBefore: notBefore,
            notAfter: notAfter, subjectKey: leafKey, issuerKey: intermediateKey)
        self.pckSigningKey = leafKey
        self.label = label
    }

    /// The root certificate's DER.
    public var rootDER: [UInt8] { rootCertificate.der }

    /// The root certificate as PEM.
    public var rootPEM: String { PEM.encode(certificate: rootCertificate.der) }

    /// The root as a trusted root for a `QuoteVerifier` or the precompile.
    public var trustedRoot: TrustedRoot {
        do { return try TrustedRoot(der: rootCertificate.der) } catch { fatalError("the simulated root no longer parses: \(error)") }
    }

    /// The certification data a quote carries (type 5): PCK leaf, intermediate and root as PEM,
    /// followed by one NUL byte, as Intel's Quoting Enclave writes it.
    public var certificationData: [UInt8] {
        Array((PEM.encode(certificate: pckCertificate.der) + PEM.encode(certificate: intermediateCertificate.der)
               + PEM.encode(certificate: rootCertificate.der)).utf8) + [0]
    }
}
