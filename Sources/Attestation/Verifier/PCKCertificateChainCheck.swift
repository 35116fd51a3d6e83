internal import COpenSSL
import Primitives
import Signatures

/// Check (b): the PCK certificate chain up to a trusted root, verified by OpenSSL at a given time
/// (Intel SGX ECDSA Quote Library API, Appendix A, certification data type 5; DCAP's QVL
/// verifies the same chain against the Intel SGX Root CA).
///
/// Policy, in order:
/// 1. The certification data is strict PEM (see `PEM`) holding exactly three certificates, in the
///    order the QE writes them: PCK leaf, PCK Platform/Processor CA, root CA. Each must be exactly
///    one DER certificate.
/// 2. The embedded root must be trusted: the SHA-256 of its DER is in the trusted set, else
///    `untrustedRoot`. (Trust is by the exact bytes, not by name, so a look-alike root fails.)
/// 3. OpenSSL's `X509_verify_cert` with a store holding only the trusted roots, the intermediate as
///    the only untrusted helper, and `X509_VERIFY_PARAM_set_time` set to the verification time
///    (the block timestamp on chain, never the wall clock). Signatures, issuer names, CA basic
///    constraints and validity periods are checked by OpenSSL; validity failures are reported as
///    `certificateNotYetValid` / `certificateExpired` with the certificate and the dates.
/// 4. The chain OpenSSL built must be the embedded one, leaf → intermediate → root: a chain whose
///    certificates are out of order (for example leaf and intermediate swapped) is rejected even
///    if OpenSSL could build some other path.
/// 5. The leaf's key must be P-256; it is returned for check (c).
///
/// Revocation (Intel's PCK CRLs), TCB info and QE identity collateral are not checked: DESIGN.md §6
/// asks for these five checks only, and the precompile has no collateral input.
enum PCKCertificateChainCheck {
    /// Runs the check and returns the PCK leaf's public key and the trusted root's hash.
    static func verify(_ quote: Quote, trustStore: TrustStore, time: UInt64) throws(AttestationError)
        -> (pckKey: CertificateP256Key, rootSHA256: Hash32) {
        let chain = try parse(quote.certificationData, trustStore: trustStore)
        return (try verify(chain, trustStore: trustStore, time: time), chain.rootSHA256)
    }

    /// Runs steps 2–5 on a chain `parse` read (step 1) and returns the PCK leaf's public key.
    static func verify(_ chain: PCKCertificateChain, trustStore: TrustStore, time: UInt64) throws(AttestationError) -> CertificateP256Key {
        guard trustStore.contains(chain.rootSHA256) else { throw .untrustedRoot(sha256: chain.rootSHA256) }
        try trustStore.verify(leaf: chain.leaf, intermediate: chain.intermediate, root: chain.root, time: time)
        return try CertificateP256Key(of: chain.leaf)
    }

    /// Step 1: parses the certification data into exactly three certificates, once per
    /// verification; checks (b), (f) and (g) all read the result.
    ///
    /// An embedded root whose DER hashes to a trusted root is that root's certificate, byte for
    /// byte, so the trust store's parsed copy stands for it and OpenSSL does not parse it again;
    /// any other root is parsed here (so that a root which is not a certificate is reported as
    /// unparsable before step 2 reports it untrusted, as always).
    static func parse(_ certificationData: [UInt8], trustStore: TrustStore) throws(AttestationError) -> PCKCertificateChain {
        let blocks = try PEM.certificates(in: certificationData)
        guard blocks.count == 3 else { throw .unexpectedCertificateCount(found: blocks.count, expected: 3) }
        guard let leaf = X509Certificate(der: blocks[0]) else { throw .unparsableCertificate(position: "PCK leaf") }
        guard let intermediate = X509Certificate(der: blocks[1]) else { throw .unparsableCertificate(position: "intermediate CA") }
        let rootHash = SHA256.hash(blocks[2])
        guard let root = trustStore.certificate(sha256: rootHash) ?? X509Certificate(der: blocks[2]) else {
            throw .unparsableCertificate(position: "root CA")
        }
        return PCKCertificateChain(leaf: leaf, intermediate: intermediate, root: root, rootSHA256: rootHash)
    }
}

/// A quote's PCK certificate chain as step 1 of check (b) parsed it: leaf, intermediate CA, root
/// CA, each exactly one DER certificate (not yet verified).
struct PCKCertificateChain {
    /// The PCK leaf certificate (its DER is what `PCKExtensions` reads).
    let leaf: X509Certificate
    /// The PCK Platform or Processor CA.
    let intermediate: X509Certificate
    /// The root CA (the trust store's copy when the embedded DER is a trusted root's).
    let root: X509Certificate
    /// SHA-256 of the embedded root's DER.
    let rootSHA256: Hash32
}
