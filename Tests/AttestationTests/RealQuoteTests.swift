import Attestation
import Primitives
import Testing

/// Real SGX DCAP v3 quotes verify against the Intel SGX Root CA with the README's fields.
@Suite struct RealQuoteTests {
    @Test func intelRootHashMatchesReadme() {
        #expect(Hex.encode(SGXVectors.intelRoot.sha256.bytes, prefix: false) == SGXVectors.intelRootSHA256)
    }

    @Test(arguments: SGXVector.all)
    func realQuoteVerifiesWithReadmeFields(vector: SGXVector) throws {
        let quote = vector.quote
        #expect(quote.count == vector.length)
        let verified = try SGXVectors.intelVerifier.verify(quote, at: SGXVectors.verificationTime)
        #expect(Hex.encode(verified.mrEnclave.bytes, prefix: false) == vector.mrEnclave)
        #expect(Hex.encode(verified.mrSigner.bytes, prefix: false) == vector.mrSigner)
        #expect(verified.isvProdID == vector.isvProdID)
        #expect(verified.isvSVN == vector.isvSVN)
        #expect(verified.reportData == vector.reportData)
        #expect(Hex.encode(verified.rootKeyHash.bytes, prefix: false) == SGXVectors.intelRootSHA256)
        #expect(verified.attributesFlags == vector.rawAttributesFlags)
        #expect(verified.isDebug == vector.isDebug)
    }

    /// The DEBUG bit (bit 1 of the ATTRIBUTES flags, Intel SDM Vol. 3D §38.7.1) as the raw bytes
    /// carry it: set in automata_solana_sgx_v3 only. INIT (bit 0) and MODE64BIT (bit 2) are set in
    /// all three, as every initialised 64-bit enclave has them.
    @Test(arguments: SGXVector.all)
    func rawAttributesFlagsCarryTheDebugBitOfTheIssue(vector: SGXVector) throws {
        let flags = vector.rawAttributesFlags
        #expect((flags & 0x2 != 0) == vector.isDebug)
        #expect(flags & 0x5 == 0x5)
        #expect(try Quote(bytes: vector.quote).isvReport.isDebug == vector.isDebug)
    }

    @Test(arguments: SGXVector.all)
    func parsedQuoteReserializesToTheSameBytes(vector: SGXVector) throws {
        let quote = vector.quote
        #expect(try Quote(bytes: quote).bytes == quote)
    }

    @Test(arguments: SGXVector.all)
    func pckChainIsLeafIntermediateIntelRoot(vector: SGXVector) throws {
        let certificates = try Quote(bytes: vector.quote).certificateSummaries()
        #expect(certificates.count == 3)
        #expect(certificates[0].subject.hasPrefix("/CN=Intel SGX PCK Certificate/"))
        #expect(certificates[2].subject.hasPrefix("/CN=Intel SGX Root CA/"))
        #expect(Hex.encode(certificates[2].sha256.bytes, prefix: false) == SGXVectors.intelRootSHA256)
    }

    @Test func tdxVersion4QuoteIsRejectedAsUnsupportedVersion() {
        let quote = SGXVectors.read("phala_tdx_v4/quote.bin")
        #expect(quote.count == 5006)
        let error = SGXVectors.error(verifying: quote)
        #expect(error == .unsupportedVersion(4))
        #expect(error?.check == .structure)
    }
}
