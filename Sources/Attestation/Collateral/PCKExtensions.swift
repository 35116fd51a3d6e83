/// The Intel SGX extensions of a PCK certificate (OID 1.2.840.113741.1.13.1, Intel's "PCK
/// Certificate and CRL Profile"): which platform the certificate was issued to and at which TCB.
public struct PCKExtensions: Hashable, Sendable {
    /// PPID, 16 bytes.
    public var ppid: [UInt8]
    /// The 16 SGX TCB component SVNs (TCB sub-OIDs 1–16).
    public var sgxComponents: [UInt8]
    /// PCESVN (TCB sub-OID 17).
    public var pceSVN: UInt16
    /// CPUSVN, 16 bytes (TCB sub-OID 18).
    public var cpuSVN: [UInt8]
    /// PCE-ID, 2 bytes.
    public var pceID: [UInt8]
    /// FMSPC, 6 bytes.
    public var fmspc: [UInt8]
    /// SGX Type: 0 Standard, 1 Scalable, 2 Scalable with Integrity.
    public var sgxType: Int

    public init(ppid: [UInt8], sgxComponents: [UInt8], pceSVN: UInt16, cpuSVN: [UInt8], pceID: [UInt8], fmspc: [UInt8],
                sgxType: Int) {
        self.ppid = ppid
        self.sgxComponents = sgxComponents
        self.pceSVN = pceSVN
        self.cpuSVN = cpuSVN
        self.pceID = pceID
        self.fmspc = fmspc
        self.sgxType = sgxType
    }
}
