import Primitives

/// The on-chain layout of collateral (docs/formats.md, "Collateral on chain"): what follows the quote
/// in ATTESTATION_VERIFY's input.
///
///     magic "GGC1" (47 47 43 31)
///     u32 n ‖ TCB Info body (the exact bytes of the `tcbInfo` object)
///     u32 64 ‖ TCB Info signature (r ‖ s)
///     u32 n ‖ QE Identity body (the exact bytes of the `enclaveIdentity` object)
///     u32 64 ‖ QE Identity signature (r ‖ s)
///     u32 k (1 … 4) ‖ k × (u32 n ‖ DER certificate)      TCB Signing chain, leaf first
///     u32 n ‖ Root CA CRL (DER)
///     u32 n ‖ PCK CRL (DER)
///
/// Every u32 is big-endian. Nothing may follow the PCK CRL. Only the framing is checked here;
/// what the bytes say is check (f)'s business.
extension Collateral {
    /// The magic that starts the layout: "GGC1" (GoldenGrain collateral, layout 1).
    public static let wireMagic: [UInt8] = [0x47, 0x47, 0x43, 0x31]
    /// The most certificates a TCB Signing chain may hold in the layout.
    public static let wireMaximumChainLength = 4
    /// The longest collateral the layout accepts, in bytes (real Intel collateral is 7–9 KB; the
    /// bound keeps the precompile's work per call bounded whatever the gas price).
    public static let wireMaximumSize = 65_536

    /// The collateral in the on-chain layout.
    public var wireEncoded: [UInt8] {
        var out = Self.wireMagic
        func field(_ bytes: [UInt8]) {
            out.appendBigEndian(UInt32(bytes.count))
            out += bytes
        }
        field(tcbInfoBody)
        field(tcbInfoSignature)
        field(qeIdentityBody)
        field(qeIdentitySignature)
        out.appendBigEndian(UInt32(tcbSigningChain.count))
        for certificate in tcbSigningChain { field(certificate) }
        field(rootCACRL)
        field(pckCRL)
        return out
    }

    /// Decodes the on-chain layout.
    /// - Parameter wire: the bytes after the quote.
    /// - Throws: `AttestationError.collateral(.malformedDocument(document: "collateral (on-chain layout)", …))`
    ///   naming the field and the offset: a wrong magic, a length past the end, a signature other
    ///   than 64 bytes, an empty field, a chain of 0 or more than 4 certificates, trailing bytes,
    ///   or more than `wireMaximumSize` bytes.
    public init(wire: ArraySlice<UInt8>) throws(AttestationError) {
        var reader = WireReader(bytes: wire)
        guard wire.count <= Self.wireMaximumSize else {
            throw WireReader.error("it is \(wire.count) bytes, expected at most \(Self.wireMaximumSize)")
        }
        guard wire.count >= 4, Array(wire.prefix(4)) == Self.wireMagic else {
            throw WireReader.error("magic is \(Hex.encodeShort(Array(wire.prefix(4)))), expected 47474331 (\"GGC1\")")
        }
        reader.offset = wire.startIndex + 4
        let tcbInfoBody = try reader.field("TCB Info body")
        let tcbInfoSignature = try reader.field("TCB Info signature", exactly: 64)
        let qeIdentityBody = try reader.field("QE Identity body")
        let qeIdentitySignature = try reader.field("QE Identity signature", exactly: 64)
        let count = try reader.u32("TCB Signing chain count")
        guard (1...UInt32(Self.wireMaximumChainLength)).contains(count) else {
            throw WireReader.error("TCB Signing chain count at offset \(reader.offset - 4 - wire.startIndex) is \(count), expected 1 to \(Self.wireMaximumChainLength)")
        }
        var chain: [[UInt8]] = []
        for index in 0..<Int(count) {
            chain.append(try reader.field("TCB Signing chain certificate \(index)"))
        }
        let rootCACRL = try reader.field("Root CA CRL")
        let pckCRL = try reader.field("PCK CRL")
        guard reader.offset == wire.endIndex else {
            throw WireReader.error("\(wire.endIndex - reader.offset) bytes follow the PCK CRL, expected none")
        }
        self.init(tcbInfoBody: tcbInfoBody, tcbInfoSignature: tcbInfoSignature, qeIdentityBody: qeIdentityBody,
                  qeIdentitySignature: qeIdentitySignature, tcbSigningChain: chain, rootCACRL: rootCACRL, pckCRL: pckCRL)
    }

    /// Splits ATTESTATION_VERIFY's input `quote ‖ collateral`: the quote's length is 436 + the
    /// signature data length (the little-endian u32 at offset 432); whatever follows is collateral
    /// in the on-chain layout, or nothing.
    /// - Parameter input: the precompile input.
    /// - Returns: the quote bytes and the decoded collateral, `nil` if the input is the quote alone.
    /// - Throws: the structure check's `quoteTooShort` if the input cannot hold the length field,
    ///   `quoteTooLarge` if the declared quote is over 16,384 bytes, `signatureDataLengthMismatch`
    ///   if it runs past the input; the layout's errors for the collateral.
    public static func splitPrecompileInput(_ input: [UInt8]) throws(AttestationError) -> (quote: [UInt8], collateral: Collateral?) {
        let minimum = QuoteLayout.signatureDataOffset
        guard input.count >= minimum else { throw .quoteTooShort(length: input.count, minimum: minimum) }
        let declared = input.littleEndian(at: QuoteLayout.signatureDataLengthOffset, as: UInt32.self)
        let quoteLength = minimum + Int(declared)
        guard quoteLength <= QuoteLayout.maximumQuoteSize else {
            throw .quoteTooLarge(length: quoteLength, maximum: QuoteLayout.maximumQuoteSize)
        }
        guard quoteLength <= input.count else {
            throw .signatureDataLengthMismatch(declared: declared, actual: input.count - minimum)
        }
        let quote = Array(input[0..<quoteLength])
        guard quoteLength < input.count else { return (quote, nil) }
        return (quote, try Collateral(wire: input[quoteLength...]))
    }
}

/// Reads big-endian length-prefixed fields of the collateral layout.
private struct WireReader {
    let bytes: ArraySlice<UInt8>
    var offset: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    static func error(_ reason: String) -> AttestationError {
        .collateral(.malformedDocument(document: "collateral (on-chain layout)", reason: reason))
    }

    mutating func u32(_ name: String) throws(AttestationError) -> UInt32 {
        guard bytes.endIndex - offset >= 4 else {
            throw Self.error("\(name) length at offset \(offset - bytes.startIndex) needs 4 bytes, \(bytes.endIndex - offset) remain")
        }
        var value: UInt32 = 0
        for index in 0..<4 { value = value << 8 | UInt32(bytes[offset + index]) }
        offset += 4
        return value
    }

    mutating func field(_ name: String, exactly expected: Int? = nil) throws(AttestationError) -> [UInt8] {
        let start = offset - bytes.startIndex
        let length = try u32(name)
        if let expected, length != expected {
            throw Self.error("\(name) at offset \(start) is \(length) bytes, expected \(expected)")
        }
        guard length > 0 else { throw Self.error("\(name) at offset \(start) is empty") }
        guard UInt64(length) <= UInt64(bytes.endIndex - offset) else {
            throw Self.error("\(name) at offset \(start) declares \(length) bytes, \(bytes.endIndex - offset) remain")
        }
        let value = Array(bytes[offset..<(offset + Int(length))])
        offset += Int(length)
        return value
    }
}

private extension Array where Element == UInt8 {
    /// Appends a big-endian unsigned integer.
    mutating func appendBigEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        for index in 0..<size { append(UInt8(truncatingIfNeeded: value >> (8 * (size - 1 - index)))) }
    }
}

private extension Hex {
    static func encodeShort(_ bytes: [UInt8]) -> String { bytes.isEmpty ? "(nothing)" : encode(bytes, prefix: false) }
}
