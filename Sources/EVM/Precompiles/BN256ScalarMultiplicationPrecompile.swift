/// The alt_bn128 scalar multiplication precompile at 0x07 (EIP-196), priced by EIP-1108.
///
/// Input: a G1 point x ‖ y and a scalar s, each 32-byte big-endian, right-padded with zeros to
/// 96 bytes and any excess ignored. s may be any 256-bit value (it is not reduced first; the result
/// is the same). Output: the 64-byte point s·(x, y). A coordinate ≥ p or a point off the curve
/// fails the call.
public struct BN256ScalarMultiplicationPrecompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 6000 gas, whatever the input (EIP-1108).
    /// - Parameter input: the call data.
    /// - Returns: 6000.
    public func requiredGas(input: [UInt8]) -> UInt64 { 6000 }

    /// Multiplies the point by the scalar.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: the 64-byte encoded product, or a failure naming the invalid point.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        let padded = PrecompileInput.paddedBytes(input, offset: 0, count: 96)
        do {
            let point = try BN256.readG1(padded, at: 0)
            let scalar = (0..<4).map { limbIndex in
                (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(padded[64 + limbIndex * 8 + $1]) }
            }
            return .success(BN256.encodeG1(point.multiplied(by: scalar)))
        } catch {
            return .failure(error.description)
        }
    }
}
