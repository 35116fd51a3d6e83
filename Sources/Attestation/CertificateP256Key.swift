internal import COpenSSL
import Primitives
import Signatures

/// The P-256 public key of a parsed certificate, used where OpenSSL decoded it: the certificate's
/// own `EVP_PKEY` (`X509_get0_pubkey`), not a second key rebuilt from its coordinates.
///
/// Check (b) returns the PCK leaf's key for check (c), and check (f) the TCB Signing
/// certificate's key for the TCB Info and QE Identity signatures. Building a `P256PublicKey`
/// from a certificate copies the coordinates and builds a new `EVP_PKEY` (a new EC group with its
/// Montgomery context, then a point check), which was about a twentieth of a verification with
/// collateral; the key OpenSSL decoded while parsing the certificate serves as well.
///
/// Invariant, as `P256PublicKey`'s: the key is an EC key on P-256 whose point passes OpenSSL's
/// public key check (on the curve, not the point at infinity); `init` refuses any other.
package struct CertificateP256Key: @unchecked Sendable {
    /// Keeps the certificate, which owns the `EVP_PKEY`, alive.
    let certificate: X509Certificate
    /// The certificate's `EVP_PKEY*`, owned by `certificate`.
    private let key: OpaquePointer

    /// The subject public key of `certificate`, if it is a valid P-256 key.
    /// - Throws: `AttestationError.pckKeyNotP256` naming what the key is instead.
    init(of certificate: X509Certificate) throws(AttestationError) {
        guard let key = X509_get0_pubkey(certificate.pointer) else {
            ERR_clear_error()
            throw .pckKeyNotP256("the certificate's public key cannot be decoded")
        }
        guard EVP_PKEY_is_a(key, "EC") == 1 else {
            let typeName = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "an unknown key type"
            throw .pckKeyNotP256("the key is \(typeName), expected an EC key on P-256")
        }
        var nameBuffer = [CChar](repeating: 0, count: 64)
        var nameLength = 0
        let named = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, &nameBuffer, nameBuffer.count, &nameLength)
        let name = named == 1 ? String(decoding: nameBuffer[0..<nameLength].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                              : "an EC key with an unnamed curve"
        guard named == 1, name == "prime256v1" || name == "P-256" || name == "secp256r1" else {
            ERR_clear_error()
            throw .pckKeyNotP256("the key is on \(name), expected P-256")
        }
        // The decoder refuses points off the curve; the quick public check also refuses the point
        // at infinity, with which any signature of a chosen form would verify.
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            ERR_clear_error()
            throw .openSSLFailure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_public_check_quick(context) == 1 else {
            ERR_clear_error()
            throw .pckKeyNotP256("the public key fails OpenSSL's public key check (off the curve or the point at infinity)")
        }
        self.certificate = certificate
        self.key = key
    }

    /// Verifies a 64-byte r ‖ s ECDSA signature over SHA-256 of `message` (as
    /// `P256PublicKey.isValidSignature(_:for:)`: r and s in [1, n − 1], high s accepted).
    /// - Returns: whether the signature is valid; `false` for a signature of the wrong length.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        let r = signature[0..<32], s = signature[32..<64]
        guard Self.isValidScalar(r), Self.isValidScalar(s) else { return false }
        let der = Self.ecdsaSignatureDER(r: r, s: s)
        let digest = SHA256.hash(message).bytes
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { ERR_clear_error(); return false }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_verify_init(context) == 1 else { ERR_clear_error(); return false }
        let status = EVP_PKEY_verify(context, der, der.count, digest, digest.count)
        if status != 1 { ERR_clear_error() }
        return status == 1
    }

    /// The order n of the P-256 group, big-endian (FIPS 186-4 §D.1.2.3).
    private static let order: [UInt8] = try! Hex.decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")

    /// Whether a 32-byte big-endian scalar is in [1, n − 1].
    private static func isValidScalar(_ value: ArraySlice<UInt8>) -> Bool {
        value.contains { $0 != 0 } && value.lexicographicallyPrecedes(order)
    }

    /// SEQUENCE { INTEGER r, INTEGER s } in DER (RFC 3279 §2.2.3).
    package static func ecdsaSignatureDER(r: ArraySlice<UInt8>, s: ArraySlice<UInt8>) -> [UInt8] {
        func integer(_ value: ArraySlice<UInt8>) -> [UInt8] {
            var bytes = Array(value.drop { $0 == 0 })
            if bytes.isEmpty { bytes = [0] }
            if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
            return [0x02, UInt8(bytes.count)] + bytes
        }
        let body = integer(r) + integer(s)
        return [0x30, UInt8(body.count)] + body
    }
}
