import Primitives

/// Which SIMULATED platform a simulated enclave runs on, as its PCK certificate describes it and
/// as `SimulatedCollateral` evaluates it (docs/formats.md, "Simulated collateral"):
///
/// - `upToDate` (the default, the dev chain's): its PCK certificate's TCB (SGX components
///   3 3 2 2 4 1 0 3 0…0, PCESVN 13) meets the TCB Info's newest level, UpToDate.
/// - `outOfDate`: its TCB (components 2 2 2 2 4 1 0 3 0…0, PCESVN 11) meets only the second
///   level, OutOfDate, with the advisory GOLDENGRAIN-SIMULATED-SA-00001.
/// - `revoked`: the up-to-date TCB, but its PCK certificate's serial (5) is in the PCK CRL.
///
/// Each platform has its own PCK key and certificate under the same simulated root and PCK
/// Platform CA (serials 3, 4, 5), so one set of simulated collateral serves all three, as one set
/// of Intel collateral serves every platform of an FMSPC. INSECURE: every key is public.
public enum SimulatedPlatform: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case upToDate = "up-to-date"
    case outOfDate = "out-of-date"
    case revoked = "revoked"

    /// The name the CLI takes, e.g. "out-of-date".
    public var description: String { rawValue }

    /// The FMSPC of every simulated platform (and of the simulated TCB Info): "GG" then zeros,
    /// no Intel platform family.
    public static let fmspc: [UInt8] = [0x47, 0x47, 0x00, 0x00, 0x00, 0x00]
    /// The PCE-ID (Intel's PCE has 0000).
    public static let pceID: [UInt8] = [0x00, 0x00]

    /// The serial number of this platform's PCK certificate.
    public var pckSerial: Int {
        switch self {
        case .upToDate: 3
        case .outOfDate: 4
        case .revoked: 5
        }
    }

    /// The 16 SGX TCB component SVNs of this platform's PCK certificate.
    public var sgxComponents: [UInt8] {
        switch self {
        case .upToDate, .revoked: SimulatedCollateral.upToDateComponents
        case .outOfDate: SimulatedCollateral.outOfDateComponents
        }
    }

    /// The PCE SVN of this platform's PCK certificate (and of its quotes' headers).
    public var pceSVN: UInt16 {
        switch self {
        case .upToDate, .revoked: SimulatedCollateral.upToDatePCESVN
        case .outOfDate: SimulatedCollateral.outOfDatePCESVN
        }
    }

    /// CPUSVN: the 16 component SVNs as bytes, as on Intel platforms whose CPUSVN lists them; the
    /// reports of this platform's quotes carry it too.
    public var cpuSVN: [UInt8] { sgxComponents }

    /// PPID, 16 bytes: the first 16 bytes of keccak256("GoldenGrain INSECURE simulated PPID <platform>").
    public var ppid: [UInt8] {
        Array(Keccak256.hash(Array("GoldenGrain INSECURE simulated PPID \(rawValue)".utf8)).bytes[0..<16])
    }

    /// The label suffix of this platform's PCK key (the up-to-date one keeps the original label,
    /// so the dev chain's PCK key is unchanged).
    var pckKeyLabelSuffix: String {
        switch self {
        case .upToDate: " PCK certificate v1"
        case .outOfDate: " PCK certificate out-of-date v1"
        case .revoked: " PCK certificate revoked v1"
        }
    }

    /// The CN of this platform's PCK certificate.
    var pckCommonName: String {
        switch self {
        case .upToDate: "GoldenGrain SIMULATED INSECURE SGX PCK Certificate"
        case .outOfDate: "GoldenGrain SIMULATED INSECURE SGX PCK Certificate (out of date)"
        case .revoked: "GoldenGrain SIMULATED INSECURE SGX PCK Certificate (revoked)"
        }
    }

    /// The Intel SGX extensions as the PCK certificate carries them (the extnValue of OID
    /// 1.2.840.113741.1.13.1), DER as Intel's "SGX PCK Certificate and CRL Profile" defines it:
    ///
    ///     SEQUENCE {
    ///       SEQUENCE { OID …13.1.1 PPID,  OCTET STRING (16) }
    ///       SEQUENCE { OID …13.1.2 TCB,   SEQUENCE {
    ///           SEQUENCE { OID …13.1.2.1 … 2.16  SGX TCB COMPn SVN, INTEGER } × 16
    ///           SEQUENCE { OID …13.1.2.17 PCESVN, INTEGER }
    ///           SEQUENCE { OID …13.1.2.18 CPUSVN, OCTET STRING (16) } } }
    ///       SEQUENCE { OID …13.1.3 PCE-ID, OCTET STRING (2) }
    ///       SEQUENCE { OID …13.1.4 FMSPC,  OCTET STRING (6) }
    ///       SEQUENCE { OID …13.1.5 SGX Type, ENUMERATED 0 (Standard) } }
    public var sgxExtensionValue: [UInt8] {
        let base = Self.sgxExtensionArcs
        func item(_ arcs: [UInt64], _ value: [UInt8]) -> [UInt8] { DER.sequence(DER.objectIdentifier(base + arcs) + value) }
        var tcb: [UInt8] = []
        for (index, svn) in sgxComponents.enumerated() {
            tcb += item([2, UInt64(index + 1)], DER.integer(UInt64(svn)))
        }
        tcb += item([2, 17], DER.integer(UInt64(pceSVN)))
        tcb += item([2, 18], DER.octetString(cpuSVN))
        return DER.sequence(item([1], DER.octetString(ppid)) + item([2], DER.sequence(tcb))
                            + item([3], DER.octetString(Self.pceID)) + item([4], DER.octetString(Self.fmspc))
                            + item([5], DER.enumerated(0)))
    }

    /// 1.2.840.113741.1.13.1, Intel's SGX extensions OID.
    static let sgxExtensionArcs: [UInt64] = [1, 2, 840, 113_741, 1, 13, 1]
    /// The same OID in dotted form, for OpenSSL.
    static let sgxExtensionOID = "1.2.840.113741.1.13.1"
}
