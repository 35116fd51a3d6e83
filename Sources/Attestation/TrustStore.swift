internal import COpenSSL
import Primitives

/// The trusted roots as an OpenSSL `X509_STORE`, built once per verifier and shared.
///
/// OpenSSL 3.0 locks the store internally, so concurrent verifications through one store are safe;
/// each verification gets its own `X509_STORE_CTX`.
///
/// Package access so that the collateral tests can run `CollateralCheck` with a store of their own.
package final class TrustStore: @unchecked Sendable {
    private let store: OpaquePointer
    /// The trusted roots' certificates by the SHA-256 of their DER.
    private let certificates: [Hash32: X509Certificate]
    /// The roots, kept alive for as long as the store references them.
    let roots: [TrustedRoot]

    package init(roots: [TrustedRoot]) {
        guard let store = X509_STORE_new() else { fatalError("OpenSSL could not allocate an X509_STORE") }
        for root in roots {
            // X509_STORE_add_cert takes its own reference; a duplicate root is harmless.
            if X509_STORE_add_cert(store, root.certificate.pointer) != 1 { ERR_clear_error() }
        }
        self.store = store
        self.certificates = Dictionary(roots.map { ($0.sha256, $0.certificate) }, uniquingKeysWith: { first, _ in first })
        self.roots = roots
    }

    deinit { X509_STORE_free(store) }

    /// Whether a root with this DER hash is trusted.
    func contains(_ sha256: Hash32) -> Bool { certificates[sha256] != nil }

    /// The trusted root whose DER has this SHA-256, already parsed: a chain that embeds a trusted
    /// root's exact bytes uses this copy instead of parsing them again.
    func certificate(sha256: Hash32) -> X509Certificate? { certificates[sha256] }

    /// Verifies leaf → intermediate → root with OpenSSL at `time` (seconds since the Unix epoch).
    func verify(leaf: X509Certificate, intermediate: X509Certificate, root: X509Certificate,
                time: UInt64) throws(AttestationError) {
        try verify(path: [leaf, intermediate, root], time: time,
                   pathName: "the embedded PCK leaf → intermediate CA → root CA")
    }

    /// Verifies a two-certificate chain, leaf → root, with OpenSSL at `time`: Intel's TCB Signing
    /// certificate is issued directly by the root CA (check (f) of the collateral).
    func verify(leaf: X509Certificate, root: X509Certificate, time: UInt64) throws(AttestationError) {
        try verify(path: [leaf, root], time: time, pathName: "the TCB Signing certificate → root CA")
    }

    /// Verifies `path` (leaf first, a trusted root last, every other certificate an untrusted
    /// intermediate) and requires OpenSSL to have built exactly that path.
    private func verify(path: [X509Certificate], time: UInt64, pathName: String) throws(AttestationError) {
        let leaf = path[0]
        guard let context = X509_STORE_CTX_new() else { throw .openSSLFailure("X509_STORE_CTX_new") }
        defer { X509_STORE_CTX_free(context) }
        guard let untrusted = OPENSSL_sk_new_null() else { throw .openSSLFailure("OPENSSL_sk_new_null") }
        // The stack does not own the certificates; OPENSSL_sk_free leaves them alone.
        defer { OPENSSL_sk_free(untrusted) }
        for intermediate in path.dropFirst().dropLast() {
            guard OPENSSL_sk_push(untrusted, UnsafeRawPointer(intermediate.pointer)) > 0 else {
                throw .openSSLFailure("OPENSSL_sk_push")
            }
        }
        guard X509_STORE_CTX_init(context, store, leaf.pointer, untrusted) == 1 else {
            ERR_clear_error()
            throw .openSSLFailure("X509_STORE_CTX_init")
        }
        // The verification time is an input (the block timestamp), never the wall clock.
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context), time_t(clamping: time))
        let status = X509_verify_cert(context)
        guard status == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let depth = Int(X509_STORE_CTX_get_error_depth(context))
            let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
            ERR_clear_error()
            let current = X509_STORE_CTX_get_current_cert(context)
            let failing = path.first { current != nil && X509_cmp($0.pointer, current) == 0 }
            switch code {
            case X509_V_ERR_CERT_NOT_YET_VALID:
                let certificate = failing ?? path[min(depth, path.count - 1)]
                throw .certificateNotYetValid(subject: certificate.subject, notBefore: certificate.notBefore, time: time)
            case X509_V_ERR_CERT_HAS_EXPIRED:
                let certificate = failing ?? path[min(depth, path.count - 1)]
                throw .certificateExpired(subject: certificate.subject, notAfter: certificate.notAfter, time: time)
            default:
                throw .certificateChainInvalid(depth: depth, reason: reason)
            }
        }
        // OpenSSL may build a different path than the one embedded (it looks issuers up by name);
        // accept only the embedded order.
        guard let built = X509_STORE_CTX_get0_chain(context) else { throw .openSSLFailure("X509_STORE_CTX_get0_chain") }
        let count = Int(OPENSSL_sk_num(built))
        guard count == path.count else {
            throw .certificateChainInvalid(depth: 0, reason: "OpenSSL built a chain of \(count) certificates, expected \(pathName)")
        }
        for (depth, expected) in path.enumerated() {
            let element = OpaquePointer(OPENSSL_sk_value(built, Int32(depth)))
            guard X509_cmp(element, expected.pointer) == 0 else {
                throw .certificateChainInvalid(depth: depth, reason: "the verified chain differs from the embedded one at depth \(depth)")
            }
        }
    }
}
