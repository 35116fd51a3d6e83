/// The five checks of the SGX DCAP v3 quote verifier, in the order they run (DESIGN.md §6).
///
/// A quote is accepted only if every check passes; the first failing check stops verification and
/// is named by `AttestationError.check`. The order matters: each check relies on what the earlier
/// ones established (the QE report signature is only meaningful once the PCK key is trusted, and
/// the ISV signature only once the attestation key is bound to that QE report).
public enum AttestationCheck: String, Sendable, CaseIterable, CustomStringConvertible {
    /// (a) The quote's framing: version 3, attestation key type 2, TEE type 0, every length field
    /// consistent with the bytes present, certification data type 5, no trailing bytes.
    case structure
    /// (b) The PCK certificate chain (leaf, intermediate, root) parses, ends in a trusted root and
    /// verifies with OpenSSL at the given time.
    case pckCertificateChain
    /// (c) The QE report body is signed by the PCK leaf certificate's key.
    case qeReportSignature
    /// (d) The QE report data is SHA-256(attestation key ‖ QE authentication data) ‖ 32 zero bytes.
    case qeReportDataBinding
    /// (e) The quote header and ISV report body are signed by the attestation key.
    case isvReportSignature
    /// (f) The collateral: TCB Info and QE Identity signed by the TCB Signing certificate, which
    /// chains to a trusted root; both CRLs signed by their issuers; every document and
    /// certificate valid at the given time; no certificate of the PCK chain revoked.
    case collateral
    /// (g) The quote against the collateral: the PCK certificate's FMSPC and PCE-ID match the TCB
    /// Info, a TCB level is met, and the QE report matches the QE Identity.
    case tcbEvaluation

    /// A short human-readable name, as the CLI prints it.
    public var description: String {
        switch self {
        case .structure: "structure and lengths"
        case .pckCertificateChain: "PCK certificate chain"
        case .qeReportSignature: "QE report signature"
        case .qeReportDataBinding: "QE report data binding"
        case .isvReportSignature: "ISV report signature"
        case .collateral: "collateral"
        case .tcbEvaluation: "TCB evaluation"
        }
    }
}
