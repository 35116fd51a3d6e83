internal import COpenSSL
import Primitives

/// SHA-256 (FIPS 180-4) over OpenSSL's EVP interface, for the 0x02 precompile, Bitcoin-style
/// double hashes and attestation reports.
///
/// One-shot hashing uses `EVP_Digest` with the algorithm fetched once. The incremental hasher owns
/// an `EVP_MD_CTX`; it is non-copyable, so two copies can never free or advance the same context.
public struct SHA256: ~Copyable {
    /// The `EVP_MD_CTX*`.
    private let context: OpaquePointer

    /// Starts an empty hash.
    public init() {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        let status = EVP_DigestInit_ex2(context, EVPAlgorithm.sha256.required("SHA-256"), nil)
        precondition(status == 1, "EVP_DigestInit_ex2(SHA-256) failed")
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Absorbs more message bytes.
    /// - Parameter bytes: the next part of the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(raw: $0) }
    }

    /// Absorbs more message bytes from a raw buffer.
    /// - Parameter raw: the next part of the message.
    public mutating func update(raw: UnsafeRawBufferPointer) {
        guard raw.count > 0 else { return }
        let status = EVP_DigestUpdate(context, raw.baseAddress, raw.count)
        precondition(status == 1, "EVP_DigestUpdate(SHA-256) failed")
    }

    /// Finishes the hash. The hasher is consumed.
    /// - Returns: the 32-byte digest.
    public consuming func finalize() -> Hash32 {
        var words = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let status = withUnsafeMutableBytes(of: &words) { raw in
            EVP_DigestFinal_ex(context, raw.baseAddress!.assumingMemoryBound(to: UInt8.self), nil)
        }
        precondition(status == 1, "EVP_DigestFinal_ex(SHA-256) failed")
        return withUnsafeBytes(of: &words) { Hash32(bigEndianBytesAt: $0.baseAddress!) }
    }

    /// Hashes a whole message.
    /// - Parameter bytes: the message.
    /// - Returns: the 32-byte digest.
    public static func hash(_ bytes: [UInt8]) -> Hash32 {
        bytes.withUnsafeBytes { hash(raw: $0) }
    }

    /// Hashes a slice of a byte array.
    /// - Parameter bytes: the message.
    /// - Returns: the 32-byte digest.
    public static func hash(_ bytes: ArraySlice<UInt8>) -> Hash32 {
        bytes.withUnsafeBytes { hash(raw: $0) }
    }

    /// Hashes the bytes of a raw buffer without copying them.
    /// - Parameter raw: the message.
    /// - Returns: the 32-byte digest.
    public static func hash(raw: UnsafeRawBufferPointer) -> Hash32 {
        var words = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        // EVP_Digest wants a non-null data pointer even for an empty message.
        var empty: UInt8 = 0
        let status = withUnsafeMutableBytes(of: &words) { out in
            withUnsafeMutablePointer(to: &empty) { emptyPointer in
                EVP_Digest(raw.baseAddress ?? UnsafeRawPointer(emptyPointer), raw.count,
                           out.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
                           EVPAlgorithm.sha256.required("SHA-256"), nil)
            }
        }
        precondition(status == 1, "EVP_Digest(SHA-256) failed")
        return withUnsafeBytes(of: &words) { Hash32(bigEndianBytesAt: $0.baseAddress!) }
    }
}
