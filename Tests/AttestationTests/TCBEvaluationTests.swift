import Attestation
import Foundation
import Primitives
import Testing

/// Check (g): the TCB evaluation, first on hand-built TCB Info / QE Identity values against the
/// real phala_sgx_v3 quote and PCK certificate, then on the real collateral shipped with the
/// vectors.
///
/// Rules under test (Intel QVL `TcbLevelCheck.cpp`, `EnclaveReportVerifier.cpp`; Phala dcap-qvl
/// `src/verify.rs`): the first level whose 16 component SVNs and PCE SVN are each ≤ the PCK
/// certificate's; the QE report against the QE Identity; QVL's convergence of the two statuses.
@Suite struct TCBEvaluationTests {
    // MARK: - Fixtures

    /// The phala_sgx_v3 quote.
    static func phalaQuote() throws -> Quote { try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin")) }

    /// Its PCK certificate's extensions: components 11,11,2,2,255,1,0…0, PCESVN 13, FMSPC
    /// 00a067110000, PCE-ID 0000 (PCKExtensionsTests has the OpenSSL readout).
    static func phalaPCK() throws -> PCKExtensions { try PCKExtensions(pckCertificateOf: phalaQuote()) }

    static let pckComponents: [UInt8] = [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    static func level(_ components: [UInt8], pceSVN: UInt16, _ status: TCBStatus, _ advisories: [String] = []) -> TCBLevel {
        TCBLevel(sgxComponents: components, pceSVN: pceSVN, tcbDate: 0, status: status, advisoryIDs: advisories)
    }

    static func tcbInfo(_ levels: [TCBLevel], id: String = "SGX", fmspc: String = "00a067110000",
                        pceID: String = "0000") -> TCBInfo {
        TCBInfo(id: id, version: 3, issueDate: 0, nextUpdate: 0, fmspc: SGXVectors.bytes(fmspc), pceID: SGXVectors.bytes(pceID),
                tcbType: 0, tcbEvaluationDataNumber: 17, tcbLevels: levels)
    }

    /// A QE Identity that the phala quote's QE report meets, with the values of Intel's SGX QE
    /// Identity in phala_sgx_v3/collateral.json (miscselect 00000000/FFFFFFFF, attributes
    /// 11…/FBFFFFFFFFFFFFFF0…, MRSIGNER 8C4F…7BFF, ISVPRODID 1). The quote's QE report (bytes 564…947)
    /// has MISCSELECT 0, ATTRIBUTES 15 00… e7 00…, ISVPRODID 1, ISVSVN 10.
    static func qeIdentity(id: String = "QE", miscselect: UInt32 = 0, miscselectMask: UInt32 = 0xFFFF_FFFF,
                           attributes: String = "11000000000000000000000000000000",
                           attributesMask: String = "fbffffffffffffff0000000000000000",
                           mrSigner: String = "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff",
                           isvProdID: UInt16 = 1, levels: [QETCBLevel]? = nil) -> QEIdentity {
        QEIdentity(id: id, version: 2, issueDate: 0, nextUpdate: 0, tcbEvaluationDataNumber: 17, miscselect: miscselect,
                   miscselectMask: miscselectMask, attributes: SGXVectors.bytes(attributes),
                   attributesMask: SGXVectors.bytes(attributesMask), mrSigner: Hash32(SGXVectors.bytes(mrSigner)),
                   isvProdID: isvProdID,
                   tcbLevels: levels ?? [QETCBLevel(isvSVN: 8, tcbDate: 0, status: .upToDate, advisoryIDs: []),
                                      QETCBLevel(isvSVN: 6, tcbDate: 0, status: .outOfDate, advisoryIDs: ["INTEL-SA-00615"])])
    }

    static func evaluate(_ tcbInfo: TCBInfo, _ qeIdentity: QEIdentity = qeIdentity(), quote: Quote? = nil,
                         pck: PCKExtensions? = nil) throws -> TCBEvaluation {
        try TCBEvaluator.evaluate(quote: quote ?? phalaQuote(), pck: pck ?? phalaPCK(), tcbInfo: tcbInfo,
                                  qeIdentity: qeIdentity, collateralIssueDate: 42)
    }

    static func evaluationError(_ tcbInfo: TCBInfo, _ qeIdentity: QEIdentity = qeIdentity(), quote: Quote? = nil,
                                pck: PCKExtensions? = nil) throws -> TCBEvaluationError? {
        do {
            _ = try evaluate(tcbInfo, qeIdentity, quote: quote, pck: pck)
            return nil
        } catch let error as AttestationError {
            guard case .tcbEvaluation(let inner) = error else {
                Issue.record("expected a TCB evaluation error, got \(error)")
                return nil
            }
            #expect(error.check == .tcbEvaluation)
            return inner
        }
    }

    /// The phala quote with its QE report changed by `change`.
    static func phalaQuote(qeReport change: (inout [UInt8]) -> Void) throws -> Quote {
        var quote = try phalaQuote()
        var bytes = quote.qeReport.bytes
        change(&bytes)
        quote.qeReport = ReportBody(bytes: bytes)
        return quote
    }

    // MARK: - Platform TCB level

    /// Levels in TCB Info order: the first fails on component 7, the second on the PCE SVN, the
    /// third is met exactly (and the fourth, also met, is never reached).
    @Test func platformLevelIsTheFirstMetInOrder() throws {
        var higher7 = Self.pckComponents
        higher7[6] = 12
        let levels = [Self.level(higher7, pceSVN: 13, .upToDate, ["A"]),
                      Self.level(Self.pckComponents, pceSVN: 14, .swHardeningNeeded, ["B"]),
                      Self.level(Self.pckComponents, pceSVN: 13, .configurationNeeded, ["C"]),
                      Self.level([UInt8](repeating: 0, count: 16), pceSVN: 0, .outOfDate, ["D"])]
        let result = try Self.evaluate(Self.tcbInfo(levels))
        #expect(result == TCBEvaluation(status: .configurationNeeded, platformStatus: .configurationNeeded, qeStatus: .upToDate,
                                        advisoryIDs: ["C"], collateralIssueDate: 42))
    }

    /// Component 5 of the PCK certificate is 255; a level asking for more than the PCK's value on
    /// any one component is skipped, and when none is met the platform is not supported.
    @Test func noLevelMetIsTCBLevelNotSupported() throws {
        var levels: [TCBLevel] = []
        for index in 0..<16 {
            var components = Self.pckComponents
            guard components[index] < 255 else { continue }
            components[index] += 1
            levels.append(Self.level(components, pceSVN: 13, .upToDate))
        }
        levels.append(Self.level(Self.pckComponents, pceSVN: 14, .upToDate))
        #expect(try Self.evaluationError(Self.tcbInfo(levels)) == .tcbLevelNotSupported(components: Self.pckComponents, pceSVN: 13))
    }

    @Test func levelWithoutSixteenComponentsIsRefused() throws {
        let levels = [Self.level([11, 11, 2], pceSVN: 13, .upToDate)]
        #expect(try Self.evaluationError(Self.tcbInfo(levels)) == .tcbLevelComponentCount(found: 3))
    }

    @Test func fmspcMismatchIsRefused() throws {
        let info = Self.tcbInfo([Self.level(Self.pckComponents, pceSVN: 13, .upToDate)], fmspc: "00606a000000")
        #expect(try Self.evaluationError(info) == .fmspcMismatch(pck: SGXVectors.bytes("00a067110000"),
                                                                  tcbInfo: SGXVectors.bytes("00606a000000")))
    }

    @Test func pceIDMismatchIsRefused() throws {
        let info = Self.tcbInfo([Self.level(Self.pckComponents, pceSVN: 13, .upToDate)], pceID: "0100")
        #expect(try Self.evaluationError(info) == .pceIDMismatch(pck: [0, 0], tcbInfo: [1, 0]))
    }

    @Test func tdxTCBInfoIsRefused() throws {
        let info = Self.tcbInfo([Self.level(Self.pckComponents, pceSVN: 13, .upToDate)], id: "TDX")
        #expect(try Self.evaluationError(info) == .tcbInfoNotForSGX(id: "TDX"))
    }

    // MARK: - QE Identity

    static let metLevel = [level(pckComponents, pceSVN: 13, .upToDate)]

    @Test func tdxQEIdentityIsRefused() throws {
        #expect(try Self.evaluationError(Self.tcbInfo(Self.metLevel), Self.qeIdentity(id: "TD_QE")) == .qeIdentityNotForSGX(id: "TD_QE"))
    }

    @Test func qeMRSignerMismatch() throws {
        let other = "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5"
        #expect(try Self.evaluationError(Self.tcbInfo(Self.metLevel), Self.qeIdentity(mrSigner: other))
                == .qeMRSignerMismatch(expected: Hash32(SGXVectors.bytes(other)),
                                       found: Hash32(SGXVectors.bytes("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"))))
    }

    @Test func qeISVProdIDMismatch() throws {
        #expect(try Self.evaluationError(Self.tcbInfo(Self.metLevel), Self.qeIdentity(isvProdID: 2))
                == .qeISVProdIDMismatch(expected: 2, found: 1))
    }

    /// MISCSELECT bit 0 set in the report (byte 16 of the QE report body) while the identity wants 0.
    @Test func qeMiscselectMismatch() throws {
        let quote = try Self.phalaQuote { $0[16] = 0x01 }
        #expect(try Self.evaluationError(Self.tcbInfo(Self.metLevel), quote: quote)
                == .qeMiscselectMismatch(expected: 0, found: 1, mask: 0xFFFF_FFFF))
        // A bit outside the mask is ignored.
        _ = try Self.evaluate(Self.tcbInfo(Self.metLevel), Self.qeIdentity(miscselectMask: 0xFFFF_FFFE), quote: quote)
    }

    /// The report's ATTRIBUTES 15 00… e7 00… masked with FB FF…FF 00… are 11 00… 00…; DEBUG (bit 1)
    /// set in the report makes them 13 00….
    @Test func qeAttributesMismatch() throws {
        let quote = try Self.phalaQuote { $0[48] |= 0x02 }
        #expect(try Self.evaluationError(Self.tcbInfo(Self.metLevel), quote: quote)
                == .qeAttributesMismatch(expected: SGXVectors.bytes("11000000000000000000000000000000"),
                                         found: SGXVectors.bytes("13000000000000000000000000000000"),
                                         mask: SGXVectors.bytes("fbffffffffffffff0000000000000000")))
        // MODE64BIT (bit 2) is outside the mask: the unmodified report's 0x15 passes.
        _ = try Self.evaluate(Self.tcbInfo(Self.metLevel))
    }

    /// The QE report's ISVSVN (10) below every level.
    @Test func qeISVSVNNotSupported() throws {
        let levels = [QETCBLevel(isvSVN: 12, tcbDate: 0, status: .upToDate, advisoryIDs: []),
                      QETCBLevel(isvSVN: 11, tcbDate: 0, status: .outOfDate, advisoryIDs: [])]
        #expect(try Self.evaluationError(Self.tcbInfo(Self.metLevel), Self.qeIdentity(levels: levels))
                == .qeISVSVNNotSupported(isvSVN: 10, minimum: 11))
    }

    /// The QE's level is the first whose isvsvn ≤ 10: with levels 12 (UpToDate), 9 (OutOfDate),
    /// 5 (Revoked) that is 9.
    @Test func qeLevelIsTheFirstMet() throws {
        let levels = [QETCBLevel(isvSVN: 12, tcbDate: 0, status: .upToDate, advisoryIDs: ["X"]),
                      QETCBLevel(isvSVN: 9, tcbDate: 0, status: .outOfDate, advisoryIDs: ["INTEL-SA-00615", "Y"]),
                      QETCBLevel(isvSVN: 5, tcbDate: 0, status: .revoked, advisoryIDs: ["Z"])]
        let platform = [Self.level(Self.pckComponents, pceSVN: 13, .swHardeningNeeded, ["INTEL-SA-00615", "INTEL-SA-00289"])]
        let result = try Self.evaluate(Self.tcbInfo(platform), Self.qeIdentity(levels: levels))
        #expect(result == TCBEvaluation(status: .outOfDate, platformStatus: .swHardeningNeeded, qeStatus: .outOfDate,
                                        advisoryIDs: ["INTEL-SA-00289", "INTEL-SA-00615", "Y"], collateralIssueDate: 42))
    }

    // MARK: - Convergence

    /// QVL `convergeTcbStatusWithQeTcbStatus` (TcbLevelCheck.cpp lines 83–126 at 7e5b2a1), written
    /// out per platform status: QE UpToDate keeps it; QE OutOfDate maps UpToDate and
    /// SWHardeningNeeded to OutOfDate, the two Configuration… statuses to
    /// OutOfDateConfigurationNeeded, and keeps the rest; QE Revoked gives Revoked.
    static let convergence: [(platform: TCBStatus, qeOutOfDate: TCBStatus)] = [
        (.upToDate, .outOfDate),
        (.swHardeningNeeded, .outOfDate),
        (.configurationNeeded, .outOfDateConfigurationNeeded),
        (.configurationAndSWHardeningNeeded, .outOfDateConfigurationNeeded),
        (.outOfDate, .outOfDate),
        (.outOfDateConfigurationNeeded, .outOfDateConfigurationNeeded),
        (.revoked, .revoked),
    ]

    @Test func convergesAsQVL() {
        #expect(Self.convergence.map(\.platform) == TCBStatus.allCases)
        for row in Self.convergence {
            #expect(TCBEvaluator.converge(platform: row.platform, qe: .upToDate) == row.platform, "\(row.platform)")
            #expect(TCBEvaluator.converge(platform: row.platform, qe: .outOfDate) == row.qeOutOfDate, "\(row.platform)")
            #expect(TCBEvaluator.converge(platform: row.platform, qe: .revoked) == .revoked, "\(row.platform)")
        }
    }

    /// The same through the evaluator: a revoked QE level revokes an up-to-date platform.
    @Test func revokedQERevokes() throws {
        let levels = [QETCBLevel(isvSVN: 0, tcbDate: 0, status: .revoked, advisoryIDs: ["INTEL-SA-00001"])]
        let result = try Self.evaluate(Self.tcbInfo(Self.metLevel), Self.qeIdentity(levels: levels))
        #expect(result == TCBEvaluation(status: .revoked, platformStatus: .upToDate, qeStatus: .revoked,
                                        advisoryIDs: ["INTEL-SA-00001"], collateralIssueDate: 42))
    }
}

/// The real quotes with the collateral their source repositories ship (../shared/vectors/sgx).
///
/// Expected results and where they come from:
/// - phala_sgx_v3 (= dcap-qvl sample/sgx_quote with sample/sgx_quote_collateral.json): dcap-qvl's
///   own test `could_parse_sgx_quote` (Phala-Network/dcap-qvl @ 9bffe30, tests/verify_quote.rs
///   lines 79–96) verifies it at the last second of the collateral's common window and expects
///   status "ConfigurationAndSWHardeningNeeded" (line 91) and advisory IDs
///   ["INTEL-SA-00289", "INTEL-SA-00615"] (lines 92–95). By hand from the collateral: the PCK's
///   components 11,11,2,2,255,1,0,… fail the first level (component 7 needs 12) and meet the
///   second (11,11,2,2,255,1,0,…, PCE SVN 13: ConfigurationAndSWHardeningNeeded, INTEL-SA-00289,
///   INTEL-SA-00615); the QE's ISVSVN 10 meets the first QE level (8, UpToDate).
/// - automata_solana_sgx_v3 (automata-network/automata-dcap-attestation @ 2df31aa,
///   solana/automata-dcap-framework/tests/data): that repository's SGX quote test is commented out
///   (tests/src/verifier/test_quote_verification.rs lines 124–157; only the TDX quote is verified,
///   expecting OutOfDate at line 117), and the qe_identity.json beside the SGX quote is the TDX
///   Quoting Enclave's (id "TD_QE", ISVPRODID 2), which Intel's QVL refuses for an SGX quote
///   (QuoteVerifier.cpp step 4.1.2.4.14). So there is no status of its own to match: the shipped
///   collateral is refused, and the platform part — the PCK TCB (identical to phala's) in the
///   shipped TCB Info (the same FMSPC and TCB evaluation data number 17, identical levels) — gives
///   dcap-qvl's platform result above.
@Suite struct TCBEvaluationRealCollateralTests {
    /// The last second of phala_sgx_v3's collateral window, as dcap-qvl's test picks it
    /// (`now_from_collateral`: the earliest nextUpdate, the QE Identity's 2025-07-19T10:01:18Z, minus 1).
    static let phalaTime: UInt64 = 1_752_919_277
    /// The earliest issue date of that collateral: the Root CA CRL's thisUpdate, 2025-03-20T11:21:57Z
    /// (`openssl crl -lastupdate`; TCB Info 2025-06-19T10:56:11Z, QE Identity 2025-06-19T10:01:18Z,
    /// PCK CRL 2025-06-19T10:23:18Z are later).
    static let phalaIssueDate: Int64 = 1_742_469_717

    static func phalaCollateral() throws -> Collateral {
        try Collateral(dcapQVLJSON: SGXVectors.read("phala_sgx_v3/collateral.json"))
    }

    static func phalaDocuments() throws -> (TCBInfo, QEIdentity) {
        let collateral = try phalaCollateral()
        return (try TCBInfo(json: collateral.tcbInfoBody), try QEIdentity(json: collateral.qeIdentityBody))
    }

    /// automata_solana_sgx_v3's files (with phala's TCB Signing chain, which the folder lacks).
    static func solanaCollateral() throws -> Collateral {
        let phalaChain = try #require(try JSONSerialization.jsonObject(with: Data(SGXVectors.read("phala_sgx_v3/collateral.json")))
                                          as? [String: Any])["tcb_info_issuer_chain"] as? String
        return try Collateral(tcbInfoFile: SGXVectors.read("automata_solana_sgx_v3/tcb_info_v3_sgx.json"),
                              qeIdentityFile: SGXVectors.read("automata_solana_sgx_v3/qe_identity.json"),
                              tcbSigningChainPEM: Array(try #require(phalaChain).utf8),
                              rootCACRL: SGXVectors.read("automata_solana_sgx_v3/intel_root_ca_crl.der"),
                              pckCRL: SGXVectors.read("automata_solana_sgx_v3/pck_platform_crl.der"))
    }

    static let expectedAdvisories = ["INTEL-SA-00289", "INTEL-SA-00615"]

    @Test func phalaMatchesDcapQVL() throws {
        let verified = try SGXVectors.intelVerifier.verify(SGXVectors.read("phala_sgx_v3/quote.bin"),
                                                           collateral: Self.phalaCollateral(), at: Self.phalaTime)
        #expect(verified.tcb == TCBEvaluation(status: .configurationAndSWHardeningNeeded,
                                              platformStatus: .configurationAndSWHardeningNeeded, qeStatus: .upToDate,
                                              advisoryIDs: Self.expectedAdvisories, collateralIssueDate: Self.phalaIssueDate))
        // The attested fields are those of the quote alone (README of the vectors).
        let alone = try SGXVectors.intelVerifier.verify(SGXVectors.read("phala_sgx_v3/quote.bin"), at: Self.phalaTime)
        #expect(alone.tcb == nil)
        #expect(verified.with(tcb: nil) == alone)
    }

    /// The parsed-quote form gives the same.
    @Test func phalaParsedQuoteForm() throws {
        let quote = try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin"))
        let verified = try SGXVectors.intelVerifier.verify(quote, collateral: Self.phalaCollateral(), at: Self.phalaTime)
        #expect(verified.tcb?.status == .configurationAndSWHardeningNeeded)
        #expect(verified.tcb?.advisoryIDs == Self.expectedAdvisories)
    }

    /// Outside the collateral's window (2026-01-01, after every nextUpdate) check (f) refuses it
    /// before any evaluation.
    @Test func phalaOutsideTheWindowFailsCollateral() throws {
        do {
            _ = try SGXVectors.intelVerifier.verify(SGXVectors.read("phala_sgx_v3/quote.bin"),
                                                    collateral: Self.phalaCollateral(), at: SGXVectors.verificationTime)
            Issue.record("collateral past its nextUpdate was accepted")
        } catch let error as AttestationError {
            #expect(error.check == .collateral)
        }
    }

    /// The solana quote with the collateral shipped beside it: refused by check (f) (a TD_QE
    /// identity, documents whose windows do not overlap), never evaluated to a status.
    @Test func solanaShippedCollateralIsRefused() throws {
        let collateral = try Self.solanaCollateral()
        for time: UInt64 in [1_746_432_216 /* 2025-05-05T08:03:36Z */, 1_752_150_000 /* 2025-07-10 */] {
            do {
                _ = try SGXVectors.intelVerifier.verify(SGXVectors.read("automata_solana_sgx_v3/quote.bin"),
                                                        collateral: collateral, at: time)
                Issue.record("the solana collateral was accepted at \(time)")
            } catch {
                #expect(error.check == .collateral, "\(error)")
            }
        }
    }

    /// Both real TCB Infos list their levels in the order QVL sorts them (descending by the 16
    /// components lexicographically, then by PCE SVN: `TcbLevel::operator>`), so taking the
    /// document's order, as dcap-qvl does, selects the level QVL selects.
    @Test func realTCBInfoLevelsAreInQVLOrder() throws {
        for tcbInfo in [try Self.phalaDocuments().0, try TCBInfo(json: Self.solanaCollateral().tcbInfoBody)] {
            #expect(tcbInfo.tcbLevels.count == 11)
            for (higher, lower) in zip(tcbInfo.tcbLevels, tcbInfo.tcbLevels.dropFirst()) {
                let descending = higher.sgxComponents == lower.sgxComponents
                    ? higher.pceSVN > lower.pceSVN
                    : higher.sgxComponents.lexicographicallyPrecedes(lower.sgxComponents) == false
                #expect(descending, "\(higher.sgxComponents)/\(higher.pceSVN) before \(lower.sgxComponents)/\(lower.pceSVN)")
            }
        }
    }

    /// The solana platform in its own TCB Info: the same level as phala's.
    @Test func solanaPlatformLevel() throws {
        let tcbInfo = try TCBInfo(json: Self.solanaCollateral().tcbInfoBody)
        let pck = try PCKExtensions(pckCertificateOf: Quote(bytes: SGXVectors.read("automata_solana_sgx_v3/quote.bin")))
        let level = try TCBEvaluator.platformTCBLevel(of: pck, in: tcbInfo)
        #expect(level.status == .configurationAndSWHardeningNeeded)
        #expect(level.advisoryIDs.sorted() == Self.expectedAdvisories)
        // With Intel's SGX QE Identity (phala's; the solana QE has ISVSVN 10 like phala's) the
        // whole evaluation gives dcap-qvl's result.
        let (_, qeIdentity) = try Self.phalaDocuments()
        let result = try TCBEvaluator.evaluate(quote: Quote(bytes: SGXVectors.read("automata_solana_sgx_v3/quote.bin")),
                                               pck: pck, tcbInfo: tcbInfo, qeIdentity: qeIdentity, collateralIssueDate: 0)
        #expect(result.status == .configurationAndSWHardeningNeeded)
        #expect(result.advisoryIDs == Self.expectedAdvisories)
    }

    // MARK: - Mutations of the real platform and QE against phala's collateral

    /// A changed PCK TCB and the result, read by hand from phala's TCB Info levels (in order:
    /// 1 [11,11,2,2,255,1,12] pce 13 SWHardeningNeeded 00615; 2 [11,11,2,2,255,1,0] 13
    /// ConfigurationAndSWHardeningNeeded 00289 00615; 3 [10,10,2,2,255,1,12] 13 OutOfDate;
    /// 4 [10,10,2,2,255,1,0] 13 OutOfDateConfigurationNeeded 00289 00828 00615; …; 9
    /// [5,5,2,2,255,1,0] 11 OutOfDateConfigurationNeeded 00289 00614 00617 00657 00767 00828 00615;
    /// …; 11 [5,5,2,2,255,1,0] 5 OutOfDate; the rest of the 16 components 0 everywhere).
    struct PlatformCase: Sendable, CustomTestStringConvertible {
        let name: String
        let components: [UInt8]
        let pceSVN: UInt16
        /// The expected status and advisories, or nil for "TCB level not supported".
        let expected: (TCBStatus, [String])?
        var testDescription: String { name }
    }

    static let base: [UInt8] = [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    static func with(_ index: Int, _ value: UInt8) -> [UInt8] {
        var components = base
        components[index] = value
        return components
    }

    static let platformCases: [PlatformCase] = [
        PlatformCase(name: "unchanged", components: base, pceSVN: 13,
                     expected: (.configurationAndSWHardeningNeeded, ["INTEL-SA-00289", "INTEL-SA-00615"])),
        PlatformCase(name: "component 7 raised to 12", components: with(6, 12), pceSVN: 13,
                     expected: (.swHardeningNeeded, ["INTEL-SA-00615"])),
        PlatformCase(name: "component 1 lowered to 10", components: with(0, 10), pceSVN: 13,
                     expected: (.outOfDateConfigurationNeeded, ["INTEL-SA-00289", "INTEL-SA-00615", "INTEL-SA-00828"])),
        PlatformCase(name: "PCE SVN lowered to 12", components: base, pceSVN: 12,
                     expected: (.outOfDateConfigurationNeeded, ["INTEL-SA-00289", "INTEL-SA-00614", "INTEL-SA-00615", "INTEL-SA-00617",
                                                                "INTEL-SA-00657", "INTEL-SA-00767", "INTEL-SA-00828"])),
        PlatformCase(name: "component 3 lowered to 1", components: with(2, 1), pceSVN: 13, expected: nil),
        PlatformCase(name: "component 5 lowered to 254", components: with(4, 254), pceSVN: 13, expected: nil),
        PlatformCase(name: "PCE SVN lowered to 4", components: base, pceSVN: 4, expected: nil),
    ]

    @Test(arguments: platformCases)
    func mutatedPlatformTCB(_ testCase: PlatformCase) throws {
        let (tcbInfo, qeIdentity) = try Self.phalaDocuments()
        let quote = try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin"))
        var pck = try PCKExtensions(pckCertificateOf: quote)
        pck.sgxComponents = testCase.components
        pck.pceSVN = testCase.pceSVN
        do {
            let result = try TCBEvaluator.evaluate(quote: quote, pck: pck, tcbInfo: tcbInfo, qeIdentity: qeIdentity,
                                                   collateralIssueDate: 0)
            let (status, advisories) = try #require(testCase.expected, "expected TCB level not supported, got \(result)")
            #expect(result.status == status)
            #expect(result.platformStatus == status)
            #expect(result.advisoryIDs == advisories)
        } catch let error as AttestationError {
            #expect(testCase.expected == nil, "\(error)")
            #expect(error == .tcbEvaluation(.tcbLevelNotSupported(components: testCase.components, pceSVN: testCase.pceSVN)))
        }
    }

    @Test func mutatedFMSPC() throws {
        let (tcbInfo, qeIdentity) = try Self.phalaDocuments()
        let quote = try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin"))
        var pck = try PCKExtensions(pckCertificateOf: quote)
        pck.fmspc[5] ^= 0x01
        #expect(throws: AttestationError.tcbEvaluation(.fmspcMismatch(pck: SGXVectors.bytes("00a067110001"),
                                                                      tcbInfo: SGXVectors.bytes("00a067110000")))) {
            try TCBEvaluator.evaluate(quote: quote, pck: pck, tcbInfo: tcbInfo, qeIdentity: qeIdentity, collateralIssueDate: 0)
        }
    }

    /// The QE report's ISVSVN (little-endian u16 at byte 258 of the report body) and the result,
    /// from phala's QE Identity levels (8 UpToDate; 6 OutOfDate 00615; 5 OutOfDate 00477 00615; 4
    /// OutOfDate 00334 00477 00615; 2 …; 1 …).
    @Test(arguments: [(UInt16(8), TCBStatus.upToDate, TCBStatus.configurationAndSWHardeningNeeded, ["INTEL-SA-00289", "INTEL-SA-00615"]),
                      (7, .outOfDate, .outOfDateConfigurationNeeded, ["INTEL-SA-00289", "INTEL-SA-00615"]),
                      (5, .outOfDate, .outOfDateConfigurationNeeded, ["INTEL-SA-00289", "INTEL-SA-00477", "INTEL-SA-00615"])])
    func mutatedQEISVSVN(_ isvSVN: UInt16, _ qeStatus: TCBStatus, _ status: TCBStatus, _ advisories: [String]) throws {
        let (tcbInfo, qeIdentity) = try Self.phalaDocuments()
        var quote = try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin"))
        let pck = try PCKExtensions(pckCertificateOf: quote)
        var report = quote.qeReport.bytes
        report[258] = UInt8(isvSVN & 0xFF)
        report[259] = UInt8(isvSVN >> 8)
        quote.qeReport = ReportBody(bytes: report)
        let result = try TCBEvaluator.evaluate(quote: quote, pck: pck, tcbInfo: tcbInfo, qeIdentity: qeIdentity, collateralIssueDate: 0)
        #expect(result == TCBEvaluation(status: status, platformStatus: .configurationAndSWHardeningNeeded, qeStatus: qeStatus,
                                        advisoryIDs: advisories, collateralIssueDate: 0))
    }

    @Test func qeISVSVNBelowEveryLevel() throws {
        let (tcbInfo, qeIdentity) = try Self.phalaDocuments()
        var quote = try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin"))
        let pck = try PCKExtensions(pckCertificateOf: quote)
        var report = quote.qeReport.bytes
        report[258] = 0
        report[259] = 0
        quote.qeReport = ReportBody(bytes: report)
        #expect(throws: AttestationError.tcbEvaluation(.qeISVSVNNotSupported(isvSVN: 0, minimum: 1))) {
            try TCBEvaluator.evaluate(quote: quote, pck: pck, tcbInfo: tcbInfo, qeIdentity: qeIdentity, collateralIssueDate: 0)
        }
    }

    /// Each QE Identity field changed in the parsed identity: each its own error.
    @Test func mutatedQEIdentityFields() throws {
        let (tcbInfo, identity) = try Self.phalaDocuments()
        let quote = try Quote(bytes: SGXVectors.read("phala_sgx_v3/quote.bin"))
        let pck = try PCKExtensions(pckCertificateOf: quote)
        func error(_ change: (inout QEIdentity) -> Void) -> AttestationError? {
            var changed = identity
            change(&changed)
            do {
                _ = try TCBEvaluator.evaluate(quote: quote, pck: pck, tcbInfo: tcbInfo, qeIdentity: changed, collateralIssueDate: 0)
                return nil
            } catch { return error }
        }
        let mrSigner = Hash32(SGXVectors.bytes("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"))
        var otherSigner = mrSigner.bytes
        otherSigner[31] ^= 0x01
        #expect(error { $0.mrSigner = Hash32(otherSigner) } == .tcbEvaluation(.qeMRSignerMismatch(expected: Hash32(otherSigner), found: mrSigner)))
        #expect(error { $0.isvProdID = 2 } == .tcbEvaluation(.qeISVProdIDMismatch(expected: 2, found: 1)))
        #expect(error { $0.miscselect = 0x0000_0001 } == .tcbEvaluation(.qeMiscselectMismatch(expected: 1, found: 0, mask: 0xFFFF_FFFF)))
        #expect(error { $0.attributes[0] = 0x15 }
                == .tcbEvaluation(.qeAttributesMismatch(expected: SGXVectors.bytes("15000000000000000000000000000000"),
                                                        found: SGXVectors.bytes("11000000000000000000000000000000"),
                                                        mask: SGXVectors.bytes("fbffffffffffffff0000000000000000"))))
        #expect(error { $0.id = "TD_QE" } == .tcbEvaluation(.qeIdentityNotForSGX(id: "TD_QE")))
        #expect(error { _ in } == nil)
    }
}
