import Primitives

/// The single-step key derivation function of NIST SP 800-56A rev. 3 §5.8.2.1 ("concatenation
/// KDF") with SHA-256, as go-ethereum's `crypto/ecies` `concatKDF` computes it for devp2p ECIES.
///
/// K = H(counter₁ ‖ Z ‖ OtherInfo) ‖ H(counter₂ ‖ Z ‖ OtherInfo) ‖ …, truncated to the requested
/// length, where counterᵢ is i as a 4-byte big-endian integer starting at 1. go-ethereum calls the
/// other info s1 (the ECIES "shared information 1"); devp2p passes none.
public enum ConcatKDF {
    /// The largest output: SP 800-56A limits the counter to 2³² − 1 blocks; we keep to 2²⁰ bytes,
    /// far above the 32 bytes ECIES needs.
    public static let maximumByteCount = 1 << 20

    /// Derives `byteCount` bytes from a shared secret with SHA-256.
    /// - Parameters:
    ///   - secret: the shared secret Z (for ECIES, the ECDH x-coordinate).
    ///   - otherInfo: the context bytes appended after Z in every block (may be empty).
    ///   - byteCount: the output length, 0 … `maximumByteCount`.
    /// - Returns: the derived key material.
    /// - Precondition: `byteCount` is within 0 … `maximumByteCount`.
    public static func sha256(secret: [UInt8], otherInfo: [UInt8] = [], byteCount: Int) -> [UInt8] {
        precondition(byteCount >= 0 && byteCount <= maximumByteCount,
                     "concat KDF output of \(byteCount) bytes requested, expected 0…\(maximumByteCount)")
        var output: [UInt8] = []
        output.reserveCapacity(byteCount + 32)
        var counter: UInt32 = 1
        while output.count < byteCount {
            var hasher = SHA256()
            hasher.update(withUnsafeBytes(of: counter.bigEndian) { Array($0) })
            hasher.update(secret)
            hasher.update(otherInfo)
            output += hasher.finalize().bytes
            counter += 1
        }
        return Array(output.prefix(byteCount))
    }
}
