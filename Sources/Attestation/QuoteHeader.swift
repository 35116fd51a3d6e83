/// The 48-byte header of an SGX DCAP quote (Intel SGX ECDSA Quote Library API, Appendix A,
/// "Quote Header"). Integers are little-endian in the quote.
public struct QuoteHeader: Hashable, Sendable {
    /// Quote format version; 3 for the quotes this module verifies.
    public var version: UInt16
    /// Attestation key type; 2 is ECDSA-256 with P-256.
    public var attestationKeyType: UInt16
    /// TEE type; 0 is SGX, 0x81 is TDX (in the v3 layout these 4 bytes were "reserved", always 0).
    public var teeType: UInt32
    /// Security version of the Quoting Enclave.
    public var qeSVN: UInt16
    /// Security version of the Provisioning Certification Enclave.
    public var pceSVN: UInt16
    /// The QE vendor ID (16 bytes); Intel's QE uses 939a7233f79c4ca9940a0db3957f0607.
    public var qeVendorID: [UInt8]
    /// User data (20 bytes); Intel's QE puts the platform's QE ID in the first 16.
    public var userData: [UInt8]

    /// Intel's QE vendor ID, which real quotes and the simulated enclave use.
    public static let intelQEVendorID: [UInt8] = [0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                                  0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07]

    /// Creates a header from its fields.
    /// - Parameters:
    ///   - version: quote version.
    ///   - attestationKeyType: attestation key type.
    ///   - teeType: TEE type.
    ///   - qeSVN: QE security version.
    ///   - pceSVN: PCE security version.
    ///   - qeVendorID: 16 bytes.
    ///   - userData: 20 bytes.
    /// - Precondition: `qeVendorID` is 16 bytes and `userData` is 20 bytes.
    public init(version: UInt16 = 3, attestationKeyType: UInt16 = 2, teeType: UInt32 = 0, qeSVN: UInt16,
                pceSVN: UInt16, qeVendorID: [UInt8] = QuoteHeader.intelQEVendorID, userData: [UInt8]) {
        precondition(qeVendorID.count == 16 && userData.count == 20, "QE vendor ID is 16 bytes, user data 20")
        self.version = version
        self.attestationKeyType = attestationKeyType
        self.teeType = teeType
        self.qeSVN = qeSVN
        self.pceSVN = pceSVN
        self.qeVendorID = qeVendorID
        self.userData = userData
    }

    /// Reads the header from the first 48 bytes of `bytes`; the caller has checked the length.
    init(reading bytes: [UInt8]) {
        self.init(version: bytes.littleEndian(at: 0, as: UInt16.self),
                  attestationKeyType: bytes.littleEndian(at: 2, as: UInt16.self),
                  teeType: bytes.littleEndian(at: 4, as: UInt32.self),
                  qeSVN: bytes.littleEndian(at: 8, as: UInt16.self),
                  pceSVN: bytes.littleEndian(at: 10, as: UInt16.self),
                  qeVendorID: Array(bytes[12..<28]),
                  userData: Array(bytes[28..<48]))
    }

    /// The 48 bytes as they appear in the quote.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(QuoteLayout.headerSize)
        out.appendLittleEndian(version)
        out.appendLittleEndian(attestationKeyType)
        out.appendLittleEndian(teeType)
        out.appendLittleEndian(qeSVN)
        out.appendLittleEndian(pceSVN)
        out += qeVendorID
        out += userData
        return out
    }
}
