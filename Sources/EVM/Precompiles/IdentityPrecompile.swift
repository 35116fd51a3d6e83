/// The identity precompile at 0x04: returns its input unchanged (Yellow Paper appendix E, "ID").
///
/// Gas: 15 + 3 per 32-byte word of input, rounded up.
public struct IdentityPrecompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 15 + 3·⌈|input| ÷ 32⌉.
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        PrecompileInput.linearGas(base: 15, perWord: 3, byteCount: input.count)
    }

    /// Copies the input to the output.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: `.success(input)`.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        .success(input)
    }
}
