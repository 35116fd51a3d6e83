import Signatures

/// Check (e): the header and ISV report body are signed by the attestation key (Intel SGX ECDSA
/// Quote Library API, Appendix A: "ISV Enclave Report Signature", ECDSA P-256 with SHA-256 over
/// header (48) ‖ ISV report body (384)).
///
/// High s is accepted, as in check (c).
enum ISVReportSignatureCheck {
    /// Verifies the ISV report signature with the attestation key.
    static func verify(_ quote: Quote) throws(AttestationError) {
        let attestationKey: P256PublicKey
        do {
            attestationKey = try P256PublicKey(rawRepresentation: quote.attestationKey)
        } catch {
            throw .invalidAttestationKey(error.description)
        }
        guard attestationKey.isValidSignature(quote.isvReportSignature, for: quote.signedISVBytes) else {
            throw .invalidISVReportSignature
        }
    }
}
