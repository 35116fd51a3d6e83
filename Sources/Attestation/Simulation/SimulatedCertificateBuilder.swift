internal import COpenSSL
import Primitives
import Signatures

/// Issues the SIMULATED CA's X.509 v3 certificates with OpenSSL, signed deterministically.
///
/// OpenSSL builds and encodes the TBSCertificate (names, validity, key, extensions); `X509_sign`
/// fills in the signature algorithm. Its randomized signature is then replaced by the RFC 6979
/// signature of `P256SigningKey`, and the Certificate SEQUENCE is assembled around the same TBS
/// bytes (RFC 5280 §4.1), so the DER depends only on the inputs.
enum SimulatedCertificateBuilder {
    /// What a certificate is for, which sets its basicConstraints and keyUsage extensions.
    enum Role {
        /// A self-signed root: CA:TRUE, keyCertSign | cRLSign.
        case root
        /// An intermediate CA: CA:TRUE, pathLenConstraint 0, keyCertSign | cRLSign.
        case intermediate
        /// A PCK leaf: CA:FALSE, digitalSignature | nonRepudiation.
        case leaf
    }

    /// Issues one certificate.
    static func issue(role: Role, serial: Int, subject: [(field: String, value: String)],
                      issuer: [(field: String, value: String)], notBefore: Int64, notAfter: Int64,
                      subjectKey: P256SigningKey, issuerKey: P256SigningKey,
                      otherExtensions: [(oid: String, value: [UInt8])] = []) throws(AttestationError) -> X509Certificate {
        guard let certificate = X509_new() else { throw .openSSLFailure("X509_new") }
        defer { X509_free(certificate) }
        guard X509_set_version(certificate, 2) == 1,
              ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial) == 1,
              setName(subject, X509_set_subject_name, certificate),
              setName(issuer, X509_set_issuer_name, certificate),
              ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notAfter)) != nil,
              X509_set_pubkey(certificate, subjectKey.evpKey) == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("building the TBSCertificate")
        }
        // Extension values in DER (RFC 5280 §4.2.1.9 basicConstraints, §4.2.1.3 keyUsage).
        let basicConstraints: [UInt8]
        let keyUsage: [UInt8]
        switch role {
        case .root:
            basicConstraints = [0x30, 0x03, 0x01, 0x01, 0xff]
            keyUsage = [0x03, 0x02, 0x01, 0x06]
        case .intermediate:
            basicConstraints = [0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00]
            keyUsage = [0x03, 0x02, 0x01, 0x06]
        case .leaf:
            basicConstraints = [0x30, 0x00]
            keyUsage = [0x03, 0x02, 0x06, 0xc0]
        }
        try addExtension(NID_basic_constraints, value: basicConstraints, to: certificate)
        try addExtension(NID_key_usage, value: keyUsage, to: certificate)
        for other in otherExtensions {
            try addExtension(oid: other.oid, value: other.value, to: certificate)
        }

        guard X509_sign(certificate, issuerKey.evpKey, EVP_sha256()) > 0 else {
            ERR_clear_error()
            throw .openSSLFailure("X509_sign")
        }
        let tbsLength = i2d_re_X509_tbs(certificate, nil)
        guard tbsLength > 0 else { throw .openSSLFailure("i2d_re_X509_tbs") }
        var tbs = [UInt8](repeating: 0, count: Int(tbsLength))
        let written = tbs.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_re_X509_tbs(certificate, &cursor)
        }
        guard written == tbsLength else { throw .openSSLFailure("i2d_re_X509_tbs") }
        let signature = issuerKey.signature(for: tbs)
        let der = DER.sequence(tbs + DER.ecdsaWithSHA256 + DER.bitString(DER.ecdsaSignature(signature)))
        guard let parsed = X509Certificate(der: der) else { throw .openSSLFailure("re-parsing a simulated certificate") }
        return parsed
    }

    /// A non-critical extension by dotted OID (the PCK certificate's SGX extensions).
    private static func addExtension(oid: String, value: [UInt8], to certificate: OpaquePointer) throws(AttestationError) {
        guard let object = OBJ_txt2obj(oid, 1) else { ERR_clear_error(); throw .openSSLFailure("OBJ_txt2obj(\(oid))") }
        defer { ASN1_OBJECT_free(object) }
        guard let octets = ASN1_OCTET_STRING_new() else { throw .openSSLFailure("ASN1_OCTET_STRING_new") }
        defer { ASN1_OCTET_STRING_free(octets) }
        guard ASN1_OCTET_STRING_set(octets, value, Int32(value.count)) == 1,
              let extensionValue = X509_EXTENSION_create_by_OBJ(nil, object, 0, octets) else {
            ERR_clear_error()
            throw .openSSLFailure("X509_EXTENSION_create_by_OBJ(\(oid))")
        }
        defer { X509_EXTENSION_free(extensionValue) }
        guard X509_add_ext(certificate, extensionValue, -1) == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("X509_add_ext(\(oid))")
        }
    }

    /// Issues a CRL (RFC 5280 §5) with OpenSSL's X509_CRL API: v2, the issuer's name, thisUpdate
    /// and nextUpdate, the revoked serials (each revoked at `thisUpdate`), a CRL Number extension;
    /// signed deterministically like the certificates (OpenSSL's signature replaced by RFC 6979's
    /// over the same TBSCertList bytes).
    /// - Returns: the CRL's DER.
    static func issueCRL(issuer: [(field: String, value: String)], issuerKey: P256SigningKey, number: Int,
                         thisUpdate: Int64, nextUpdate: Int64, revokedSerials: [Int]) throws(AttestationError) -> [UInt8] {
        guard let crl = X509_CRL_new() else { throw .openSSLFailure("X509_CRL_new") }
        defer { X509_CRL_free(crl) }
        guard let name = X509_NAME_new() else { throw .openSSLFailure("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        for entry in issuer {
            let value = Array(entry.value.utf8)
            guard X509_NAME_add_entry_by_txt(name, entry.field, V_ASN1_UTF8STRING, value, Int32(value.count), -1, 0) == 1 else {
                ERR_clear_error()
                throw .openSSLFailure("X509_NAME_add_entry_by_txt")
            }
        }
        guard let lastTime = ASN1_TIME_set(nil, time_t(thisUpdate)) else { throw .openSSLFailure("ASN1_TIME_set") }
        defer { ASN1_TIME_free(lastTime) }
        guard let nextTime = ASN1_TIME_set(nil, time_t(nextUpdate)) else { throw .openSSLFailure("ASN1_TIME_set") }
        defer { ASN1_TIME_free(nextTime) }
        guard X509_CRL_set_version(crl, 1) == 1, X509_CRL_set_issuer_name(crl, name) == 1,
              X509_CRL_set1_lastUpdate(crl, lastTime) == 1, X509_CRL_set1_nextUpdate(crl, nextTime) == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("building the TBSCertList")
        }
        for serial in revokedSerials {
            guard let revoked = X509_REVOKED_new() else { throw .openSSLFailure("X509_REVOKED_new") }
            guard let serialNumber = ASN1_INTEGER_new() else { X509_REVOKED_free(revoked); throw .openSSLFailure("ASN1_INTEGER_new") }
            defer { ASN1_INTEGER_free(serialNumber) }
            // X509_CRL_add0_revoked takes ownership of `revoked`.
            guard ASN1_INTEGER_set(serialNumber, serial) == 1, X509_REVOKED_set_serialNumber(revoked, serialNumber) == 1,
                  X509_REVOKED_set_revocationDate(revoked, lastTime) == 1, X509_CRL_add0_revoked(crl, revoked) == 1 else {
                X509_REVOKED_free(revoked)
                ERR_clear_error()
                throw .openSSLFailure("adding revoked serial \(serial)")
            }
        }
        guard let crlNumber = ASN1_INTEGER_new() else { throw .openSSLFailure("ASN1_INTEGER_new") }
        defer { ASN1_INTEGER_free(crlNumber) }
        guard ASN1_INTEGER_set(crlNumber, number) == 1,
              X509_CRL_add1_ext_i2d(crl, NID_crl_number, UnsafeMutableRawPointer(crlNumber), 0, 0) == 1,
              X509_CRL_sort(crl) == 1,
              X509_CRL_sign(crl, issuerKey.evpKey, EVP_sha256()) > 0 else {
            ERR_clear_error()
            throw .openSSLFailure("X509_CRL_sign")
        }
        let tbsLength = i2d_re_X509_CRL_tbs(crl, nil)
        guard tbsLength > 0 else { ERR_clear_error(); throw .openSSLFailure("i2d_re_X509_CRL_tbs") }
        var tbs = [UInt8](repeating: 0, count: Int(tbsLength))
        let written = tbs.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_re_X509_CRL_tbs(crl, &cursor)
        }
        guard written == tbsLength else { throw .openSSLFailure("i2d_re_X509_CRL_tbs") }
        let signature = issuerKey.signature(for: tbs)
        return DER.sequence(tbs + DER.ecdsaWithSHA256 + DER.bitString(DER.ecdsaSignature(signature)))
    }

    private static func setName(_ entries: [(field: String, value: String)],
                                _ setter: (OpaquePointer?, OpaquePointer?) -> Int32, _ certificate: OpaquePointer) -> Bool {
        guard let name = X509_NAME_new() else { return false }
        defer { X509_NAME_free(name) }
        for entry in entries {
            let value = Array(entry.value.utf8)
            guard X509_NAME_add_entry_by_txt(name, entry.field, V_ASN1_UTF8STRING, value, Int32(value.count), -1, 0) == 1 else {
                return false
            }
        }
        return setter(certificate, name) == 1
    }

    private static func addExtension(_ nid: Int32, value: [UInt8], to certificate: OpaquePointer) throws(AttestationError) {
        guard let octets = ASN1_OCTET_STRING_new() else { throw .openSSLFailure("ASN1_OCTET_STRING_new") }
        defer { ASN1_OCTET_STRING_free(octets) }
        guard ASN1_OCTET_STRING_set(octets, value, Int32(value.count)) == 1,
              let extensionValue = X509_EXTENSION_create_by_NID(nil, nid, 1, octets) else {
            ERR_clear_error()
            throw .openSSLFailure("X509_EXTENSION_create_by_NID(\(nid))")
        }
        defer { X509_EXTENSION_free(extensionValue) }
        guard X509_add_ext(certificate, extensionValue, -1) == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("X509_add_ext(\(nid))")
        }
    }
}
