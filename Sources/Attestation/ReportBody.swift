import Primitives

/// An SGX report body: the 384 bytes of an enclave's REPORT that a quote carries for the ISV
/// enclave and for the Quoting Enclave (Intel SGX ECDSA Quote Library API, Appendix A,
/// "Enclave Report Body"; Intel SDM Vol. 3D §38.15 REPORT).
///
/// Offsets within the body (add 48 for the ISV report's offset in the quote):
///
///     0   CPUSVN (16)          16  MISCSELECT u32       20  reserved (28)
///     48  ATTRIBUTES (16)      64  MRENCLAVE (32)       96  reserved (32)
///     128 MRSIGNER (32)        160 reserved (96)        256 ISVPRODID u16
///     258 ISVSVN u16           260 reserved (60)        320 REPORTDATA (64)
///
/// The body is kept as its raw bytes, since the signatures cover exactly these bytes; the fields
/// are read from them.
public struct ReportBody: Hashable, Sendable {
    /// The 384 raw bytes.
    public let bytes: [UInt8]

    /// Wraps 384 raw bytes.
    /// - Parameter bytes: exactly 384 bytes.
    /// - Precondition: `bytes.count == 384`.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == QuoteLayout.reportBodySize, "a report body is 384 bytes, got \(bytes.count)")
        self.bytes = bytes
    }

    /// Builds a body from the fields a verifier reads; MISCSELECT and the reserved bytes are zero.
    /// - Parameters:
    ///   - cpuSVN: the 16-byte CPU security version (zero by default).
    ///   - attributes: the 16-byte ATTRIBUTES (flags ‖ XFRM).
    ///   - mrEnclave: the enclave measurement.
    ///   - mrSigner: the hash of the enclave signer's key.
    ///   - isvProdID: the product ID.
    ///   - isvSVN: the security version.
    ///   - reportData: 64 bytes of REPORTDATA.
    /// - Precondition: `attributes` is 16 bytes and `reportData` is 64 bytes.
    public init(cpuSVN: [UInt8] = [UInt8](repeating: 0, count: 16), attributes: [UInt8], mrEnclave: Hash32,
                mrSigner: Hash32, isvProdID: UInt16, isvSVN: UInt16, reportData: [UInt8]) {
        precondition(cpuSVN.count == 16 && attributes.count == 16 && reportData.count == 64,
                     "CPUSVN and ATTRIBUTES are 16 bytes, REPORTDATA 64")
        var bytes = [UInt8](repeating: 0, count: QuoteLayout.reportBodySize)
        bytes.replaceSubrange(0..<16, with: cpuSVN)
        bytes.replaceSubrange(48..<64, with: attributes)
        bytes.replaceSubrange(64..<96, with: mrEnclave.bytes)
        bytes.replaceSubrange(128..<160, with: mrSigner.bytes)
        bytes[256] = UInt8(truncatingIfNeeded: isvProdID)
        bytes[257] = UInt8(truncatingIfNeeded: isvProdID >> 8)
        bytes[258] = UInt8(truncatingIfNeeded: isvSVN)
        bytes[259] = UInt8(truncatingIfNeeded: isvSVN >> 8)
        bytes.replaceSubrange(320..<384, with: reportData)
        self.bytes = bytes
    }

    /// CPUSVN, the security version of the CPU (16 bytes).
    public var cpuSVN: [UInt8] { Array(bytes[0..<16]) }
    /// MISCSELECT.
    public var miscSelect: UInt32 { bytes.littleEndian(at: 16, as: UInt32.self) }
    /// ATTRIBUTES (16 bytes: flags u64 ‖ XFRM u64).
    public var attributes: [UInt8] { Array(bytes[48..<64]) }
    /// The ATTRIBUTES flags: the first 8 bytes of ATTRIBUTES, little-endian (Intel SDM Vol. 3D
    /// §38.7.1: bit 0 INIT, bit 1 DEBUG, bit 2 MODE64BIT, bit 4 PROVISIONKEY, bit 5 EINITTOKENKEY, …).
    public var attributesFlags: UInt64 { bytes.littleEndian(at: 48, as: UInt64.self) }
    /// Whether the DEBUG flag (bit 1 of the ATTRIBUTES flags) is set: the enclave runs in debug
    /// mode, so its memory can be read and changed by the host, and it attests nothing.
    public var isDebug: Bool { attributesFlags & ReportBody.debugFlag != 0 }
    /// The DEBUG bit of the ATTRIBUTES flags, 0x2.
    public static let debugFlag: UInt64 = 0x2
    /// MRENCLAVE, the measurement of the enclave's code and initial data.
    public var mrEnclave: Hash32 { Hash32(bytes[64..<96]) }
    /// MRSIGNER, SHA-256 of the enclave signer's RSA modulus.
    public var mrSigner: Hash32 { Hash32(bytes[128..<160]) }
    /// ISVPRODID, little-endian.
    public var isvProdID: UInt16 { bytes.littleEndian(at: 256, as: UInt16.self) }
    /// ISVSVN, little-endian.
    public var isvSVN: UInt16 { bytes.littleEndian(at: 258, as: UInt16.self) }
    /// REPORTDATA, the 64 bytes the enclave chose to bind into its report.
    public var reportData: [UInt8] { Array(bytes[320..<384]) }
}
