/// The alt_bn128 pairing check precompile at 0x08 (EIP-197), priced by EIP-1108.
///
/// Input: k pairs (G1 point, 64 bytes; G2 point, 128 bytes), so its length must be a multiple of
/// 192. Output: the 32-byte word 1 if e(P1, Q1) · … · e(Pk, Qk) = 1 in F_p¹², else 0; an empty
/// input gives 1. Pairs with a point at infinity contribute 1. A wrong length, a coordinate ≥ p, a
/// point off its curve, or a G2 point outside the order-r subgroup fails the call.
public struct BN256PairingPrecompile: Precompile {
    /// Creates the precompile.
    public init() {}

    /// 45000 + 34000·k for k = ⌊|input| ÷ 192⌋ pairs (EIP-1108).
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        45_000 + 34_000 * UInt64(input.count / 192)
    }

    /// Runs the pairing product check.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: unused.
    /// - Returns: a 32-byte 0 or 1, or a failure naming what is wrong with the input.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        guard input.count % 192 == 0 else {
            return .failure(BN256Error.pairingInputLength(input.count).description)
        }
        var terms: [BN256.PairingTerm] = []
        terms.reserveCapacity(input.count / 192)
        do {
            for offset in stride(from: 0, to: input.count, by: 192) {
                // Both points are validated even when the other one is at infinity.
                let p = try BN256.readG1(input, at: offset)
                let q = try BN256.readG2(input, at: offset + 64)
                if let pAffine = p.affine, let q {
                    terms.append(BN256.PairingTerm(p: pAffine, q: q))
                }
            }
        } catch {
            return .failure(error.description)
        }
        var output = [UInt8](repeating: 0, count: 32)
        if BN256.pairingProductIsOne(terms) { output[31] = 1 }
        return .success(output)
    }
}
