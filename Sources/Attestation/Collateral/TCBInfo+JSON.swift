import Primitives

/// TCB Info v3 for SGX, read from the `tcbInfo` object Intel's PCS serves (Intel "TCB Info V3"
/// data model; `GET /sgx/certification/v4/tcb`):
///
///     {"id":"SGX","version":3,"issueDate":"…Z","nextUpdate":"…Z","fmspc":"6 bytes hex",
///      "pceId":"2 bytes hex","tcbType":0,"tcbEvaluationDataNumber":N,
///      "tcbLevels":[{"tcb":{"sgxtcbcomponents":[{"svn":N},… 16],"pcesvn":N},
///                    "tcbDate":"…Z","tcbStatus":"…","advisoryIDs":["INTEL-SA-…"]}, …]}
///
/// Members Intel may add (a component's `category` and `type`) are ignored; `advisoryIDs` may be
/// absent (no advisories). TDX TCB Info (id "TDX") and older versions are refused.
extension TCBInfo {
    /// Parses the `tcbInfo` object (the exact bytes the TCB Info signature covers).
    /// - Parameter body: the object's JSON bytes.
    /// - Throws: `AttestationError.collateral` with `.invalidJSON`, `.missingField`,
    ///   `.duplicateField` or `.invalidField` naming the field, the value found and what was expected.
    public init(json body: [UInt8]) throws(AttestationError) {
        do {
            self = try Self.parse(CollateralJSONObject(parsing: body, document: .tcbInfo))
        } catch {
            throw .collateral(error)
        }
    }

    private static func parse(_ object: CollateralJSONObject) throws(CollateralError) -> TCBInfo {
        try object.string("id", equalTo: "SGX")
        try object.integer("version", equalTo: 3)
        let issueDate = try object.date("issueDate")
        let nextUpdate = try object.date("nextUpdate")
        let fmspc = try object.hex("fmspc", byteCount: 6)
        let pceID = try object.hex("pceId", byteCount: 2)
        // Type 0 is the only one Intel defines: the 16 SGX components compared one by one.
        try object.integer("tcbType", equalTo: 0)
        let evaluationDataNumber = try object.integer("tcbEvaluationDataNumber", maximum: UInt64(UInt32.max))
        let levelValues = try object.array("tcbLevels")
        guard !levelValues.isEmpty else {
            throw .invalidField(document: .tcbInfo, field: "tcbLevels", found: "an empty array", expected: "at least one TCB level")
        }
        var levels: [TCBLevel] = []
        for (index, value) in levelValues.enumerated() {
            let level = try CollateralJSONObject(value, document: .tcbInfo, path: "tcbLevels[\(index)]")
            let tcb = try level.object("tcb")
            let componentValues = try tcb.array("sgxtcbcomponents")
            guard componentValues.count == 16 else {
                throw .invalidField(document: .tcbInfo, field: tcb.fieldPath("sgxtcbcomponents"),
                                    found: "\(componentValues.count) components", expected: "16 components")
            }
            var components: [UInt8] = []
            for (componentIndex, componentValue) in componentValues.enumerated() {
                let component = try CollateralJSONObject(componentValue, document: .tcbInfo,
                                                         path: tcb.fieldPath("sgxtcbcomponents[\(componentIndex)]"))
                components.append(UInt8(try component.integer("svn", maximum: 255)))
            }
            let pceSVN = UInt16(try tcb.integer("pcesvn", maximum: UInt64(UInt16.max)))
            levels.append(TCBLevel(sgxComponents: components, pceSVN: pceSVN, tcbDate: try level.date("tcbDate"),
                                   status: try level.status("tcbStatus", allowed: TCBStatus.allCases),
                                   advisoryIDs: try level.optionalStrings("advisoryIDs")))
        }
        return TCBInfo(id: "SGX", version: 3, issueDate: issueDate, nextUpdate: nextUpdate, fmspc: fmspc, pceID: pceID,
                       tcbType: 0, tcbEvaluationDataNumber: Int(evaluationDataNumber), tcbLevels: levels)
    }
}
