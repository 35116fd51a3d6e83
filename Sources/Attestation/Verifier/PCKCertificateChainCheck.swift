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
        -> (pckKey: P256PublicKey, rootSHA256: Hash32) {
        let chain = try parseChain(quote.certificationData)
        let leaf = chain[0], intermediate = chain[1], root = chain[2]
        let rootHash = root.sha256
        guard trustStore.contains(rootHash) else { throw .untrustedRoot(sha256: rootHash) }
        try trustStore.verify(leaf: leaf, intermediate: intermediate, root: root, time: time)
        return (try leaf.p256PublicKey(), rootHash)
    }

    /// Parses the certification data into exactly three certificates.
    static func parseChain(_ certificationData: [UInt8]) throws(AttestationError) -> [X509Certificate] {
        let blocks = try PEM.certificates(in: certificationData)
        guard blocks.count == 3 else { throw .unexpectedCertificateCount(found: blocks.count, expected: 3) }
        let positions = ["PCK leaf", "intermediate CA", "root CA"]
        var certificates: [X509Certificate] = []
        for (index, der) in blocks.enumerated() {
            guard let certificate = X509Certificate(der: der) else { throw .unparsableCertificate(position: positions[index]) }
            certificates.append(certificate)
        }
        return certificates
    }
}
