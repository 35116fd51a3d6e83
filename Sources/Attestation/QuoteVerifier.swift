import Primitives

/// Verifies Intel SGX DCAP v3 quotes against a set of trusted root CAs at a given time.
///
/// Checks run in the order DESIGN.md §6 fixes, one per file under `Verifier/`, and the first
/// failure is thrown (its `check` names which):
/// (a) `StructureCheck`, (b) `PCKCertificateChainCheck`, (c) `QEReportSignatureCheck`,
/// (d) `QEReportDataBindingCheck`, (e) `ISVReportSignatureCheck`; with collateral also
/// (f) `CollateralCheck` (TCB Info, QE Identity, TCB Signing chain, CRLs) and (g) `TCBEvaluator`
/// (the platform's TCB level and the QE against the QE Identity, converged as Intel's QVL does).
///
/// The result depends only on the quote, the trusted roots and `time`; the verifier never reads
/// the clock, so on chain every node agrees (the precompile passes the block timestamp).
/// A verifier is immutable and may be shared between threads.
public struct QuoteVerifier: Sendable {
    private let trustStore: TrustStore

    /// Creates a verifier that trusts the given roots.
    /// - Parameter trustedRoots: the root CAs a PCK chain may end in.
    public init(trustedRoots: [TrustedRoot]) {
        self.trustStore = TrustStore(roots: trustedRoots)
    }

    /// The trusted roots.
    public var trustedRoots: [TrustedRoot] { trustStore.roots }

    /// Verifies a raw quote.
    /// - Parameters:
    ///   - quote: the quote bytes.
    ///   - time: the time at which certificate validity is checked, seconds since the Unix epoch
    ///     (the block timestamp on chain).
    /// - Returns: the attested fields.
    /// - Throws: the first failing check's `AttestationError`.
    public func verify(_ quote: [UInt8], at time: UInt64) throws(AttestationError) -> VerifiedQuote {
        try verify(Quote(bytes: quote), at: time)
    }

    /// Verifies a parsed quote (checks (b)–(e); parsing was check (a)).
    /// - Parameters:
    ///   - quote: the parsed quote.
    ///   - time: seconds since the Unix epoch.
    /// - Returns: the attested fields.
    /// - Throws: the first failing check's `AttestationError`.
    public func verify(_ quote: Quote, at time: UInt64) throws(AttestationError) -> VerifiedQuote {
        let chain = try PCKCertificateChainCheck.parse(quote.certificationData, trustStore: trustStore)
        return try verify(quote, chain: chain, at: time)
    }

    /// Checks (b)–(e) on a PCK chain already parsed from the quote's certification data.
    private func verify(_ quote: Quote, chain: PCKCertificateChain, at time: UInt64) throws(AttestationError) -> VerifiedQuote {
        let pckKey = try PCKCertificateChainCheck.verify(chain, trustStore: trustStore, time: time)
        let rootHash = chain.rootSHA256
        try QEReportSignatureCheck.verify(quote, pckKey: pckKey)
        try QEReportDataBindingCheck.verify(quote)
        try ISVReportSignatureCheck.verify(quote)
        let report = quote.isvReport
        return VerifiedQuote(mrEnclave: report.mrEnclave, mrSigner: report.mrSigner, isvProdID: report.isvProdID,
                             isvSVN: report.isvSVN, attributesFlags: report.attributesFlags, reportData: report.reportData,
                             rootKeyHash: rootHash)
    }

    /// Verifies a raw quote and evaluates it against Intel's collateral: checks (a)–(g).
    /// - Parameters:
    ///   - quote: the quote bytes.
    ///   - collateral: the TCB Info, QE Identity, TCB Signing chain and CRLs for the quote's platform.
    ///   - time: seconds since the Unix epoch (the block timestamp on chain); certificates, CRLs
    ///     and collateral documents must all be valid then.
    /// - Returns: the attested fields with `tcb` set.
    /// - Throws: the first failing check's `AttestationError`.
    public func verify(_ quote: [UInt8], collateral: Collateral, at time: UInt64) throws(AttestationError) -> VerifiedQuote {
        try verify(Quote(bytes: quote), collateral: collateral, at: time)
    }

    /// Verifies a parsed quote and evaluates it against Intel's collateral: checks (b)–(g).
    /// - Parameters:
    ///   - quote: the parsed quote.
    ///   - collateral: the TCB Info, QE Identity, TCB Signing chain and CRLs for the quote's platform.
    ///   - time: seconds since the Unix epoch.
    /// - Returns: the attested fields with `tcb` set.
    /// - Throws: the first failing check's `AttestationError`.
    public func verify(_ quote: Quote, collateral: Collateral, at time: UInt64) throws(AttestationError) -> VerifiedQuote {
        // The PCK chain's PEM is decoded and its certificates parsed once; checks (b), (f) and (g)
        // read the same certificates.
        let chain = try PCKCertificateChainCheck.parse(quote.certificationData, trustStore: trustStore)
        let verified = try verify(quote, chain: chain, at: time)
        let checked = try CollateralCheck.verify(collateral, pckChain: chain, trustStore: trustStore, time: time)
        let pck = try PCKExtensions(certificateDER: chain.leaf.der)
        let tcb = try TCBEvaluator.evaluate(quote: quote, pck: pck, collateral: checked)
        return verified.with(tcb: tcb)
    }
}
