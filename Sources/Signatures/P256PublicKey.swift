internal import COpenSSL
import Primitives

/// A NIST P-256 (secp256r1) public key that verifies ECDSA signatures, held as an OpenSSL 3.0
/// `EVP_PKEY` built through the provider interface (`EVP_PKEY_fromdata`), not the deprecated
/// `EC_KEY` API.
///
/// Invariant: (x, y) is on the curve, both coordinates are below p, and it is not the point at
/// infinity; every initializer checks this, so verification never sees an invalid key.
/// The key is immutable after creation and OpenSSL 3.0 allows concurrent verifications with it.
public struct P256PublicKey: Hashable, @unchecked Sendable {
    /// Owns the `EVP_PKEY*`.
    final class Storage {
        let key: OpaquePointer
        init(key: OpaquePointer) { self.key = key }
        deinit { EVP_PKEY_free(key) }
    }

    let storage: Storage
    /// The x-coordinate, big-endian.
    public let x: Hash32
    /// The y-coordinate, big-endian.
    public let y: Hash32

    /// Creates a key from its affine coordinates.
    /// - Parameters:
    ///   - x: the x-coordinate, below p.
    ///   - y: the y-coordinate, below p.
    /// - Throws: `P256Error.coordinateOutOfRange` or `.publicKeyNotOnCurve`.
    public init(x: Hash32, y: Hash32) throws(P256Error) {
        guard x < P256Curve.p else { throw .coordinateOutOfRange(coordinate: "x", value: x.description) }
        guard y < P256Curve.p else { throw .coordinateOutOfRange(coordinate: "y", value: y.description) }
        guard let key = P256PublicKey.makeKey(x: x, y: y) else {
            throw .publicKeyNotOnCurve(Hex.encode(x.bytes + y.bytes))
        }
        self.storage = Storage(key: key)
        self.x = x
        self.y = y
    }

    /// Creates a key from 64 bytes x ‖ y (the form EIP-7951 and SGX DCAP quotes use).
    /// - Parameter rawRepresentation: 64 bytes.
    /// - Throws: `P256Error.invalidPublicKeyLength`, `.coordinateOutOfRange` or `.publicKeyNotOnCurve`.
    public init(rawRepresentation: some Collection<UInt8>) throws(P256Error) {
        let bytes = Array(rawRepresentation)
        guard bytes.count == 64 else { throw .invalidPublicKeyLength(bytes.count) }
        try self.init(x: Hash32(bytes[0..<32]), y: Hash32(bytes[32..<64]))
    }

    /// Creates a key from a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 5480), as found in an
    /// X.509 certificate or produced by `openssl pkey -pubout -outform DER`.
    /// - Parameter derSubjectPublicKeyInfo: the DER bytes.
    /// - Throws: `P256Error.invalidSubjectPublicKeyInfo`, `.notP256Key`, or a point error.
    public init(derSubjectPublicKeyInfo: [UInt8]) throws(P256Error) {
        let parsed: OpaquePointer? = derSubjectPublicKeyInfo.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            ERR_clear_error()
            throw .invalidSubjectPublicKeyInfo(length: derSubjectPublicKeyInfo.count)
        }
        defer { EVP_PKEY_free(parsed) }
        let (x, y) = try P256PublicKey.coordinates(of: parsed)
        try self.init(x: x, y: y)
    }

    /// Creates a key from an OpenSSL `EVP_PKEY*` (for example `X509_get0_pubkey` of a PCK
    /// certificate). The caller keeps ownership of `evpPublicKey`; its coordinates are copied.
    /// - Parameter evpPublicKey: an `EVP_PKEY*` holding an EC public key.
    /// - Throws: `P256Error.notP256Key` if it is not an EC key on P-256, or a point error.
    public init(evpPublicKey: OpaquePointer) throws(P256Error) {
        let (x, y) = try P256PublicKey.coordinates(of: evpPublicKey)
        try self.init(x: x, y: y)
    }

    /// The 64 bytes x ‖ y.
    public var rawRepresentation: [UInt8] { x.bytes + y.bytes }

    /// Whether two keys are the same point.
    public static func == (a: P256PublicKey, b: P256PublicKey) -> Bool { a.x == b.x && a.y == b.y }

    /// Hashes the point’s coordinates.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(x)
        hasher.combine(y)
    }

    /// Verifies an ECDSA signature over a raw 32-byte hash (no hashing inside), accepting high s.
    /// - Parameters:
    ///   - r: r, which must be in [1, n − 1].
    ///   - s: s, which must be in [1, n − 1]; s > n/2 is accepted (ECDSA over P-256 has no low-s rule,
    ///     and EIP-7951 keeps it that way).
    ///   - hash: the message hash, used as the integer e without further hashing.
    /// - Returns: whether the signature is valid.
    public func isValidSignature(r: Hash32, s: Hash32, hash: Hash32) -> Bool {
        guard P256Curve.isValidScalar(r), P256Curve.isValidScalar(s) else { return false }
        // DER ECDSA-Sig-Value (RFC 3279 §2.2.3): at most 2 + 2 × (2 + 33) = 72 bytes for P-256.
        var der = [UInt8](repeating: 0, count: 80)
        let derLength = P256PublicKey.encodeDER(r: r, s: s, into: &der)
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, storage.key, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_verify_init(context) == 1 else { ERR_clear_error(); return false }
        let status = der.withUnsafeBufferPointer { derPointer in
            hash.withBigEndianBytes { EVP_PKEY_verify(context, derPointer.baseAddress, derLength, $0, 32) }
        }
        if status != 1 { ERR_clear_error() }
        return status == 1
    }

    /// Verifies a 64-byte r ‖ s signature over a message, hashing the message with SHA-256 first
    /// (ECDSA-with-SHA256 as SGX DCAP quotes and X.509 use it).
    /// - Parameters:
    ///   - signature: 64 bytes r ‖ s, big-endian.
    ///   - message: the signed message.
    /// - Returns: whether the signature is valid; `false` for a signature of the wrong length.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        return isValidSignature(r: Hash32(signature[0..<32]), s: Hash32(signature[32..<64]), hash: SHA256.hash(message))
    }

    /// Builds an EVP_PKEY from coordinates, or returns nil if OpenSSL rejects the point.
    private static func makeKey(x: Hash32, y: Hash32) -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { ERR_clear_error(); return nil }
        var point = [UInt8](repeating: 0x04, count: 65)
        x.withBigEndianBytes { bytes in point.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: 1).update(from: bytes, count: 32) } }
        y.withBigEndianBytes { bytes in point.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: 33).update(from: bytes, count: 32) } }
        var groupName = Array("prime256v1".utf8CString)
        var key: OpaquePointer? = nil
        // EVP_PKEY_PUBLIC_KEY (evp.h) is a macro of macros that Swift does not import:
        // OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY (core_dispatch.h).
        let publicKeySelection = Int32(OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
                                       | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
        let status = groupName.withUnsafeMutableBufferPointer { groupPointer in
            point.withUnsafeMutableBytes { pointPointer in
                var parameters: [OSSL_PARAM] = [
                    OSSL_PARAM_construct_utf8_string(OpenSSLParameterKey.groupName.cString, groupPointer.baseAddress, 0),
                    OSSL_PARAM_construct_octet_string(OpenSSLParameterKey.publicKey.cString, pointPointer.baseAddress, 65),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_PKEY_fromdata(context, &key, publicKeySelection, &parameters)
            }
        }
        guard status == 1, let key else { ERR_clear_error(); return nil }
        // fromdata decodes the point with EC_POINT_oct2point, which rejects points off the curve;
        // the quick public check repeats that and also rejects infinity, independent of how a
        // future OpenSSL decodes.
        guard let checkContext = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { EVP_PKEY_free(key); return nil }
        defer { EVP_PKEY_CTX_free(checkContext) }
        guard EVP_PKEY_public_check_quick(checkContext) == 1 else {
            ERR_clear_error()
            EVP_PKEY_free(key)
            return nil
        }
        return key
    }

    /// Reads the affine coordinates of an EC key, checking that it is on P-256.
    private static func coordinates(of key: OpaquePointer) throws(P256Error) -> (Hash32, Hash32) {
        guard EVP_PKEY_is_a(key, "EC") == 1 else {
            let typeName = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "an unknown key type"
            throw .notP256Key(typeName)
        }
        var nameBuffer = [CChar](repeating: 0, count: 64)
        var nameLength = 0
        let named = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, &nameBuffer, nameBuffer.count, &nameLength)
        let name = named == 1 ? String(decoding: nameBuffer[0..<nameLength].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "an EC key with an unnamed curve"
        guard named == 1, name == "prime256v1" || name == "P-256" || name == "secp256r1" else {
            ERR_clear_error()
            throw .notP256Key(name)
        }
        guard let x = bigNumberParameter(key, OSSL_PKEY_PARAM_EC_PUB_X),
              let y = bigNumberParameter(key, OSSL_PKEY_PARAM_EC_PUB_Y) else {
            ERR_clear_error()
            throw .notP256Key("an EC key without public coordinates")
        }
        return (x, y)
    }

    private static func bigNumberParameter(_ key: OpaquePointer, _ name: String) -> Hash32? {
        var number: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else { return nil }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(number, &bytes, 32) == 32 else { return nil }
        return Hash32(bytes)
    }

    /// Writes SEQUENCE { INTEGER r, INTEGER s } in DER; returns the length.
    private static func encodeDER(r: Hash32, s: Hash32, into output: inout [UInt8]) -> Int {
        func integer(_ value: Hash32) -> [UInt8] {
            var bytes = value.bytes
            while bytes.count > 1 && bytes[0] == 0 && bytes[1] & 0x80 == 0 { bytes.removeFirst() }
            while bytes.count > 1 && bytes[0] == 0 && bytes[1] == 0 { bytes.removeFirst() }
            if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
            return [0x02, UInt8(bytes.count)] + bytes
        }
        let body = integer(r) + integer(s)
        let encoded = [0x30, UInt8(body.count)] + body
        output.replaceSubrange(0..<encoded.count, with: encoded)
        return encoded.count
    }
}

/// P-256 domain parameters (FIPS 186-4 §D.1.2.3; SEC 2 §2.4.2 secp256r1).
enum P256Curve {
    /// The field prime p = 2²⁵⁶ − 2²²⁴ + 2¹⁹² + 2⁹⁶ − 1.
    static let p = Hash32(words: 0xFFFF_FFFF_0000_0001, 0x0000_0000_0000_0000,
                          0x0000_0000_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF)
    /// The group order n.
    static let n = Hash32(words: 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
                          0xBCE6_FAAD_A717_9E84, 0xF3B9_CAC2_FC63_2551)

    /// Whether a scalar is in [1, n − 1].
    static func isValidScalar(_ value: Hash32) -> Bool { !value.isZero && value < n }
}
