import Primitives

/// SIMULATED, INSECURE collateral for the simulated enclave's quotes, in Intel's formats and under
/// the simulated test root (docs/formats.md, "Simulated collateral"): a TCB Info v3 (id "SGX") and
/// a QE Identity v2 (id "QE") signed by the simulated TCB Signing certificate, that certificate
/// and the root as the TCB Signing chain, a Root CA CRL (no entry) and a PCK CRL (revoking the
/// `revoked` platform's PCK certificate, serial 5).
///
/// One set serves every `SimulatedPlatform`: the up-to-date platform evaluates to UpToDate, the
/// out-of-date one to OutOfDate, the revoked one is refused by its serial. Every document is
/// issued at the CA's notBefore (2025-01-01T00:00:00Z) with its next update at the CA's notAfter
/// (2049-12-31T23:59:59Z), so it is valid at any block time of a dev chain; the JSON is written in
/// a fixed order and signed with RFC 6979 nonces, so the bytes never change.
///
/// Anyone can sign as this TCB Signing key (its private key derives from a public label): the
/// collateral proves nothing, it exercises the real checks.
public enum SimulatedCollateral {
    /// The SGX TCB components of the newest (UpToDate) level and of the up-to-date platform.
    public static let upToDateComponents: [UInt8] = [3, 3, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
    /// The PCE SVN of the newest level and of the up-to-date platform.
    public static let upToDatePCESVN: UInt16 = 13
    /// The SGX TCB components of the OutOfDate level and of the out-of-date platform.
    public static let outOfDateComponents: [UInt8] = [2, 2, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
    /// The PCE SVN of the OutOfDate level and of the out-of-date platform.
    public static let outOfDatePCESVN: UInt16 = 11
    /// The advisory of the OutOfDate levels (a made-up ID: no Intel advisory applies to a simulation).
    public static let advisoryID = "GOLDENGRAIN-SIMULATED-SA-00001"
    /// issueDate of both documents and thisUpdate of both CRLs: the CA's notBefore.
    public static let issueDate: Int64 = SimulatedCertificateAuthority.notBefore
    /// nextUpdate of both documents and both CRLs: the CA's notAfter.
    public static let nextUpdate: Int64 = SimulatedCertificateAuthority.notAfter
    /// The tcbDate of the UpToDate levels, 2024-11-12T00:00:00Z.
    public static let currentTCBDate: Int64 = 1_731_369_600
    /// The tcbDate of the OutOfDate levels, 2023-02-14T00:00:00Z.
    public static let previousTCBDate: Int64 = 1_676_332_800

    /// The standard simulated collateral (of `SimulatedCertificateAuthority.standard`).
    public static let standard: Collateral = {
        do {
            return try make(authority: .standard)
        } catch {
            fatalError("cannot build the simulated collateral: \(error)")
        }
    }()

    /// The collateral of a simulated certificate authority.
    /// - Parameter authority: the CA whose TCB Signing key signs the documents.
    /// - Returns: the collateral.
    /// - Throws: `AttestationError.openSSLFailure` if OpenSSL cannot build a CRL.
    public static func make(authority: SimulatedCertificateAuthority) throws(AttestationError) -> Collateral {
        let tcbInfo = Array(tcbInfoJSON.utf8), qeIdentity = Array(qeIdentityJSON.utf8)
        let rootCRL = try SimulatedCertificateBuilder.issueCRL(
            issuer: SimulatedCertificateAuthority.rootName, issuerKey: authority.rootKey, number: 1,
            thisUpdate: issueDate, nextUpdate: nextUpdate, revokedSerials: [])
        let pckCRL = try SimulatedCertificateBuilder.issueCRL(
            issuer: SimulatedCertificateAuthority.intermediateName, issuerKey: authority.intermediateKey, number: 1,
            thisUpdate: issueDate, nextUpdate: nextUpdate, revokedSerials: [SimulatedPlatform.revoked.pckSerial])
        return Collateral(tcbInfoBody: tcbInfo, tcbInfoSignature: authority.tcbSigningKey.signature(for: tcbInfo),
                          qeIdentityBody: qeIdentity, qeIdentitySignature: authority.tcbSigningKey.signature(for: qeIdentity),
                          tcbSigningChain: [authority.tcbSigningCertificate.der, authority.rootDER],
                          rootCACRL: rootCRL, pckCRL: pckCRL)
    }

    /// The TCB Info v3 object (the signed body), compact JSON in Intel's member order: two levels,
    /// UpToDate at the up-to-date platform's TCB and OutOfDate at the out-of-date one's.
    public static var tcbInfoJSON: String {
        func level(_ components: [UInt8], _ pceSVN: UInt16, _ date: Int64, _ status: String, _ advisories: [String]) -> String {
            let svns = components.map { "{\"svn\":\($0)}" }.joined(separator: ",")
            let advisoryMember = advisories.isEmpty ? "" : ",\"advisoryIDs\":[" + advisories.map { "\"\($0)\"" }.joined(separator: ",") + "]"
            return "{\"tcb\":{\"sgxtcbcomponents\":[\(svns)],\"pcesvn\":\(pceSVN)},\"tcbDate\":\"\(timestamp(date))\",\"tcbStatus\":\"\(status)\"\(advisoryMember)}"
        }
        return "{\"id\":\"SGX\",\"version\":3,\"issueDate\":\"\(timestamp(issueDate))\",\"nextUpdate\":\"\(timestamp(nextUpdate))\","
            + "\"fmspc\":\"\(hexUpper(SimulatedPlatform.fmspc))\",\"pceId\":\"\(hexUpper(SimulatedPlatform.pceID))\","
            + "\"tcbType\":0,\"tcbEvaluationDataNumber\":1,\"tcbLevels\":["
            + level(upToDateComponents, upToDatePCESVN, currentTCBDate, "UpToDate", []) + ","
            + level(outOfDateComponents, outOfDatePCESVN, previousTCBDate, "OutOfDate", [advisoryID]) + "]}"
    }

    /// The QE Identity v2 object (the signed body): the simulated QE's MRSIGNER, ISVPRODID 1,
    /// MISCSELECT 0 under mask FFFFFFFF, ATTRIBUTES 0x11 under Intel's mask FBFFFFFFFFFFFFFF…
    /// (the QE report's flags 0x15 without bit 2, as for Intel's QE), ISVSVN 1 UpToDate, 0 OutOfDate.
    public static var qeIdentityJSON: String {
        "{\"id\":\"QE\",\"version\":2,\"issueDate\":\"\(timestamp(issueDate))\",\"nextUpdate\":\"\(timestamp(nextUpdate))\","
            + "\"tcbEvaluationDataNumber\":1,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
            + "\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\","
            + "\"mrsigner\":\"\(hexUpper(SimulatedEnclave.qeMRSigner.bytes))\",\"isvprodid\":\(SimulatedEnclave.qeISVProdID),\"tcbLevels\":["
            + "{\"tcb\":{\"isvsvn\":\(SimulatedEnclave.qeISVSVN)},\"tcbDate\":\"\(timestamp(currentTCBDate))\",\"tcbStatus\":\"UpToDate\"},"
            + "{\"tcb\":{\"isvsvn\":0},\"tcbDate\":\"\(timestamp(previousTCBDate))\",\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"\(advisoryID)\"]}]}"
    }

    /// Intel's PCS file for the TCB Info: `{"tcbInfo":<body>,"signature":"<r ‖ s hex>"}`.
    public static func tcbInfoFile(_ collateral: Collateral) -> String {
        "{\"tcbInfo\":" + String(decoding: collateral.tcbInfoBody, as: UTF8.self)
            + ",\"signature\":\"\(Hex.encode(collateral.tcbInfoSignature, prefix: false))\"}"
    }

    /// Intel's PCS file for the QE Identity: `{"enclaveIdentity":<body>,"signature":"<r ‖ s hex>"}`.
    public static func qeIdentityFile(_ collateral: Collateral) -> String {
        "{\"enclaveIdentity\":" + String(decoding: collateral.qeIdentityBody, as: UTF8.self)
            + ",\"signature\":\"\(Hex.encode(collateral.qeIdentitySignature, prefix: false))\"}"
    }

    /// The TCB Signing chain as PEM, leaf first (Intel's TCB-Info-Issuer-Chain header, decoded).
    public static func tcbSigningChainPEM(_ collateral: Collateral) -> String {
        collateral.tcbSigningChain.map { PEM.encode(certificate: $0) }.joined()
    }

    /// "2025-01-01T00:00:00Z" for a Unix time, in the form the collateral parser reads.
    static func timestamp(_ seconds: Int64) -> String { ISO8601.text(seconds) }

    private static func hexUpper(_ bytes: [UInt8]) -> String { Hex.encode(bytes, prefix: false).uppercased() }
}
