/// The TCB status of a platform or Quoting Enclave, as Intel's TCB Info v3 and QE Identity v2 name
/// it, and the combined status the verifier reports (Intel's QVL converges the two).
///
/// `code` is what ATTESTATION_VERIFY returns on chain (docs/formats.md); 0 there means "no
/// collateral was checked" and has no case here.
public enum TCBStatus: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case upToDate = "UpToDate"
    case swHardeningNeeded = "SWHardeningNeeded"
    case configurationNeeded = "ConfigurationNeeded"
    case configurationAndSWHardeningNeeded = "ConfigurationAndSWHardeningNeeded"
    case outOfDate = "OutOfDate"
    case outOfDateConfigurationNeeded = "OutOfDateConfigurationNeeded"
    case revoked = "Revoked"

    /// The status's number in the precompile's output: 1 (UpToDate) … 7 (Revoked), in the order above.
    public var code: UInt8 {
        switch self {
        case .upToDate: 1
        case .swHardeningNeeded: 2
        case .configurationNeeded: 3
        case .configurationAndSWHardeningNeeded: 4
        case .outOfDate: 5
        case .outOfDateConfigurationNeeded: 6
        case .revoked: 7
        }
    }

    /// The status with this code, or `nil` for 0 and codes above 7.
    public init?(code: UInt8) {
        guard let status = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = status
    }

    /// Intel's name, e.g. "SWHardeningNeeded".
    public var description: String { rawValue }
}
