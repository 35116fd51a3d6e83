import Primitives

/// A root CA certificate that the verifier trusts, identified by the SHA-256 of its DER.
///
/// A genesis file pins roots by that hash and ships their DER; `init(der:expectedSHA256:)` checks
/// that the two agree. Real SGX quotes chain to the Intel SGX Root CA (SHA-256 44a0196b…74d3);
/// the simulated enclave's quotes chain to `SimulatedCertificateAuthority.rootSHA256`.
public struct TrustedRoot: Sendable, Hashable {
    let certificate: X509Certificate

    /// SHA-256 of the root certificate's DER.
    public let sha256: Hash32

    /// Trusts a root certificate given as DER.
    /// - Parameter der: exactly one DER X.509 certificate.
    /// - Throws: `AttestationError.invalidTrustedRoot` if OpenSSL cannot parse it.
    public init(der: [UInt8]) throws(AttestationError) {
        guard let certificate = X509Certificate(der: der) else {
            throw .invalidTrustedRoot("\(der.count) bytes are not one DER certificate")
        }
        self.certificate = certificate
        self.sha256 = certificate.sha256
    }

    /// Trusts a root certificate given as DER, checking it against its pinned hash.
    /// - Parameters:
    ///   - der: exactly one DER X.509 certificate.
    ///   - expectedSHA256: the hash a genesis file pins.
    /// - Throws: `AttestationError.invalidTrustedRoot` or `.trustedRootHashMismatch`.
    public init(der: [UInt8], expectedSHA256: Hash32) throws(AttestationError) {
        try self.init(der: der)
        guard sha256 == expectedSHA256 else { throw .trustedRootHashMismatch(expected: expectedSHA256, actual: sha256) }
    }

    /// Trusts a root certificate given as one PEM block.
    /// - Parameter pem: the text of a single `-----BEGIN CERTIFICATE-----` block.
    /// - Throws: `AttestationError.invalidTrustedRoot` unless the text is exactly one certificate.
    public init(pem: String) throws(AttestationError) {
        let blocks: [[UInt8]]
        do {
            blocks = try PEM.certificates(in: Array(pem.utf8))
        } catch {
            throw .invalidTrustedRoot(error.description)
        }
        guard blocks.count == 1 else { throw .invalidTrustedRoot("PEM holds \(blocks.count) certificates, expected 1") }
        try self.init(der: blocks[0])
    }

    /// The root certificate's DER.
    public var der: [UInt8] { certificate.der }

    /// The root certificate's subject, OpenSSL one-line form.
    public var subject: String { certificate.subject }

    /// Whether two roots are the same certificate.
    public static func == (a: TrustedRoot, b: TrustedRoot) -> Bool { a.sha256 == b.sha256 }

    /// Hashes the certificate's SHA-256.
    public func hash(into hasher: inout Hasher) { hasher.combine(sha256) }
}
