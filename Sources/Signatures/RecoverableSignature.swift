internal import CSecp256k1
import Primitives

/// An ECDSA signature on secp256k1 with its recovery id, as Ethereum transactions, `ecrecover`
/// and Clique seals carry it.
///
/// Invariants: 1 ≤ r, s ≤ n − 1 and recoveryId ∈ {0, 1}. High s is representable (the ecrecover
/// precompile accepts it); `isLowS` tells whether EIP-2's homestead rule holds.
///
/// Byte form (65 bytes): r (32, big-endian) ‖ s (32) ‖ v (1), with v = recoveryId, as go-ethereum's
/// `crypto.Sign` returns and Clique stores in extraData. `init(bytes:)` also accepts v = 27/28.
public struct RecoverableSignature: Hashable, Sendable, CustomStringConvertible {
    /// The r component: the x-coordinate of the nonce point, reduced mod n.
    public let r: Hash32
    /// The s component.
    public let s: Hash32
    /// Which candidate point is the signer's key: 0 if R's y is even, 1 if odd.
    public let recoveryId: UInt8

    /// Creates a signature from its components, checking their ranges.
    /// - Parameters:
    ///   - r: r, in [1, n − 1].
    ///   - s: s, in [1, n − 1] (high s is accepted; see `isLowS`).
    ///   - recoveryId: 0 or 1 (subtract 27 from a pre-EIP-155 v first).
    /// - Throws: `SignatureError.componentOutOfRange` or `.invalidRecoveryId`.
    public init(r: Hash32, s: Hash32, recoveryId: UInt8) throws(SignatureError) {
        guard Secp256k1Order.isValidScalar(r) else { throw .componentOutOfRange(component: "r", value: r) }
        guard Secp256k1Order.isValidScalar(s) else { throw .componentOutOfRange(component: "s", value: s) }
        guard recoveryId <= 1 else { throw .invalidRecoveryId(recoveryId) }
        self.init(validatedR: r, s: s, recoveryId: recoveryId)
    }

    /// Creates a signature from 32-byte big-endian r and s.
    /// - Parameters:
    ///   - r: 32 bytes, in [1, n − 1].
    ///   - s: 32 bytes, in [1, n − 1].
    ///   - recoveryId: 0 or 1.
    /// - Throws: `SignatureError.invalidComponentLength`, `.componentOutOfRange` or `.invalidRecoveryId`.
    public init(r: some Collection<UInt8>, s: some Collection<UInt8>, recoveryId: UInt8) throws(SignatureError) {
        guard r.count == 32 else { throw .invalidComponentLength(component: "r", length: r.count) }
        guard s.count == 32 else { throw .invalidComponentLength(component: "s", length: s.count) }
        try self.init(r: Hash32(r), s: Hash32(s), recoveryId: recoveryId)
    }

    /// Parses the 65-byte form r ‖ s ‖ v.
    /// - Parameter bytes: 65 bytes; v may be 0/1 or 27/28.
    /// - Throws: `SignatureError.invalidSignatureLength`, `.componentOutOfRange` or `.invalidRecoveryId`.
    public init(bytes: some Collection<UInt8>) throws(SignatureError) {
        let array = Array(bytes)
        guard array.count == 65 else { throw .invalidSignatureLength(array.count) }
        let v = array[64]
        guard v == 0 || v == 1 || v == 27 || v == 28 else { throw .invalidRecoveryId(v) }
        try self.init(r: array[0..<32], s: array[32..<64], recoveryId: v >= 27 ? v - 27 : v)
    }

    /// Wraps components already known to be valid.
    init(validatedR r: Hash32, s: Hash32, recoveryId: UInt8) {
        self.r = r
        self.s = s
        self.recoveryId = recoveryId
    }

    /// Whether s ≤ n/2, the form EIP-2 (Homestead) requires of transaction signatures.
    public var isLowS: Bool { s <= Secp256k1Order.halfN }

    /// The 65 bytes r ‖ s ‖ v with v = recoveryId (0 or 1).
    public var bytes: [UInt8] { r.bytes + s.bytes + [recoveryId] }

    /// "0x"-prefixed hex of `bytes`.
    public var description: String { Hex.encode(bytes) }

    /// Recovers the public key that made this signature over `hash` (SEC 1 §4.1.6).
    /// - Parameter hash: the signed 32-byte hash.
    /// - Returns: the signer's public key.
    /// - Throws: `SignatureError.recoveryFailed` when no point has x = r, or the result is infinity.
    public func recoverPublicKey(from hash: Hash32) throws(SignatureError) -> PublicKey {
        var point = secp256k1_pubkey()
        guard recover(into: &point, hash: hash) else { throw .recoveryFailed(hash: hash) }
        return PublicKey(libsecp256k1Point: point)
    }

    /// Recovers the signer's address, as the ecrecover precompile (0x01) does.
    ///
    /// Allocates nothing: the point is serialized on the stack and hashed there.
    /// - Parameter hash: the signed 32-byte hash.
    /// - Returns: the low 20 bytes of keccak256(x ‖ y) of the recovered key.
    /// - Throws: `SignatureError.recoveryFailed` when no key recovers.
    public func recoverAddress(from hash: Hash32) throws(SignatureError) -> Address {
        var point = secp256k1_pubkey()
        guard recover(into: &point, hash: hash) else { throw .recoveryFailed(hash: hash) }
        var buffer = zeroStackBytes72
        var length = 65
        let digest = withUnsafeMutableBytes(of: &buffer) { raw in
            _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.pointer,
                                              raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
                                              &point, UInt32(SECP256K1_EC_UNCOMPRESSED))
            return Keccak256.hash(raw: UnsafeRawBufferPointer(rebasing: raw[1..<65]))
        }
        return Address(lowBytesOf: digest)
    }

    /// Runs libsecp256k1's recovery.
    /// - Returns: whether a point was recovered into `point`.
    private func recover(into point: inout secp256k1_pubkey, hash: Hash32) -> Bool {
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        var compact = (r.w0.bigEndian, r.w1.bigEndian, r.w2.bigEndian, r.w3.bigEndian,
                       s.w0.bigEndian, s.w1.bigEndian, s.w2.bigEndian, s.w3.bigEndian)
        let parsed = withUnsafeBytes(of: &compact) { raw in
            secp256k1_ecdsa_recoverable_signature_parse_compact(
                context, &signature, raw.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(recoveryId))
        }
        guard parsed == 1 else { return false }
        return hash.withBigEndianBytes { secp256k1_ecdsa_recover(context, &point, &signature, $0) } == 1
    }
}
