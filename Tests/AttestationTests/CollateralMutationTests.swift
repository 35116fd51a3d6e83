import Attestation
import Foundation
import Primitives
import Signatures
import Testing

/// Mutated collateral is refused by the check responsible for the mutated part.
///
/// Signatures, bodies and CRL bytes are mutated on Intel's real collateral (phala_sgx_v3). What
/// real collateral cannot show (a revoked serial, a CRL window narrower than the documents', a
/// CRL signed by an impostor key) is shown on a test PKI that `TestPKI` makes with the `openssl`
/// CLI in a temporary directory at test time (removed once read): a root CA, a PCK Processor CA, a PCK leaf, a TCB
/// Signing certificate, and CRLs with fixed thisUpdate/nextUpdate (`openssl ca -crl_lastupdate`).
/// Its TCB Info and QE Identity are phala's bodies re-signed with the test TCB Signing key, and its
/// quote is phala's with the test PCK chain as certification data (check (f) reads only the chain).
@Suite("Collateral: mutations rejected by the expected check")
struct CollateralMutationTests {
    static let intelRootSubject = "/CN=Intel SGX Root CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US"
    static let processorCASubject = "/CN=Intel SGX PCK Processor CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US"

    // MARK: signatures and bodies (real collateral)

    @Test("every TCB Info signature byte flipped: TCB Info signature refused", arguments: 0..<64)
    func tcbInfoSignatureByte(index: Int) {
        var collateral = CollateralVectors.phala
        collateral.tcbInfoSignature[index] ^= 0x01
        #expect(CollateralVectors.error(collateral) == .invalidSignature(document: .tcbInfo))
    }

    @Test("every QE Identity signature byte flipped: QE Identity signature refused", arguments: 0..<64)
    func qeIdentitySignatureByte(index: Int) {
        var collateral = CollateralVectors.phala
        collateral.qeIdentitySignature[index] ^= 0x80
        #expect(CollateralVectors.error(collateral) == .invalidSignature(document: .qeIdentity))
    }

    @Test("signatures of 0, 63 and 65 bytes: refused by length", arguments: [0, 63, 65])
    func signatureLengths(length: Int) {
        var collateral = CollateralVectors.phala
        collateral.tcbInfoSignature = Array((collateral.tcbInfoSignature + [0]).prefix(length))
        #expect(CollateralVectors.error(collateral) == .invalidSignatureLength(document: .tcbInfo, length: length))
        collateral = CollateralVectors.phala
        collateral.qeIdentitySignature = Array((collateral.qeIdentitySignature + [0]).prefix(length))
        #expect(CollateralVectors.error(collateral) == .invalidSignatureLength(document: .qeIdentity, length: length))
    }

    /// The body-byte tests split the positions into 8 interleaved sets (position mod 8), run as
    /// separate cases so they can run in parallel.
    static let bodyChunks = 0..<8

    @Test("every TCB Info body byte changed (4,520 positions, 8 sets): TCB Info signature refused", arguments: bodyChunks)
    func tcbInfoBodyBytes(set: Int) {
        let original = CollateralVectors.phala
        #expect(original.tcbInfoBody.count == 4520)
        var failures: [Int] = []
        for index in stride(from: set, to: original.tcbInfoBody.count, by: Self.bodyChunks.count) {
            var collateral = original
            collateral.tcbInfoBody[index] ^= 0x01
            if CollateralVectors.error(collateral) != .invalidSignature(document: .tcbInfo) { failures.append(index) }
        }
        #expect(failures.isEmpty, "positions not refused by the TCB Info signature: \(failures.prefix(10))")
    }

    @Test("every QE Identity body byte changed (1,217 positions, 8 sets): QE Identity signature refused", arguments: bodyChunks)
    func qeIdentityBodyBytes(set: Int) {
        let original = CollateralVectors.phala
        #expect(original.qeIdentityBody.count == 1217)
        var failures: [Int] = []
        for index in stride(from: set, to: original.qeIdentityBody.count, by: Self.bodyChunks.count) {
            var collateral = original
            collateral.qeIdentityBody[index] ^= 0x20
            if CollateralVectors.error(collateral) != .invalidSignature(document: .qeIdentity) { failures.append(index) }
        }
        #expect(failures.isEmpty, "positions not refused by the QE Identity signature: \(failures.prefix(10))")
    }

    @Test("a byte appended to or removed from a body: signature refused")
    func bodyLength() {
        var collateral = CollateralVectors.phala
        collateral.tcbInfoBody.append(0x20)
        #expect(CollateralVectors.error(collateral) == .invalidSignature(document: .tcbInfo))
        collateral = CollateralVectors.phala
        collateral.qeIdentityBody.removeLast()
        #expect(CollateralVectors.error(collateral) == .invalidSignature(document: .qeIdentity))
    }

    @Test("TCB Info and QE Identity bodies swapped: TCB Info signature refused")
    func bodiesSwapped() {
        var collateral = CollateralVectors.phala
        swap(&collateral.tcbInfoBody, &collateral.qeIdentityBody)
        #expect(CollateralVectors.error(collateral) == .invalidSignature(document: .tcbInfo))
    }

    // MARK: the TCB Signing chain

    @Test("a TCB Signing chain of 1 or 3 certificates: refused by count")
    func tcbSigningChainCount() {
        var collateral = CollateralVectors.phala
        let chain = collateral.tcbSigningChain
        collateral.tcbSigningChain = [chain[0]]
        #expect(CollateralVectors.error(collateral) == .unexpectedCertificateCount(document: .tcbSigningChain, found: 1, expected: 2))
        collateral.tcbSigningChain = chain + [chain[1]]
        #expect(CollateralVectors.error(collateral) == .unexpectedCertificateCount(document: .tcbSigningChain, found: 3, expected: 2))
    }

    @Test("a truncated or extended certificate in the TCB Signing chain: unparsable")
    func tcbSigningChainGarbage() {
        var collateral = CollateralVectors.phala
        collateral.tcbSigningChain[0].removeLast()
        #expect(CollateralVectors.error(collateral) == .unparsableCertificate(document: .tcbSigningChain, position: "TCB Signing"))
        collateral = CollateralVectors.phala
        collateral.tcbSigningChain[1].append(0)
        #expect(CollateralVectors.error(collateral) == .unparsableCertificate(document: .tcbSigningChain, position: "root CA"))
    }

    @Test("the TCB Signing certificate replaced by the PCK Processor CA (also issued by the root): TCB Info signature refused")
    func wrongSigningCertificate() {
        var collateral = CollateralVectors.phala
        collateral.tcbSigningChain[0] = CollateralVectors.pckChainDER(of: CollateralVectors.phalaQuote)[1]
        #expect(CollateralVectors.error(collateral) == .invalidSignature(document: .tcbInfo))
    }

    @Test("the TCB Signing chain swapped (root first): its last certificate is not a trusted root")
    func tcbSigningChainReversed() {
        var collateral = CollateralVectors.phala
        collateral.tcbSigningChain.reverse()
        let leafHash = SHA256Hash.of(collateral.tcbSigningChain[1])
        #expect(CollateralVectors.error(collateral) == .untrustedRoot(document: .tcbSigningChain, sha256: leafHash))
    }

    @Test("a TCB Signing chain ending in another trusted root than the PCK chain's: refused")
    func tcbSigningChainOtherRoot() throws {
        let pki = try TestPKI.shared
        var collateral = CollateralVectors.phala
        collateral.tcbSigningChain = [pki.tcbDER, pki.rootDER]
        let store = TrustStore(roots: [SGXVectors.intelRoot, try TrustedRoot(der: pki.rootDER)])
        #expect(CollateralVectors.error(collateral, store: store)
            == .rootMismatch(document: .tcbSigningChain, found: SHA256Hash.of(pki.rootDER),
                             expected: SHA256Hash.of(SGXVectors.read("intel_sgx_root_ca.der"))))
        // Only Intel's root trusted: the test root is not.
        #expect(CollateralVectors.error(collateral)
            == .untrustedRoot(document: .tcbSigningChain, sha256: SHA256Hash.of(pki.rootDER)))
    }

    @Test("the test TCB Signing certificate under Intel's root: OpenSSL finds no issuer for it")
    func tcbSigningCertificateUnderWrongRoot() throws {
        let pki = try TestPKI.shared
        var collateral = CollateralVectors.phala
        collateral.tcbSigningChain[0] = pki.tcbDER
        guard case .certificateChainInvalid(.tcbSigningChain, let depth, let reason)? = CollateralVectors.error(collateral) else {
            Issue.record("expected the TCB Signing chain to be rejected by OpenSSL")
            return
        }
        #expect(depth == 0)
        #expect(reason == "unable to get local issuer certificate")
    }

    // MARK: CRLs (real)

    @Test("the Root CA CRL truncated: unparsable", arguments: [0, 1, 10, 146, 291])
    func rootCRLTruncated(length: Int) {
        var collateral = CollateralVectors.phala
        collateral.rootCACRL = Array(collateral.rootCACRL.prefix(length))
        guard case .unparsableCRL(.rootCACRL, _)? = CollateralVectors.error(collateral) else {
            Issue.record("a Root CA CRL of \(length) bytes was not refused as unparsable")
            return
        }
    }

    @Test("a byte after the PCK CRL: unparsable, naming the trailing byte")
    func pckCRLTrailingByte() {
        var collateral = CollateralVectors.phala
        collateral.pckCRL.append(0)
        #expect(CollateralVectors.error(collateral)
            == .unparsableCRL(document: .pckCRL, reason: "1 bytes follow the CRL's 302 bytes"))
    }

    @Test("garbage in place of the PCK CRL (a certificate, JSON text): unparsable")
    func pckCRLGarbage() {
        for garbage in [CollateralVectors.phala.tcbSigningChain[0], CollateralVectors.phala.tcbInfoBody, [0x30, 0x00]] {
            var collateral = CollateralVectors.phala
            collateral.pckCRL = garbage
            guard case .unparsableCRL(.pckCRL, _)? = CollateralVectors.error(collateral) else {
                Issue.record("\(garbage.count) garbage bytes were not refused as an unparsable PCK CRL")
                continue
            }
        }
    }

    @Test("a changed byte in each CRL's signed part (its authority key id): CRL signature refused")
    func crlBodyChanged() throws {
        // `openssl crl -text`: the Root CA CRL's authority key id is 22:65:0C:D6…, the Processor
        // CA CRL's D0:E8:AA:DA… (each the issuing CA's subject key id).
        var collateral = CollateralVectors.phala
        let rootAKI = try #require(CollateralVectors.find([0x22, 0x65, 0x0C, 0xD6], in: collateral.rootCACRL))
        collateral.rootCACRL[rootAKI + 2] ^= 0x01
        #expect(CollateralVectors.error(collateral) == .invalidCRLSignature(document: .rootCACRL, signer: Self.intelRootSubject))
        collateral = CollateralVectors.phala
        let pckAKI = try #require(CollateralVectors.find([0xD0, 0xE8, 0xAA, 0xDA], in: collateral.pckCRL))
        collateral.pckCRL[pckAKI + 3] ^= 0x40
        #expect(CollateralVectors.error(collateral) == .invalidCRLSignature(document: .pckCRL, signer: Self.processorCASubject))
    }

    @Test("the last byte of each CRL's signature changed: CRL signature refused")
    func crlSignatureChanged() {
        var collateral = CollateralVectors.phala
        collateral.rootCACRL[collateral.rootCACRL.count - 1] ^= 0x01
        #expect(CollateralVectors.error(collateral) == .invalidCRLSignature(document: .rootCACRL, signer: Self.intelRootSubject))
        collateral = CollateralVectors.phala
        collateral.pckCRL[collateral.pckCRL.count - 1] ^= 0x01
        #expect(CollateralVectors.error(collateral) == .invalidCRLSignature(document: .pckCRL, signer: Self.processorCASubject))
    }

    // MARK: the test PKI: revocation, CRL windows, impostor signer

    @Test("the test PKI's collateral verifies at 2025-07-01 (inside every window)")
    func testPKIVerifies() throws {
        let pki = try TestPKI.shared
        let verified = try CollateralVectors.verify(pki.collateral, quote: pki.quote, store: pki.store)
        // Earliest of the four: the QE Identity's issueDate 2025-06-19T10:01:18Z (the CRLs start on
        // 2025-06-25 and 2025-06-27).
        #expect(verified.earliestIssueDate == 1_750_327_278)
    }

    @Test("the PCK leaf's serial in the PCK CRL: revoked")
    func pckLeafRevoked() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.pckCRL = pki.file("pck-revokes-leaf.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .certificateRevoked(document: .pckCRL, subject: "/CN=Test SGX PCK Certificate/O=GoldenGrain tests",
                                   serial: pki.serial("leaf")))
    }

    @Test("the PCK CA's serial in the Root CA CRL: revoked")
    func intermediateRevoked() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.rootCACRL = pki.file("root-revokes-pckca.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .certificateRevoked(document: .rootCACRL, subject: "/CN=Test SGX PCK Processor CA/O=GoldenGrain tests",
                                   serial: pki.serial("pckca")))
    }

    @Test("the TCB Signing certificate's serial in the Root CA CRL: revoked")
    func tcbSigningRevoked() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.rootCACRL = pki.file("root-revokes-tcb.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .certificateRevoked(document: .rootCACRL, subject: "/CN=Test SGX TCB Signing/O=GoldenGrain tests",
                                   serial: pki.serial("tcb")))
    }

    @Test("outside the Root CA CRL's window (2025-06-25 to 2025-07-10): not yet valid, stale")
    func rootCRLWindow() throws {
        let pki = try TestPKI.shared
        #expect(CollateralVectors.error(pki.collateral, quote: pki.quote, at: 1_750_809_599, store: pki.store)
            == .notYetValid(document: .rootCACRL, issued: 1_750_809_600, time: 1_750_809_599))
        #expect(CollateralVectors.error(pki.collateral, quote: pki.quote, at: 1_752_105_601, store: pki.store)
            == .expired(document: .rootCACRL, nextUpdate: 1_752_105_600, time: 1_752_105_601))
    }

    @Test("outside the PCK CRL's window (2025-06-27 to 2025-07-05): not yet valid, stale")
    func pckCRLWindow() throws {
        let pki = try TestPKI.shared
        #expect(CollateralVectors.error(pki.collateral, quote: pki.quote, at: 1_750_982_399, store: pki.store)
            == .notYetValid(document: .pckCRL, issued: 1_750_982_400, time: 1_750_982_399))
        #expect(CollateralVectors.error(pki.collateral, quote: pki.quote, at: 1_751_673_601, store: pki.store)
            == .expired(document: .pckCRL, nextUpdate: 1_751_673_600, time: 1_751_673_601))
    }

    @Test("a PCK CRL under the PCK CA's name but signed by another key: CRL signature refused")
    func impostorPCKCRL() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.pckCRL = pki.file("pck-impostor.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .invalidCRLSignature(document: .pckCRL, signer: "/CN=Test SGX PCK Processor CA/O=GoldenGrain tests"))
    }

    @Test("a delta CRL, and a CRL with an unknown critical extension: refused (RFC 5280 §5.2)")
    func crlCriticalExtensions() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.pckCRL = pki.file("pck-delta.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .unparsableCRL(document: .pckCRL, reason: "it is a delta CRL (Delta CRL Indicator), expected a complete CRL"))
        collateral.pckCRL = pki.file("pck-unknown-critical.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .unparsableCRL(document: .pckCRL,
                              reason: "it carries the critical extension 1.3.6.1.4.1.99999.1, which this verifier does not process"))
    }

    @Test("a PCK CRL issued by the other (Platform) CA: wrong issuer")
    func otherCAPCKCRL() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.pckCRL = pki.file("otherca-clean.der")
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .crlIssuerMismatch(document: .pckCRL, issuer: "/CN=Test SGX PCK Platform CA/O=GoldenGrain tests",
                                  expected: "/CN=Test SGX PCK Processor CA/O=GoldenGrain tests"))
    }

    @Test("a QE Identity issued after the verification time (re-signed): not yet valid")
    func qeIdentityNotYetValid() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        let body = try CollateralVectors.replacing(#""issueDate":"2025-06-19T10:01:18Z""#,
                                                   with: #""issueDate":"2025-06-30T00:00:00Z""#,
                                                   in: collateral.qeIdentityBody)
        collateral.qeIdentityBody = body
        collateral.qeIdentitySignature = try pki.sign(body)
        // 2025-06-29T12:00:00Z: inside the TCB Info's window, before the new issueDate 2025-06-30 (1751241600).
        #expect(CollateralVectors.error(collateral, quote: pki.quote, at: 1_751_198_400, store: pki.store)
            == .notYetValid(document: .qeIdentity, issued: 1_751_241_600, time: 1_751_198_400))
    }

    @Test("a signed TCB Info of version 2 and a signed QE level with a platform status: field refused")
    func signedMalformedDocuments() throws {
        let pki = try TestPKI.shared
        var collateral = pki.collateral
        collateral.tcbInfoBody = try CollateralVectors.replacing(#""version":3"#, with: #""version":2"#, in: collateral.tcbInfoBody)
        collateral.tcbInfoSignature = try pki.sign(collateral.tcbInfoBody)
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .invalidField(document: .tcbInfo, field: "version", found: "2", expected: "3"))
        collateral = pki.collateral
        collateral.qeIdentityBody = try CollateralVectors.replacing(#""tcbStatus":"UpToDate""#, with: #""tcbStatus":"SWHardeningNeeded""#,
                                                                    in: collateral.qeIdentityBody)
        collateral.qeIdentitySignature = try pki.sign(collateral.qeIdentityBody)
        #expect(CollateralVectors.error(collateral, quote: pki.quote, store: pki.store)
            == .invalidField(document: .qeIdentity, field: "tcbLevels[0].tcbStatus", found: "\"SWHardeningNeeded\"",
                             expected: "one of UpToDate, OutOfDate, Revoked"))
    }

    // MARK: malformed JSON fields (parsers)

    /// A text replacement in phala's TCB Info or QE Identity body and the error it must cause.
    struct FieldMutation: CustomTestStringConvertible, Sendable {
        let document: CollateralDocument
        let find: String
        let replacement: String
        let expected: CollateralError
        var testDescription: String { "\(document): \(find) → \(replacement)" }
    }

    static let statusList = "one of UpToDate, SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, OutOfDate, OutOfDateConfigurationNeeded, Revoked"

    static let fieldMutations: [FieldMutation] = [
        FieldMutation(document: .tcbInfo, find: #""id":"SGX""#, replacement: #""id":"TDX""#,
                      expected: .invalidField(document: .tcbInfo, field: "id", found: "\"TDX\"", expected: "\"SGX\"")),
        FieldMutation(document: .tcbInfo, find: #""version":3"#, replacement: #""version":"3""#,
                      expected: .invalidField(document: .tcbInfo, field: "version", found: "\"3\"", expected: "3")),
        FieldMutation(document: .tcbInfo, find: #""fmspc":"00A067110000","#, replacement: "",
                      expected: .missingField(document: .tcbInfo, field: "fmspc")),
        FieldMutation(document: .tcbInfo, find: #""fmspc":"00A067110000""#, replacement: #""fmspc":"00A0671100""#,
                      expected: .invalidField(document: .tcbInfo, field: "fmspc", found: "\"00A0671100\"", expected: "12 hex digits (6 bytes)")),
        FieldMutation(document: .tcbInfo, find: #""fmspc":"00A067110000""#, replacement: #""fmspc":"00A06711000G""#,
                      expected: .invalidField(document: .tcbInfo, field: "fmspc", found: "\"00A06711000G\"", expected: "12 hex digits (6 bytes)")),
        FieldMutation(document: .tcbInfo, find: #""pceId":"0000""#, replacement: #""pceId":"00""#,
                      expected: .invalidField(document: .tcbInfo, field: "pceId", found: "\"00\"", expected: "4 hex digits (2 bytes)")),
        FieldMutation(document: .tcbInfo, find: #""tcbType":0"#, replacement: #""tcbType":1"#,
                      expected: .invalidField(document: .tcbInfo, field: "tcbType", found: "1", expected: "0")),
        FieldMutation(document: .tcbInfo, find: #""issueDate":"2025-06-19T10:56:11Z""#, replacement: #""issueDate":"2025-06-19 10:56:11""#,
                      expected: .invalidField(document: .tcbInfo, field: "issueDate", found: "\"2025-06-19 10:56:11\"",
                                              expected: "an ISO 8601 UTC date-time YYYY-MM-DDThh:mm:ssZ")),
        FieldMutation(document: .tcbInfo, find: #""nextUpdate":"2025-07-19T10:56:11Z""#, replacement: #""nextUpdate":"2025-02-29T10:56:11Z""#,
                      expected: .invalidField(document: .tcbInfo, field: "nextUpdate", found: "\"2025-02-29T10:56:11Z\"",
                                              expected: "an ISO 8601 UTC date-time YYYY-MM-DDThh:mm:ssZ")),
        FieldMutation(document: .tcbInfo, find: #""tcbEvaluationDataNumber":17"#, replacement: #""tcbEvaluationDataNumber":-17"#,
                      expected: .invalidField(document: .tcbInfo, field: "tcbEvaluationDataNumber", found: "-17",
                                              expected: "an integer from 0 to 4294967295")),
        FieldMutation(document: .tcbInfo, find: #""tcbStatus":"SWHardeningNeeded""#, replacement: #""tcbStatus":"Unknown""#,
                      expected: .invalidField(document: .tcbInfo, field: "tcbLevels[0].tcbStatus", found: "\"Unknown\"", expected: statusList)),
        FieldMutation(document: .tcbInfo, find: #"[{"svn":11},"#, replacement: "[",
                      expected: .invalidField(document: .tcbInfo, field: "tcbLevels[0].tcb.sgxtcbcomponents",
                                              found: "15 components", expected: "16 components")),
        FieldMutation(document: .tcbInfo, find: #"[{"svn":11},"#, replacement: #"[{"svn":256},"#,
                      expected: .invalidField(document: .tcbInfo, field: "tcbLevels[0].tcb.sgxtcbcomponents[0].svn",
                                              found: "256", expected: "an integer from 0 to 255")),
        FieldMutation(document: .tcbInfo, find: #""pcesvn":13"#, replacement: #""pcesvn":13.0"#,
                      expected: .invalidField(document: .tcbInfo, field: "tcbLevels[0].tcb.pcesvn", found: "13.0",
                                              expected: "an integer from 0 to 65535")),
        FieldMutation(document: .tcbInfo, find: #""advisoryIDs":["INTEL-SA-00615"]"#, replacement: #""advisoryIDs":[615]"#,
                      expected: .invalidField(document: .tcbInfo, field: "tcbLevels[0].advisoryIDs[0]", found: "615", expected: "a string")),
        FieldMutation(document: .tcbInfo, find: #""pceId":"0000","#, replacement: #""pceId":"0000","fmspc":"00A067110000","#,
                      expected: .duplicateField(document: .tcbInfo, field: "fmspc")),
        FieldMutation(document: .qeIdentity, find: #""id":"QE""#, replacement: #""id":"QVE""#,
                      expected: .invalidField(document: .qeIdentity, field: "id", found: "\"QVE\"", expected: "\"QE\"")),
        FieldMutation(document: .qeIdentity, find: #""version":2"#, replacement: #""version":3"#,
                      expected: .invalidField(document: .qeIdentity, field: "version", found: "3", expected: "2")),
        FieldMutation(document: .qeIdentity, find: #""miscselect":"00000000""#, replacement: #""miscselect":"0000000""#,
                      expected: .invalidField(document: .qeIdentity, field: "miscselect", found: "\"0000000\"", expected: "8 hex digits (4 bytes)")),
        FieldMutation(document: .qeIdentity, find: #""attributesMask":"FBFFFFFFFFFFFFFF0000000000000000""#,
                      replacement: #""attributesMask":"FBFFFFFFFFFFFFFF00000000000000""#,
                      expected: .invalidField(document: .qeIdentity, field: "attributesMask",
                                              found: "\"FBFFFFFFFFFFFFFF00000000000000\"", expected: "32 hex digits (16 bytes)")),
        FieldMutation(document: .qeIdentity, find: #""mrsigner":"8C4F"#, replacement: #""mrsigner":"8C"#,
                      expected: .invalidField(document: .qeIdentity, field: "mrsigner",
                                              found: "\"8C5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF\"",
                                              expected: "64 hex digits (32 bytes)")),
        FieldMutation(document: .qeIdentity, find: #""isvprodid":1"#, replacement: #""isvprodid":65536"#,
                      expected: .invalidField(document: .qeIdentity, field: "isvprodid", found: "65536", expected: "an integer from 0 to 65535")),
        FieldMutation(document: .qeIdentity, find: #"{"isvsvn":8}"#, replacement: "{}",
                      expected: .missingField(document: .qeIdentity, field: "tcbLevels[0].tcb.isvsvn")),
        FieldMutation(document: .qeIdentity, find: #""tcbStatus":"UpToDate""#, replacement: #""tcbStatus":"uptodate""#,
                      expected: .invalidField(document: .qeIdentity, field: "tcbLevels[0].tcbStatus", found: "\"uptodate\"",
                                              expected: "one of UpToDate, OutOfDate, Revoked")),
        FieldMutation(document: .qeIdentity, find: #""tcbLevels":["#, replacement: #""tcbLevels":[],"x":["#,
                      expected: .invalidField(document: .qeIdentity, field: "tcbLevels", found: "an empty array",
                                              expected: "at least one TCB level")),
    ]

    @Test("a malformed field in phala's TCB Info or QE Identity: refused naming field, value and expectation",
          arguments: fieldMutations)
    func malformedField(_ mutation: FieldMutation) throws {
        let original = mutation.document == .tcbInfo ? CollateralVectors.phala.tcbInfoBody : CollateralVectors.phala.qeIdentityBody
        let body = try CollateralVectors.replacing(mutation.find, with: mutation.replacement, in: original)
        let error = CollateralVectors.parseError { () throws(AttestationError) in
            if mutation.document == .tcbInfo { _ = try TCBInfo(json: body) } else { _ = try QEIdentity(json: body) }
        }
        #expect(error == mutation.expected)
    }

    @Test("not JSON, or not an object: refused")
    func notJSON() {
        let truncated = Array(CollateralVectors.phala.tcbInfoBody.dropLast())
        guard case .invalidJSON(.tcbInfo, let offset, _)? = CollateralVectors.parseError({ () throws(AttestationError) in
            _ = try TCBInfo(json: truncated)
        }) else {
            Issue.record("a truncated TCB Info was not refused as JSON")
            return
        }
        #expect(offset == truncated.count)
        #expect(CollateralVectors.parseError { () throws(AttestationError) in _ = try QEIdentity(json: Array("[1]".utf8)) }
            == .invalidField(document: .qeIdentity, field: "(top level)", found: "an array", expected: "an object"))
    }

    // MARK: loaders

    @Test("a PCS TCB Info file with spaces around its members: the body is the inner object's exact bytes")
    func loaderWithWhitespace() throws {
        let body = CollateralVectors.phala.tcbInfoBody
        let signature = Hex.encode(CollateralVectors.phala.tcbInfoSignature, prefix: false)
        let file = Array("{ \"tcbInfo\" :\n ".utf8) + body + Array(" ,\t\"signature\": \"\(signature)\" }\n".utf8)
        let collateral = try Collateral(tcbInfoFile: file, qeIdentityFile: SGXVectors.read("automata_solana_sgx_v3/qe_identity.json"),
                                        tcbSigningChainPEM: CollateralVectors.tcbSigningChainPEM,
                                        rootCACRL: CollateralVectors.phala.rootCACRL, pckCRL: CollateralVectors.phala.pckCRL)
        #expect(collateral.tcbInfoBody == body)
        #expect(collateral.tcbInfoSignature == CollateralVectors.phala.tcbInfoSignature)
    }

    @Test("malformed PCS files: missing, duplicate or ill-typed members refused")
    func malformedPCSFiles() {
        let signature = Hex.encode(CollateralVectors.phala.tcbInfoSignature, prefix: false)
        let body = String(decoding: CollateralVectors.phala.tcbInfoBody, as: UTF8.self)
        let cases: [(String, CollateralError)] = [
            (#"{"tcbInfo":\#(body)}"#, .missingField(document: .tcbInfo, field: "signature")),
            (#"{"signature":"\#(signature)"}"#, .missingField(document: .tcbInfo, field: "tcbInfo")),
            (#"{"tcbInfo":\#(body),"tcbInfo":\#(body),"signature":"\#(signature)"}"#,
             .duplicateField(document: .tcbInfo, field: "tcbInfo")),
            (#"{"tcbInfo":"x","signature":"\#(signature)"}"#,
             .invalidField(document: .tcbInfo, field: "tcbInfo", found: "\"x\"", expected: "an object")),
            (#"{"tcbInfo":\#(body),"signature":"\#(signature.dropLast(2))"}"#,
             .invalidField(document: .tcbInfo, field: "signature", found: "\"\(signature.dropLast(2).prefix(76))…",
                           expected: "128 hex digits (64 bytes)")),
        ]
        for (text, expected) in cases {
            let error = CollateralVectors.parseError { () throws(AttestationError) in
                _ = try Collateral(tcbInfoFile: Array(text.utf8), qeIdentityFile: SGXVectors.read("automata_solana_sgx_v3/qe_identity.json"),
                                   tcbSigningChainPEM: CollateralVectors.tcbSigningChainPEM,
                                   rootCACRL: CollateralVectors.phala.rootCACRL, pckCRL: CollateralVectors.phala.pckCRL)
            }
            #expect(error == expected)
        }
    }

    @Test("malformed collateral.json: a second chain, a CRL not in hex, a missing CRL")
    func malformedDCAPQVLJSON() throws {
        let file = SGXVectors.read("phala_sgx_v3/collateral.json")
        guard case .object(let members) = try JSON.parse(file) else { Issue.record("collateral.json is not an object"); return }
        func mutated(_ change: (inout [(String, JSON)]) -> Void) -> CollateralError? {
            var copy = members
            change(&copy)
            return CollateralVectors.parseError { () throws(AttestationError) in
                _ = try Collateral(dcapQVLJSON: JSON.object(copy).serializedBytes)
            }
        }
        let pckIssuerChain = try #require(members.first { $0.0 == "pck_crl_issuer_chain" }?.1)
        #expect(mutated { members in
            members = members.map { $0.0 == "qe_identity_issuer_chain" ? ($0.0, pckIssuerChain) : $0 }
        } == .invalidField(document: .collateralFile, field: "qe_identity_issuer_chain", found: "a different chain",
                           expected: "the TCB Signing chain of tcb_info_issuer_chain"))
        #expect(mutated { members in
            members = members.map { $0.0 == "root_ca_crl" ? ($0.0, .string("zz")) : $0 }
        } == .invalidField(document: .collateralFile, field: "root_ca_crl", found: "\"zz\"", expected: "hex digits (a DER CRL)"))
        #expect(mutated { members in members.removeAll { $0.0 == "pck_crl" } }
            == .missingField(document: .collateralFile, field: "pck_crl"))
    }

    @Test("a PEM CRL whose body is not canonical base64: unparsable")
    func malformedPEMCRL() {
        let pem = Array("-----BEGIN X509 CRL-----\nMIIB*AAA\n-----END X509 CRL-----\n".utf8)
        guard case .unparsableCRL(.pckCRL, _)? = CollateralVectors.parseError({ () throws(AttestationError) in
            _ = try Collateral(tcbInfoFile: SGXVectors.read("automata_solana_sgx_v3/tcb_info_v3_sgx.json"),
                               qeIdentityFile: SGXVectors.read("automata_solana_sgx_v3/qe_identity.json"),
                               tcbSigningChainPEM: CollateralVectors.tcbSigningChainPEM,
                               rootCACRL: CollateralVectors.phala.rootCACRL, pckCRL: pem)
        }) else {
            Issue.record("a PEM CRL with invalid base64 was accepted")
            return
        }
    }
}

/// SHA-256 for expected root hashes.
enum SHA256Hash {
    static func of(_ bytes: [UInt8]) -> Hash32 { SHA256.hash(bytes) }
}

extension CollateralVectors {
    /// The DER certificates of a quote's PCK chain (PEM decoded with Foundation).
    static func pckChainDER(of quote: Quote) -> [[UInt8]] {
        TestPKI.pemCertificates(String(decoding: quote.certificationData.filter { $0 != 0 }, as: UTF8.self))
    }

    /// The offset of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// `text` with its first occurrence of `find` replaced; fails if `find` does not occur.
    static func replacing(_ find: String, with replacement: String, in text: [UInt8]) throws -> [UInt8] {
        let string = String(decoding: text, as: UTF8.self)
        let range = try #require(string.range(of: find), "\(find) does not occur in the document")
        return Array(string.replacingCharacters(in: range, with: replacement).utf8)
    }
}

/// A test PKI made with the `openssl` CLI (see `CollateralMutationTests`), once per test process.
///
/// Certificates are valid 2025-01-01 to 2035-01-01 (`openssl ca -startdate/-enddate`). The Root CA
/// CRL covers 2025-06-25T00:00:00Z (1750809600) to 2025-07-10T00:00:00Z (1752105600), the PCK CRL
/// 2025-06-27T00:00:00Z (1750982400) to 2025-07-05T00:00:00Z (1751673600), both inside phala's
/// TCB Info and QE Identity windows, so each CRL's bounds can be crossed alone. Each clean CRL
/// already lists another certificate (a second PCK leaf, the Platform CA), so revocation look-ups
/// must find the right serial. Serial numbers are read from `openssl x509 -serial`.
final class TestPKI: Sendable {
    let files: [String: [UInt8]]
    let tcbKey: [UInt8]
    let rootDER: [UInt8]
    let tcbDER: [UInt8]
    let collateral: Collateral
    let quote: Quote
    let store: TrustStore
    let serials: [String: String]

    /// The PKI, made on first use.
    static let made = Result { try TestPKI() }

    /// The PKI, or the reason the openssl CLI could not make it.
    static var shared: TestPKI {
        get throws { try made.get() }
    }

    struct TestPKIError: Error, CustomStringConvertible { let description: String }

    /// The script: a root, the PCK Processor CA, a Platform CA, the TCB Signing certificate, a PCK
    /// leaf (two), an impostor with the PCK CA's name; clean and revoking CRLs.
    static let script = #"""
    set -e
    cat > ca.cnf <<'CNF'
    [root]
    database = root/index.txt
    new_certs_dir = root/new
    serial = root/serial
    crlnumber = root/crlnumber
    default_md = sha256
    policy = any
    unique_subject = no
    email_in_dn = no
    [pck]
    database = pck/index.txt
    new_certs_dir = pck/new
    serial = pck/serial
    crlnumber = pck/crlnumber
    default_md = sha256
    policy = any
    unique_subject = no
    email_in_dn = no
    [other]
    database = other/index.txt
    new_certs_dir = other/new
    serial = other/serial
    crlnumber = other/crlnumber
    default_md = sha256
    policy = any
    unique_subject = no
    email_in_dn = no
    [any]
    commonName = supplied
    organizationName = optional
    [delta_ext]
    2.5.29.27 = critical, ASN1:INTEGER:1
    [unknown_ext]
    1.3.6.1.4.1.99999.1 = critical, ASN1:UTF8String:unknown
    [ca_ext]
    basicConstraints = critical, CA:true
    keyUsage = critical, keyCertSign, cRLSign
    subjectKeyIdentifier = hash
    authorityKeyIdentifier = keyid
    [leaf_ext]
    basicConstraints = critical, CA:false
    keyUsage = critical, digitalSignature, nonRepudiation
    subjectKeyIdentifier = hash
    authorityKeyIdentifier = keyid
    CNF
    for db in root pck other; do mkdir -p $db/new; : > $db/index.txt; echo 01 > $db/crlnumber; done
    echo 1000 > root/serial; echo 2000 > pck/serial; echo 3000 > other/serial
    DATES="-startdate 20250101000000Z -enddate 20350101000000Z"
    for k in root pckca otherca tcb leaf otherleaf impostor; do openssl ecparam -name prime256v1 -genkey -noout -out $k.key; done
    csr() { openssl req -new -key $1.key -subj "$2" -out $1.csr; }
    issue() { openssl ca -batch -config ca.cnf -name $1 -cert $2.pem -keyfile $2.key -in $3.csr -out $3.pem -extensions $4 $DATES -notext 2>/dev/null; }
    revoke() { openssl ca -batch -config ca.cnf -name $1 -cert $2.pem -keyfile $2.key -revoke $3.pem -crl_reason keyCompromise 2>/dev/null; }
    gencrl() { openssl ca -batch -config ca.cnf -name $1 -cert $2.pem -keyfile $2.key -gencrl -crl_lastupdate $3 -crl_nextupdate $4 -out $5.pem 2>/dev/null; openssl crl -in $5.pem -outform DER -out $5.der; }
    csr root "/CN=Test SGX Root CA/O=GoldenGrain tests"
    openssl ca -batch -config ca.cnf -name root -selfsign -keyfile root.key -in root.csr -out root.pem -extensions ca_ext $DATES -notext 2>/dev/null
    csr pckca "/CN=Test SGX PCK Processor CA/O=GoldenGrain tests"; issue root root pckca ca_ext
    csr otherca "/CN=Test SGX PCK Platform CA/O=GoldenGrain tests"; issue root root otherca ca_ext
    csr tcb "/CN=Test SGX TCB Signing/O=GoldenGrain tests"; issue root root tcb leaf_ext
    csr impostor "/CN=Test SGX PCK Processor CA/O=GoldenGrain tests"; issue root root impostor ca_ext
    csr leaf "/CN=Test SGX PCK Certificate/O=GoldenGrain tests"; issue pck pckca leaf leaf_ext
    csr otherleaf "/CN=Test SGX PCK Certificate/O=GoldenGrain tests"; issue pck pckca otherleaf leaf_ext
    revoke root root otherca; revoke pck pckca otherleaf
    cp root/index.txt root/index.clean
    gencrl root root 20250625000000Z 20250710000000Z root-clean
    gencrl pck pckca 20250627000000Z 20250705000000Z pck-clean
    gencrl other otherca 20250627000000Z 20250705000000Z otherca-clean
    gencrl pck impostor 20250627000000Z 20250705000000Z pck-impostor
    gencrl "pck -crlexts delta_ext" pckca 20250627000000Z 20250705000000Z pck-delta
    gencrl "pck -crlexts unknown_ext" pckca 20250627000000Z 20250705000000Z pck-unknown-critical
    revoke pck pckca leaf; gencrl pck pckca 20250627000000Z 20250705000000Z pck-revokes-leaf
    revoke root root pckca; gencrl root root 20250625000000Z 20250710000000Z root-revokes-pckca
    cp root/index.clean root/index.txt
    revoke root root tcb; gencrl root root 20250625000000Z 20250710000000Z root-revokes-tcb
    for f in root pckca tcb leaf; do openssl x509 -in $f.pem -outform DER -out $f.der; openssl x509 -in $f.pem -noout -serial > $f.serial; done
    """#

    private init() throws {
        // The script runs in a temporary directory that is removed once its files are read;
        // signatures are made in directories of their own (`sign`).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("goldengrain-collateral-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.script.write(to: folder.appendingPathComponent("make.sh"), atomically: true, encoding: .utf8)
        try Self.run(["/bin/sh", "make.sh"], in: folder)
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where [".der", ".pem", ".key", ".serial"].contains(where: { name.hasSuffix($0) }) {
            files[name] = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        self.files = files
        func read(_ name: String) throws -> [UInt8] {
            guard let bytes = files[name] else { throw TestPKIError(description: "the script made no \(name)") }
            return bytes
        }
        rootDER = try read("root.der")
        tcbDER = try read("tcb.der")
        tcbKey = try read("tcb.key")
        var serials: [String: String] = [:]
        for name in ["root", "pckca", "tcb", "leaf"] {
            // "serial=1003\n" → "1003" (OpenSSL prints the serial's bytes in hex).
            let line = String(decoding: try read("\(name).serial"), as: UTF8.self)
            serials[name] = line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "").lowercased()
        }
        self.serials = serials
        let phala = CollateralVectors.phala
        let chainPEM = try ["leaf.pem", "pckca.pem", "root.pem"].map { String(decoding: try read($0), as: UTF8.self) }.joined()
        var quote = CollateralVectors.phalaQuote
        quote.certificationData = Array(chainPEM.utf8)
        self.quote = quote
        let root = try read("root.der"), tcb = try read("tcb.der"), key = try read("tcb.key")
        store = TrustStore(roots: [try TrustedRoot(der: root)])
        collateral = Collateral(tcbInfoBody: phala.tcbInfoBody,
                                tcbInfoSignature: try Self.sign(phala.tcbInfoBody, key: key),
                                qeIdentityBody: phala.qeIdentityBody,
                                qeIdentitySignature: try Self.sign(phala.qeIdentityBody, key: key),
                                tcbSigningChain: [tcb, root],
                                rootCACRL: try read("root-clean.der"), pckCRL: try read("pck-clean.der"))
    }

    /// A file the script made (empty if it made none of that name).
    func file(_ name: String) -> [UInt8] { files[name] ?? [] }

    /// The serial number of a certificate the script made, lower-case hex as OpenSSL printed it.
    func serial(_ name: String) -> String { serials[name] ?? "?" }

    /// `body` signed with the test TCB Signing key: r ‖ s.
    func sign(_ body: [UInt8]) throws -> [UInt8] { try Self.sign(body, key: tcbKey) }

    private static func sign(_ body: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("goldengrain-collateral-sign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(key).write(to: folder.appendingPathComponent("tcb.key"))
        try Data(body).write(to: folder.appendingPathComponent("body"))
        try run(["openssl", "dgst", "-sha256", "-sign", "tcb.key", "-out", "body.sig", "body"], in: folder)
        return try rawSignature(fromDER: [UInt8](try Data(contentsOf: folder.appendingPathComponent("body.sig"))))
    }

    /// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) → r ‖ s, 32 bytes each.
    static func rawSignature(fromDER der: [UInt8]) throws -> [UInt8] {
        var position = 2
        guard der.count > 8, der[0] == 0x30, Int(der[1]) == der.count - 2 else {
            throw TestPKIError(description: "openssl dgst did not write a DER ECDSA signature")
        }
        var out: [UInt8] = []
        for _ in 0..<2 {
            guard der[position] == 0x02 else { throw TestPKIError(description: "no INTEGER in the ECDSA signature") }
            let length = Int(der[position + 1])
            var magnitude = Array(der[(position + 2)..<(position + 2 + length)])
            while magnitude.count > 32, magnitude.first == 0 { magnitude.removeFirst() }
            out += [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude
            position += 2 + length
        }
        return out
    }

    /// The DER of each PEM certificate in `text`.
    static func pemCertificates(_ text: String) -> [[UInt8]] {
        text.components(separatedBy: "-----END CERTIFICATE-----").compactMap { block in
            guard let start = block.range(of: "-----BEGIN CERTIFICATE-----") else { return nil }
            let base64 = block[start.upperBound...].filter { !$0.isWhitespace }
            return Data(base64Encoded: String(base64)).map { [UInt8]($0) }
        }
    }

    private static func run(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPKIError(description: "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
