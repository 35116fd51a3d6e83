import Primitives

/// The parts of Intel's collateral, as errors name them.
public enum CollateralDocument: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The signed TCB Info (`tcbInfo`).
    case tcbInfo = "TCB Info"
    /// The signed QE Identity (`enclaveIdentity`).
    case qeIdentity = "QE Identity"
    /// The TCB Signing certificate chain that signs both.
    case tcbSigningChain = "TCB Signing chain"
    /// The Root CA CRL (revokes intermediate CAs and the TCB Signing certificate).
    case rootCACRL = "Root CA CRL"
    /// The PCK Platform or Processor CA CRL (revokes PCK certificates).
    case pckCRL = "PCK CRL"
    /// A file that bundles the parts (dcap-qvl's collateral.json).
    case collateralFile = "collateral file"

    /// The name used in messages, e.g. "TCB Info".
    public var description: String { rawValue }
}

/// Why collateral (TCB Info, QE Identity, the TCB Signing chain, the CRLs) was refused: its
/// format, a signature, an issuer link, a validity window at the verification time, or a revoked
/// certificate. Messages name the document, the values found and what was expected.
public enum CollateralError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A document is not what Intel's format defines, for a reason no other case describes.
    case malformedDocument(document: String, reason: String)
    /// A JSON document is not JSON at all.
    case invalidJSON(document: CollateralDocument, offset: Int, reason: String)
    /// A required field is absent (`field` is its path, e.g. `tcbLevels[2].tcb.pcesvn`).
    case missingField(document: CollateralDocument, field: String)
    /// An object has the same member twice, so which one a reader takes would be ambiguous.
    case duplicateField(document: CollateralDocument, field: String)
    /// A field has the wrong type, length, range or value.
    case invalidField(document: CollateralDocument, field: String, found: String, expected: String)
    /// A signature is not 64 bytes r ‖ s.
    case invalidSignatureLength(document: CollateralDocument, length: Int)
    /// The TCB Info or QE Identity signature does not verify with the TCB Signing certificate's key
    /// over the document's exact bytes.
    case invalidSignature(document: CollateralDocument)
    /// The TCB Signing chain does not hold exactly two certificates (TCB Signing, root CA).
    case unexpectedCertificateCount(document: CollateralDocument, found: Int, expected: Int)
    /// A certificate of the TCB Signing chain, or of the quote's PCK chain, cannot be parsed.
    case unparsableCertificate(document: CollateralDocument, position: String)
    /// The TCB Signing chain ends in a root other than the one the quote's PCK chain ends in.
    case rootMismatch(document: CollateralDocument, found: Hash32, expected: Hash32)
    /// The TCB Signing chain's root is not a trusted root.
    case untrustedRoot(document: CollateralDocument, sha256: Hash32)
    /// A certificate of the TCB Signing chain is not yet valid at the verification time.
    case certificateNotYetValid(document: CollateralDocument, subject: String, notBefore: Int64, time: UInt64)
    /// A certificate of the TCB Signing chain has expired at the verification time.
    case certificateExpired(document: CollateralDocument, subject: String, notAfter: Int64, time: UInt64)
    /// OpenSSL rejected the TCB Signing chain for another reason (signature, issuer, CA constraints).
    case certificateChainInvalid(document: CollateralDocument, depth: Int, reason: String)
    /// The TCB Signing certificate's key is not a P-256 key.
    case signingKeyNotP256(document: CollateralDocument, reason: String)
    /// The document was issued after the verification time (issueDate, or a CRL's thisUpdate).
    case notYetValid(document: CollateralDocument, issued: Int64, time: UInt64)
    /// The document's nextUpdate is before the verification time: it is stale.
    case expired(document: CollateralDocument, nextUpdate: Int64, time: UInt64)
    /// A CRL is not exactly one DER (or PEM) X.509 CRL, or lacks a field Intel's profile requires.
    case unparsableCRL(document: CollateralDocument, reason: String)
    /// A CRL's issuer name is not the subject of the CA that must issue it.
    case crlIssuerMismatch(document: CollateralDocument, issuer: String, expected: String)
    /// A CRL's signature does not verify with the key of the CA that must issue it.
    case invalidCRLSignature(document: CollateralDocument, signer: String)
    /// A certificate's serial number is listed in a CRL.
    case certificateRevoked(document: CollateralDocument, subject: String, serial: String)

    /// The message: the document, the check, the value found and what was expected.
    public var description: String {
        switch self {
        case .malformedDocument(let document, let reason):
            return "\(document) is malformed: \(reason)"
        case .invalidJSON(let document, let offset, let reason):
            return "\(document) is not JSON: byte \(offset): \(reason)"
        case .missingField(let document, let field):
            return "\(document) has no field \(field)"
        case .duplicateField(let document, let field):
            return "\(document) has field \(field) more than once, expected it once"
        case .invalidField(let document, let field, let found, let expected):
            return "\(document) field \(field) is \(found), expected \(expected)"
        case .invalidSignatureLength(let document, let length):
            return "\(document) signature is \(length) bytes, expected 64 (ECDSA P-256 r ‖ s)"
        case .invalidSignature(let document):
            return "\(document) signature does not verify with the TCB Signing certificate's key"
        case .unexpectedCertificateCount(let document, let found, let expected):
            return "\(document) holds \(found) certificates, expected \(expected)"
        case .unparsableCertificate(let document, let position):
            return "\(document): the \(position) certificate is not one DER X.509 certificate"
        case .rootMismatch(let document, let found, let expected):
            return "\(document) ends in root \(Hex.encode(found.bytes, prefix: false)), expected the PCK chain's root \(Hex.encode(expected.bytes, prefix: false))"
        case .untrustedRoot(let document, let sha256):
            return "\(document) root with SHA-256 \(Hex.encode(sha256.bytes, prefix: false)) is not a trusted root"
        case .certificateNotYetValid(let document, let subject, let notBefore, let time):
            return "\(document): certificate \(subject) is not valid until \(Self.date(notBefore)), verification time is \(Self.date(time))"
        case .certificateExpired(let document, let subject, let notAfter, let time):
            return "\(document): certificate \(subject) expired at \(Self.date(notAfter)), verification time is \(Self.date(time))"
        case .certificateChainInvalid(let document, let depth, let reason):
            return "\(document) rejected at depth \(depth): \(reason)"
        case .signingKeyNotP256(let document, let reason):
            return "\(document): the TCB Signing certificate's key is not P-256: \(reason)"
        case .notYetValid(let document, let issued, let time):
            return "\(document) was issued at \(Self.date(issued)), after the verification time \(Self.date(time))"
        case .expired(let document, let nextUpdate, let time):
            return "\(document) is stale: nextUpdate \(Self.date(nextUpdate)) is before the verification time \(Self.date(time))"
        case .unparsableCRL(let document, let reason):
            return "\(document) is not an X.509 CRL: \(reason)"
        case .crlIssuerMismatch(let document, let issuer, let expected):
            return "\(document) is issued by \(issuer), expected \(expected)"
        case .invalidCRLSignature(let document, let signer):
            return "\(document) signature does not verify with the key of \(signer)"
        case .certificateRevoked(let document, let subject, let serial):
            return "certificate \(subject) with serial \(serial) is revoked by the \(document)"
        }
    }

    /// A Unix time as ISO 8601 followed by the seconds, e.g. "2025-07-19T10:56:11Z (1752922571)".
    private static func date(_ seconds: Int64) -> String { "\(ISO8601.text(seconds)) (\(seconds))" }

    private static func date(_ seconds: UInt64) -> String { date(Int64(clamping: seconds)) }
}
