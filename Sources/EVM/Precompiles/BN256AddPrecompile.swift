/// The alt_bn128 point addition precompile at 0x06 (EIP-196), priced by EIP-1108 (Istanbul).
///
/// Input: two G1 points x1 ‖ y1 ‖ x2 ‖ y2 (32-byte big-endian integers), right-padded with zeros
/// to 128 bytes and any excess ignored; (0, 0) is the point at infinity. Output: the 64-byte sum.
/// A coordinate ≥ p or a point off the curve y² = x³ + 3 fails the call.
public struct BN256AddPrecompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 150 gas, whatever the input (EIP-1108).
    /// - Parameter input: the call data.
    /// - Returns: 150.
    public func requiredGas(input: [UInt8]) -> UInt64 { 150 }

    /// Adds the two points.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: the 64-byte encoded sum, or a failure naming the invalid point.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        let padded = PrecompileInput.paddedBytes(input, offset: 0, count: 128)
        do {
            let first = try BN256.readG1(padded, at: 0)
            let second = try BN256.readG1(padded, at: 64)
            return .success(BN256.encodeG1(first.adding(second)))
        } catch {
            return .failure(error.description)
        }
    }
}
