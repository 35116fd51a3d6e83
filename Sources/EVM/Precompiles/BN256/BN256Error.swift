import Primitives

/// Why a bn256 (alt_bn128) precompile rejected its input (EIP-196, EIP-197). The precompile
/// returns the description as its failure reason; the call then consumes all its gas.
enum BN256Error: Error, Equatable, CustomStringConvertible {
    /// A 32-byte coordinate is p or more (EIP-196 rejects it instead of reducing it).
    case coordinateNotInField([UInt8])
    /// Affine coordinates (x, y), encoded as in the input, that do not satisfy the curve equation.
    case pointNotOnCurve(group: String, x: [UInt8], y: [UInt8])
    /// A G2 point on the twist whose order is not r (EIP-197 requires the subgroup check).
    case pointNotInSubgroup(x: [UInt8], y: [UInt8])
    /// Pairing input whose length is not a multiple of 192 bytes.
    case pairingInputLength(Int)

    var description: String {
        switch self {
        case .coordinateNotInField(let value):
            return "bn256: coordinate \(Hex.encode(value)) is not below the field modulus p = "
                + "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"
        case .pointNotOnCurve(let group, let x, let y):
            return "bn256: \(group) point (\(Hex.encode(x)), \(Hex.encode(y))) is not on the curve"
        case .pointNotInSubgroup(let x, let y):
            return "bn256: G2 point (\(Hex.encode(x)), \(Hex.encode(y))) is on the twist but not in "
                + "the subgroup of order r"
        case .pairingInputLength(let count):
            return "bn256 pairing: input of \(count) bytes is not a multiple of 192"
        }
    }
}
