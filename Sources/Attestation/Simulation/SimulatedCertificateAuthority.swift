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
    /// The up-to-date platform's PCK certificate (serial 3).
    let pckCertificate: X509Certificate
    /// The PCK leaf key of the up-to-date platform, which signs its QE reports.
    public let pckSigningKey: P256SigningKey
    /// Each platform's PCK certificate and key (serials 3, 4, 5), with Intel's SGX extensions.
    let platforms: [SimulatedPlatform: (certificate: X509Certificate, key: P256SigningKey)]
    /// The TCB Signing certificate (serial 6, issued by the root), whose key signs the simulated
    /// TCB Info and QE Identity.
    let tcbSigningCertificate: X509Certificate
    /// The TCB Signing key.
    let tcbSigningKey: P256SigningKey
    /// The root and the PCK Platform CA keys, which sign the Root CA CRL and the PCK CRL.
    let rootKey: P256SigningKey
    let intermediateKey: P256SigningKey
    static let organization = (field: "O", value: "GoldenGrain SIMULATED INSECURE")
    static let rootName = [(field: "CN", value: "GoldenGrain SIMULATED INSECURE SGX Root CA"), organization]
    static let intermediateName = [(field: "CN", value: "GoldenGrain SIMULATED INSECURE SGX PCK Platform CA"), organization]
    static let tcbSigningName = [(field: "CN", value: "GoldenGrain SIMULATED INSECURE SGX TCB Signing"), organization]

    /// Builds a hierarchy whose keys derive from `label`; a different label gives an unrelated
    /// (foreign) root, as tests of untrusted roots need.
    /// - Parameter label: the public seed label.
    /// - Throws: `AttestationError.openSSLFailure` if OpenSSL cannot build a key or certificate.
    public init(label: String) throws(AttestationError) {
        let rootKey = try P256SigningKey(insecureLabel: label + " root v1")
        let intermediateKey = try P256SigningKey(insecureLabel: label + " PCK platform CA v1")
        let tcbSigningKey = try P256SigningKey(insecureLabel: label + " TCB signing v1")
        let rootName = Self.rootName, intermediateName = Self.intermediateName
        let notBefore = Self.notBefore, notAfter = Self.notAfter
        self.rootCertificate = try SimulatedCertificateBuilder.issue(
            role: .root, serial: 1, subject: rootName, issuer: rootName, notBefore: notBefore, notAfter: notAfter,
            subjectKey: rootKey, issuerKey: rootKey)
        self.intermediateCertificate = try SimulatedCertificateBuilder.issue(
            role: .intermediate, serial: 2, subject: intermediateName, issuer: rootName, notBefore: notBefore,
            notAfter: notAfter, subjectKey: intermediateKey, issuerKey: rootKey)
        var platforms: [SimulatedPlatform: (certificate: X509Certificate, key: P256SigningKey)] = [:]
        for platform in SimulatedPlatform.allCases {
            let leafKey = try P256SigningKey(insecureLabel: label + platform.pckKeyLabelSuffix)
            let leafName = [(field: "CN", value: platform.pckCommonName), Self.organization]
            let certificate = try SimulatedCertificateBuilder.issue(
                role: .leaf, serial: platform.pckSerial, subject: leafName, issuer: intermediateName, notBefore: notBefore,
                notAfter: notAfter, subjectKey: leafKey, issuerKey: intermediateKey,
                otherExtensions: [(oid: SimulatedPlatform.sgxExtensionOID, value: platform.sgxExtensionValue)])
            platforms[platform] = (certificate, leafKey)
        }
        self.tcbSigningCertificate = try SimulatedCertificateBuilder.issue(
            role: .leaf, serial: 6, subject: Self.tcbSigningName, issuer: rootName, notBefore: notBefore,
            notAfter: notAfter, subjectKey: tcbSigningKey, issuerKey: rootKey)
        self.platforms = platforms
        self.pckCertificate = platforms[.upToDate]!.certificate
        self.pckSigningKey = platforms[.upToDate]!.key
        self.tcbSigningKey = tcbSigningKey
        self.rootKey = rootKey
        self.intermediateKey = intermediateKey
        self.label = label
    }

    /// The PCK leaf key of a platform, which signs that platform's QE reports.
    public func pckSigningKey(for platform: SimulatedPlatform) -> P256SigningKey { platforms[platform]!.key }

    /// The DER of a platform's PCK certificate.
    public func pckCertificateDER(for platform: SimulatedPlatform) -> [UInt8] { platforms[platform]!.certificate.der }

    /// The TCB Signing certificate's DER.
    public var tcbSigningCertificateDER: [UInt8] { tcbSigningCertificate.der }

    /// The root certificate's DER.
    public var rootDER: [UInt8] { rootCertificate.der }

    /// The root certificate as PEM.
    public var rootPEM: String { PEM.encode(certificate: rootCertificate.der) }

    /// The root as a trusted root for a `QuoteVerifier` or the precompile.
    public var trustedRoot: TrustedRoot {
        do { return try TrustedRoot(der: rootCertificate.der) } catch { fatalError("the simulated root no longer parses: \(error)") }
    }

    /// The certification data a quote carries (type 5): PCK leaf, intermediate and root as PEM,
    /// followed by one NUL byte, as Intel's Quoting Enclave writes it (the up-to-date platform's).
    public var certificationData: [UInt8] { certificationData(for: .upToDate) }

    /// The certification data of a platform's quotes: its PCK leaf, the intermediate and the root
    /// as PEM, then one NUL byte.
    public func certificationData(for platform: SimulatedPlatform) -> [UInt8] {
        Array((PEM.encode(certificate: pckCertificateDER(for: platform)) + PEM.encode(certificate: intermediateCertificate.der)
               + PEM.encode(certificate: rootCertificate.der)).utf8) + [0]
    }
}
