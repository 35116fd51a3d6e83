import Primitives
import Signatures

/// The P256VERIFY precompile at 0x100 (EIP-7951, which supersedes RIP-7212): ECDSA verification
/// on secp256r1 (NIST P-256) over a caller-supplied hash.
///
/// Input: exactly 160 bytes, hash ‖ r ‖ s ‖ qx ‖ qy (32-byte big-endian words). Output: the 32-byte
/// word 1 when the signature is valid; empty output for any other length, r or s outside
/// [1, n − 1], a key coordinate ≥ p, a key off the curve or at infinity, or a signature that does
/// not verify. The call itself always succeeds (never `.failure`). Verification is OpenSSL's,
/// through `Signatures.P256`.
///
/// Gas: 6900 (EIP-7951), whatever the input.
public struct P256VerifyPrecompile: Precompile {
    /// The only input length that can verify.
    public static let inputLength = 160

    /// Creates the precompile.
    public init() {}

    /// 6900 gas, whatever the input (EIP-7951).
    /// - Parameter input: the call data.
    /// - Returns: 6900.
    public func requiredGas(input: [UInt8]) -> UInt64 { 6900 }

    /// Verifies the signature.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: `.success` with a 32-byte 1 for a valid signature, else `.success([])`.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        guard input.count == Self.inputLength else { return .success([]) }
        func word(_ index: Int) -> Hash32 { Hash32(input[(index * 32)..<(index * 32 + 32)]) }
        guard P256.verify(hash: word(0), r: word(1), s: word(2), publicKeyX: word(3), publicKeyY: word(4)) else {
            return .success([])
        }
        return .success(PrecompileInput.leftPadded([1], to: 32))
    }
}
