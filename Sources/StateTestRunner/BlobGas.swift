import Primitives

/// The EIP-4844 blob base fee, which BLOBBASEFEE (EIP-7516) reads. Blob transactions themselves
/// are out of scope; state tests still set `currentExcessBlobGas`.
public enum BlobGas {
    /// The minimum blob base fee (EIP-4844 MIN_BASE_FEE_PER_BLOB_GAS).
    public static let minimumBaseFee: UInt256 = 1
    /// How fast the blob base fee reacts (EIP-4844 BLOB_BASE_FEE_UPDATE_FRACTION, Cancun).
    public static let baseFeeUpdateFraction: UInt256 = 3_338_477

    /// The blob base fee for a block's excess blob gas: fake_exponential(1, excess, 3338477).
    /// - Parameter excessBlobGas: the block's excess blob gas.
    /// - Returns: the blob base fee per blob gas.
    public static func baseFee(excessBlobGas: UInt256) -> UInt256 {
        fakeExponential(factor: minimumBaseFee, numerator: excessBlobGas, denominator: baseFeeUpdateFraction)
    }

    /// EIP-4844's integer approximation of factor · e^(numerator / denominator), by its Taylor series.
    static func fakeExponential(factor: UInt256, numerator: UInt256, denominator: UInt256) -> UInt256 {
        var output = UInt256.zero
        var accumulator = factor &* denominator
        var index: UInt256 = 1
        while !accumulator.isZero {
            output = output &+ accumulator
            accumulator = (accumulator &* numerator).quotient(dividingBy: denominator &* index)
            index = index &+ 1
        }
        return output.quotient(dividingBy: denominator)
    }
}
