import Attestation
import Foundation
import Primitives
import Testing

/// Check (f) on Intel's real collateral (../shared/vectors/sgx, read in place).
///
/// Every expected value below is read from the documents themselves: dates from the JSON strings
/// and `openssl crl -text` / `openssl x509 -text`, converted to Unix seconds with Python's
/// `datetime(…, tzinfo=timezone.utc).timestamp()`; never from the verifier's output.
///
/// The windows of phala_sgx_v3/collateral.json (dcap-qvl's sample collateral):
///
/// | part | from | to |
/// |---|---|---|
/// | TCB Info | 2025-06-19T10:56:11Z (1750330571) | 2025-07-19T10:56:11Z (1752922571) |
/// | QE Identity | 2025-06-19T10:01:18Z (1750327278) | 2025-07-19T10:01:18Z (1752919278) |
/// | Root CA CRL | 2025-03-20T11:21:57Z (1742469717) | 2026-04-03T11:21:57Z (1775215317) |
/// | PCK Processor CRL | 2025-06-19T10:23:18Z (1750328598) | 2025-07-19T10:23:18Z (1752920598) |
/// | TCB Signing certificate | 2025-05-06T09:25:00Z (1746523500) | 2032-05-06T09:25:00Z (1967448300) |
/// | PCK chain (quote) | 2023-09-20T21:53:43Z | 2030-09-20T21:53:43Z |
///
/// so every part is valid from 1750330571 (the TCB Info's issueDate) to 1752919278 (the QE
/// Identity's nextUpdate); the tests verify at 2025-07-01T00:00:00Z (1751328000), inside it.
///
/// automata_solana_sgx_v3 ships a TCB Info, a QE Identity and two CRLs but no TCB Signing chain.
/// Intel has one TCB Signing certificate (CN=Intel SGX TCB Signing, serial 7e3882d5…f455), so the
/// tests take the chain from phala's collateral.json. That folder's parts are not one consistent
/// set for its quote (its repository's SGX quote test is commented out): the QE Identity is the TDX
/// QE's (id "TD_QE"), the CRL is the PCK *Platform* CA's while the quote chains to the PCK
/// *Processor* CA, and the TCB Info's window (2025-05-05 – 2025-06-04) ends before the QE
/// Identity's and the CRL's begin (2025-07-07). The tests show each of these is refused by the
/// right check, and use the Platform CRL with automata_sgx_v3's quote, whose chain has that CA.
@Suite("Collateral: check (f) on Intel's real collateral")
struct CollateralTests {
    @Test("phala's collateral verifies at 2025-07-01 and yields the documents' fields")
    func phalaCollateralVerifies() throws {
        let verified = try CollateralVectors.verify(CollateralVectors.phala)
        let tcbInfo = verified.tcbInfo
        #expect(tcbInfo.id == "SGX")
        #expect(tcbInfo.version == 3)
        #expect(tcbInfo.issueDate == 1_750_330_571)
        #expect(tcbInfo.nextUpdate == 1_752_922_571)
        #expect(tcbInfo.fmspc == SGXVectors.bytes("00A067110000"))
        #expect(tcbInfo.pceID == [0, 0])
        #expect(tcbInfo.tcbType == 0)
        #expect(tcbInfo.tcbEvaluationDataNumber == 17)
        #expect(tcbInfo.tcbLevels.count == 11)
        #expect(tcbInfo.tcbLevels[0] == TCBLevel(sgxComponents: [11, 11, 2, 2, 255, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                                 pceSVN: 13, tcbDate: 1_710_288_000, status: .swHardeningNeeded,
                                                 advisoryIDs: ["INTEL-SA-00615"]))
        #expect(tcbInfo.tcbLevels[2] == TCBLevel(sgxComponents: [10, 10, 2, 2, 255, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                                 pceSVN: 13, tcbDate: 1_676_419_200, status: .outOfDate,
                                                 advisoryIDs: ["INTEL-SA-00828", "INTEL-SA-00289", "INTEL-SA-00615"]))

        let qe = verified.qeIdentity
        #expect(qe.id == "QE")
        #expect(qe.version == 2)
        #expect(qe.issueDate == 1_750_327_278)
        #expect(qe.nextUpdate == 1_752_919_278)
        #expect(qe.tcbEvaluationDataNumber == 17)
        #expect(qe.miscselect == 0)
        #expect(qe.miscselectMask == 0xFFFF_FFFF)
        #expect(qe.attributes == SGXVectors.bytes("11000000000000000000000000000000"))
        #expect(qe.attributesMask == SGXVectors.bytes("FBFFFFFFFFFFFFFF0000000000000000"))
        #expect(qe.mrSigner == Hash32(SGXVectors.bytes("8C4F5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF")))
        #expect(qe.isvProdID == 1)
        #expect(qe.tcbLevels.count == 6)
        #expect(qe.tcbLevels[0] == QETCBLevel(isvSVN: 8, tcbDate: 1_710_288_000, status: .upToDate, advisoryIDs: []))
        #expect(qe.tcbLevels[1] == QETCBLevel(isvSVN: 6, tcbDate: 1_636_502_400, status: .outOfDate,
                                              advisoryIDs: ["INTEL-SA-00615"]))
        // The Root CA CRL's thisUpdate (2025-03-20T11:21:57Z) is the earliest issue date of the four.
        #expect(verified.earliestIssueDate == 1_742_469_717)
    }

    @Test("phala's collateral verifies at both ends of the common window (bounds are inclusive)")
    func windowEdgesVerify() throws {
        _ = try CollateralVectors.verify(CollateralVectors.phala, at: 1_750_330_571)
        _ = try CollateralVectors.verify(CollateralVectors.phala, at: 1_752_919_278)
    }

    @Test("one second before the TCB Info's issueDate: TCB Info not yet valid")
    func beforeTCBInfoIssueDate() {
        #expect(CollateralVectors.error(CollateralVectors.phala, at: 1_750_330_570)
            == .notYetValid(document: .tcbInfo, issued: 1_750_330_571, time: 1_750_330_570))
    }

    @Test("one second after the QE Identity's nextUpdate: QE Identity stale")
    func afterQEIdentityNextUpdate() {
        #expect(CollateralVectors.error(CollateralVectors.phala, at: 1_752_919_279)
            == .expired(document: .qeIdentity, nextUpdate: 1_752_919_278, time: 1_752_919_279))
    }

    @Test("after the TCB Info's nextUpdate: TCB Info stale (it is checked before the QE Identity)")
    func afterTCBInfoNextUpdate() {
        #expect(CollateralVectors.error(CollateralVectors.phala, at: 1_752_922_572)
            == .expired(document: .tcbInfo, nextUpdate: 1_752_922_571, time: 1_752_922_572))
    }

    @Test("window and revocation messages name the document, the dates (ISO 8601 and Unix seconds) and the certificate")
    func messages() {
        let stale = CollateralVectors.error(CollateralVectors.phala, at: 1_752_922_572)
        #expect(stale.map { AttestationError.collateral($0).description }
            == "collateral refused: TCB Info is stale: nextUpdate 2025-07-19T10:56:11Z (1752922571) is before the verification time 2025-07-19T10:56:12Z (1752922572)")
        let early = CollateralVectors.error(CollateralVectors.phala, at: 1_750_330_570)
        #expect(early?.description
            == "TCB Info was issued at 2025-06-19T10:56:11Z (1750330571), after the verification time 2025-06-19T10:56:10Z (1750330570)")
        let revoked = CollateralError.certificateRevoked(document: .pckCRL, subject: "/CN=Intel SGX PCK Certificate", serial: "81b7")
        #expect(revoked.description == "certificate /CN=Intel SGX PCK Certificate with serial 81b7 is revoked by the PCK CRL")
        #expect(AttestationError.collateral(revoked).check == .collateral)
    }

    @Test("after the TCB Signing certificate's notAfter (2032-05-06T09:25:00Z): the chain has expired")
    func afterTCBSigningCertificate() {
        #expect(CollateralVectors.error(CollateralVectors.phala, at: 1_967_448_301)
            == .certificateExpired(document: .tcbSigningChain,
                                   subject: "/CN=Intel SGX TCB Signing/O=Intel Corporation/L=Santa Clara/ST=CA/C=US",
                                   notAfter: 1_967_448_300, time: 1_967_448_301))
    }

    @Test("before the TCB Signing certificate's notBefore (2025-05-06T09:25:00Z): not yet valid")
    func beforeTCBSigningCertificate() {
        #expect(CollateralVectors.error(CollateralVectors.phala, at: 1_746_523_499)
            == .certificateNotYetValid(document: .tcbSigningChain,
                                       subject: "/CN=Intel SGX TCB Signing/O=Intel Corporation/L=Santa Clara/ST=CA/C=US",
                                       notBefore: 1_746_523_500, time: 1_746_523_499))
    }

    @Test("the real PCK Platform CRL (44 revoked serials) with automata_sgx_v3's Platform-CA chain verifies")
    func platformCRLVerifies() throws {
        // Windows: phala's TCB Info and QE Identity as above, the Platform CRL 2025-07-07T09:15:57Z
        // (1751879757) to 2025-08-06T09:15:57Z (1754471757): common from 1751879757 to 1752919278.
        // 2025-07-10T00:00:00Z (1752105600) is inside. The quote's PCK leaf (serial d52864cb…b496)
        // is not among the 44 serials `openssl crl -text` lists.
        var collateral = CollateralVectors.phala
        collateral.pckCRL = SGXVectors.read("automata_solana_sgx_v3/pck_platform_crl.der")
        let verified = try CollateralVectors.verify(collateral, quote: CollateralVectors.automataQuote, at: 1_752_105_600)
        #expect(verified.earliestIssueDate == 1_742_469_717)
    }

    @Test("one second before the Platform CRL's thisUpdate: PCK CRL not yet valid")
    func beforePlatformCRLThisUpdate() {
        var collateral = CollateralVectors.phala
        collateral.pckCRL = SGXVectors.read("automata_solana_sgx_v3/pck_platform_crl.der")
        #expect(CollateralVectors.error(collateral, quote: CollateralVectors.automataQuote, at: 1_751_879_756)
            == .notYetValid(document: .pckCRL, issued: 1_751_879_757, time: 1_751_879_756))
    }

    @Test("the Platform CA's CRL against phala's Processor-CA chain: wrong issuer")
    func platformCRLForProcessorChain() {
        var collateral = CollateralVectors.phala
        collateral.pckCRL = SGXVectors.read("automata_solana_sgx_v3/pck_platform_crl.der")
        #expect(CollateralVectors.error(collateral, at: 1_752_105_600)
            == .crlIssuerMismatch(document: .pckCRL,
                                  issuer: "/CN=Intel SGX PCK Platform CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US",
                                  expected: "/CN=Intel SGX PCK Processor CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US"))
    }

    @Test("the two CRLs swapped: the Root CA CRL slot holds the Processor CA's CRL")
    func crlsSwapped() {
        var collateral = CollateralVectors.phala
        swap(&collateral.rootCACRL, &collateral.pckCRL)
        #expect(CollateralVectors.error(collateral)
            == .crlIssuerMismatch(document: .rootCACRL,
                                  issuer: "/CN=Intel SGX PCK Processor CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US",
                                  expected: "/CN=Intel SGX Root CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US"))
    }

    @Test("automata's TCB Info parses to the values in tcb_info_v3_sgx.json")
    func automataTCBInfoParses() throws {
        let collateral = try CollateralVectors.automataFiles()
        let tcbInfo = try TCBInfo(json: collateral.tcbInfoBody)
        #expect(tcbInfo.issueDate == 1_746_432_216)   // 2025-05-05T08:03:36Z
        #expect(tcbInfo.nextUpdate == 1_749_024_216)  // 2025-06-04T08:03:36Z
        #expect(tcbInfo.fmspc == SGXVectors.bytes("00A067110000"))
        #expect(tcbInfo.pceID == [0, 0])
        #expect(tcbInfo.tcbEvaluationDataNumber == 17)
        #expect(tcbInfo.tcbLevels.count == 11)
        #expect(tcbInfo.tcbLevels[1] == TCBLevel(sgxComponents: [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                                 pceSVN: 13, tcbDate: 1_710_288_000,
                                                 status: .configurationAndSWHardeningNeeded,
                                                 advisoryIDs: ["INTEL-SA-00289", "INTEL-SA-00615"]))
        let last = try #require(tcbInfo.tcbLevels.last)
        #expect(last.sgxComponents == [5, 5, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(last.pceSVN == 5)
        #expect(last.tcbDate == 1_515_024_000)          // 2018-01-04T00:00:00Z
        #expect(last.status == .outOfDate)
        #expect(last.advisoryIDs.count == 20)
        #expect(last.advisoryIDs.first == "INTEL-SA-00106")
    }

    @Test("the PCS-file loader slices the exact signed bytes out of tcb_info_v3_sgx.json")
    func loaderSlicesExactBytes() throws {
        let file = SGXVectors.read("automata_solana_sgx_v3/tcb_info_v3_sgx.json")
        let collateral = try CollateralVectors.automataFiles()
        // Python: the object starts at byte 11 (after `{"tcbInfo":`) and ends before `,"signature"` at 4531.
        #expect(collateral.tcbInfoBody == Array(file[11..<4531]))
        #expect(collateral.tcbInfoSignature == SGXVectors.bytes(
            "8583843108e7505ba9dd18f85d258ce6e491f385f030c3eef116e56dc987ba7629f4897f7e0549b027526dd001ffb102b9ddfb84a5b986111677f193f02b2ee4"))
        let qeFile = SGXVectors.read("automata_solana_sgx_v3/qe_identity.json")
        #expect(collateral.qeIdentityBody == Array(qeFile[19..<480]))
        #expect(collateral.qeIdentitySignature == SGXVectors.bytes(
            "cd3dce72fd5b7303e0d2346da9137d4d59dd58c6c9eb675c9eb53adef9cdc4a441701f0a3b1b0d8bd6e9a02dd119c786054c0dada10a5cd0fcd5e978cc5431c6"))
        #expect(collateral.tcbSigningChain.count == 2)
        #expect(collateral.rootCACRL == SGXVectors.read("automata_solana_sgx_v3/intel_root_ca_crl.der"))
    }

    @Test("automata's QE Identity is the TDX QE's (id TD_QE) and is refused for an SGX quote")
    func automataQEIdentityIsTDX() throws {
        let collateral = try CollateralVectors.automataFiles()
        #expect(CollateralVectors.parseError { () throws(AttestationError) in _ = try QEIdentity(json: collateral.qeIdentityBody) }
            == .invalidField(document: .qeIdentity, field: "id", found: "\"TD_QE\"", expected: "\"QE\""))
        // Through check (f), inside the TCB Info's window (2025-05-20T00:00:00Z = 1747699200): the
        // TCB Signing chain, the TCB Info's signature and window, and the QE Identity's signature
        // pass; its id does not.
        var mixed = collateral
        mixed.pckCRL = CollateralVectors.phala.pckCRL
        #expect(CollateralVectors.error(mixed, at: 1_747_699_200)
            == .invalidField(document: .qeIdentity, field: "id", found: "\"TD_QE\"", expected: "\"QE\""))
    }

    @Test("automata's collateral has no common window: inside the QE Identity's, its TCB Info is stale")
    func automataWindowsDoNotOverlap() throws {
        var collateral = try CollateralVectors.automataFiles()
        collateral.qeIdentityBody = CollateralVectors.phala.qeIdentityBody
        collateral.qeIdentitySignature = CollateralVectors.phala.qeIdentitySignature
        // 2025-07-10: inside the QE Identity's and CRL's windows, after the TCB Info's nextUpdate.
        #expect(CollateralVectors.error(collateral, quote: CollateralVectors.automataQuote, at: 1_752_105_600)
            == .expired(document: .tcbInfo, nextUpdate: 1_749_024_216, time: 1_752_105_600))
    }

    @Test("dcap-qvl's collateral.json: bodies are the tcb_info / qe_identity strings, CRLs the hex DER")
    func dcapQVLLoader() throws {
        let collateral = CollateralVectors.phala
        let rootCRL = SGXVectors.read("automata_solana_sgx_v3/intel_root_ca_crl.der")
        // `cmp` shows phala's root_ca_crl and automata's intel_root_ca_crl.der are the same 292 bytes.
        #expect(collateral.rootCACRL == rootCRL)
        #expect(collateral.tcbInfoBody.count == 4520)
        #expect(collateral.tcbInfoBody.starts(with: Array(#"{"id":"SGX","version":3,"issueDate":"2025-06-19T10:56:11Z""#.utf8)))
        #expect(collateral.qeIdentityBody.count == 1217)
        #expect(collateral.tcbInfoSignature.prefix(4) == [0x9a, 0xd0, 0xe9, 0xbe])
        #expect(collateral.qeIdentitySignature.prefix(4) == [0xf1, 0x30, 0x96, 0x1c])
        #expect(collateral.pckCRL.count == 0x12a + 4)  // 30 82 01 2a
    }

    @Test("CRLs given as PEM load to the same DER")
    func pemCRLs() throws {
        let der = SGXVectors.read("automata_solana_sgx_v3/intel_root_ca_crl.der")
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        let pem = Array("-----BEGIN X509 CRL-----\n\(base64)\n-----END X509 CRL-----\n".utf8)
        let collateral = try CollateralVectors.automataFiles(rootCACRL: pem)
        #expect(collateral.rootCACRL == der)
    }
}

/// The real collateral and helpers shared by the collateral suites.
enum CollateralVectors {
    /// 2025-07-01T00:00:00Z, inside every window of phala's collateral (see `CollateralTests`).
    static let time: UInt64 = 1_751_328_000

    /// phala_sgx_v3's quote.
    static let phalaQuote: Quote = {
        do { return try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin")) } catch { fatalError("\(error)") }
    }()

    /// automata_sgx_v3's quote (PCK Platform CA chain).
    static let automataQuote: Quote = {
        do { return try Quote(bytes: SGXVectors.read("automata_sgx_v3/quote.bin")) } catch { fatalError("\(error)") }
    }()

    /// phala_sgx_v3/collateral.json.
    static let phala: Collateral = {
        do { return try Collateral(dcapQVLJSON: SGXVectors.read("phala_sgx_v3/collateral.json")) } catch {
            fatalError("phala collateral: \(error)")
        }
    }()

    /// The TCB Signing chain (TCB Signing, Intel root) as PEM, from phala's collateral.json.
    static let tcbSigningChainPEM: [UInt8] = {
        let file = SGXVectors.read("phala_sgx_v3/collateral.json")
        guard case .object(let members) = try? JSON.parse(file),
              let chain = members.first(where: { $0.0 == "tcb_info_issuer_chain" })?.1.stringValue else {
            fatalError("phala collateral.json has no tcb_info_issuer_chain")
        }
        return Array(chain.utf8)
    }()

    /// A store trusting only the Intel SGX Root CA.
    static let intelStore = TrustStore(roots: [SGXVectors.intelRoot])

    /// automata_solana_sgx_v3's files, with phala's TCB Signing chain.
    static func automataFiles(rootCACRL: [UInt8]? = nil) throws -> Collateral {
        try Collateral(tcbInfoFile: SGXVectors.read("automata_solana_sgx_v3/tcb_info_v3_sgx.json"),
                       qeIdentityFile: SGXVectors.read("automata_solana_sgx_v3/qe_identity.json"),
                       tcbSigningChainPEM: tcbSigningChainPEM,
                       rootCACRL: rootCACRL ?? SGXVectors.read("automata_solana_sgx_v3/intel_root_ca_crl.der"),
                       pckCRL: SGXVectors.read("automata_solana_sgx_v3/pck_platform_crl.der"))
    }

    /// Runs check (f).
    static func verify(_ collateral: Collateral, quote: Quote = phalaQuote, at time: UInt64 = time,
                       store: TrustStore = intelStore) throws -> VerifiedCollateral {
        try CollateralCheck.verify(collateral, quote: quote, trustStore: store, time: time)
    }

    /// The collateral error check (f) throws, or `nil` if it passes. Any other error is recorded
    /// as a test failure (check (f) throws only `.collateral`).
    static func error(_ collateral: Collateral, quote: Quote = phalaQuote, at time: UInt64 = time,
                      store: TrustStore = intelStore) -> CollateralError? {
        do {
            _ = try CollateralCheck.verify(collateral, quote: quote, trustStore: store, time: time)
            return nil
        } catch {
            guard case .collateral(let reason) = error else {
                Issue.record("expected a collateral error, got \(error)")
                return nil
            }
            return reason
        }
    }

    /// The collateral error a parser throws, or `nil`.
    static func parseError(_ body: () throws(AttestationError) -> Void) -> CollateralError? {
        do {
            try body()
            return nil
        } catch {
            guard case .collateral(let reason) = error else {
                Issue.record("expected a collateral error, got \(error)")
                return nil
            }
            return reason
        }
    }
}
