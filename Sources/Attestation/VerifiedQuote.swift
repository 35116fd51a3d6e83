import Primitives

/// What a verified SGX DCAP v3 quote attests: the ISV enclave's identity and REPORTDATA, and the
/// trusted root its PCK chain ends in.
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
    /// REPORTDATA, 64 bytes.
    public let reportData: [UInt8]
    /// SHA-256 of the DER of the trusted root certificate the PCK chain ends in (the value genesis pins).
    public let rootKeyHash: Hash32

    /// Creates a result; the verifier is the only caller outside tests.
    /// - Parameters:
    ///   - mrEnclave: MRENCLAVE.
    ///   - mrSigner: MRSIGNER.
    ///   - isvProdID: ISVPRODID.
    ///   - isvSVN: ISVSVN.
    ///   - reportData: 64 bytes.
    ///   - rootKeyHash: SHA-256 of the root's DER.
    public init(mrEnclave: Hash32, mrSigner: Hash32, isvProdID: UInt16, isvSVN: UInt16, reportData: [UInt8], rootKeyHash: Hash32) {
        precondition(reportData.count == 64, "REPORTDATA is 64 bytes")
        self.mrEnclave = mrEnclave
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.isvSVN = isvSVN
        self.reportData = reportData
        self.rootKeyHash = rootKeyHash
    }

    /// The first 32 bytes of REPORTDATA.
    public var reportData0: Hash32 { Hash32(reportData[0..<32]) }
    /// The last 32 bytes of REPORTDATA.
    public var reportData1: Hash32 { Hash32(reportData[32..<64]) }

    /// The address REPORTDATA binds under GoldenGrain's convention (first 20 bytes), as the
    /// simulated enclave writes it; meaningful only if the enclave follows that convention.
    public var reportDataAddress: Address { Address(reportData[0..<20]) }

    /// The ABI encoding the precompile returns: (bytes32 mrEnclave, bytes32 mrSigner, uint16 isvProdId,
    /// uint16 isvSvn, bytes32 reportData0, bytes32 reportData1, bytes32 rootKeyHash), 7 words, 224 bytes.
    public var abiEncoded: [UInt8] {
        func word(_ value: UInt16) -> [UInt8] { [UInt8](repeating: 0, count: 30) + [UInt8(value >> 8), UInt8(value & 0xff)] }
        return mrEnclave.bytes + mrSigner.bytes + word(isvProdID) + word(isvSVN) + reportData0.bytes + reportData1.bytes + rootKeyHash.bytes
    }
}
