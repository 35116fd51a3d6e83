import Primitives

/// Collateral from the files Intel's Provisioning Certification Service serves, and from
/// dcap-qvl's collateral.json.
///
/// Intel's PCS (API v4): `GET /sgx/certification/v4/tcb?fmspc=…` answers `{"tcbInfo":{…},
/// "signature":"hex"}` with the TCB Signing chain as PEM in its `TCB-Info-Issuer-Chain` header;
/// `GET …/qe/identity` answers `{"enclaveIdentity":{…},"signature":"hex"}`; the CRLs are DER
/// (`…/pckcrl?ca=platform|processor`, and the Root CA CRL from Intel's certificates site). The
/// signatures cover the exact bytes of the inner object as they appear in the file, so the loaders
/// slice those bytes out rather than re-serialising a parsed value.
///
/// dcap-qvl (Phala-Network/dcap-qvl, `QuoteCollateralV3`) keeps the same parts as one JSON object:
/// `tcb_info` and `qe_identity` are the signed bodies as JSON strings, `*_signature` and the CRLs
/// hex, `tcb_info_issuer_chain` / `qe_identity_issuer_chain` the TCB Signing chain as PEM. Its
/// `pck_crl_issuer_chain` is not used: the PCK CRL is checked against the quote's own PCK chain.
///
/// The loaders check only the containers (JSON, hex, PEM); `CollateralCheck` checks the contents.
extension Collateral {
    /// Loads Intel PCS files.
    /// - Parameters:
    ///   - tcbInfoFile: `{"tcbInfo":{…},"signature":"128 hex digits"}`.
    ///   - qeIdentityFile: `{"enclaveIdentity":{…},"signature":"128 hex digits"}`.
    ///   - tcbSigningChainPEM: the TCB Signing certificate then the root CA, PEM.
    ///   - rootCACRL: the Root CA CRL, DER or PEM.
    ///   - pckCRL: the PCK Platform or Processor CA CRL, DER or PEM.
    /// - Throws: `AttestationError.collateral` naming the file and what is wrong with it.
    public init(tcbInfoFile: [UInt8], qeIdentityFile: [UInt8], tcbSigningChainPEM: [UInt8],
                rootCACRL: [UInt8], pckCRL: [UInt8]) throws(AttestationError) {
        do throws(CollateralError) {
            let (tcbInfoBody, tcbInfoSignature) = try Self.signedMember("tcbInfo", of: tcbInfoFile, document: .tcbInfo)
            let (qeIdentityBody, qeIdentitySignature) = try Self.signedMember("enclaveIdentity", of: qeIdentityFile,
                                                                              document: .qeIdentity)
            self.init(tcbInfoBody: tcbInfoBody, tcbInfoSignature: tcbInfoSignature, qeIdentityBody: qeIdentityBody,
                      qeIdentitySignature: qeIdentitySignature,
                      tcbSigningChain: try Self.certificates(pem: tcbSigningChainPEM),
                      rootCACRL: try CertificateRevocationList.der(fromDERorPEM: rootCACRL, document: .rootCACRL),
                      pckCRL: try CertificateRevocationList.der(fromDERorPEM: pckCRL, document: .pckCRL))
        } catch {
            throw .collateral(error)
        }
    }

    /// Loads dcap-qvl's collateral.json (`QuoteCollateralV3`).
    /// - Parameter dcapQVLJSON: the file's bytes.
    /// - Throws: `AttestationError.collateral` naming the field and what is wrong with it.
    public init(dcapQVLJSON: [UInt8]) throws(AttestationError) {
        do throws(CollateralError) {
            let file = try CollateralJSONObject(parsing: dcapQVLJSON, document: .collateralFile)
            let chainText = try file.string("tcb_info_issuer_chain")
            guard try file.string("qe_identity_issuer_chain") == chainText else {
                throw CollateralError.invalidField(document: .collateralFile, field: "qe_identity_issuer_chain",
                                                   found: "a different chain",
                                                   expected: "the TCB Signing chain of tcb_info_issuer_chain")
            }
            self.init(tcbInfoBody: Array(try file.string("tcb_info").utf8),
                      tcbInfoSignature: try Self.hexSignature("tcb_info_signature", of: file),
                      qeIdentityBody: Array(try file.string("qe_identity").utf8),
                      qeIdentitySignature: try Self.hexSignature("qe_identity_signature", of: file),
                      tcbSigningChain: try Self.certificates(pem: Array(chainText.utf8)),
                      rootCACRL: try Self.hexBytes("root_ca_crl", of: file),
                      pckCRL: try Self.hexBytes("pck_crl", of: file))
        } catch {
            throw .collateral(error)
        }
    }

    /// The exact bytes of member `name` of a signed PCS file and its 64-byte signature.
    static func signedMember(_ name: String, of file: [UInt8],
                             document: CollateralDocument) throws(CollateralError) -> ([UInt8], [UInt8]) {
        let object = try CollateralJSONObject(parsing: file, document: document)
        guard case .object = try object.value(name) else {
            throw object.invalid(name, try object.value(name), expected: "an object")
        }
        let signature = try hexSignature("signature", of: object)
        // JSON.parse accepted the file and `name` occurs once, so its span exists.
        guard let span = JSONMemberSpans.spans(in: file).first(where: { $0.0 == name })?.1 else {
            throw .missingField(document: document, field: name)
        }
        return (Array(file[span]), signature)
    }

    /// A signature field: hex of 64 bytes r ‖ s.
    private static func hexSignature(_ key: String, of object: CollateralJSONObject) throws(CollateralError) -> [UInt8] {
        try object.hex(key, byteCount: 64)
    }

    /// A hex field of any even length (a CRL's DER).
    private static func hexBytes(_ key: String, of object: CollateralJSONObject) throws(CollateralError) -> [UInt8] {
        let value = try object.value(key)
        guard case .string(let text) = value, !text.isEmpty, !text.hasPrefix("0x"), let bytes = try? Hex.decode(text) else {
            throw object.invalid(key, value, expected: "hex digits (a DER CRL)")
        }
        return bytes
    }

    /// The TCB Signing chain's PEM certificates as DER.
    private static func certificates(pem: [UInt8]) throws(CollateralError) -> [[UInt8]] {
        do {
            return try PEM.certificates(in: pem)
        } catch {
            var reason = error.description
            if case .malformedCertificationData(let text) = error { reason = "not a PEM certificate chain: \(text)" }
            throw .malformedDocument(document: CollateralDocument.tcbSigningChain.description, reason: reason)
        }
    }
}
