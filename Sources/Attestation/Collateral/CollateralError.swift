/// Why collateral (TCB Info, QE Identity, the TCB Signing chain, the CRLs) was refused: its
/// format, a signature, an issuer link, a validity window at the verification time, or a revoked
/// certificate. Messages name the document, the values found and what was expected.
public enum CollateralError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A JSON document (TCB Info, QE Identity) is not what Intel's format defines.
    case malformedDocument(document: String, reason: String)

    public var description: String {
        switch self {
        case .malformedDocument(let document, let reason):
            return "\(document) is malformed: \(reason)"
        }
    }
}
