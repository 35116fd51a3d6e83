internal import COpenSSL
import Primitives
import Signatures

/// A P-256 private key that signs deterministically (RFC 6979 §3.2 with HMAC-SHA256), for the
/// SIMULATED enclave's Quoting Enclave, PCK key and test certificate authority.
///
/// Deterministic nonces make the simulated root certificate, and every simulated quote for the
/// same inputs, byte-for-byte reproducible, so a genesis file can pin the simulated root by hash.
/// OpenSSL 3.0 has no deterministic ECDSA (it arrived in 3.2), so the nonce is derived here and
/// the arithmetic uses OpenSSL's `BIGNUM` and `EC_POINT` functions.
///
/// The keys this module derives from public labels are INSECURE by construction: anyone can
/// recompute them. Only the simulation uses this type.
public struct P256SigningKey: @unchecked Sendable {
    final class Storage {
        /// `EVP_PKEY*` holding the private and public key.
        let key: OpaquePointer
        init(key: OpaquePointer) { self.key = key }
        deinit { EVP_PKEY_free(key) }
    }

    let storage: Storage
    /// The private scalar d, big-endian, in [1, n − 1].
    let scalar: [UInt8]
    /// The public key d·G.
    public let publicKey: P256PublicKey

    /// Creates a key from its private scalar.
    /// - Parameter privateKey: 32 bytes big-endian, in [1, n − 1].
    /// - Throws: `AttestationError.openSSLFailure` if OpenSSL rejects the scalar (zero or ≥ n).
    public init(privateKey: Hash32) throws(AttestationError) {
        guard !privateKey.isZero, privateKey < P256Arithmetic.order else {
            throw .openSSLFailure("P-256 private key \(privateKey) is not in [1, n − 1]")
        }
        let der = DER.p256PrivateKey(privateKey.bytes)
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PrivateKey(NID_X9_62_id_ecPublicKey, nil, &cursor, buffer.count)
        }
        guard let parsed else { ERR_clear_error(); throw .openSSLFailure("d2i_PrivateKey of a P-256 scalar") }
        self.storage = Storage(key: parsed)
        self.scalar = privateKey.bytes
        do {
            self.publicKey = try P256PublicKey(evpPublicKey: parsed)
        } catch {
            throw .openSSLFailure("public key of a P-256 scalar: \(error)")
        }
    }

    /// Derives a key from a label: d = keccak256(label), which is below n except with negligible
    /// probability (the initializer would then throw). INSECURE: the label is the whole secret.
    /// - Parameter label: a public label such as "GoldenGrain INSECURE simulated SGX root v1".
    /// - Throws: `AttestationError.openSSLFailure` in the negligible case that the hash is not in [1, n − 1].
    public init(insecureLabel label: String) throws(AttestationError) {
        try self.init(privateKey: Keccak256.hash(Array(label.utf8)))
    }

    /// `EVP_PKEY*` for X509_set_pubkey / X509_sign.
    var evpKey: OpaquePointer { storage.key }

    /// Signs a message with ECDSA-with-SHA256 and an RFC 6979 nonce.
    /// - Parameter message: the bytes to sign; SHA-256 is computed inside.
    /// - Returns: 64 bytes r ‖ s (s is not normalized to low s).
    public func signature(for message: [UInt8]) -> [UInt8] {
        signature(forHash: SHA256.hash(message))
    }

    /// Signs a 32-byte hash with an RFC 6979 nonce.
    /// - Parameter hash: the message hash (SHA-256 output).
    /// - Returns: 64 bytes r ‖ s.
    public func signature(forHash hash: Hash32) -> [UInt8] {
        var nonces = RFC6979Nonces(privateKey: scalar, hash: hash)
        while true {
            let k = nonces.next()
            if let signature = P256Arithmetic.sign(hash: hash.bytes, privateKey: scalar, nonce: k) { return signature }
        }
    }
}

/// The RFC 6979 §3.2 nonce generator for P-256 and SHA-256 (qlen = hlen = 256, so bits2int is the
/// identity and bits2octets is a reduction mod n).
struct RFC6979Nonces {
    private var key: [UInt8]
    private var value: [UInt8]
    private var isFirst = true

    init(privateKey: [UInt8], hash: Hash32) {
        let reducedHash = hash < P256Arithmetic.order ? hash.bytes : P256Arithmetic.subtractOrder(hash.bytes)
        value = [UInt8](repeating: 0x01, count: 32)
        key = [UInt8](repeating: 0x00, count: 32)
        key = HMAC.sha256(key: key, message: value + [0x00] + privateKey + reducedHash).bytes
        value = HMAC.sha256(key: key, message: value).bytes
        key = HMAC.sha256(key: key, message: value + [0x01] + privateKey + reducedHash).bytes
        value = HMAC.sha256(key: key, message: value).bytes
    }

    /// The next candidate k in [1, n − 1] (step h of §3.2, retrying as step h.3 says).
    mutating func next() -> [UInt8] {
        while true {
            if !isFirst {
                key = HMAC.sha256(key: key, message: value + [0x00]).bytes
                value = HMAC.sha256(key: key, message: value).bytes
            }
            isFirst = false
            value = HMAC.sha256(key: key, message: value).bytes
            let candidate = Hash32(value)
            if !candidate.isZero && candidate < P256Arithmetic.order { return value }
        }
    }
}

/// ECDSA signing arithmetic on P-256 with OpenSSL `BIGNUM`/`EC_POINT` (SEC 1 §4.1.3).
enum P256Arithmetic {
    /// The group order n.
    static let order = Hash32(words: 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
                              0xBCE6_FAAD_A717_9E84, 0xF3B9_CAC2_FC63_2551)

    /// value − n for a 32-byte value ≥ n (used once, for bits2octets).
    static func subtractOrder(_ value: [UInt8]) -> [UInt8] {
        let n = order.bytes
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int(value[index]) - Int(n[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            out[index] = UInt8(difference)
        }
        return out
    }

    /// r = x(k·G) mod n, s = k⁻¹(e + r·d) mod n; `nil` if r or s is zero (then the caller tries the next k).
    static func sign(hash: [UInt8], privateKey: [UInt8], nonce: [UInt8]) -> [UInt8]? {
        guard let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else { fatalError("OpenSSL has no P-256 group") }
        defer { EC_GROUP_free(group) }
        guard let context = BN_CTX_new() else { fatalError("OpenSSL could not allocate a BN_CTX") }
        defer { BN_CTX_free(context) }
        let orderNumber = EC_GROUP_get0_order(group)
        func number(_ bytes: [UInt8]) -> OpaquePointer {
            guard let value = BN_bin2bn(bytes, Int32(bytes.count), nil) else { fatalError("BN_bin2bn failed") }
            return value
        }
        let k = number(nonce), d = number(privateKey), e = number(hash)
        let x = BN_new()!, r = BN_new()!, product = BN_new()!, sum = BN_new()!, s = BN_new()!
        defer { for value in [k, d, e, x, r, product, sum, s] { BN_clear_free(value) } }
        guard let point = EC_POINT_new(group) else { fatalError("EC_POINT_new failed") }
        defer { EC_POINT_free(point) }
        guard EC_POINT_mul(group, point, k, nil, nil, context) == 1,
              EC_POINT_get_affine_coordinates(group, point, x, nil, context) == 1,
              BN_nnmod(r, x, orderNumber, context) == 1 else { fatalError("P-256 point arithmetic failed") }
        guard BN_is_zero(r) == 0 else { return nil }
        guard let kInverse = BN_mod_inverse(nil, k, orderNumber, context) else { fatalError("BN_mod_inverse failed") }
        defer { BN_clear_free(kInverse) }
        guard BN_mod_mul(product, r, d, orderNumber, context) == 1,
              BN_mod_add(sum, e, product, orderNumber, context) == 1,
              BN_mod_mul(s, kInverse, sum, orderNumber, context) == 1 else { fatalError("P-256 scalar arithmetic failed") }
        guard BN_is_zero(s) == 0 else { return nil }
        var signature = [UInt8](repeating: 0, count: 64)
        signature.withUnsafeMutableBufferPointer { buffer in
            _ = BN_bn2binpad(r, buffer.baseAddress, 32)
            _ = BN_bn2binpad(s, buffer.baseAddress! + 32, 32)
        }
        return signature
    }
}
