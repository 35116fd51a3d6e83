import Primitives

/// What a verified SGX DCAP v3 quote attests: the ISV enclave's identity, its ATTRIBUTES flags
/// and REPORTDATA, the trusted root its PCK chain ends in, and — when it was verified with
/// collateral — the platform's TCB evaluation.
///
/// These are the fields the ATTESTATION_VERIFY precompile returns (DESIGN.md §6).
public struct VerifiedQuote: Hashable, Sendable {
    /// MRENCLAVE of the attested enclave.
    public let mrEnclave: Hash32
    /// MRSIGNER of the attested enclave.
    public let mrSigner: Hash32
    /// ISVPRODID (little-endian u16 in the report).
    public let isvProdID: UInt16
    /// ISVSVN (little-endian u16 in the report).
    public let isvSVN: UInt16
    /// The ISV report's ATTRIBUTES flags: the first 8 bytes of its 16-byte ATTRIBUTES, read
    /// little-endian (bit 1, 0x2, is DEBUG). The verifier accepts debug enclaves; a contract that
    /// must not trust one checks this word.
    public let attributesFlags: UInt64
    /// REPORTDATA, 64 bytes.
    public let reportData: [UInt8]
    /// SHA-256 of the DER of the trusted root certificate the PCK chain ends in (the value genesis pins).
    public let rootKeyHash: Hash32
    /// The TCB evaluation (check (g)): the combined TCB status and advisories of the platform and
    /// its Quoting Enclave; `nil` when the quote was verified without collateral.
    public let tcb: TCBEvaluation?

    /// Creates a result; the verifier is the only caller outside tests.
    /// - Parameters:
    ///   - mrEnclave: MRENCLAVE.
    ///   - mrSigner: MRSIGNER.
    ///   - isvProdID: ISVPRODID.
    ///   - isvSVN: ISVSVN.
    ///   - attributesFlags: the ATTRIBUTES flags (first 8 bytes of ATTRIBUTES, little-endian).
    ///   - reportData: 64 bytes.
    ///   - rootKeyHash: SHA-256 of the root's DER.
    ///   - tcb: the TCB evaluation, `nil` (the default) without collateral.
    public init(mrEnclave: Hash32, mrSigner: Hash32, isvProdID: UInt16, isvSVN: UInt16, attributesFlags: UInt64,
                reportData: [UInt8], rootKeyHash: Hash32, tcb: TCBEvaluation? = nil) {
        precondition(reportData.count == 64, "REPORTDATA is 64 bytes")
        self.mrEnclave = mrEnclave
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.isvSVN = isvSVN
        self.attributesFlags = attributesFlags
        self.reportData = reportData
        self.rootKeyHash = rootKeyHash
        self.tcb = tcb
    }

    /// The same result with a TCB evaluation attached.
    /// - Parameter tcb: the evaluation.
    /// - Returns: a copy whose `tcb` is `tcb`.
    public func with(tcb: TCBEvaluation?) -> VerifiedQuote {
        VerifiedQuote(mrEnclave: mrEnclave, mrSigner: mrSigner, isvProdID: isvProdID, isvSVN: isvSVN,
                      attributesFlags: attributesFlags, reportData: reportData, rootKeyHash: rootKeyHash, tcb: tcb)
    }

    /// The first 32 bytes of REPORTDATA.
    public var reportData0: Hash32 { Hash32(reportData[0..<32]) }
    /// The last 32 bytes of REPORTDATA.
    public var reportData1: Hash32 { Hash32(reportData[32..<64]) }

    /// Whether the enclave runs in debug mode (DEBUG, bit 1 of the ATTRIBUTES flags): its memory is
    /// open to the host, so it protects nothing.
    public var isDebug: Bool { attributesFlags & ReportBody.debugFlag != 0 }

    /// The address REPORTDATA binds under GoldenGrain's convention (first 20 bytes), as the
    /// simulated enclave writes it; meaningful only if the enclave follows that convention.
    public var reportDataAddress: Address { Address(reportData[0..<20]) }

    /// The ABI encoding the precompile returns: (bytes32 mrEnclave, bytes32 mrSigner, uint16 isvProdId,
    /// uint16 isvSvn, bytes32 reportData0, bytes32 reportData1, bytes32 rootKeyHash, uint64
    /// attributesFlags), 8 words, 256 bytes.
    public var abiEncoded: [UInt8] {
        func word<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> [UInt8] {
            let size = MemoryLayout<T>.size
            return [UInt8](repeating: 0, count: 32 - size) + (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * (size - 1 - $0))) }
        }
        return mrEnclave.bytes + mrSigner.bytes + word(isvProdID) + word(isvSVN) + reportData0.bytes + reportData1.bytes
            + rootKeyHash.bytes + word(attributesFlags)
    }
}
