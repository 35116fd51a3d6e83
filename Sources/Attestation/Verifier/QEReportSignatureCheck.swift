import Signatures

/// Check (c): the QE report body is signed by the PCK leaf certificate's key (Intel SGX ECDSA Quote
/// Library API, Appendix A: "QE Report Signature", ECDSA P-256 with SHA-256 over the 384-byte
/// QE report body).
///
/// High-s policy: signatures with s > n/2 are accepted. ECDSA over P-256 has no low-s rule (unlike
/// Ethereum's secp256k1 transactions), Intel's QE emits high-s signatures (the automata quotes carry
/// one in each signature), and malleability does not matter here: a quote is a statement to check,
/// not an identifier, and the precompile never keys anything by the signature bytes.
enum QEReportSignatureCheck {
    /// Verifies the QE report signature with the PCK leaf key.
    static func verify(_ quote: Quote, pckKey: CertificateP256Key) throws(AttestationError) {
        guard pckKey.isValidSignature(quote.qeReportSignature, for: quote.qeReport.bytes) else {
            throw .invalidQEReportSignature
        }
    }
}
