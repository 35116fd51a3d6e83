import Signatures

/// The RIPEMD-160 precompile at 0x03 (Yellow Paper appendix E, "RIP160"): returns the 20-byte
/// RIPEMD-160 digest of its input left-padded with zeros to 32 bytes, computed through
/// `Signatures.RIPEMD160` (OpenSSL, or its portable fallback when no OpenSSL provider has it).
///
/// Gas: 600 + 120 per 32-byte word of input, rounded up.
public struct RIPEMD160Precompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 600 + 120·⌈|input| ÷ 32⌉.
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        PrecompileInput.linearGas(base: 600, perWord: 120, byteCount: input.count)
    }

    /// Hashes the input.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: 12 zero bytes then the 20-byte digest; this precompile never fails.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        .success(PrecompileInput.leftPadded(RIPEMD160.hash(input), to: 32))
    }
}
