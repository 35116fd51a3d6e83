internal import COpenSSL
import Foundation
import Primitives
import Signatures

/// An X.509 certificate held as an OpenSSL `X509*`, with the DER it was parsed from.
///
/// The DER must be exactly one certificate: bytes after it are rejected, so the SHA-256 of `der`
/// identifies the certificate that OpenSSL verifies.
final class X509Certificate: @unchecked Sendable {
    /// The owned `X509*`; immutable after parsing, so concurrent reads are safe.
    let pointer: OpaquePointer
    /// The DER encoding.
    let der: [UInt8]

    /// Parses DER; returns `nil` unless OpenSSL reads exactly one certificate spanning all the bytes.
    init?(der: [UInt8]) {
        var consumed = 0
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let certificate = d2i_X509(nil, &cursor, buffer.count)
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return certificate
        }
        guard let parsed else { ERR_clear_error(); return nil }
        guard consumed == der.count else { X509_free(parsed); return nil }
        self.pointer = parsed
        self.der = der
    }

    deinit { X509_free(pointer) }

    /// SHA-256 of the DER, the value a genesis file pins for a trusted root.
    var sha256: Hash32 { SHA256.hash(der) }

    /// The subject as OpenSSL's one-line form, e.g. `/C=US/O=Intel Corporation/CN=Intel SGX Root CA`.
    var subject: String { Self.oneLine(X509_get_subject_name(pointer)) }

    /// The issuer in the same form.
    var issuer: String { Self.oneLine(X509_get_issuer_name(pointer)) }

    /// notBefore in seconds since the Unix epoch.
    var notBefore: Int64 { Self.unixTime(X509_get0_notBefore(pointer)) }

    /// notAfter in seconds since the Unix epoch.
    var notAfter: Int64 { Self.unixTime(X509_get0_notAfter(pointer)) }

    /// A summary for display.
    var summary: CertificateSummary {
        CertificateSummary(subject: subject, issuer: issuer, notBefore: notBefore, notAfter: notAfter, sha256: sha256)
    }

    /// A name in OpenSSL's one-line form (also used for CRL issuers).
    static func oneLine(_ name: OpaquePointer?) -> String {
        guard let name else { return "(no name)" }
        var buffer = [CChar](repeating: 0, count: 512)
        guard X509_NAME_oneline(name, &buffer, Int32(buffer.count)) != nil else { return "(unprintable name)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An ASN.1 time in seconds since the Unix epoch, 0 if OpenSSL cannot read it (also used for CRL dates).
    static func unixTime(_ time: UnsafePointer<asn1_string_st>?) -> Int64 {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { ERR_clear_error(); return 0 }
        return Int64(timegm(&parts))
    }
}

/// The fields of a certificate that `goldengrain attest inspect` prints.
public struct CertificateSummary: Hashable, Sendable {
    /// The subject distinguished name, OpenSSL one-line form.
    public let subject: String
    /// The issuer distinguished name, OpenSSL one-line form.
    public let issuer: String
    /// Start of validity, seconds since the Unix epoch.
    public let notBefore: Int64
    /// End of validity, seconds since the Unix epoch.
    public let notAfter: Int64
    /// SHA-256 of the certificate's DER.
    public let sha256: Hash32
}
