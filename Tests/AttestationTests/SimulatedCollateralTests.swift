import Attestation
import Foundation
import Primitives
import Signatures
import Testing

/// The SIMULATED collateral and platforms: Intel's document formats, signatures by the simulated
/// TCB Signing key, the PCK certificate's SGX extension as Intel's PCK certificate profile
/// encodes it, and reproducible bytes.
@Suite struct SimulatedCollateralTests {
    static let authority = SimulatedCertificateAuthority.standard
    static let collateral = SimulatedCollateral.standard
    static let verifier = QuoteVerifier(trustedRoots: [authority.trustedRoot])
    static let key = try! PrivateKey(bytes: [UInt8](repeating: 0x11, count: 32))

    /// The TCB Signing key's public key, recomputed from its documented label (docs/formats.md).
    static let tcbSigningPublicKey = try! P256SigningKey(
        insecureLabel: SimulatedCertificateAuthority.standardLabel + " TCB signing v1").publicKey.rawRepresentation

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func collateralIsReproducible() throws {
        let rebuilt = try SimulatedCollateral.make(authority: SimulatedCertificateAuthority(label: SimulatedCertificateAuthority.standardLabel))
        #expect(rebuilt == Self.collateral)
    }

    @Test func documentsAreSignedByTheTCBSigningKeyOverTheirExactBytes() {
        #expect(Self.collateral.tcbInfoSignature.count == 64)
        #expect(P256.verify(signature: Self.collateral.tcbInfoSignature, message: Self.collateral.tcbInfoBody,
                            publicKey: Self.tcbSigningPublicKey))
        #expect(P256.verify(signature: Self.collateral.qeIdentitySignature, message: Self.collateral.qeIdentityBody,
                            publicKey: Self.tcbSigningPublicKey))
        var changed = Self.collateral.tcbInfoBody
        changed[changed.count - 2] ^= 1
        #expect(!P256.verify(signature: Self.collateral.tcbInfoSignature, message: changed, publicKey: Self.tcbSigningPublicKey))
    }

    @Test func tcbSigningChainIsTheTCBSigningCertificateThenTheRoot() throws {
        #expect(Self.collateral.tcbSigningChain.count == 2)
        #expect(Self.collateral.tcbSigningChain[1] == Self.authority.rootDER)
        #expect(Self.collateral.tcbSigningChain[0] == Self.authority.tcbSigningCertificateDER)
        let pem = SimulatedCollateral.tcbSigningChainPEM(Self.collateral)
        #expect(pem.components(separatedBy: "-----BEGIN CERTIFICATE-----").count == 3)
    }

    /// Intel's TCB Info v3 members (Intel PCS API v4, "TCB Info V3"), with the simulated values.
    @Test func tcbInfoIsIntelsV3Format() throws {
        let info = try Self.object(Self.collateral.tcbInfoBody)
        #expect(info["id"] as? String == "SGX")
        #expect(info["version"] as? Int == 3)
        #expect(info["issueDate"] as? String == "2025-01-01T00:00:00Z")
        #expect(info["nextUpdate"] as? String == "2049-12-31T23:59:59Z")
        #expect(info["fmspc"] as? String == "474700000000")
        #expect(info["pceId"] as? String == "0000")
        #expect(info["tcbType"] as? Int == 0)
        let levels = try #require(info["tcbLevels"] as? [[String: Any]])
        #expect(levels.count == 2)
        let statuses = levels.map { $0["tcbStatus"] as? String }
        #expect(statuses == ["UpToDate", "OutOfDate"])
        let first = try #require(levels[0]["tcb"] as? [String: Any])
        let svns = try #require(first["sgxtcbcomponents"] as? [[String: Any]]).map { $0["svn"] as? Int }
        #expect(svns == [3, 3, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(first["pcesvn"] as? Int == 13)
        #expect(levels[0]["tcbDate"] as? String == "2024-11-12T00:00:00Z")
        #expect(levels[0]["advisoryIDs"] == nil)
        let second = try #require(levels[1]["tcb"] as? [String: Any])
        #expect(try #require(second["sgxtcbcomponents"] as? [[String: Any]]).map { $0["svn"] as? Int }
                == [2, 2, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(second["pcesvn"] as? Int == 11)
        #expect(levels[1]["advisoryIDs"] as? [String] == ["GOLDENGRAIN-SIMULATED-SA-00001"])
    }

    /// Intel's QE Identity v2 members, matching the simulated QE report.
    @Test func qeIdentityIsIntelsV2FormatAndMatchesTheSimulatedQE() throws {
        let identity = try Self.object(Self.collateral.qeIdentityBody)
        #expect(identity["id"] as? String == "QE")
        #expect(identity["version"] as? Int == 2)
        #expect(identity["miscselect"] as? String == "00000000")
        #expect(identity["miscselectMask"] as? String == "FFFFFFFF")
        #expect(identity["attributes"] as? String == "11000000000000000000000000000000")
        #expect(identity["attributesMask"] as? String == "FBFFFFFFFFFFFFFF0000000000000000")
        #expect(identity["isvprodid"] as? Int == 1)
        let quote = try Quote(bytes: SimulatedEnclave(signingKey: Self.key).registrationQuote())
        let qe = quote.qeReport
        #expect((identity["mrsigner"] as? String)?.lowercased() == Hex.encode(qe.mrSigner.bytes, prefix: false))
        #expect(qe.isvProdID == 1)
        #expect(qe.isvSVN == 1)
        #expect(qe.miscSelect == 0)
        // The QE report's ATTRIBUTES under the mask equal the identity's: 0x15 & 0xFB = 0x11, XFRM masked out.
        let mask = try Hex.decode("FBFFFFFFFFFFFFFF0000000000000000")
        #expect(zip(qe.attributes, mask).map { $0 & $1 } == (try Hex.decode("11000000000000000000000000000000")))
        let levels = try #require(identity["tcbLevels"] as? [[String: Any]])
        #expect(levels.map { ($0["tcb"] as? [String: Any])?["isvsvn"] as? Int } == [1, 0])
        #expect(levels.map { $0["tcbStatus"] as? String } == ["UpToDate", "OutOfDate"])
    }

    @Test func intelFilesWrapTheExactSignedBodies() throws {
        let tcbFile = Array(SimulatedCollateral.tcbInfoFile(Self.collateral).utf8)
        let prefix = Array(#"{"tcbInfo":"#.utf8)
        #expect(Array(tcbFile.prefix(prefix.count)) == prefix)
        #expect(Array(tcbFile[prefix.count..<(prefix.count + Self.collateral.tcbInfoBody.count)]) == Self.collateral.tcbInfoBody)
        let file = try Self.object(tcbFile)
        #expect(file["signature"] as? String == Hex.encode(Self.collateral.tcbInfoSignature, prefix: false))
        let qeFile = try Self.object(Array(SimulatedCollateral.qeIdentityFile(Self.collateral).utf8))
        #expect(qeFile["signature"] as? String == Hex.encode(Self.collateral.qeIdentitySignature, prefix: false))
        #expect(qeFile["enclaveIdentity"] is [String: Any])
    }

    /// CRLs are DER CertificateLists (RFC 5280 §5.1) signed with ecdsa-with-SHA256; the PCK CRL's
    /// revokedCertificates holds serial 5 (INTEGER 02 01 05), the Root CA CRL's none.
    @Test func crlsAreDERCertificateListsAndThePCKCRLRevokesSerial5() {
        for crl in [Self.collateral.rootCACRL, Self.collateral.pckCRL] {
            #expect(crl.first == 0x30)
            #expect(crl.contains(subsequence: [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]))
            // thisUpdate 250101000000Z and nextUpdate 491231235959Z, UTCTime (RFC 5280 §5.1.2.4).
            #expect(crl.contains(subsequence: [0x17, 0x0d] + Array("250101000000Z".utf8)))
            #expect(crl.contains(subsequence: [0x17, 0x0d] + Array("491231235959Z".utf8)))
        }
        // An entry: SEQUENCE { INTEGER 5, UTCTime revocationDate }.
        let entry: [UInt8] = [0x30, 0x12, 0x02, 0x01, 0x05, 0x17, 0x0d] + Array("250101000000Z".utf8)
        #expect(Self.collateral.pckCRL.contains(subsequence: entry))
        #expect(!Self.collateral.rootCACRL.contains(subsequence: [0x30, 0x12, 0x02, 0x01]))
    }

    /// Each platform's quote verifies under the simulated root; its PCK certificate carries the
    /// SGX extension (OID 1.2.840.113741.1.13.1), with items encoded by hand here from X.690 and
    /// Intel's profile.
    @Test(arguments: SimulatedPlatform.allCases)
    func eachPlatformsQuoteVerifiesAndCarriesItsSGXExtension(platform: SimulatedPlatform) throws {
        let enclave = SimulatedEnclave(signingKey: Self.key, platform: platform)
        let quote = enclave.registrationQuote()
        #expect(SGXVectors.error(verifying: quote, with: Self.verifier, at: 1_767_225_600) == nil)
        let parsed = try Quote(bytes: quote)
        #expect(parsed.header.pceSVN == platform.pceSVN)
        #expect(parsed.isvReport.cpuSVN == platform.sgxComponents)
        let pck = Self.authority.pckCertificateDER(for: platform)
        // The extension's OID, 1.2.840.113741.1.13.1.
        let sgx: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01]
        #expect(pck.contains(subsequence: [0x06, 0x09] + sgx))
        // FMSPC: SEQUENCE { OID …13.1.4, OCTET STRING 47 47 00 00 00 00 }.
        #expect(pck.contains(subsequence: [0x30, 0x14, 0x06, 0x0a] + sgx + [0x04, 0x04, 0x06, 0x47, 0x47, 0, 0, 0, 0]))
        // PCE-ID: SEQUENCE { OID …13.1.3, OCTET STRING 00 00 }.
        #expect(pck.contains(subsequence: [0x30, 0x10, 0x06, 0x0a] + sgx + [0x03, 0x04, 0x02, 0x00, 0x00]))
        // SGX Type: SEQUENCE { OID …13.1.5, ENUMERATED 0 }.
        #expect(pck.contains(subsequence: [0x30, 0x0f, 0x06, 0x0a] + sgx + [0x05, 0x0a, 0x01, 0x00]))
        // PCESVN: SEQUENCE { OID …13.1.2.17, INTEGER pcesvn }.
        #expect(pck.contains(subsequence: [0x30, 0x10, 0x06, 0x0b] + sgx + [0x02, 0x11, 0x02, 0x01, UInt8(platform.pceSVN)]))
        // Each component: SEQUENCE { OID …13.1.2.n, INTEGER svn }.
        for (index, svn) in platform.sgxComponents.enumerated() {
            #expect(pck.contains(subsequence: [0x30, 0x10, 0x06, 0x0b] + sgx + [0x02, UInt8(index + 1), 0x02, 0x01, svn]))
        }
        // CPUSVN: SEQUENCE { OID …13.1.2.18, OCTET STRING (16) }.
        #expect(pck.contains(subsequence: [0x30, 0x1f, 0x06, 0x0b] + sgx + [0x02, 0x12, 0x04, 0x10] + platform.cpuSVN))
        // PPID: SEQUENCE { OID …13.1.1, OCTET STRING (16) }.
        #expect(pck.contains(subsequence: [0x30, 0x1e, 0x06, 0x0a] + sgx + [0x01, 0x04, 0x10] + platform.ppid))
    }

    @Test func platformsHaveDistinctPCKCertificatesUnderOneRoot() throws {
        let quotes = SimulatedPlatform.allCases.map { SimulatedEnclave(signingKey: Self.key, platform: $0).registrationQuote() }
        let leaves = try quotes.map { try Quote(bytes: $0).certificateSummaries() }
        #expect(Set(leaves.map { $0[0].sha256 }).count == 3)
        #expect(Set(leaves.map { $0[2].sha256 }) == [SimulatedCertificateAuthority.rootSHA256])
        #expect(leaves.map { $0[0].subject } == [
            "/CN=GoldenGrain SIMULATED INSECURE SGX PCK Certificate/O=GoldenGrain SIMULATED INSECURE",
            "/CN=GoldenGrain SIMULATED INSECURE SGX PCK Certificate (out of date)/O=GoldenGrain SIMULATED INSECURE",
            "/CN=GoldenGrain SIMULATED INSECURE SGX PCK Certificate (revoked)/O=GoldenGrain SIMULATED INSECURE",
        ])
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}
