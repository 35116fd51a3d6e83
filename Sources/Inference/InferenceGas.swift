/// The gas schedule of INFERENCE_EVAL (docs/gas.md, "## INFERENCE_EVAL (0x…1001)"):
///
///     gas = base + ⌈multiplyAccumulates / multiplyAccumulatesPerGas⌉ + perWord · ⌈inputBytes / 32⌉
///
/// priced from a measurement against ecrecover (3000 gas) in the same release process:
/// `goldengrain model gas-measure`. multiplyAccumulates = samples × Σ over Dense layers of
/// inputs × outputs, read from the headers before any arithmetic runs.
public enum InferenceGas {
    /// The fixed part: framing, the result encoding and the keccak-256 finalisation.
    public static let base: UInt64 = 1_000
    /// Multiply-accumulates bought by one unit of gas.
    public static let multiplyAccumulatesPerGas: UInt64 = 64
    /// Gas per 32-byte word of input: parsing, copying and hashing the logits.
    public static let perWord: UInt64 = 6

    /// The gas for an evaluation.
    /// - Parameters:
    ///   - multiplyAccumulates: samples × Σ inputs × outputs.
    ///   - inputByteCount: the input's length in bytes.
    /// - Returns: the gas, saturating at `UInt64.max`.
    public static func cost(multiplyAccumulates: UInt64, inputByteCount: UInt64) -> UInt64 {
        let compute = multiplyAccumulates / multiplyAccumulatesPerGas
            + (multiplyAccumulates % multiplyAccumulatesPerGas == 0 ? 0 : 1)
        let words = inputByteCount / 32 + (inputByteCount % 32 == 0 ? 0 : 1)
        let (wordGas, overflow) = words.multipliedReportingOverflow(by: perWord)
        guard !overflow else { return .max }
        let (sum, overflowSum) = (base + compute).addingReportingOverflow(wordGas)
        return overflowSum ? .max : sum
    }
}
