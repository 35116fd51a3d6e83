import Primitives

/// Why an SGX DCAP v3 quote was rejected, or why a trusted root or simulated certificate could not
/// be made. Every verification error belongs to exactly one `AttestationCheck` (see `check`).
///
/// Messages name the values found and what was expected, for users of `goldengrain attest verify`.
public enum AttestationError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: (a) structure and lengths

    /// The quote is shorter than the fixed part (header 48 + ISV report body 384 + signature data length 4).
    case quoteTooShort(length: Int, minimum: Int)
    /// The quote is longer than the verifier accepts (16,384 bytes; real quotes are under 5 KB).
    case quoteTooLarge(length: Int, maximum: Int)
    /// The header's version is not 3 (version 4 is TDX or SGX v4, version 5 is TDX 1.5).
    case unsupportedVersion(UInt16)
    /// The header's attestation key type is not 2 (ECDSA-256 with P-256).
    case unsupportedAttestationKeyType(UInt16)
    /// The header's TEE type is not 0x00000000 (SGX); 0x81 is TDX.
    case unsupportedTEEType(UInt32)
    /// The signature data length at offset 432 disagrees with the bytes after offset 436 (a truncated quote, or trailing bytes).
    case signatureDataLengthMismatch(declared: UInt32, actual: Int)
    /// The signature data is too short to hold the signatures, keys, QE report and the two length fields.
    case signatureDataTooShort(length: Int, minimum: Int)
    /// The QE authentication data length runs past the bytes left for it and the certification data header.
    case qeAuthenticationDataOutOfBounds(declared: Int, available: Int)
    /// The certification data type is not 5 (the PCK certificate chain as PEM).
    case unsupportedCertificationDataType(UInt16)
    /// The certification data size disagrees with the bytes left in the quote (a truncated quote, or trailing bytes).
    case certificationDataSizeMismatch(declared: UInt32, actual: Int)

    // MARK: (b) PCK certificate chain

    /// The certification data is not a well-formed sequence of PEM certificates.
    case malformedCertificationData(String)
    /// The certification data holds a number of certificates other than 3 (PCK leaf, intermediate CA, root CA).
    case unexpectedCertificateCount(found: Int, expected: Int)
    /// A certificate's DER could not be parsed by OpenSSL, or had bytes after the certificate.
    case unparsableCertificate(position: String)
    /// The chain's root certificate is not one of the trusted roots (compared by the SHA-256 of its DER).
    case untrustedRoot(sha256: Hash32)
    /// A certificate of the chain is not yet valid at the verification time.
    case certificateNotYetValid(subject: String, notBefore: Int64, time: UInt64)
    /// A certificate of the chain has expired at the verification time.
    case certificateExpired(subject: String, notAfter: Int64, time: UInt64)
    /// OpenSSL's X.509 verification rejected the chain for another reason (bad signature, wrong issuer, wrong order).
    case certificateChainInvalid(depth: Int, reason: String)
    /// The PCK leaf certificate's public key is not a P-256 key.
    case pckKeyNotP256(String)

    // MARK: (c) QE report signature

    /// The QE report signature does not verify with the PCK leaf certificate's key over the QE report body.
    case invalidQEReportSignature

    // MARK: (d) QE report data binding

    /// The QE report data is not SHA-256(attestation key ‖ QE authentication data) followed by 32 zero bytes.
    case qeReportDataMismatch(expected: [UInt8], found: [UInt8])

    // MARK: (e) ISV report signature

    /// The attestation key is not a point on P-256.
    case invalidAttestationKey(String)
    /// The ISV report signature does not verify with the attestation key over header ‖ ISV report body.
    case invalidISVReportSignature

    // MARK: (f) collateral, (g) TCB evaluation

    /// The collateral was refused (check (f)).
    case collateral(CollateralError)
    /// The quote could not be evaluated against the collateral (check (g)).
    case tcbEvaluation(TCBEvaluationError)

    // MARK: trusted roots and the simulated enclave

    /// A trusted root certificate could not be parsed (not DER or PEM of an X.509 certificate).
    case invalidTrustedRoot(String)
    /// A trusted root's DER does not hash to the SHA-256 it was pinned with.
    case trustedRootHashMismatch(expected: Hash32, actual: Hash32)
    /// REPORTDATA given to the simulated enclave is not 64 bytes.
    case invalidReportDataLength(Int)
    /// OpenSSL failed while building a simulated certificate or key.
    case openSSLFailure(String)

    /// The verifier check this error belongs to, or `nil` for errors outside quote verification
    /// (trusted root set-up and the simulated enclave).
    public var check: AttestationCheck? {
        switch self {
        case .quoteTooShort, .unsupportedVersion, .unsupportedAttestationKeyType, .unsupportedTEEType,
             .signatureDataLengthMismatch, .signatureDataTooShort, .qeAuthenticationDataOutOfBounds,
             .unsupportedCertificationDataType, .certificationDataSizeMismatch, .quoteTooLarge:
            return .structure
        case .malformedCertificationData, .unexpectedCertificateCount, .unparsableCertificate, .untrustedRoot,
             .certificateNotYetValid, .certificateExpired, .certificateChainInvalid, .pckKeyNotP256:
            return .pckCertificateChain
        case .invalidQEReportSignature:
            return .qeReportSignature
        case .qeReportDataMismatch:
            return .qeReportDataBinding
        case .invalidAttestationKey, .invalidISVReportSignature:
            return .isvReportSignature
        case .collateral:
            return .collateral
        case .tcbEvaluation:
            return .tcbEvaluation
        case .invalidTrustedRoot, .trustedRootHashMismatch, .invalidReportDataLength, .openSSLFailure:
            return nil
        }
    }

    /// A user-facing message naming the values found and what was expected.
    public var description: String {
        switch self {
        case .quoteTooShort(let length, let minimum):
            return "quote is \(length) bytes, expected at least \(minimum)"
        case .unsupportedVersion(let version):
            return "quote version \(version) is not supported, expected 3 (SGX DCAP v3)"
        case .unsupportedAttestationKeyType(let type):
            return "attestation key type \(type) is not supported, expected 2 (ECDSA-256 with P-256)"
        case .unsupportedTEEType(let type):
            return "TEE type 0x\(String(type, radix: 16)) is not supported, expected 0x0 (SGX)"
        case .signatureDataLengthMismatch(let declared, let actual):
            return "signature data length field says \(declared) bytes but \(actual) bytes follow offset 436"
        case .signatureDataTooShort(let length, let minimum):
            return "signature data is \(length) bytes, expected at least \(minimum)"
        case .qeAuthenticationDataOutOfBounds(let declared, let available):
            return "QE authentication data length \(declared) exceeds the \(available) bytes available"
        case .unsupportedCertificationDataType(let type):
            return "certification data type \(type) is not supported, expected 5 (PCK certificate chain, PEM)"
        case .certificationDataSizeMismatch(let declared, let actual):
            return "certification data size field says \(declared) bytes but \(actual) bytes follow it"
        case .quoteTooLarge(let length, let maximum):
            return "quote is \(length) bytes, expected at most \(maximum)"
        case .malformedCertificationData(let reason):
            return "certification data is not a PEM certificate chain: \(reason)"
        case .unexpectedCertificateCount(let found, let expected):
            return "certification data holds \(found) certificates, expected \(expected) (PCK leaf, intermediate CA, root CA)"
        case .unparsableCertificate(let position):
            return "the \(position) certificate is not DER that OpenSSL can parse as one X.509 certificate"
        case .untrustedRoot(let sha256):
            return "root certificate with SHA-256 \(Hex.encode(sha256.bytes, prefix: false)) is not a trusted root"
        case .certificateNotYetValid(let subject, let notBefore, let time):
            return "certificate \(subject) is not valid until \(notBefore), verification time is \(time)"
        case .certificateExpired(let subject, let notAfter, let time):
            return "certificate \(subject) expired at \(notAfter), verification time is \(time)"
        case .certificateChainInvalid(let depth, let reason):
            return "PCK certificate chain rejected at depth \(depth): \(reason)"
        case .pckKeyNotP256(let reason):
            return "PCK leaf certificate key is not P-256: \(reason)"
        case .invalidQEReportSignature:
            return "QE report signature does not verify with the PCK leaf certificate's key"
        case .qeReportDataMismatch(let expected, let found):
            return "QE report data is \(Hex.encode(found)), expected SHA-256(attestation key ‖ QE authentication data) ‖ 32 zero bytes = \(Hex.encode(expected))"
        case .invalidAttestationKey(let reason):
            return "attestation key is not a P-256 point: \(reason)"
        case .invalidISVReportSignature:
            return "ISV report signature does not verify with the attestation key over header ‖ ISV report body"
        case .collateral(let error):
            return "collateral refused: \(error)"
        case .tcbEvaluation(let error):
            return "TCB evaluation failed: \(error)"
        case .invalidTrustedRoot(let reason):
            return "trusted root is not an X.509 certificate: \(reason)"
        case .trustedRootHashMismatch(let expected, let actual):
            return "trusted root DER has SHA-256 \(Hex.encode(actual.bytes, prefix: false)), expected \(Hex.encode(expected.bytes, prefix: false))"
        case .invalidReportDataLength(let length):
            return "REPORTDATA is \(length) bytes, expected 64"
        case .openSSLFailure(let operation):
            return "OpenSSL failed: \(operation)"
        }
    }
}
