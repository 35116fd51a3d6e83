internal import CSecp256k1
import Primitives

extension PrivateKey {
    /// Signs a 32-byte hash with ECDSA, deterministically.
    ///
    /// The nonce is RFC 6979's HMAC-SHA256 construction, libsecp256k1's default nonce function, so
    /// the same key and hash always give the same signature (as go-ethereum, eth-account and ethers do).
    /// libsecp256k1 always returns the low-s form (s ≤ n/2), which EIP-2 requires of transactions,
    /// and the recovery id says which of the two candidate points (by parity of y) is the public key.
    /// - Parameter hash: the message hash, e.g. a transaction's signing hash.
    /// - Returns: r, s and the recovery id (0 or 1).
    public func sign(hash: Hash32) -> RecoverableSignature {
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        let signed = hash.withBigEndianBytes { message in
            scalar.withBigEndianBytes { key in
                secp256k1_ecdsa_sign_recoverable(context, &signature, message, key, nil, nil)
            }
        }
        precondition(signed == 1, "libsecp256k1 failed to sign with a validated key")
        var compact = zeroStackBytes72
        var recoveryId: Int32 = 0
        let (r, s) = withUnsafeMutableBytes(of: &compact) { raw in
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
                context, raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &recoveryId, &signature)
            return (Hash32(bigEndianBytesAt: raw.baseAddress!), Hash32(bigEndianBytesAt: raw.baseAddress! + 32))
        }
        // Recovery ids 2 and 3 mean r overflowed n (x ≥ n), which happens with probability about
        // 2⁻¹²⁷; Ethereum cannot express them (v is 27/28), so treat one as impossible.
        precondition(recoveryId == 0 || recoveryId == 1, "libsecp256k1 returned recovery id \(recoveryId)")
        return RecoverableSignature(validatedR: r, s: s, recoveryId: UInt8(recoveryId))
    }
}
