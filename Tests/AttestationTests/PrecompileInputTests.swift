import Attestation
import Primitives
import Testing

/// ATTESTATION_VERIFY's input `quote ‖ collateral` (docs/formats.md, "Collateral on chain"): the
/// layout byte for byte, round trips, and every malformed framing refused with a named error.
@Suite struct PrecompileInputTests {
    static let sig2 = [UInt8](repeating: 2, count: 64)
    static let sig5 = [UInt8](repeating: 5, count: 64)
    static let small = Collateral(tcbInfoBody: [1], tcbInfoSignature: sig2, qeIdentityBody: [3, 4], qeIdentitySignature: sig5,
                                  tcbSigningChain: [[6], [7, 8]], rootCACRL: [9], pckCRL: [10, 11, 12])
    /// The layout of `small`, written out by hand from docs/formats.md.
    static let smallWire: [UInt8] = [0x47, 0x47, 0x43, 0x31]              // "GGC1"
        + [0, 0, 0, 1, 1]                                                  // TCB Info body
        + [0, 0, 0, 64] + sig2                                             // its signature
        + [0, 0, 0, 2, 3, 4]                                               // QE Identity body
        + [0, 0, 0, 64] + sig5                                             // its signature
        + [0, 0, 0, 2] + [0, 0, 0, 1, 6] + [0, 0, 0, 2, 7, 8]              // chain: 2 certificates
        + [0, 0, 0, 1, 9]                                                  // Root CA CRL
        + [0, 0, 0, 3, 10, 11, 12]                                         // PCK CRL

    static func malformed(_ reason: String) -> AttestationError {
        .collateral(.malformedDocument(document: "collateral (on-chain layout)", reason: reason))
    }

    @Test func layoutIsTheDocumentedOne() throws {
        #expect(Self.small.wireEncoded == Self.smallWire)
        #expect(try Collateral(wire: Self.smallWire[...]) == Self.small)
    }

    @Test func simulatedCollateralRoundTrips() throws {
        let collateral = SimulatedCollateral.standard
        let wire = collateral.wireEncoded
        #expect(try Collateral(wire: wire[...]) == collateral)
        // Decoding works on a slice that does not start at index 0 (the bytes after a quote).
        let padded = [UInt8](repeating: 0xee, count: 7) + wire
        #expect(try Collateral(wire: padded[7...]) == collateral)
    }

    @Test func everyTruncationIsRefusedNamingTheField() {
        for length in 0..<Self.smallWire.count {
            #expect(throws: AttestationError.self) { _ = try Collateral(wire: Self.smallWire[0..<length]) }
        }
        #expect(throws: Self.malformed("magic is (nothing), expected 47474331 (\"GGC1\")")) {
            _ = try Collateral(wire: [][...])
        }
        #expect(throws: Self.malformed("TCB Info body length at offset 4 needs 4 bytes, 2 remain")) {
            _ = try Collateral(wire: Self.smallWire[0..<6])
        }
        #expect(throws: Self.malformed("PCK CRL at offset \(Self.smallWire.count - 7) declares 3 bytes, 2 remain")) {
            _ = try Collateral(wire: Self.smallWire.dropLast())
        }
    }

    @Test func wrongMagicSignatureLengthsChainCountsEmptyFieldsAndTrailingBytesAreRefused() {
        var wire = Self.smallWire
        wire[3] = 0x32
        #expect(throws: Self.malformed("magic is 47474332, expected 47474331 (\"GGC1\")")) { _ = try Collateral(wire: wire[...]) }

        var shortSignature = Self.small
        shortSignature.tcbInfoSignature.removeLast()
        #expect(throws: Self.malformed("TCB Info signature at offset 9 is 63 bytes, expected 64")) {
            _ = try Collateral(wire: shortSignature.wireEncoded[...])
        }
        var longSignature = Self.small
        longSignature.qeIdentitySignature.append(0)
        #expect(throws: Self.malformed("QE Identity signature at offset 83 is 65 bytes, expected 64")) {
            _ = try Collateral(wire: longSignature.wireEncoded[...])
        }

        var noChain = Self.small
        noChain.tcbSigningChain = []
        #expect(throws: Self.malformed("TCB Signing chain count at offset 151 is 0, expected 1 to 4")) {
            _ = try Collateral(wire: noChain.wireEncoded[...])
        }
        var longChain = Self.small
        longChain.tcbSigningChain = [[1], [2], [3], [4], [5]]
        #expect(throws: Self.malformed("TCB Signing chain count at offset 151 is 5, expected 1 to 4")) {
            _ = try Collateral(wire: longChain.wireEncoded[...])
        }

        var emptyCRL = Self.small
        emptyCRL.rootCACRL = []
        #expect(throws: Self.malformed("Root CA CRL at offset 166 is empty")) { _ = try Collateral(wire: emptyCRL.wireEncoded[...]) }

        #expect(throws: Self.malformed("1 bytes follow the PCK CRL, expected none")) {
            _ = try Collateral(wire: (Self.smallWire + [0])[...])
        }
        let huge = Self.smallWire + [UInt8](repeating: 0, count: Collateral.wireMaximumSize)
        #expect(throws: Self.malformed("it is \(huge.count) bytes, expected at most 65536")) { _ = try Collateral(wire: huge[...]) }
    }

    @Test func aLengthNearUInt32MaxIsRefusedNotTrapped() {
        var wire = Self.smallWire
        wire.replaceSubrange(4..<8, with: [0xff, 0xff, 0xff, 0xff])
        #expect(throws: Self.malformed("TCB Info body at offset 4 declares 4294967295 bytes, \(wire.count - 8) remain")) {
            _ = try Collateral(wire: wire[...])
        }
    }

    @Test func splittingTheInputFindsTheQuoteByItsSignatureDataLength() throws {
        let quote = SimulatedEnclave(signingKey: .generate()).registrationQuote()
        let alone = try Collateral.splitPrecompileInput(quote)
        #expect(alone.quote == quote)
        #expect(alone.collateral == nil)
        let both = try Collateral.splitPrecompileInput(quote + Self.smallWire)
        #expect(both.quote == quote)
        #expect(both.collateral == Self.small)
        // Anything after the quote must be collateral.
        #expect(throws: Self.malformed("magic is 00, expected 47474331 (\"GGC1\")")) {
            _ = try Collateral.splitPrecompileInput(quote + [0])
        }
        #expect(throws: AttestationError.quoteTooShort(length: 435, minimum: 436)) {
            _ = try Collateral.splitPrecompileInput(Array(quote[0..<435]))
        }
        let declared = UInt32(quote.count - 436)
        #expect(throws: AttestationError.signatureDataLengthMismatch(declared: declared, actual: Int(declared) - 1)) {
            _ = try Collateral.splitPrecompileInput(Array(quote.dropLast()))
        }
        var large = quote
        large.replaceSubrange(432..<436, with: [0xff, 0xff, 0, 0])
        #expect(throws: AttestationError.quoteTooLarge(length: 436 + 0xffff, maximum: 16_384)) {
            _ = try Collateral.splitPrecompileInput(large)
        }
    }
}
