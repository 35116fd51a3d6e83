/// What ATTESTATION_VERIFY accepts beyond a verified quote, as the genesis `goldengrain.attestation`
/// section sets it (docs/formats.md, "Collateral on chain"): which TCB statuses, and whether a quote
/// must come with collateral.
///
/// The defaults are the genesis defaults: UpToDate and SWHardeningNeeded accepted (Intel's and
/// dcap-qvl's usual acceptance; SWHardeningNeeded means the platform is patched and the enclave is
/// expected to carry the software mitigations itself), collateral optional (a quote alone keeps
/// verifying as before issue 16). A network that trusts Intel's root should require collateral.
public struct AttestationPolicy: Hashable, Sendable {
    /// The statuses ATTESTATION_VERIFY accepts when the quote comes with collateral.
    public var acceptedTCBStatuses: Set<TCBStatus>
    /// Whether a quote without collateral is refused.
    public var requireCollateral: Bool

    /// UpToDate and SWHardeningNeeded.
    public static let defaultAcceptedTCBStatuses: Set<TCBStatus> = [.upToDate, .swHardeningNeeded]

    /// Creates a policy.
    /// - Parameters:
    ///   - acceptedTCBStatuses: the accepted statuses; UpToDate and SWHardeningNeeded by default.
    ///   - requireCollateral: refuse a quote alone; false by default.
    public init(acceptedTCBStatuses: Set<TCBStatus> = AttestationPolicy.defaultAcceptedTCBStatuses,
                requireCollateral: Bool = false) {
        self.acceptedTCBStatuses = acceptedTCBStatuses
        self.requireCollateral = requireCollateral
    }

    /// Why the policy refuses a verified quote, or `nil` if it accepts it.
    /// - Parameter tcb: the quote's TCB evaluation (`VerifiedQuote.tcb`), `nil` when it came without collateral.
    /// - Returns: a message naming the status and the accepted ones, or the missing collateral.
    public func refusal(of tcb: TCBEvaluation?) -> String? {
        guard let tcb else {
            return requireCollateral ? "the policy requires collateral and the quote came without it" : nil
        }
        guard acceptedTCBStatuses.contains(tcb.status) else {
            let accepted = TCBStatus.allCases.filter(acceptedTCBStatuses.contains).map(\.rawValue)
            return "TCB status \(tcb.status) is not accepted by the policy (accepted: \(accepted.isEmpty ? "none" : accepted.joined(separator: ", ")))"
        }
        return nil
    }
}
