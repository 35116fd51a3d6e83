import Primitives
import Signatures

/// A SIMULATED, INSECURE SGX enclave and Quoting Enclave: it holds a secp256k1 signing key and
/// produces quotes in exactly the Intel SGX DCAP v3 layout, signed through the
/// `SimulatedCertificateAuthority` PCK chain, that the real `QuoteVerifier` accepts when the
/// simulated root is trusted.
///
/// Nothing here runs in a TEE: the "enclave" key is an ordinary process key and every certificate
/// key is public. Use it for development chains and tests only (DESIGN.md §6).
///
/// REPORTDATA binding (docs/formats.md): a registration quote's REPORTDATA is the enclave key's
/// 20-byte address followed by 44 zero bytes, so reportData0 = address ‖ 12 zero bytes and
/// reportData1 = 0.
///
/// The ISV identity is fixed: MRENCLAVE = keccak256("GoldenGrain INSECURE simulated enclave
/// MRENCLAVE v1"), MRSIGNER = keccak256("GoldenGrain INSECURE simulated enclave MRSIGNER v1"),
/// ISVPRODID = 1, ISVSVN = 1. The attestation key is derived from "GoldenGrain INSECURE simulated
/// QE attestation key v1". Quotes are deterministic: the same key and REPORTDATA give the same bytes.
public struct SimulatedEnclave: Sendable {
    /// MRENCLAVE of the simulated enclave.
    public static let mrEnclave = Keccak256.hash(Array("GoldenGrain INSECURE simulated enclave MRENCLAVE v1".utf8))
    /// MRSIGNER of the simulated enclave.
    public static let mrSigner = Keccak256.hash(Array("GoldenGrain INSECURE simulated enclave MRSIGNER v1".utf8))
    /// ISVPRODID of the simulated enclave.
    public static let isvProdID: UInt16 = 1
    /// ISVSVN of the simulated enclave.
    public static let isvSVN: UInt16 = 1
    /// MRENCLAVE of the simulated Quoting Enclave.
    public static let qeMREnclave = Keccak256.hash(Array("GoldenGrain INSECURE simulated QE MRENCLAVE v1".utf8))
    /// MRSIGNER of the simulated Quoting Enclave.
    public static let qeMRSigner = Keccak256.hash(Array("GoldenGrain INSECURE simulated QE MRSIGNER v1".utf8))
    /// The label the attestation key is derived from.
    public static let attestationKeyLabel = "GoldenGrain INSECURE simulated QE attestation key v1"

    /// The enclave's secp256k1 signing key (results are signed with it; its address goes in REPORTDATA).
    public let signingKey: PrivateKey
    /// The certificate authority whose PCK key signs the QE report.
    public let certificateAuthority: SimulatedCertificateAuthority
    /// The QE's attestation key, which signs the ISV report.
    public let attestationKey: P256SigningKey

    /// Creates a simulated enclave.
    /// - Parameters:
    ///   - signingKey: the enclave key; a fresh random key by default.
    ///   - certificateAuthority: the PCK hierarchy; the standard reproducible one by default.
    public init(signingKey: PrivateKey = .generate(),
                certificateAuthority: SimulatedCertificateAuthority = .standard) {
        self.signingKey = signingKey
        self.certificateAuthority = certificateAuthority
        do {
            self.attestationKey = try P256SigningKey(insecureLabel: Self.attestationKeyLabel)
        } catch {
            fatalError("cannot derive the simulated attestation key: \(error)")
        }
    }

    /// The enclave key's address.
    public var address: Address { signingKey.address }

    /// The REPORTDATA that binds an address: the 20 address bytes, then 44 zero bytes.
    /// - Parameter address: the enclave's address.
    /// - Returns: 64 bytes.
    public static func reportData(binding address: Address) -> [UInt8] {
        address.bytes + [UInt8](repeating: 0, count: 44)
    }

    /// A quote whose REPORTDATA binds this enclave's address (DESIGN.md §5 step 1).
    /// - Returns: the quote bytes.
    public func registrationQuote() -> [UInt8] {
        makeQuote(reportData: Self.reportData(binding: address)).bytes
    }

    /// A quote over arbitrary REPORTDATA.
    /// - Parameter reportData: 64 bytes.
    /// - Returns: the quote bytes.
    /// - Throws: `AttestationError.invalidReportDataLength` unless `reportData` is 64 bytes.
    public func quote(reportData: [UInt8]) throws(AttestationError) -> [UInt8] {
        guard reportData.count == 64 else { throw .invalidReportDataLength(reportData.count) }
        return makeQuote(reportData: reportData).bytes
    }

    /// Builds the quote as the QE would: ISV report, attestation key, QE report binding it,
    /// QE report signed by the PCK key, ISV report signed by the attestation key.
    func makeQuote(reportData: [UInt8]) -> Quote {
        // Flags INIT | MODE64BIT (not DEBUG), XFRM 0xe7, as in the real sample quotes.
        let attributes: [UInt8] = [0x05, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0]
        let header = QuoteHeader(qeSVN: 1, pceSVN: 1, userData: [UInt8](repeating: 0, count: 20))
        let isvReport = ReportBody(attributes: attributes, mrEnclave: Self.mrEnclave, mrSigner: Self.mrSigner,
                                   isvProdID: Self.isvProdID, isvSVN: Self.isvSVN, reportData: reportData)
        let attestationPublicKey = attestationKey.publicKey.rawRepresentation
        let authenticationData = (0..<32).map { UInt8($0) }
        let qeReport = ReportBody(attributes: [0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0],
                                  mrEnclave: Self.qeMREnclave, mrSigner: Self.qeMRSigner, isvProdID: 1, isvSVN: 1,
                                  reportData: QEReportDataBindingCheck.expectedReportData(
                                      attestationKey: attestationPublicKey, qeAuthenticationData: authenticationData))
        return Quote(header: header, isvReport: isvReport,
                     isvReportSignature: attestationKey.signature(for: header.bytes + isvReport.bytes),
                     attestationKey: attestationPublicKey, qeReport: qeReport,
                     qeReportSignature: certificateAuthority.pckSigningKey.signature(for: qeReport.bytes),
                     qeAuthenticationData: authenticationData, certificationData: certificateAuthority.certificationData)
    }
}
