import Primitives

/// Check (g): a quote whose signatures, chain and collateral are verified, evaluated against that
/// collateral — which TCB level the platform is at, whether the Quoting Enclave is the one Intel
/// describes and at which level, and the status the two converge to.
///
/// The steps and their order follow Intel's Quote Verification Library (intel/SGX-TDX-DCAP-
/// QuoteVerificationLibrary @ 7e5b2a1, `Src/AttestationLibrary/src/Verifiers/QuoteVerifier.cpp`
/// steps 4.1.2.4.9–4.1.2.4.17, `Verifiers/EnclaveReportVerifier.cpp` and
/// `Verifiers/Checks/TcbLevelCheck.cpp`), cross-checked with Phala's dcap-qvl
/// (Phala-Network/dcap-qvl @ 9bffe30, `src/verify.rs`: `match_platform_tcb`,
/// `verify_qe_identity_policy`, `match_qe_tcb_level`):
///
/// 1. The TCB Info is for SGX (id "SGX") and the QE Identity is the SGX QE's (id "QE").
/// 2. The PCK certificate's FMSPC and PCE-ID equal the TCB Info's.
/// 3. The QE report against the QE Identity, in QVL's order: (MISCSELECT & miscselectMask) ==
///    miscselect, (ATTRIBUTES & attributesMask) == attributes, MRSIGNER equal, ISVPRODID equal;
///    then the QE's level is the first, in the QE Identity's order, whose isvsvn ≤ the report's
///    ISVSVN (none: "ISVSVN not supported").
/// 4. The platform's level is the first, in the TCB Info's order (Intel serves them newest
///    first), whose 16 SGX component SVNs are each ≤ the PCK certificate's and whose pcesvn ≤ the
///    PCK certificate's PCESVN (none: "TCB level not supported"). Only the components of the
///    certificate's TCB extension count, not its CPUSVN bytes (QVL `isCpuSvnHigherOrEqual`).
///    QVL walks the levels sorted descending (a `std::set` ordered by `TcbLevel::operator>`:
///    components lexicographically, then PCE SVN) where dcap-qvl takes the document's order; Intel
///    serves them in that descending order (the real documents' order is checked by a test), so the
///    two agree, and the document is Intel-signed, so nobody else can reorder it.
/// 5. The statuses converge as QVL's `convergeTcbStatusWithQeTcbStatus` does: a Revoked QE makes
///    the result Revoked; a QE that is not UpToDate (QE Identity v2 knows UpToDate, OutOfDate and
///    Revoked; QVL reports every other non-UpToDate QE status as OutOfDate) turns UpToDate and
///    SWHardeningNeeded into OutOfDate and ConfigurationNeeded and
///    ConfigurationAndSWHardeningNeeded into OutOfDateConfigurationNeeded; otherwise the
///    platform's status stands. (dcap-qvl instead keeps the more severe of the two, which
///    differs only for a Configuration… platform with an out-of-date QE.)
/// 6. The advisory IDs of both matched levels, sorted, without duplicates (dcap-qvl's
///    `TcbStatusWithAdvisory::merge` unions them too).
///
/// MISCSELECT in the QE Identity is the hex of the four report bytes, so both it and the report's
/// value are read little-endian (QVL `vectorToUint32` swaps the bytes; dcap-qvl `u32::from_le_bytes`).
package enum TCBEvaluator {
    /// Check (g) against collateral that check (f) verified.
    /// - Parameters:
    ///   - quote: the quote (checks (a)–(e) passed).
    ///   - pck: the PCK leaf certificate's SGX extensions.
    ///   - collateral: the verified TCB Info and QE Identity and the collateral's issue date.
    /// - Returns: the combined status, both parts and the advisories.
    /// - Throws: `AttestationError.tcbEvaluation` naming the mismatch.
    package static func evaluate(quote: Quote, pck: PCKExtensions,
                                 collateral: VerifiedCollateral) throws(AttestationError) -> TCBEvaluation {
        try evaluate(quote: quote, pck: pck, tcbInfo: collateral.tcbInfo, qeIdentity: collateral.qeIdentity,
                     collateralIssueDate: collateral.earliestIssueDate)
    }

    /// Check (g) against a TCB Info and a QE Identity (which the caller has verified).
    /// - Parameters:
    ///   - quote: the quote.
    ///   - pck: the PCK leaf certificate's SGX extensions.
    ///   - tcbInfo: the TCB Info for the platform's FMSPC.
    ///   - qeIdentity: the QE Identity.
    ///   - collateralIssueDate: the earliest issue date of the collateral, passed through to the result.
    /// - Returns: the combined status, both parts and the advisories.
    /// - Throws: `AttestationError.tcbEvaluation` naming the mismatch.
    package static func evaluate(quote: Quote, pck: PCKExtensions, tcbInfo: TCBInfo, qeIdentity: QEIdentity,
                                 collateralIssueDate: Int64) throws(AttestationError) -> TCBEvaluation {
        do throws(TCBEvaluationError) {
            guard tcbInfo.id == "SGX" else { throw TCBEvaluationError.tcbInfoNotForSGX(id: tcbInfo.id) }
            guard qeIdentity.id == "QE" else { throw TCBEvaluationError.qeIdentityNotForSGX(id: qeIdentity.id) }
            guard pck.fmspc == tcbInfo.fmspc else { throw TCBEvaluationError.fmspcMismatch(pck: pck.fmspc, tcbInfo: tcbInfo.fmspc) }
            guard pck.pceID == tcbInfo.pceID else { throw TCBEvaluationError.pceIDMismatch(pck: pck.pceID, tcbInfo: tcbInfo.pceID) }
            let qeLevel = try qeTCBLevel(of: quote.qeReport, identity: qeIdentity)
            let platformLevel = try platformTCBLevel(of: pck, in: tcbInfo)
            let status = converge(platform: platformLevel.status, qe: qeLevel.status)
            let advisories = Set(platformLevel.advisoryIDs).union(qeLevel.advisoryIDs).sorted()
            return TCBEvaluation(status: status, platformStatus: platformLevel.status, qeStatus: qeLevel.status,
                                 advisoryIDs: advisories, collateralIssueDate: collateralIssueDate)
        } catch {
            throw .tcbEvaluation(error)
        }
    }

    /// The first TCB level (in the TCB Info's order) the platform meets.
    /// - Throws: `tcbLevelNotSupported` if none, `tcbLevelComponentCount` for a level without 16 components.
    package static func platformTCBLevel(of pck: PCKExtensions, in tcbInfo: TCBInfo) throws(TCBEvaluationError) -> TCBLevel {
        precondition(pck.sgxComponents.count == 16, "PCKExtensions(certificateDER:) reads 16 components")
        for level in tcbInfo.tcbLevels {
            // A short list must not let zip() skip components (dcap-qvl rejects it the same way).
            guard level.sgxComponents.count == 16 else { throw .tcbLevelComponentCount(found: level.sgxComponents.count) }
            let componentsMet = zip(pck.sgxComponents, level.sgxComponents).allSatisfy { platform, required in platform >= required }
            if componentsMet && pck.pceSVN >= level.pceSVN { return level }
        }
        throw .tcbLevelNotSupported(components: pck.sgxComponents, pceSVN: pck.pceSVN)
    }

    /// The QE report checked against the QE Identity, and the first QE TCB level its ISVSVN meets.
    /// - Throws: the first mismatching field, or `qeISVSVNNotSupported`.
    package static func qeTCBLevel(of report: ReportBody, identity: QEIdentity) throws(TCBEvaluationError) -> QETCBLevel {
        let miscselect = report.miscSelect & identity.miscselectMask
        guard miscselect == identity.miscselect else {
            throw .qeMiscselectMismatch(expected: identity.miscselect, found: miscselect, mask: identity.miscselectMask)
        }
        precondition(identity.attributes.count == 16 && identity.attributesMask.count == 16,
                     "QEIdentity(json:) reads 16-byte attributes and mask")
        let attributes = zip(report.attributes, identity.attributesMask).map { $0 & $1 }
        guard attributes == identity.attributes else {
            throw .qeAttributesMismatch(expected: identity.attributes, found: attributes, mask: identity.attributesMask)
        }
        guard report.mrSigner == identity.mrSigner else {
            throw .qeMRSignerMismatch(expected: identity.mrSigner, found: report.mrSigner)
        }
        guard report.isvProdID == identity.isvProdID else {
            throw .qeISVProdIDMismatch(expected: identity.isvProdID, found: report.isvProdID)
        }
        guard let level = identity.tcbLevels.first(where: { report.isvSVN >= $0.isvSVN }) else {
            throw .qeISVSVNNotSupported(isvSVN: report.isvSVN, minimum: identity.tcbLevels.map(\.isvSVN).min())
        }
        return level
    }

    /// The combined status of a platform and its QE (QVL `convergeTcbStatusWithQeTcbStatus`).
    /// - Parameters:
    ///   - platform: the platform's TCB level status.
    ///   - qe: the QE's TCB level status.
    /// - Returns: the status the verifier reports.
    package static func converge(platform: TCBStatus, qe: TCBStatus) -> TCBStatus {
        switch qe {
        case .upToDate:
            return platform
        case .revoked:
            return .revoked
        default:
            switch platform {
            case .upToDate, .swHardeningNeeded: return .outOfDate
            case .configurationNeeded, .configurationAndSWHardeningNeeded: return .outOfDateConfigurationNeeded
            case .outOfDate, .outOfDateConfigurationNeeded, .revoked: return platform
            }
        }
    }
}
