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
/// REPORTDATA bindings (docs/formats.md):
/// - the marketplace's (`marketplaceQuote`): reportData0 = keccak256(enclave public key (64 bytes,
///   x ‖ y) ‖ chain id (32 bytes, big-endian) ‖ marketplace address (left-padded to 32 bytes)),
///   reportData1 = 32 bytes of the enclave's own choosing (zeros by default). The quote names the
///   key and cannot be replayed on another chain or against another marketplace contract.
/// - the older address-only one (`registrationQuote`): the enclave key's 20-byte address followed
///   by 44 zero bytes. The marketplace does not accept it.
///
/// Debug mode: an enclave made with `isDebug: true` sets the DEBUG bit (0x2) of its report's
/// ATTRIBUTES flags. Its quotes still verify (the verifier reports the flags; it is the
/// marketplace contract that refuses a debug enclave).
///
/// The dev chain's enclave (`SimulatedEnclave.dev`) uses the key keccak256("GoldenGrain INSECURE
/// simulated dev enclave key v1"): public, so anyone can sign as it. SIMULATED, for the dev chain only.
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
    /// ISVPRODID of the simulated Quoting Enclave (the simulated QE Identity's isvprodid).
    public static let qeISVProdID: UInt16 = 1
    /// ISVSVN of the simulated Quoting Enclave (the simulated QE Identity's UpToDate level).
    public static let qeISVSVN: UInt16 = 1
    /// The label the attestation key is derived from.
    public static let attestationKeyLabel = "GoldenGrain INSECURE simulated QE attestation key v1"
    /// The label the dev chain's enclave key is derived from (private key = keccak256 of its UTF-8 bytes).
    public static let devEnclaveKeyLabel = "GoldenGrain INSECURE simulated dev enclave key v1"

    /// The dev chain's SIMULATED enclave key: keccak256("GoldenGrain INSECURE simulated dev enclave
    /// key v1"). It is public: anyone can sign as this enclave. For the dev chain only.
    public static let devEnclaveKey: PrivateKey = {
        do {
            return try PrivateKey(bytes: Keccak256.hash(Array(devEnclaveKeyLabel.utf8)).bytes)
        } catch {
            fatalError("the dev enclave label does not hash to a valid secp256k1 key: \(error)")
        }
    }()

    /// The dev chain's SIMULATED enclave (`devEnclaveKey`, not debug).
    public static let dev = SimulatedEnclave(signingKey: devEnclaveKey)

    /// The ATTRIBUTES flags of a non-debug simulated enclave: INIT | MODE64BIT, as in the real sample quotes.
    public static let productionAttributesFlags: UInt64 = 0x05

    /// The enclave's secp256k1 signing key (results are signed with it; its address goes in REPORTDATA).
    public let signingKey: PrivateKey
    /// The certificate authority whose PCK key signs the QE report.
    public let certificateAuthority: SimulatedCertificateAuthority
    /// The QE's attestation key, which signs the ISV report.
    public let attestationKey: P256SigningKey
    /// Whether the enclave runs in debug mode: its reports carry the DEBUG bit (0x2) in ATTRIBUTES.
    public let isDebug: Bool
    /// The platform it runs on: which PCK certificate and key its quotes carry, and so the TCB
    /// status the simulated collateral gives them.
    public let platform: SimulatedPlatform

    /// Creates a simulated enclave.
    /// - Parameters:
    ///   - signingKey: the enclave key; a fresh random key by default.
    ///   - isDebug: set the DEBUG bit in the ISV report's ATTRIBUTES flags (0x7 instead of 0x5).
    ///   - certificateAuthority: the PCK hierarchy; the standard reproducible one by default.
    ///   - platform: the simulated platform (its PCK certificate); up to date by default.
    public init(signingKey: PrivateKey = .generate(), isDebug: Bool = false,
                certificateAuthority: SimulatedCertificateAuthority = .standard, platform: SimulatedPlatform = .upToDate) {
        self.signingKey = signingKey
        self.isDebug = isDebug
        self.platform = platform
        self.certificateAuthority = certificateAuthority
        do {
            self.attestationKey = try P256SigningKey(insecureLabel: Self.attestationKeyLabel)
        } catch {
            fatalError("cannot derive the simulated attestation key: \(error)")
        }
    }

    /// The enclave key's address: keccak256(publicKeyBytes)[12:].
    public var address: Address { signingKey.address }

    /// The enclave's secp256k1 public key.
    public var publicKey: PublicKey { signingKey.publicKey }

    /// The enclave's public key as the marketplace takes it: 64 bytes x ‖ y, uncompressed without
    /// the 0x04 prefix.
    public var publicKeyBytes: [UInt8] { signingKey.publicKey.bytes }

    /// The ATTRIBUTES flags this enclave's reports carry: 0x5 (INIT, MODE64BIT), or 0x7 with DEBUG.
    public var attributesFlags: UInt64 { Self.productionAttributesFlags | (isDebug ? ReportBody.debugFlag : 0) }

    /// The marketplace's reportData0: keccak256(publicKey (64 bytes, x ‖ y) ‖ chainId (32 bytes,
    /// big-endian) ‖ marketplace (20 bytes left-padded with zeros to 32)), docs/formats.md.
    /// - Parameters:
    ///   - publicKey: the enclave's public key.
    ///   - chainId: the chain the marketplace runs on.
    ///   - marketplace: the marketplace contract's address.
    /// - Returns: the 32-byte hash.
    public static func marketplaceReportData0(publicKey: PublicKey, chainId: UInt64, marketplace: Address) -> Hash32 {
        let chainWord = [UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: chainId >> (56 - 8 * $0)) }
        let marketplaceWord = [UInt8](repeating: 0, count: 12) + marketplace.bytes
        return Keccak256.hash(publicKey.bytes + chainWord + marketplaceWord)
    }

    /// The 64 bytes of REPORTDATA the marketplace accepts: `marketplaceReportData0(…)` ‖ reportData1.
    /// - Parameters:
    ///   - publicKey: the enclave's public key.
    ///   - chainId: the chain the marketplace runs on.
    ///   - marketplace: the marketplace contract's address.
    ///   - reportData1: the enclave's own 32 bytes (not checked by the contract); zero by default.
    /// - Returns: 64 bytes.
    public static func marketplaceReportData(publicKey: PublicKey, chainId: UInt64, marketplace: Address,
                                             reportData1: Hash32 = .zero) -> [UInt8] {
        marketplaceReportData0(publicKey: publicKey, chainId: chainId, marketplace: marketplace).bytes + reportData1.bytes
    }

    /// A quote for `registerEnclave` on the marketplace at `marketplace` on chain `chainId`: its
    /// REPORTDATA is `marketplaceReportData(publicKey:chainId:marketplace:reportData1:)` of this
    /// enclave's key; its ATTRIBUTES carry DEBUG if the enclave is a debug one.
    /// - Parameters:
    ///   - chainId: the chain id.
    ///   - marketplace: the marketplace contract's address.
    ///   - reportData1: the enclave's own 32 bytes; zero by default.
    /// - Returns: the quote bytes.
    public func marketplaceQuote(chainId: UInt64, marketplace: Address, reportData1: Hash32 = .zero) -> [UInt8] {
        makeQuote(reportData: Self.marketplaceReportData(publicKey: publicKey, chainId: chainId,
                                                         marketplace: marketplace, reportData1: reportData1)).bytes
    }

    /// The REPORTDATA that binds an address: the 20 address bytes, then 44 zero bytes.
    /// - Parameter address: the enclave's address.
    /// - Returns: 64 bytes.
    public static func reportData(binding address: Address) -> [UInt8] {
        address.bytes + [UInt8](repeating: 0, count: 44)
    }

    /// A quote whose REPORTDATA binds this enclave's address only (20 bytes, then zeros); the
    /// marketplace wants `marketplaceQuote(chainId:marketplace:)` instead.
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
        // Flags INIT | MODE64BIT (| DEBUG for a debug enclave), little-endian; XFRM 0xe7, as in the real sample quotes.
        var attributes = (0..<8).map { UInt8(truncatingIfNeeded: attributesFlags >> (8 * $0)) }
        attributes += [0xe7, 0, 0, 0, 0, 0, 0, 0]
        let header = QuoteHeader(qeSVN: Self.qeISVSVN, pceSVN: platform.pceSVN, userData: [UInt8](repeating: 0, count: 20))
        let isvReport = ReportBody(cpuSVN: platform.cpuSVN, attributes: attributes, mrEnclave: Self.mrEnclave, mrSigner: Self.mrSigner,
                                   isvProdID: Self.isvProdID, isvSVN: Self.isvSVN, reportData: reportData)
        let attestationPublicKey = attestationKey.publicKey.rawRepresentation
        let authenticationData = (0..<32).map { UInt8($0) }
        let qeReport = ReportBody(cpuSVN: platform.cpuSVN, attributes: [0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0],
                                  mrEnclave: Self.qeMREnclave, mrSigner: Self.qeMRSigner, isvProdID: Self.qeISVProdID,
                                  isvSVN: Self.qeISVSVN,
                                  reportData: QEReportDataBindingCheck.expectedReportData(
                                      attestationKey: attestationPublicKey, qeAuthenticationData: authenticationData))
        return Quote(header: header, isvReport: isvReport,
                     isvReportSignature: attestationKey.signature(for: header.bytes + isvReport.bytes),
                     attestationKey: attestationPublicKey, qeReport: qeReport,
                     qeReportSignature: certificateAuthority.pckSigningKey(for: platform).signature(for: qeReport.bytes),
                     qeAuthenticationData: authenticationData,
                     certificationData: certificateAuthority.certificationData(for: platform))
    }
}
