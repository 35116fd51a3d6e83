import Primitives

/// QE Identity v2, read from the `enclaveIdentity` object Intel's PCS serves (Intel "Enclave
/// Identity V2" data model; `GET /sgx/certification/v4/qe/identity`):
///
///     {"id":"QE","version":2,"issueDate":"…Z","nextUpdate":"…Z","tcbEvaluationDataNumber":N,
///      "miscselect":"4 bytes hex","miscselectMask":"4 bytes hex","attributes":"16 bytes hex",
///      "attributesMask":"16 bytes hex","mrsigner":"32 bytes hex","isvprodid":N,
///      "tcbLevels":[{"tcb":{"isvsvn":N},"tcbDate":"…Z","tcbStatus":"…","advisoryIDs":[…]}, …]}
///
/// Only the SGX Quoting Enclave's identity (id "QE") fits an SGX quote: "QVE" and "TD_QE" (the TDX
/// Quoting Enclave, ISVPRODID 2) are refused. `miscselect` and its mask are the report's 4
/// MISCSELECT bytes in the order the report stores them, so they are read little-endian (as
/// dcap-qvl does); `attributes` and its mask are the report's 16 ATTRIBUTES bytes. A QE level's
/// status is UpToDate, OutOfDate or Revoked (the statuses Intel's model defines for it).
extension QEIdentity {
    /// The statuses a QE Identity TCB level may have.
    static let allowedStatuses: [TCBStatus] = [.upToDate, .outOfDate, .revoked]

    /// Parses the `enclaveIdentity` object (the exact bytes the QE Identity signature covers).
    /// - Parameter body: the object's JSON bytes.
    /// - Throws: `AttestationError.collateral` with `.invalidJSON`, `.missingField`,
    ///   `.duplicateField` or `.invalidField` naming the field, the value found and what was expected.
    public init(json body: [UInt8]) throws(AttestationError) {
        do {
            self = try Self.parse(CollateralJSONObject(parsing: body, document: .qeIdentity))
        } catch {
            throw .collateral(error)
        }
    }

    private static func parse(_ object: CollateralJSONObject) throws(CollateralError) -> QEIdentity {
        try object.string("id", equalTo: "QE")
        try object.integer("version", equalTo: 2)
        let issueDate = try object.date("issueDate")
        let nextUpdate = try object.date("nextUpdate")
        let evaluationDataNumber = try object.integer("tcbEvaluationDataNumber", maximum: UInt64(UInt32.max))
        let miscselect = try object.hex("miscselect", byteCount: 4)
        let miscselectMask = try object.hex("miscselectMask", byteCount: 4)
        let attributes = try object.hex("attributes", byteCount: 16)
        let attributesMask = try object.hex("attributesMask", byteCount: 16)
        let mrSigner = try object.hex("mrsigner", byteCount: 32)
        let isvProdID = UInt16(try object.integer("isvprodid", maximum: UInt64(UInt16.max)))
        let levelValues = try object.array("tcbLevels")
        guard !levelValues.isEmpty else {
            throw .invalidField(document: .qeIdentity, field: "tcbLevels", found: "an empty array", expected: "at least one TCB level")
        }
        var levels: [QETCBLevel] = []
        for (index, value) in levelValues.enumerated() {
            let level = try CollateralJSONObject(value, document: .qeIdentity, path: "tcbLevels[\(index)]")
            let tcb = try level.object("tcb")
            let isvSVN = UInt16(try tcb.integer("isvsvn", maximum: UInt64(UInt16.max)))
            levels.append(QETCBLevel(isvSVN: isvSVN, tcbDate: try level.date("tcbDate"),
                                     status: try level.status("tcbStatus", allowed: allowedStatuses),
                                     advisoryIDs: try level.optionalStrings("advisoryIDs")))
        }
        return QEIdentity(id: "QE", version: 2, issueDate: issueDate, nextUpdate: nextUpdate,
                          tcbEvaluationDataNumber: Int(evaluationDataNumber),
                          miscselect: littleEndian(miscselect), miscselectMask: littleEndian(miscselectMask),
                          attributes: attributes, attributesMask: attributesMask, mrSigner: Hash32(mrSigner),
                          isvProdID: isvProdID, tcbLevels: levels)
    }

    private static func littleEndian(_ bytes: [UInt8]) -> UInt32 {
        bytes.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
