import Signatures

/// Check (d): the QE report data binds the attestation key (Intel SGX ECDSA Quote Library API,
/// Appendix A: the first 32 bytes of the QE report's REPORTDATA are SHA-256(attestation key ‖
/// QE authentication data); the remaining 32 bytes are zero).
///
/// This is what lets a signature by the attestation key stand for the QE: check (c) showed the PCK
/// key signed this QE report, and the report names the attestation key.
enum QEReportDataBindingCheck {
    /// The QE REPORTDATA expected for a given attestation key and authentication data.
    static func expectedReportData(attestationKey: [UInt8], qeAuthenticationData: [UInt8]) -> [UInt8] {
        SHA256.hash(attestationKey + qeAuthenticationData).bytes + [UInt8](repeating: 0, count: 32)
    }

    /// Verifies the binding.
    static func verify(_ quote: Quote) throws(AttestationError) {
        let expected = expectedReportData(attestationKey: quote.attestationKey, qeAuthenticationData: quote.qeAuthenticationData)
        let found = quote.qeReport.reportData
        guard found == expected else { throw .qeReportDataMismatch(expected: expected, found: found) }
    }
}
