/// Check (a): the quote's structure and lengths (Intel SGX ECDSA Quote Library API, Appendix A).
///
/// Policy, in order: the header must be present and say version 3, attestation key type 2
/// (ECDSA-256 with P-256) and TEE type 0 (SGX); the quote must be 436 to 16,384 bytes long; the
/// u32 signature data length at offset 432 must
/// equal the number of bytes after offset 436 exactly (so a truncated quote and a quote with
/// trailing bytes both fail here); the signature data must hold the fixed 584 bytes; the QE
/// authentication data must fit; the certification data type must be 5 and its u32 size must
/// equal the bytes that remain. Nothing is allowed after the certification data.
enum StructureCheck {
    /// Parses `bytes` into a `Quote` or throws the first structural problem found.
    static func parse(_ bytes: [UInt8]) throws(AttestationError) -> Quote {
        let fixedSize = QuoteLayout.signatureDataOffset
        // Version, key type and TEE type come first so that a quote of another format (TDX v4,
        // SGX v4/v5) is reported as such rather than as a length error.
        guard bytes.count >= 8 else { throw .quoteTooShort(length: bytes.count, minimum: fixedSize) }
        let version = bytes.littleEndian(at: 0, as: UInt16.self)
        guard version == QuoteLayout.version else { throw .unsupportedVersion(version) }
        let keyType = bytes.littleEndian(at: 2, as: UInt16.self)
        guard keyType == QuoteLayout.attestationKeyTypeECDSAP256 else { throw .unsupportedAttestationKeyType(keyType) }
        let teeType = bytes.littleEndian(at: 4, as: UInt32.self)
        guard teeType == QuoteLayout.teeTypeSGX else { throw .unsupportedTEEType(teeType) }
        guard bytes.count >= fixedSize else { throw .quoteTooShort(length: bytes.count, minimum: fixedSize) }
        guard bytes.count <= QuoteLayout.maximumQuoteSize else {
            throw .quoteTooLarge(length: bytes.count, maximum: QuoteLayout.maximumQuoteSize)
        }

        let declaredSignatureDataLength = bytes.littleEndian(at: QuoteLayout.signatureDataLengthOffset, as: UInt32.self)
        let actualSignatureDataLength = bytes.count - fixedSize
        guard Int(declaredSignatureDataLength) == actualSignatureDataLength else {
            throw .signatureDataLengthMismatch(declared: declaredSignatureDataLength, actual: actualSignatureDataLength)
        }
        guard actualSignatureDataLength >= QuoteLayout.minimumSignatureDataSize else {
            throw .signatureDataTooShort(length: actualSignatureDataLength, minimum: QuoteLayout.minimumSignatureDataSize)
        }

        var offset = fixedSize
        func take(_ count: Int) -> [UInt8] {
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }
        let isvReportSignature = take(QuoteLayout.signatureSize)
        let attestationKey = take(QuoteLayout.publicKeySize)
        let qeReport = ReportBody(bytes: take(QuoteLayout.reportBodySize))
        let qeReportSignature = take(QuoteLayout.signatureSize)
        let authenticationDataLength = Int(bytes.littleEndian(at: offset, as: UInt16.self))
        offset += 2
        // After the authentication data there must still be room for the 6-byte certification data header.
        let available = bytes.count - offset - 6
        guard authenticationDataLength <= available else {
            throw .qeAuthenticationDataOutOfBounds(declared: authenticationDataLength, available: available)
        }
        let qeAuthenticationData = take(authenticationDataLength)
        let certificationDataType = bytes.littleEndian(at: offset, as: UInt16.self)
        guard certificationDataType == QuoteLayout.certificationDataTypePCKChain else {
            throw .unsupportedCertificationDataType(certificationDataType)
        }
        let declaredCertificationDataSize = bytes.littleEndian(at: offset + 2, as: UInt32.self)
        offset += 6
        let remaining = bytes.count - offset
        guard Int(declaredCertificationDataSize) == remaining else {
            throw .certificationDataSizeMismatch(declared: declaredCertificationDataSize, actual: remaining)
        }
        let certificationData = take(remaining)

        return Quote(header: QuoteHeader(reading: bytes),
                     isvReport: ReportBody(bytes: Array(bytes[QuoteLayout.isvReportOffset..<QuoteLayout.signatureDataLengthOffset])),
                     isvReportSignature: isvReportSignature, attestationKey: attestationKey, qeReport: qeReport,
                     qeReportSignature: qeReportSignature, qeAuthenticationData: qeAuthenticationData,
                     certificationDataType: certificationDataType, certificationData: certificationData)
    }
}
