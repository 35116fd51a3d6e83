import Signatures

/// The SHA-256 precompile at 0x02 (Yellow Paper appendix E, "SHA256"): returns the 32-byte
/// SHA-256 digest (FIPS 180-4) of its input, computed by OpenSSL through `Signatures.SHA256`.
///
/// Gas: 60 + 12 per 32-byte word of input, rounded up.
public struct SHA256Precompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 60 + 12·⌈|input| ÷ 32⌉.
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        PrecompileInput.linearGas(base: 60, perWord: 12, byteCount: input.count)
    }

    /// Hashes the input.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: the 32-byte digest; this precompile never fails.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        .success(SHA256.hash(input).bytes)
    }
}
