import Primitives

/// Why a quote could not be evaluated against verified collateral: its PCK certificate's SGX
/// extensions, a platform or QE that the collateral does not describe, or no TCB level met.
public enum TCBEvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The PCK certificate's FMSPC is not the TCB Info's.
    case fmspcMismatch(pck: [UInt8], tcbInfo: [UInt8])

    public var description: String {
        switch self {
        case .fmspcMismatch(let pck, let tcbInfo):
            return "PCK certificate FMSPC \(hex(pck)) is not the TCB Info's FMSPC \(hex(tcbInfo))"
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes, prefix: false) }
}
