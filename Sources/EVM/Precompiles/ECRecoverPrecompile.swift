import Primitives
import Signatures

/// The secp256k1 public key recovery precompile at 0x01 (Yellow Paper appendix E, "ECREC").
///
/// Input, right-padded with zeros to 128 bytes: hash ‖ v ‖ r ‖ s, 32-byte big-endian words. v must
/// be exactly 27 or 28 (as a whole 32-byte word) and r, s must lie in [1, n − 1]; unlike
/// transaction signatures (EIP-2), a high s is accepted. Output: the signer's address left-padded
/// to 32 bytes, or empty output when any check fails or no key recovers: invalid input is a
/// successful call with no return data, never a failure. Recovery is libsecp256k1's, through
/// `Signatures.RecoverableSignature`.
///
/// Gas: 3000.
public struct ECRecoverPrecompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 3000 gas, whatever the input.
    /// - Parameter input: the call data.
    /// - Returns: 3000.
    public func requiredGas(input: [UInt8]) -> UInt64 { 3000 }

    /// Recovers the signer.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: `.success` with the 32-byte padded address, or `.success([])` for invalid input.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        let padded = PrecompileInput.paddedBytes(input, offset: 0, count: 128)
        // v is a whole word: 31 zero bytes, then 27 or 28.
        guard padded[32..<63].allSatisfy({ $0 == 0 }), padded[63] == 27 || padded[63] == 28 else {
            return .success([])
        }
        guard let signature = try? RecoverableSignature(r: padded[64..<96], s: padded[96..<128],
                                                        recoveryId: padded[63] - 27),
              let address = try? signature.recoverAddress(from: Hash32(padded[0..<32])) else {
            return .success([])
        }
        return .success(address.word.bytes)
    }
}
