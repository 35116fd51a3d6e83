internal import CSecp256k1
import Primitives

/// The one libsecp256k1 context the module shares.
///
/// libsecp256k1 0.2 documents a context as safe for concurrent use by any number of threads once
/// it is created and randomized, because every operation takes it as `const`. It is made once,
/// lazily (Swift runs a `static let` initializer exactly once, thread-safely), and randomized with
/// 32 bytes from OpenSSL's `RAND_bytes` so that signing and key generation are blinded against
/// side channels ("secp256k1_context_randomize" in secp256k1.h). It is never destroyed.
struct Secp256k1Context: @unchecked Sendable {
    /// The `secp256k1_context*`.
    let pointer: OpaquePointer

    /// The shared, randomized context.
    static let shared: Secp256k1Context = {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not create a context")
        }
        var seed = SecureRandom.bytes(count: 32)
        let randomized = secp256k1_context_randomize(context, &seed)
        precondition(randomized == 1, "libsecp256k1 rejected the randomization seed")
        seed.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        return Secp256k1Context(pointer: context)
    }()
}

/// The secp256k1 group order n and n/2, as 32-byte big-endian values (SEC 2 §2.4.1).
enum Secp256k1Order {
    /// n = FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141.
    static let n = Hash32(words: 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE,
                          0xBAAE_DCE6_AF48_A03B, 0xBFD2_5E8C_D036_4141)
    /// ⌊n/2⌋, the largest s that EIP-2 allows in a transaction signature.
    static let halfN = Hash32(words: 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
                              0x5D57_6E73_57A4_501D, 0xDFE9_2F46_681B_20A0)

    /// Whether a scalar lies in [1, n − 1].
    /// - Parameter value: the scalar.
    /// - Returns: `true` for a valid private key or signature component.
    @inline(__always) static func isValidScalar(_ value: Hash32) -> Bool {
        !value.isZero && value < n
    }
}
