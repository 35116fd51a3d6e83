internal import CSecp256k1
import Primitives

/// A secp256k1 private key: a scalar k with 1 ≤ k ≤ n − 1 (SEC 1 §3.2.1), held as 32 big-endian bytes.
///
/// The type never prints its value: `description` shows only the address, so a key that reaches a
/// log line does not leak. Use `bytes` to export it deliberately.
public struct PrivateKey: Hashable, Sendable, CustomStringConvertible {
    /// The scalar, validated to lie in [1, n − 1].
    let scalar: Hash32

    /// Creates a key from 32 big-endian bytes.
    /// - Parameter bytes: exactly 32 bytes.
    /// - Throws: `SignatureError.invalidPrivateKeyLength` for another length,
    ///   `SignatureError.privateKeyOutOfRange` for zero or a value ≥ n.
    public init(bytes: some Collection<UInt8>) throws(SignatureError) {
        guard bytes.count == 32 else { throw .invalidPrivateKeyLength(bytes.count) }
        let scalar = Hash32(bytes)
        guard Secp256k1Order.isValidScalar(scalar) else { throw .privateKeyOutOfRange }
        self.scalar = scalar
    }

    /// Wraps a scalar already known to be in range.
    init(validatedScalar scalar: Hash32) {
        self.scalar = scalar
    }

    /// Generates a fresh key from OpenSSL's `RAND_bytes`.
    ///
    /// Candidates outside [1, n − 1] (probability about 2⁻¹²⁸) are drawn again, as SEC 1 §3.2.1 allows.
    /// - Returns: a uniformly random valid key.
    public static func generate() -> PrivateKey {
        while true {
            var words = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &words) { SecureRandom.fill($0) }
            let candidate = Hash32(words: UInt64(bigEndian: words.0), UInt64(bigEndian: words.1),
                                   UInt64(bigEndian: words.2), UInt64(bigEndian: words.3))
            if Secp256k1Order.isValidScalar(candidate) { return PrivateKey(validatedScalar: candidate) }
        }
    }

    /// The 32 big-endian bytes of the key. Handle with care: this is the secret.
    public var bytes: [UInt8] { scalar.bytes }

    /// The matching public key k·G. Computed on each call (one scalar multiplication).
    public var publicKey: PublicKey {
        var point = secp256k1_pubkey()
        let status = scalar.withBigEndianBytes { secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &point, $0) }
        precondition(status == 1, "libsecp256k1 rejected a private key that was validated on creation")
        return PublicKey(libsecp256k1Point: point)
    }

    /// The Ethereum address of the key (Yellow Paper eq. 284: the low 20 bytes of keccak256(x ‖ y)).
    public var address: Address { publicKey.address }

    /// Shows the address only, never the key.
    public var description: String { "PrivateKey(address: \(address))" }

    /// Adds a tweak to the key modulo n, as BIP-32's CKDpriv does (child k = IL + k_par mod n).
    /// - Parameter tweak: 32 big-endian bytes, IL in BIP-32's notation.
    /// - Returns: the key (k + tweak) mod n.
    /// - Throws: `SignatureError.invalidComponentLength` if the tweak is not 32 bytes;
    ///   `SignatureError.invalidTweak` if the tweak is ≥ n or the sum is zero (BIP-32 then
    ///   says to skip to the next index).
    public func adding(tweak: some Collection<UInt8>) throws(SignatureError) -> PrivateKey {
        guard tweak.count == 32 else { throw .invalidComponentLength(component: "tweak", length: tweak.count) }
        let tweakValue = Hash32(tweak)
        var words = (scalar.w0.bigEndian, scalar.w1.bigEndian, scalar.w2.bigEndian, scalar.w3.bigEndian)
        let status = withUnsafeMutableBytes(of: &words) { key in
            tweakValue.withBigEndianBytes { tweakBytes in
                secp256k1_ec_seckey_tweak_add(Secp256k1Context.shared.pointer,
                                              key.baseAddress!.assumingMemoryBound(to: UInt8.self), tweakBytes)
            }
        }
        guard status == 1 else { throw .invalidTweak }
        let sum = withUnsafeBytes(of: &words) { Hash32(bigEndianBytesAt: $0.baseAddress!) }
        return PrivateKey(validatedScalar: sum)
    }
}
