import Primitives

/// QE Identity v2 (Intel's "Enclave Identity V2" JSON, id "QE"): what the Quoting Enclave's report
/// must show (MRSIGNER, ISVPRODID, MISCSELECT and ATTRIBUTES under masks), and the status of each
/// QE ISVSVN.
public struct QEIdentity: Hashable, Sendable {
    /// "QE".
    public var id: String
    /// 2.
    public var version: Int
    /// When Intel issued it, seconds since the Unix epoch.
    public var issueDate: Int64
    /// When Intel will issue the next one.
    public var nextUpdate: Int64
    /// The TCB evaluation data number.
    public var tcbEvaluationDataNumber: Int
    /// Expected MISCSELECT (after masking).
    public var miscselect: UInt32
    /// Which MISCSELECT bits are compared.
    public var miscselectMask: UInt32
    /// Expected ATTRIBUTES, 16 bytes (after masking).
    public var attributes: [UInt8]
    /// Which ATTRIBUTES bits are compared, 16 bytes.
    public var attributesMask: [UInt8]
    /// Expected MRSIGNER of the QE.
    public var mrSigner: Hash32
    /// Expected ISVPRODID of the QE.
    public var isvProdID: UInt16
    /// The levels, newest first: the first whose `isvSVN` ≤ the QE report's ISVSVN applies.
    public var tcbLevels: [QETCBLevel]

    public init(id: String, version: Int, issueDate: Int64, nextUpdate: Int64, tcbEvaluationDataNumber: Int,
                miscselect: UInt32, miscselectMask: UInt32, attributes: [UInt8], attributesMask: [UInt8],
                mrSigner: Hash32, isvProdID: UInt16, tcbLevels: [QETCBLevel]) {
        self.id = id
        self.version = version
        self.issueDate = issueDate
        self.nextUpdate = nextUpdate
        self.tcbEvaluationDataNumber = tcbEvaluationDataNumber
        self.miscselect = miscselect
        self.miscselectMask = miscselectMask
        self.attributes = attributes
        self.attributesMask = attributesMask
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.tcbLevels = tcbLevels
    }
}

/// One TCB level of a QE Identity.
public struct QETCBLevel: Hashable, Sendable {
    /// The QE ISVSVN this level starts at.
    public var isvSVN: UInt16
    /// Intel's tcbDate, seconds since the Unix epoch.
    public var tcbDate: Int64
    /// The QE's status at this level.
    public var status: TCBStatus
    /// Advisories that apply.
    public var advisoryIDs: [String]

    public init(isvSVN: UInt16, tcbDate: Int64, status: TCBStatus, advisoryIDs: [String]) {
        self.isvSVN = isvSVN
        self.tcbDate = tcbDate
        self.status = status
        self.advisoryIDs = advisoryIDs
    }
}
