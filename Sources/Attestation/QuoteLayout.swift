/// Byte offsets and sizes of an Intel SGX DCAP v3 ECDSA quote (Intel SGX ECDSA Quote Library API,
/// Appendix A "Quote Format"; docs/formats.md "SGX DCAP v3 quote" has the full table).
///
/// All integers are little-endian. Offsets are from the start of the quote:
///
///     0    header (48)                 version u16, attestation key type u16, TEE type u32,
///                                      QE SVN u16, PCE SVN u16, QE vendor ID (16), user data (20)
///     48   ISV enclave report body (384)
///     432  signature data length u32 = quote length − 436
///     436  signature data:
///          +0    ISV report signature (64, r ‖ s)
///          +64   attestation key (64, x ‖ y)
///          +128  QE report body (384)
///          +512  QE report signature (64, r ‖ s)
///          +576  QE authentication data length u16 = a, then a bytes
///          +578+a certification data type u16 (5), size u32 = s, then s bytes (PEM chain)
enum QuoteLayout {
    /// Size of the quote header.
    static let headerSize = 48
    /// Size of an SGX report body (SGX REPORT minus KEYID and MAC), for the ISV and the QE report.
    static let reportBodySize = 384
    /// Offset of the ISV report body.
    static let isvReportOffset = 48
    /// Offset of the signature data length field.
    static let signatureDataLengthOffset = 432
    /// Offset of the signature data; also the minimum quote length.
    static let signatureDataOffset = 436
    /// Size of an ECDSA P-256 signature r ‖ s.
    static let signatureSize = 64
    /// Size of a raw P-256 public key x ‖ y.
    static let publicKeySize = 64
    /// Offset of the QE authentication data length within the signature data.
    static let qeAuthenticationDataLengthOffset = 576
    /// Fixed part of the signature data: signatures, key, QE report, auth data length, certification data header.
    static let minimumSignatureDataSize = 576 + 2 + 6
    /// The only supported quote version.
    static let version: UInt16 = 3
    /// ECDSA-256 with P-256, the only supported attestation key type.
    static let attestationKeyTypeECDSAP256: UInt16 = 2
    /// SGX, the only supported TEE type.
    static let teeTypeSGX: UInt32 = 0
    /// Certification data type 5: the PCK certificate chain, PEM, leaf first.
    static let certificationDataTypePCKChain: UInt16 = 5
    /// The largest quote accepted. Real quotes are 4.6–4.8 KB (a 32-byte QE authentication data and
    /// a 3.5–3.7 KB PEM chain); the bound keeps the precompile's work, and so its gas, per call
    /// below 100,000 (docs/gas.md).
    static let maximumQuoteSize = 16_384
}

extension Array where Element == UInt8 {
    /// Reads a little-endian unsigned integer at `offset`; the caller has checked the bounds.
    func littleEndian<T: FixedWidthInteger & UnsignedInteger>(at offset: Int, as type: T.Type) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size {
            value |= T(self[offset + index]) << (8 * index)
        }
        return value
    }

    /// Appends a little-endian unsigned integer.
    mutating func appendLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        for index in 0..<MemoryLayout<T>.size {
            append(UInt8(truncatingIfNeeded: value >> (8 * index)))
        }
    }
}
