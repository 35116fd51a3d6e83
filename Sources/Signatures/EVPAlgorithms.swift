internal import COpenSSL

/// OpenSSL 3.0 algorithm objects, fetched once from the default library context and shared.
///
/// `EVP_MD_fetch` and friends look an implementation up in the provider tables under a lock, so
/// fetching per call would cost a lookup each time (OpenSSL 3.0 crypto(7), "Performance"). Fetched
/// objects are immutable and documented as safe to share between threads; they are never freed.
struct EVPAlgorithm: @unchecked Sendable {
    /// The `EVP_MD*`, `EVP_CIPHER*` or `EVP_KDF*`, or `nil` if no loaded provider offers it.
    let pointer: OpaquePointer?

    /// SHA-256 (FIPS 180-4).
    static let sha256 = EVPAlgorithm(pointer: EVP_MD_fetch(nil, "SHA256", nil))
    /// SHA-512 (FIPS 180-4).
    static let sha512 = EVPAlgorithm(pointer: EVP_MD_fetch(nil, "SHA512", nil))
    /// RIPEMD-160. OpenSSL 3.0.0–3.0.6 offered it only in the legacy provider; 3.0.7 and later also
    /// in the default one. When neither is loaded this is `nil` and `RIPEMD160` uses its Swift version.
    static let ripemd160 = EVPAlgorithm(pointer: EVP_MD_fetch(nil, "RIPEMD160", nil))
    /// AES-256 in Galois/Counter Mode (NIST SP 800-38D).
    static let aes256GCM = EVPAlgorithm(pointer: EVP_CIPHER_fetch(nil, "AES-256-GCM", nil))
    /// HKDF (RFC 5869).
    static let hkdf = EVPAlgorithm(pointer: EVP_KDF_fetch(nil, "HKDF", nil))

    /// The pointer, or a stop naming the algorithm the installed OpenSSL lacks.
    /// - Parameter name: the algorithm's name for the message.
    /// - Returns: the non-nil pointer.
    func required(_ name: String) -> OpaquePointer {
        guard let pointer else { fatalError("OpenSSL offers no \(name) implementation; install OpenSSL 3.0 with its default provider") }
        return pointer
    }
}
