import EVM
import Primitives

/// A stand-in for the EIP-4844 point-evaluation precompile at 0x0a, for state tests only.
///
/// GoldenGrain's chain has no KZG precompile (DESIGN.md §2), but in mainnet Cancun the address is
/// a precompile: warm from the start of every transaction (EIP-2929) and failing, with all gas
/// consumed, on any input that is not a valid 192-byte proof. This stand-in reproduces exactly
/// that: 50000 gas (POINT_EVALUATION_PRECOMPILE_GAS) and failure on every input. Cases that verify
/// valid proofs live in the skipped EIP-4844 folders; a valid proof elsewhere would fail here.
public struct PointEvaluationStandIn: Precompile {
    /// The address of the point-evaluation precompile (EIP-4844).
    public static let address = Address(high: 0, middle: 0, low: 0x0a)
    /// Its fixed price (EIP-4844 POINT_EVALUATION_PRECOMPILE_GAS).
    public static let gas: UInt64 = 50000

    /// Creates the stand-in.
    public init() {}

    /// The fixed price.
    /// - Parameter input: the call data (ignored).
    /// - Returns: 50000.
    public func requiredGas(input: [UInt8]) -> UInt64 { Self.gas }

    /// Fails: KZG verification is out of scope.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: a failure naming the input length.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        .failure("point evaluation (EIP-4844 KZG) is not supported; input of \(input.count) bytes, expected a 192-byte proof")
    }
}
