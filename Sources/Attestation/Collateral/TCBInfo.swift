import Primitives

/// TCB Info v3 for SGX (Intel's "TCB Info V3" JSON, id "SGX"): for one FMSPC, the TCB levels a
/// platform can be at, newest first, each with its status and security advisories.
public struct TCBInfo: Hashable, Sendable {
    /// "SGX" (TDX TCB Info is out of scope).
    public var id: String
    /// 3.
    public var version: Int
    /// When Intel issued it, seconds since the Unix epoch.
    public var issueDate: Int64
    /// When Intel will issue the next one; the collateral is stale after it.
    public var nextUpdate: Int64
    /// The platform family this applies to, 6 bytes (matched to the PCK certificate's FMSPC).
    public var fmspc: [UInt8]
    /// The PCE identifier, 2 bytes (matched to the PCK certificate's PCE-ID).
    public var pceID: [UInt8]
    /// Intel's TCB type (0).
    public var tcbType: Int
    /// The TCB evaluation data number (increases with each TCB recovery).
    public var tcbEvaluationDataNumber: Int
    /// The levels, in Intel's order (newest first); evaluation takes the first the platform meets.
    public var tcbLevels: [TCBLevel]

    public init(id: String, version: Int, issueDate: Int64, nextUpdate: Int64, fmspc: [UInt8], pceID: [UInt8],
                tcbType: Int, tcbEvaluationDataNumber: Int, tcbLevels: [TCBLevel]) {
        self.id = id
        self.version = version
        self.issueDate = issueDate
        self.nextUpdate = nextUpdate
        self.fmspc = fmspc
        self.pceID = pceID
        self.tcbType = tcbType
        self.tcbEvaluationDataNumber = tcbEvaluationDataNumber
        self.tcbLevels = tcbLevels
    }
}

/// One platform TCB level of a TCB Info: the 16 SGX TCB component SVNs and the PCE SVN a
/// platform must meet or exceed, and the status it then has.
public struct TCBLevel: Hashable, Sendable {
    /// The 16 SGX TCB component SVNs (`sgxtcbcomponents[i].svn`).
    public var sgxComponents: [UInt8]
    /// The PCE SVN.
    public var pceSVN: UInt16
    /// Intel's tcbDate, seconds since the Unix epoch.
    public var tcbDate: Int64
    /// The status of a platform at this level.
    public var status: TCBStatus
    /// Intel security advisories (e.g. "INTEL-SA-00615") that apply at this level.
    public var advisoryIDs: [String]

    public init(sgxComponents: [UInt8], pceSVN: UInt16, tcbDate: Int64, status: TCBStatus, advisoryIDs: [String]) {
        self.sgxComponents = sgxComponents
        self.pceSVN = pceSVN
        self.tcbDate = tcbDate
        self.status = status
        self.advisoryIDs = advisoryIDs
    }
}
