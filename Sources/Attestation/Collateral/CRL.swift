internal import COpenSSL
import Primitives

/// An X.509 certificate revocation list (RFC 5280 §5) held as an OpenSSL `X509_CRL*`, with the DER
/// it was parsed from: Intel's Root CA CRL and PCK Platform/Processor CA CRLs ("Intel SGX PCK
/// Certificate and Certificate Revocation List Profile": v2 CRLs, ECDSA with SHA-256, thisUpdate
/// and nextUpdate present).
///
/// The DER must be exactly one CRL: bytes after it are rejected, so the bytes checked are the bytes
/// given. Checking a CRL is: its issuer name is the issuing CA's subject (`isIssued(by:)`), its
/// signature verifies with that CA's key (`isSigned(by:)`), thisUpdate ≤ time ≤ nextUpdate
/// (`CollateralCheck`), and then `isRevoked(_:)` looks a certificate's serial number up.
final class CertificateRevocationList: @unchecked Sendable {
    /// The owned `X509_CRL*`; only read after parsing.
    private let pointer: OpaquePointer
    /// The DER encoding.
    let der: [UInt8]
    /// Which CRL this is, for errors.
    let document: CollateralDocument

    /// Parses one DER CRL.
    /// - Parameters:
    ///   - der: the bytes; OpenSSL must read exactly one CRL spanning all of them.
    ///   - document: `.rootCACRL` or `.pckCRL`, for errors.
    /// - Throws: `CollateralError.unparsableCRL`.
    init(der: [UInt8], document: CollateralDocument) throws(CollateralError) {
        var consumed = 0
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let crl = d2i_X509_CRL(nil, &cursor, buffer.count)
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return crl
        }
        guard let parsed else {
            ERR_clear_error()
            throw .unparsableCRL(document: document, reason: "OpenSSL cannot read \(der.count) bytes as a DER CRL")
        }
        guard consumed == der.count else {
            X509_CRL_free(parsed)
            throw .unparsableCRL(document: document, reason: "\(der.count - consumed) bytes follow the CRL's \(consumed) bytes")
        }
        self.pointer = parsed
        self.der = der
        self.document = document
        let algorithm = X509_CRL_get_signature_nid(pointer)
        guard algorithm == NID_ecdsa_with_SHA256 else {
            let name = OBJ_nid2sn(algorithm).map { String(cString: $0) } ?? "NID \(algorithm)"
            throw .unparsableCRL(document: document, reason: "signature algorithm is \(name), expected ecdsa-with-SHA256")
        }
        guard X509_CRL_get0_nextUpdate(pointer) != nil else {
            throw .unparsableCRL(document: document, reason: "it has no nextUpdate, which Intel's CRL profile requires")
        }
        guard thisUpdate != 0, nextUpdate != 0 else {
            throw .unparsableCRL(document: document, reason: "its thisUpdate or nextUpdate cannot be read")
        }
        try checkExtensions()
    }

    /// RFC 5280 §5.2: a CRL with a critical extension the reader does not process must not be
    /// used, and a delta CRL (Delta CRL Indicator) only lists changes, so it cannot stand for the
    /// complete CRL Intel publishes. Intel's CRLs carry only CRL Number and Authority Key
    /// Identifier, neither critical.
    private func checkExtensions() throws(CollateralError) {
        for index in 0..<X509_CRL_get_ext_count(pointer) {
            guard let ext = X509_CRL_get_ext(pointer, index) else { continue }
            let object = X509_EXTENSION_get_object(ext)
            let nid = OBJ_obj2nid(object)
            if nid == NID_delta_crl {
                throw .unparsableCRL(document: document, reason: "it is a delta CRL (Delta CRL Indicator), expected a complete CRL")
            }
            guard X509_EXTENSION_get_critical(ext) != 0, nid != NID_crl_number, nid != NID_authority_key_identifier else { continue }
            var name = [CChar](repeating: 0, count: 128)
            let length = OBJ_obj2txt(&name, Int32(name.count), object, 1)
            let oid = length > 0 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
            throw .unparsableCRL(document: document, reason: "it carries the critical extension \(oid), which this verifier does not process")
        }
    }

    deinit { X509_CRL_free(pointer) }

    /// The issuer name, OpenSSL one-line form.
    var issuer: String { X509Certificate.oneLine(X509_CRL_get_issuer(pointer)) }

    /// thisUpdate (OpenSSL's lastUpdate), seconds since the Unix epoch.
    var thisUpdate: Int64 { X509Certificate.unixTime(X509_CRL_get0_lastUpdate(pointer)) }

    /// nextUpdate, seconds since the Unix epoch.
    var nextUpdate: Int64 { X509Certificate.unixTime(X509_CRL_get0_nextUpdate(pointer)) }

    /// Whether the issuer name equals the certificate's subject name (OpenSSL's canonical comparison).
    func isIssued(by certificate: X509Certificate) -> Bool {
        X509_NAME_cmp(X509_CRL_get_issuer(pointer), X509_get_subject_name(certificate.pointer)) == 0
    }

    /// Whether the CRL's signature verifies with the certificate's public key.
    func isSigned(by certificate: X509Certificate) -> Bool {
        guard let key = X509_get0_pubkey(certificate.pointer) else { ERR_clear_error(); return false }
        let verified = X509_CRL_verify(pointer, key) == 1
        if !verified { ERR_clear_error() }
        return verified
    }

    /// Whether the certificate's serial number is listed (an entry with reason removeFromCRL, which
    /// only delta CRLs carry, does not count).
    func isRevoked(_ certificate: X509Certificate) -> Bool {
        guard let serial = X509_get0_serialNumber(certificate.pointer) else { return false }
        var entry: OpaquePointer? = nil
        return X509_CRL_get0_by_serial(pointer, &entry, serial) == 1
    }

    /// The serial numbers listed, as big-endian magnitude bytes, in the CRL's order.
    var revokedSerials: [[UInt8]] {
        guard let entries = X509_CRL_get_REVOKED(pointer) else { return [] }
        return (0..<OPENSSL_sk_num(entries)).compactMap { index in
            guard let entry = OPENSSL_sk_value(entries, index),
                  let serial = X509_REVOKED_get0_serialNumber(OpaquePointer(entry)),
                  let data = ASN1_STRING_get0_data(serial) else { return nil }
            return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(serial))))
        }
    }

    /// A CRL given as DER or as one PEM `X509 CRL` block, as DER.
    /// - Parameters:
    ///   - bytes: DER, or PEM text (`-----BEGIN X509 CRL-----`, canonical base64 lines,
    ///     `-----END X509 CRL-----`, LF or CR LF, surrounding blank lines allowed).
    ///   - document: for errors.
    /// - Returns: the DER (not yet parsed).
    /// - Throws: `CollateralError.unparsableCRL` for PEM that is not exactly one CRL block.
    static func der(fromDERorPEM bytes: [UInt8], document: CollateralDocument) throws(CollateralError) -> [UInt8] {
        let begin = Array("-----BEGIN X509 CRL-----".utf8), end = Array("-----END X509 CRL-----".utf8)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.last == UInt8(ascii: "\r") ? Array($0.dropLast()) : Array($0) }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        guard let first = lines.first, first == begin else { return bytes }  // DER (or garbage, for the parser to refuse)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count >= 3, lines.last == end else {
            throw .unparsableCRL(document: document, reason: "PEM has no single -----END X509 CRL----- line at its end")
        }
        let body = lines.dropFirst().dropLast()
        guard body.allSatisfy({ !$0.isEmpty && $0 != begin && $0 != end }), let der = Base64.decode(Array(body.joined())) else {
            throw .unparsableCRL(document: document, reason: "PEM body is not one block of canonical base64")
        }
        return der
    }
}

extension X509Certificate {
    /// The serial number as big-endian magnitude bytes (as CRLs list it).
    var serialNumber: [UInt8] {
        guard let serial = X509_get0_serialNumber(pointer), let data = ASN1_STRING_get0_data(serial) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(serial))))
    }
}
