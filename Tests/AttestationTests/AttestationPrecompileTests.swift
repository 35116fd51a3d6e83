import Attestation
import EVM
import Primitives
import Signatures
import Testing

/// ATTESTATION_VERIFY (0x…1000): output words, empty output on rejection, gas, block-time validity.
@Suite struct AttestationPrecompileTests {
    static let intelHash = try! Hash32(hex: SGXVectors.intelRootSHA256)
    static let precompile = try! AttestationPrecompile(pinnedRoots: [
        (sha256: intelHash, der: SGXVectors.read("intel_sgx_root_ca.der")),
        (sha256: SimulatedCertificateAuthority.rootSHA256, der: SimulatedCertificateAuthority.standard.rootDER),
    ])
    static func context(at timestamp: UInt64) -> PrecompileContext {
        PrecompileContext(blockNumber: 1, timestamp: timestamp, chainId: 31337)
    }

    @Test func addressIs0x1000() throws {
        #expect(AttestationPrecompile.address == (try Address(hex: "0x0000000000000000000000000000000000001000")))
    }

    /// docs/gas.md: gas = 66,000 + 2 × quote length.
    @Test(arguments: SGXVector.all)
    func gasForARealQuoteFollowsTheDocumentedFormula(vector: SGXVector) {
        #expect(Self.precompile.requiredGas(input: vector.quote) == 66_000 + 2 * UInt64(vector.length))
    }

    @Test func gasOfTheDocumentedExamples() {
        #expect(Self.precompile.requiredGas(input: SGXVector.all[0].quote) == 75_200)
        #expect(Self.precompile.requiredGas(input: SGXVector.all[1].quote) == 75_468)
        #expect(Self.precompile.requiredGas(input: []) == 66_000)
        #expect(AttestationPrecompile.gas(forInputLength: 16_384) == 98_768)
        #expect(AttestationPrecompile.gas(forInputLength: Int.max) == UInt64.max)
    }

    @Test(arguments: SGXVector.all)
    func outputWordsMatchTheReadmeFields(vector: SGXVector) {
        guard case .success(let output) = Self.precompile.run(input: vector.quote, context: Self.context(at: 1_767_225_600)) else {
            Issue.record("precompile failed"); return
        }
        #expect(output.count == 320)
        #expect(Array(output[256..<320]) == [UInt8](repeating: 0, count: 64))  // no collateral: status 0, issue date 0
        let words = (0..<8).map { Hex.encode(output[($0 * 32)..<($0 * 32 + 32)], prefix: false) }
        #expect(words[0] == vector.mrEnclave)
        #expect(words[1] == vector.mrSigner)
        #expect(words[2] == String(repeating: "0", count: 60) + String(format: "%04x", vector.isvProdID))
        #expect(words[3] == String(repeating: "0", count: 60) + String(format: "%04x", vector.isvSVN))
        #expect(words[4] + words[5] == Hex.encode(vector.reportData, prefix: false))
        #expect(words[6] == SGXVectors.intelRootSHA256)
        // uint64 attributesFlags: the quote's 8 bytes at offset 96, little-endian, as a big-endian word.
        #expect(words[7] == String(repeating: "0", count: 48) + String(format: "%016llx", vector.rawAttributesFlags))
        #expect(words[7] == String(repeating: "0", count: 63) + (vector.isDebug ? "7" : "5"))
    }

    @Test func simulatedRegistrationQuoteOutputsTheEnclaveAddressInReportData0() throws {
        let enclave = SimulatedEnclave(signingKey: try PrivateKey(bytes: [UInt8](repeating: 0x22, count: 32)))
        guard case .success(let output) = Self.precompile.run(input: enclave.registrationQuote(), context: Self.context(at: 1_767_225_600)) else {
            Issue.record("precompile failed"); return
        }
        #expect(Array(output[0..<32]) == SimulatedEnclave.mrEnclave.bytes)
        #expect(Array(output[64..<96]) == [UInt8](repeating: 0, count: 31) + [1])
        #expect(Array(output[128..<148]) == enclave.address.bytes)
        #expect(Array(output[148..<224]) == [UInt8](repeating: 0, count: 44) + SimulatedCertificateAuthority.rootSHA256.bytes)
        // Flags INIT | MODE64BIT: not a debug enclave.
        #expect(Array(output[224..<256]) == [UInt8](repeating: 0, count: 31) + [0x05])
    }

    @Test(arguments: [0, 100, 600, 1000, 2000, 4000])
    func mutatedQuoteGivesEmptySuccessfulOutput(position: Int) {
        var quote = SGXVector.all[0].quote
        quote[position] ^= 0x01
        #expect(Self.precompile.run(input: quote, context: Self.context(at: 1_767_225_600)) == .success([]))
    }

    @Test func emptyAndTDXInputsGiveEmptyOutput() {
        #expect(Self.precompile.run(input: [], context: Self.context(at: 1_767_225_600)) == .success([]))
        let tdx = SGXVectors.read("phala_tdx_v4/quote.bin")
        #expect(Self.precompile.run(input: tdx, context: Self.context(at: 1_767_225_600)) == .success([]))
    }

    /// The same quote verifies at a 2026 block and gives empty output at a 2033 block (its PCK
    /// certificates end by 2030-09-20) and at a 2017 block, whatever the wall clock says.
    @Test(arguments: SGXVector.all)
    func resultDependsOnTheBlockTimestampOnly(vector: SGXVector) {
        let quote = vector.quote
        guard case .success(let valid) = Self.precompile.run(input: quote, context: Self.context(at: 1_767_225_600)) else {
            Issue.record("precompile failed"); return
        }
        #expect(valid.count == 320)
        #expect(Self.precompile.run(input: quote, context: Self.context(at: 2_000_000_000)) == .success([]))
        #expect(Self.precompile.run(input: quote, context: Self.context(at: 1_500_000_000)) == .success([]))
        // Repeating the 2026 call gives the same bytes: nothing is cached from the failed calls.
        #expect(Self.precompile.run(input: quote, context: Self.context(at: 1_767_225_600)) == .success(valid))
    }

    /// The simulated chain is valid until 2049: at a block timestamp in 2050 it is expired, although
    /// the wall clock running this test is decades earlier; at 2026 it is valid although the
    /// wall clock may be later. Only context.timestamp is read.
    @Test func simulatedQuoteExpiresAtALateBlockTimestamp() throws {
        let quote = SimulatedEnclave(signingKey: try PrivateKey(bytes: [UInt8](repeating: 0x33, count: 32))).registrationQuote()
        guard case .success(let output) = Self.precompile.run(input: quote, context: Self.context(at: 1_767_225_600)) else {
            Issue.record("precompile failed"); return
        }
        #expect(output.count == 320)
        #expect(Array(output[256..<320]) == [UInt8](repeating: 0, count: 64))  // no collateral: status 0, issue date 0
        #expect(Self.precompile.run(input: quote, context: Self.context(at: 2_524_608_000)) == .success([]))
    }

    @Test func pinnedRootWithTheWrongHashIsRefused() {
        #expect(throws: AttestationError.trustedRootHashMismatch(expected: SimulatedCertificateAuthority.rootSHA256, actual: Self.intelHash)) {
            _ = try AttestationPrecompile(pinnedRoots: [(sha256: SimulatedCertificateAuthority.rootSHA256,
                                                         der: SGXVectors.read("intel_sgx_root_ca.der"))])
        }
    }

    @Test func precompileWithoutTheIntelRootReturnsEmptyForRealQuotes() {
        let simulatedOnly = AttestationPrecompile(trustedRoots: [SimulatedCertificateAuthority.standard.trustedRoot])
        #expect(simulatedOnly.run(input: SGXVector.all[0].quote, context: Self.context(at: 1_767_225_600)) == .success([]))
    }

    @Test func registersInAPrecompileRegistry() {
        var registry = PrecompileRegistry()
        registry.register(Self.precompile, at: AttestationPrecompile.address)
        #expect(registry.addresses == [AttestationPrecompile.address])
        #expect(registry.precompile(at: AttestationPrecompile.address)?.requiredGas(input: []) == 66_000)
    }
}
