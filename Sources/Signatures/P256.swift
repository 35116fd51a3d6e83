import Primitives

/// P-256 ECDSA verification with the semantics of EIP-7951's P256VERIFY precompile (0x100).
///
/// EIP-7951 (which supersedes RIP-7212) specifies: the input is hash ‖ r ‖ s ‖ qx ‖ qy, 32 bytes
/// each; the hash is used as is (no hashing); the signature is invalid unless 0 < r < n and
/// 0 < s < n; the key is invalid unless 0 ≤ qx, qy < p, (qx, qy) is on the curve and is not the
/// point at infinity (encoded as (0, 0)); there is no low-s rule, so both s and n − s verify.
/// The precompile returns 32-byte 1 on success and empty output on any failure; this type only
/// answers yes or no and leaves the output encoding and gas to the EVM.
public enum P256 {
    /// Verifies an ECDSA P-256 signature over a raw 32-byte hash, as EIP-7951 defines it.
    /// - Parameters:
    ///   - hash: the 32-byte message hash.
    ///   - r: 32 bytes, big-endian.
    ///   - s: 32 bytes, big-endian.
    ///   - publicKeyX: 32 bytes, big-endian.
    ///   - publicKeyY: 32 bytes, big-endian.
    /// - Returns: `true` only for a valid signature by a valid key; `false` for any wrong length.
    public static func verify(hash: [UInt8], r: [UInt8], s: [UInt8], publicKeyX: [UInt8], publicKeyY: [UInt8]) -> Bool {
        guard hash.count == 32, r.count == 32, s.count == 32, publicKeyX.count == 32, publicKeyY.count == 32 else {
            return false
        }
        return verify(hash: Hash32(hash), r: Hash32(r), s: Hash32(s), publicKeyX: Hash32(publicKeyX), publicKeyY: Hash32(publicKeyY))
    }

    /// Verifies an ECDSA P-256 signature over a raw hash given as 32-byte words.
    /// - Parameters:
    ///   - hash: the message hash.
    ///   - r: r.
    ///   - s: s.
    ///   - publicKeyX: the key's x-coordinate.
    ///   - publicKeyY: the key's y-coordinate.
    /// - Returns: `true` only for a valid signature by a valid key.
    public static func verify(hash: Hash32, r: Hash32, s: Hash32, publicKeyX: Hash32, publicKeyY: Hash32) -> Bool {
        // Range checks first: they are free and let the precompile refuse junk before key setup.
        guard P256Curve.isValidScalar(r), P256Curve.isValidScalar(s) else { return false }
        guard let key = try? P256PublicKey(x: publicKeyX, y: publicKeyY) else { return false }
        return key.isValidSignature(r: r, s: s, hash: hash)
    }

    /// Verifies a 64-byte r ‖ s signature over a message (SHA-256 computed inside) with a key given
    /// as 64 bytes x ‖ y, as the attestation verifier needs for SGX DCAP quote signatures.
    /// - Parameters:
    ///   - signature: 64 bytes r ‖ s.
    ///   - message: the signed bytes.
    ///   - publicKey: 64 bytes x ‖ y.
    /// - Returns: `true` only for a valid signature by a valid key.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? P256PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
