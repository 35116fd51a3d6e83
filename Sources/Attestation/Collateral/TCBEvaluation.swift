/// What checking a quote against collateral concluded: the combined TCB status (platform and
/// QE converged as Intel's QVL does), the advisories, and the parts it came from.
public struct TCBEvaluation: Hashable, Sendable {
    /// The combined status; the genesis policy accepts or refuses it.
    public var status: TCBStatus
    /// The platform's status from the TCB Info level it matched.
    public var platformStatus: TCBStatus
    /// The QE's status from the QE Identity level it matched.
    public var qeStatus: TCBStatus
    /// The advisory IDs of both matched levels, sorted, without duplicates.
    public var advisoryIDs: [String]
    /// The earliest issue date of the collateral used (TCB Info, QE Identity, both CRLs'
    /// thisUpdate), seconds since the Unix epoch, as QVL's supplemental data reports it.
    public var collateralIssueDate: Int64

    public init(status: TCBStatus, platformStatus: TCBStatus, qeStatus: TCBStatus, advisoryIDs: [String],
                collateralIssueDate: Int64) {
        self.status = status
        self.platformStatus = platformStatus
        self.qeStatus = qeStatus
        self.advisoryIDs = advisoryIDs
        self.collateralIssueDate = collateralIssueDate
    }
}
