import Primitives

/// Why a quote could not be evaluated against verified collateral: its PCK certificate's SGX
/// extensions, a platform or QE that the collateral does not describe, or no TCB level met.
public enum TCBEvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A field of the PCK certificate's Intel SGX extension (or the certificate structure around
    /// it) is missing, duplicated or malformed.
    case pckExtension(field: String, found: String, expected: String)
    /// The PCK certificate's FMSPC is not the TCB Info's.
    case fmspcMismatch(pck: [UInt8], tcbInfo: [UInt8])
    /// The PCK certificate's PCE-ID is not the TCB Info's.
    case pceIDMismatch(pck: [UInt8], tcbInfo: [UInt8])
    /// The TCB Info is not for SGX (its id is not "SGX"), so it cannot describe an SGX quote's platform.
    case tcbInfoNotForSGX(id: String)
    /// The QE Identity is not the SGX Quoting Enclave's (its id is not "QE"; "TD_QE" is TDX's).
    case qeIdentityNotForSGX(id: String)
    /// A TCB level of the TCB Info does not list 16 SGX TCB component SVNs.
    case tcbLevelComponentCount(found: Int)
    /// No TCB level of the TCB Info has every component SVN and the PCE SVN at or below the PCK
    /// certificate's (Intel QVL: TCB level not supported).
    case tcbLevelNotSupported(components: [UInt8], pceSVN: UInt16)
    /// The QE report's MISCSELECT, masked with the QE Identity's miscselectMask, is not its miscselect.
    case qeMiscselectMismatch(expected: UInt32, found: UInt32, mask: UInt32)
    /// The QE report's ATTRIBUTES, masked with the QE Identity's attributesMask, are not its attributes.
    case qeAttributesMismatch(expected: [UInt8], found: [UInt8], mask: [UInt8])
    /// The QE report's MRSIGNER is not the QE Identity's.
    case qeMRSignerMismatch(expected: Hash32, found: Hash32)
    /// The QE report's ISVPRODID is not the QE Identity's.
    case qeISVProdIDMismatch(expected: UInt16, found: UInt16)
    /// The QE report's ISVSVN is below every TCB level of the QE Identity (Intel QVL: ISVSVN not supported).
    case qeISVSVNNotSupported(isvSVN: UInt16, minimum: UInt16?)

    public var description: String {
        switch self {
        case .pckExtension(let field, let found, let expected):
            return "PCK certificate SGX extension: \(field) is \(found), expected \(expected)"
        case .fmspcMismatch(let pck, let tcbInfo):
            return "PCK certificate FMSPC \(hex(pck)) is not the TCB Info's FMSPC \(hex(tcbInfo))"
        case .pceIDMismatch(let pck, let tcbInfo):
            return "PCK certificate PCE-ID \(hex(pck)) is not the TCB Info's PCE-ID \(hex(tcbInfo))"
        case .tcbInfoNotForSGX(let id):
            return "TCB Info id is \"\(id)\", expected \"SGX\" for an SGX quote"
        case .qeIdentityNotForSGX(let id):
            return "QE Identity id is \"\(id)\", expected \"QE\" (the SGX Quoting Enclave) for an SGX quote"
        case .tcbLevelComponentCount(let found):
            return "a TCB Info level lists \(found) SGX TCB components, expected 16"
        case .tcbLevelNotSupported(let components, let pceSVN):
            return "TCB level not supported: no TCB Info level is met by the PCK certificate's components \(components.map(String.init).joined(separator: ",")) and PCESVN \(pceSVN)"
        case .qeMiscselectMismatch(let expected, let found, let mask):
            return "QE report MISCSELECT masked with \(hex32(mask)) is \(hex32(found)), expected \(hex32(expected))"
        case .qeAttributesMismatch(let expected, let found, let mask):
            return "QE report ATTRIBUTES masked with \(hex(mask)) are \(hex(found)), expected \(hex(expected))"
        case .qeMRSignerMismatch(let expected, let found):
            return "QE report MRSIGNER is \(hex(found.bytes)), expected the QE Identity's \(hex(expected.bytes))"
        case .qeISVProdIDMismatch(let expected, let found):
            return "QE report ISVPRODID is \(found), expected the QE Identity's \(expected)"
        case .qeISVSVNNotSupported(let isvSVN, let minimum):
            if let minimum {
                return "QE ISVSVN \(isvSVN) not supported: below the QE Identity's lowest TCB level \(minimum)"
            }
            return "QE ISVSVN \(isvSVN) not supported: the QE Identity has no TCB levels"
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes, prefix: false) }
    private func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
