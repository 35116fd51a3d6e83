import Primitives
import Signatures

/// What check (f) established: the collateral's documents, authentic and current at the
/// verification time, and the earliest issue date among them.
package struct VerifiedCollateral: Hashable, Sendable {
    /// The TCB Info, signed by the TCB Signing certificate and inside its window.
    package var tcbInfo: TCBInfo
    /// The QE Identity, signed by the TCB Signing certificate and inside its window.
    package var qeIdentity: QEIdentity
    /// Earliest of tcbInfo.issueDate, qeIdentity.issueDate, both CRLs' thisUpdate.
    package var earliestIssueDate: Int64

    /// Creates a result (for `CollateralCheck` and for tests of the TCB evaluation).
    package init(tcbInfo: TCBInfo, qeIdentity: QEIdentity, earliestIssueDate: Int64) {
        self.tcbInfo = tcbInfo
        self.qeIdentity = qeIdentity
        self.earliestIssueDate = earliestIssueDate
    }
}

/// Check (f): the collateral is Intel's and current, and no certificate of the quote's PCK chain is
/// revoked, as Intel's QVL (`QuoteVerification`: `verifyTCBInfo`, `verifyEnclaveIdentity`,
/// `PckCrlVerifier`), Phala's dcap-qvl (`verify_tcb_info_signature`, `verify_qe_identity_signature`,
/// webpki revocation) and Automata's verifier check it.
///
/// Policy, in order; the first failure is thrown as `AttestationError.collateral`:
/// 1. The TCB Signing chain is exactly two certificates, TCB Signing then root CA; the root is a
///    trusted root and the same certificate the quote's PCK chain ends in (collateral from another
///    authority than the PCK certificate's is refused); OpenSSL verifies TCB Signing → root at
///    `time` (signature, issuer, CA constraints, validity) and the TCB Signing key is P-256.
/// 2. The TCB Info signature (64 bytes r ‖ s) verifies with that key over ECDSA P-256 / SHA-256 of
///    the exact `tcbInfo` bytes; only then is the body parsed (`TCBInfo(json:)`); issueDate ≤ time ≤
///    nextUpdate.
/// 3. The same for the QE Identity.
/// 4. The Root CA CRL is issued (name) and signed (key) by the PCK chain's root; thisUpdate ≤ time ≤
///    nextUpdate. The PCK CRL likewise by the PCK chain's intermediate CA (PCK Platform or Processor CA).
/// 5. Revocation: the PCK leaf's serial is not in the PCK CRL; the intermediate CA's and the TCB
///    Signing certificate's serials are not in the Root CA CRL.
///
/// Window bounds are inclusive, as dcap-qvl's (`now < issue_date` and `now > next_update` fail).
/// The PCK chain itself was verified by check (b); this check only reads it.
package enum CollateralCheck {
    /// Runs check (f).
    /// - Parameters:
    ///   - collateral: the raw signed parts.
    ///   - quote: the quote whose PCK chain the CRLs are applied to (check (b) verified the chain).
    ///   - trustStore: the trusted roots.
    ///   - time: seconds since the Unix epoch (the block timestamp on chain).
    /// - Returns: the parsed TCB Info and QE Identity and the earliest issue date.
    /// - Throws: `AttestationError.collateral` naming the failing document and check.
    package static func verify(_ collateral: Collateral, quote: Quote, trustStore: TrustStore,
                               time: UInt64) throws(AttestationError) -> VerifiedCollateral {
        let pckChain = try PCKCertificateChainCheck.parse(quote.certificationData, trustStore: trustStore)
        return try verify(collateral, pckChain: pckChain, trustStore: trustStore, time: time)
    }

    /// Runs check (f) against the quote's PCK chain as check (b) parsed it (`QuoteVerifier` parses
    /// the chain once and passes it to (b), (f) and (g)).
    static func verify(_ collateral: Collateral, pckChain: PCKCertificateChain, trustStore: TrustStore,
                       time: UInt64) throws(AttestationError) -> VerifiedCollateral {
        let pckLeaf = pckChain.leaf, pckIntermediate = pckChain.intermediate, pckRoot = pckChain.root
        do throws(CollateralError) {
            let (tcbSigning, signingKey) = try verifyTCBSigningChain(collateral.tcbSigningChain,
                                                                     pckRootSHA256: pckChain.rootSHA256,
                                                                     trustStore: trustStore, time: time)
            try verifySignature(collateral.tcbInfoSignature, over: collateral.tcbInfoBody, key: signingKey, document: .tcbInfo)
            let tcbInfo = try parse { () throws(AttestationError) in try TCBInfo(json: collateral.tcbInfoBody) }
            try checkWindow(.tcbInfo, issued: tcbInfo.issueDate, nextUpdate: tcbInfo.nextUpdate, time: time)

            try verifySignature(collateral.qeIdentitySignature, over: collateral.qeIdentityBody, key: signingKey,
                                document: .qeIdentity)
            let qeIdentity = try parse { () throws(AttestationError) in try QEIdentity(json: collateral.qeIdentityBody) }
            try checkWindow(.qeIdentity, issued: qeIdentity.issueDate, nextUpdate: qeIdentity.nextUpdate, time: time)

            let rootCACRL = try verifyCRL(collateral.rootCACRL, document: .rootCACRL, issuer: pckRoot, time: time)
            let pckCRL = try verifyCRL(collateral.pckCRL, document: .pckCRL, issuer: pckIntermediate, time: time)

            for (crl, certificate) in [(pckCRL, pckLeaf), (rootCACRL, pckIntermediate), (rootCACRL, tcbSigning)]
            where crl.isRevoked(certificate) {
                throw CollateralError.certificateRevoked(document: crl.document, subject: certificate.subject,
                                                         serial: Hex.encode(certificate.serialNumber, prefix: false))
            }
            let earliest = min(tcbInfo.issueDate, qeIdentity.issueDate, rootCACRL.thisUpdate, pckCRL.thisUpdate)
            return VerifiedCollateral(tcbInfo: tcbInfo, qeIdentity: qeIdentity, earliestIssueDate: earliest)
        } catch {
            throw .collateral(error)
        }
    }

    /// Step 1: the TCB Signing chain; returns the TCB Signing certificate and its key.
    /// The root is parsed only if it is not a trusted root's exact DER (then the trust store's
    /// parsed copy is used), as in check (b).
    static func verifyTCBSigningChain(_ chain: [[UInt8]], pckRootSHA256: Hash32,
                                      trustStore: TrustStore,
                                      time: UInt64) throws(CollateralError) -> (X509Certificate, CertificateP256Key) {
        let document = CollateralDocument.tcbSigningChain
        guard chain.count == 2 else { throw .unexpectedCertificateCount(document: document, found: chain.count, expected: 2) }
        guard let leaf = X509Certificate(der: chain[0]) else {
            throw .unparsableCertificate(document: document, position: "TCB Signing")
        }
        let rootHash = SHA256.hash(chain[1])
        guard let root = trustStore.certificate(sha256: rootHash) ?? X509Certificate(der: chain[1]) else {
            throw .unparsableCertificate(document: document, position: "root CA")
        }
        guard trustStore.contains(rootHash) else { throw .untrustedRoot(document: document, sha256: rootHash) }
        guard rootHash == pckRootSHA256 else {
            throw .rootMismatch(document: document, found: rootHash, expected: pckRootSHA256)
        }
        do {
            try trustStore.verify(leaf: leaf, root: root, time: time)
            return (leaf, try CertificateP256Key(of: leaf))
        } catch {
            switch error {
            case .certificateNotYetValid(let subject, let notBefore, let time):
                throw .certificateNotYetValid(document: document, subject: subject, notBefore: notBefore, time: time)
            case .certificateExpired(let subject, let notAfter, let time):
                throw .certificateExpired(document: document, subject: subject, notAfter: notAfter, time: time)
            case .certificateChainInvalid(let depth, let reason):
                throw .certificateChainInvalid(document: document, depth: depth, reason: reason)
            case .pckKeyNotP256(let reason):
                throw .signingKeyNotP256(document: document, reason: reason)
            default:
                throw .certificateChainInvalid(document: document, depth: 0, reason: error.description)
            }
        }
    }

    /// Steps 2 and 3: an ECDSA P-256 signature r ‖ s over SHA-256 of the exact body bytes.
    static func verifySignature(_ signature: [UInt8], over body: [UInt8], key: CertificateP256Key,
                                document: CollateralDocument) throws(CollateralError) {
        guard signature.count == 64 else { throw .invalidSignatureLength(document: document, length: signature.count) }
        guard key.isValidSignature(signature, for: body) else { throw .invalidSignature(document: document) }
    }

    /// Step 4: one CRL, its issuer and its window.
    static func verifyCRL(_ der: [UInt8], document: CollateralDocument, issuer: X509Certificate,
                          time: UInt64) throws(CollateralError) -> CertificateRevocationList {
        let crl = try CertificateRevocationList(der: der, document: document)
        guard crl.isIssued(by: issuer) else {
            throw .crlIssuerMismatch(document: document, issuer: crl.issuer, expected: issuer.subject)
        }
        guard crl.isSigned(by: issuer) else { throw .invalidCRLSignature(document: document, signer: issuer.subject) }
        try checkWindow(document, issued: crl.thisUpdate, nextUpdate: crl.nextUpdate, time: time)
        return crl
    }

    /// issued ≤ time ≤ nextUpdate.
    static func checkWindow(_ document: CollateralDocument, issued: Int64, nextUpdate: Int64,
                            time: UInt64) throws(CollateralError) {
        let now = Int64(clamping: time)
        guard issued <= now else { throw .notYetValid(document: document, issued: issued, time: time) }
        guard now <= nextUpdate else { throw .expired(document: document, nextUpdate: nextUpdate, time: time) }
    }

    /// Runs a parser whose errors are `AttestationError.collateral`, unwrapping them.
    private static func parse<T>(_ body: () throws(AttestationError) -> T) throws(CollateralError) -> T {
        do {
            return try body()
        } catch {
            if case .collateral(let reason) = error { throw reason }
            throw .malformedDocument(document: "collateral", reason: error.description)
        }
    }
}
