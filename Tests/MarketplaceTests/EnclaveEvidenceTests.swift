import Attestation
import Foundation
import Marketplace
import Primitives
import Signatures
import Synchronization
import Testing

/// `EnclaveEvidence`: registerEnclave's argument `quote ‖ collateral` (docs/formats.md, "Collateral on
/// chain"), checked against Attestation's own reading of the precompile input (`Collateral.splitPrecompileInput`)
/// and against the ABI encoding written out by hand; its refusals name the lengths and the prefix.
struct EnclaveEvidenceTests {
    static let marketplace = try! Address(hex: "0x0000000000000000000000000000000000002000")
    static let enclave = SimulatedEnclave(signingKey: try! PrivateKey(bytes: Keccak256.hash(Array("EnclaveEvidenceTests enclave".utf8)).bytes))
    static let quote = enclave.marketplaceQuote(chainId: 31337, marketplace: marketplace)
    static let collateral = SimulatedCollateral.standard.wireEncoded

    /// A synthetic quote of 436 bytes plus `signatureData` bytes, its length field set accordingly.
    static func syntheticQuote(signatureData: Int) -> [UInt8] {
        var quote = [UInt8](repeating: 0xAB, count: 436 + signatureData)
        let length = UInt32(signatureData)
        for index in 0..<4 { quote[432 + index] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(index))) }
        return quote
    }

    @Test func quoteThenCollateralIsWhatThePrecompileSplits() throws {
        let evidence = try EnclaveEvidence(quote: Self.quote, collateral: Self.collateral)
        #expect(evidence.bytes == Self.quote + Self.collateral)
        #expect(evidence.hasCollateral)
        let (quote, collateral) = try Collateral.splitPrecompileInput(evidence.bytes)
        #expect(quote == Self.quote)
        #expect(collateral == SimulatedCollateral.standard)
        // docs/formats.md: a 3,791-byte simulated quote and 2,968 bytes of simulated collateral, 6,759 in all.
        #expect(evidence.description == "a 3,791-byte quote and 2,968 bytes of collateral (6,759 bytes)")
    }

    @Test func quoteAloneIsTheQuote() throws {
        let evidence = try EnclaveEvidence(quote: Self.quote, collateral: nil)
        #expect(evidence.bytes == Self.quote)
        #expect(!evidence.hasCollateral)
        let (quote, collateral) = try Collateral.splitPrecompileInput(evidence.bytes)
        #expect(quote == Self.quote)
        #expect(collateral == nil)
        #expect(evidence.description == "a 3,791-byte quote alone, without collateral")
    }

    @Test func layoutConstantsAreTheDocumentedOnes() {
        #expect(EnclaveEvidence.collateralMagic == Array("GGC1".utf8))
        #expect(EnclaveEvidence.collateralMagic == Collateral.wireMagic)
        #expect(EnclaveEvidence.quoteFixedSize == 48 + 384 + 4)
        #expect(EnclaveEvidence.signatureDataLengthOffset == 48 + 384)
        #expect(EnclaveEvidence.maximumSize == 16_384)
    }

    @Test func aQuoteWithBytesAppendedIsRefused() {
        let declared = Self.quote.count - 436
        #expect(throws: EnclaveEvidenceError.quoteLengthMismatch(length: Self.quote.count + Self.collateral.count,
                                                                  declaredSignatureDataLength: declared)) {
            try EnclaveEvidence(quote: Self.quote + Self.collateral, collateral: Self.collateral)
        }
        let error = EnclaveEvidenceError.quoteLengthMismatch(length: 3792, declaredSignatureDataLength: 3355)
        #expect(error.description == "the quote is 3792 bytes but its signature data length (offset 432) makes it 436 + 3355 = 3791: expected the quote alone, with no collateral or other bytes appended")
    }

    @Test func aQuoteCutShortIsRefused() {
        #expect(throws: EnclaveEvidenceError.quoteTooShort(length: 435, minimum: 436)) {
            try EnclaveEvidence(quote: Array(Self.quote.prefix(435)), collateral: nil)
        }
        #expect(throws: EnclaveEvidenceError.quoteLengthMismatch(length: 3790, declaredSignatureDataLength: 3355)) {
            try EnclaveEvidence(quote: Array(Self.quote.prefix(3790)), collateral: nil)
        }
    }

    @Test func collateralNotInTheOnChainLayoutIsRefused() {
        let json = Array(#"{"tcb_info":"{}"}"#.utf8)
        #expect(throws: EnclaveEvidenceError.notCollateralLayout(prefix: Array("{\"tc".utf8), length: json.count)) {
            try EnclaveEvidence(quote: Self.quote, collateral: json)
        }
        #expect(EnclaveEvidenceError.notCollateralLayout(prefix: Array("{\"tc".utf8), length: json.count).description
            == "the collateral starts with 7b227463, expected 47474331 (\"GGC1\", the on-chain layout of docs/formats.md)")
        #expect(throws: EnclaveEvidenceError.notCollateralLayout(prefix: [], length: 0)) {
            try EnclaveEvidence(quote: Self.quote, collateral: [])
        }
        #expect(throws: EnclaveEvidenceError.notCollateralLayout(prefix: Array("GGC1".utf8), length: 4)) {
            try EnclaveEvidence(quote: Self.quote, collateral: Array("GGC1".utf8))
        }
        #expect(EnclaveEvidenceError.notCollateralLayout(prefix: [], length: 0).description
            == "the collateral is 0 bytes, expected the on-chain layout (\"GGC1\" and its fields)")
    }

    @Test func moreThanRegisterEnclavesBytesIsRefused() throws {
        let quote = Self.syntheticQuote(signatureData: 10_000)
        let fits = Array("GGC1".utf8) + [UInt8](repeating: 1, count: 16_384 - 10_436 - 4)
        #expect(try EnclaveEvidence(quote: quote, collateral: fits).bytes.count == 16_384)
        #expect(throws: EnclaveEvidenceError.tooLarge(quote: 10_436, collateral: 5_949, maximum: 16_384)) {
            try EnclaveEvidence(quote: quote, collateral: fits + [0])
        }
        #expect(EnclaveEvidenceError.tooLarge(quote: 10_436, collateral: 5_949, maximum: 16_384).description
            == "quote (10436 bytes) and collateral (5949 bytes) make 16385 bytes, expected at most 16384 (registerEnclave's Bytes[16384])")
    }

    /// The ABI encoding of `registerEnclave(bytes,bytes)` written out word by word (Solidity ABI
    /// spec, "Use of Dynamic Types"): selector, two head offsets, then each argument's length word
    /// and its bytes padded to 32.
    @Test func registerEnclaveCallDataCarriesQuoteThenCollateral() throws {
        let evidence = try EnclaveEvidence(quote: Self.quote, collateral: Self.collateral)
        let publicKey = Self.enclave.publicKeyBytes
        func word(_ value: Int) -> [UInt8] { [UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func padded(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32) }
        let first = padded(evidence.bytes)
        var expected = Array(Keccak256.hash(Array("registerEnclave(bytes,bytes)".utf8)).bytes.prefix(4))
        expected += word(0x40) + word(0x40 + 32 + first.count)
        expected += word(6_759) + first
        expected += word(64) + publicKey
        let callData = try MarketplaceABI.registerEnclave.encodeCall([.bytes(evidence.bytes), .bytes(publicKey)])
        #expect(callData == expected)
        #expect(callData.count == 4 + 32 * 2 + 32 + 6_784 + 32 + 64)
    }
}

/// `MarketplaceClient.registerEnclave(_:enclavePublicKey:)` and `EnclaveWorker` on a dev node whose
/// genesis requires collateral (Genesis/dev.json with `requireCollateral` true): the quote alone is
/// refused with the contract's "quote rejected", quote ‖ collateral registers, and the precompile's
/// output carries status 1 (UpToDate) and the simulated collateral's issue date (2025-01-01T00:00:00Z,
/// docs/formats.md "Simulated collateral").
@Suite(.enabled(if: DevNode.isAvailable, "needs .build/release/goldengrain: run `swift build -c release` (make test does)"))
struct EnclaveEvidenceNodeTests {
    static let attestationVerify = try! Address(hex: "0x0000000000000000000000000000000000001000")

    /// dev.json with `"requireCollateral": true`, in a temporary file.
    static func requireCollateralGenesis() throws -> String {
        let text = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("Genesis/dev.json"), encoding: .utf8)
        let changed = text.replacingOccurrences(of: "\"requireCollateral\": false", with: "\"requireCollateral\": true")
        #expect(changed != text, "Genesis/dev.json no longer says \"requireCollateral\": false")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dev-require-collateral-\(UUID().uuidString).json").path
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theClientRegistersWithCollateralWhereTheGenesisRequiresIt() async throws {
        let genesis = try Self.requireCollateralGenesis()
        defer { try? FileManager.default.removeItem(atPath: genesis) }
        let node = try await DevNode(extraArguments: ["--no-enclave", "--genesis", genesis])
        defer { node.stop() }
        let market = MarketplaceClient(rpc: node.rpc, wallet: Wallet(key: DevNode.keys[1], client: node.rpc, chainId: DevNode.chainId))
        let enclave = SimulatedEnclave(signingKey: .generate())
        let quote = enclave.marketplaceQuote(chainId: DevNode.chainId, marketplace: market.address)

        let alone = try EnclaveEvidence(quote: quote, collateral: nil)
        do {
            _ = try await market.registerEnclave(alone, enclavePublicKey: enclave.publicKeyBytes)
            Issue.record("the quote alone was registered on a chain that requires collateral")
        } catch {
            #expect(error.revertReason == .error("quote rejected"))
            #expect(error.description == "registerEnclave reverted: quote rejected")
        }
        #expect(try await !market.isEnclave(enclave.address))

        let evidence = try EnclaveEvidence(quote: quote, collateral: SimulatedCollateral.standard.wireEncoded)
        let (address, transaction) = try await market.registerEnclave(evidence, enclavePublicKey: enclave.publicKeyBytes)
        #expect(address == enclave.address)
        #expect(transaction.events == [.enclaveRegistered(enclave: enclave.address, mrEnclave: SimulatedEnclave.mrEnclave,
                                                          isvSvn: SimulatedEnclave.isvSVN)])
        #expect(try await market.isEnclave(enclave.address))

        // What the contract got from ATTESTATION_VERIFY for the same input: ten words, status 1, issue date.
        let output = try await node.rpc.call(CallRequest(to: Self.attestationVerify, data: evidence.bytes))
        #expect(output.count == 320)
        #expect(UInt256(bigEndianBytes: Array(output[256..<288])) == UInt256(UInt64(1)))
        #expect(UInt256(bigEndianBytes: Array(output[288..<320])) == UInt256(UInt64(1_735_689_600)))
        #expect(try await node.rpc.call(CallRequest(to: Self.attestationVerify, data: quote)).isEmpty)
    }

    @Test func theWorkerSendsItsCollateralAndWithoutItNamesTheRefusal() async throws {
        let genesis = try Self.requireCollateralGenesis()
        defer { try? FileManager.default.removeItem(atPath: genesis) }
        let node = try await DevNode(extraArguments: ["--no-enclave", "--genesis", genesis])
        defer { node.stop() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-worker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        func worker(_ key: PrivateKey, collateral: [UInt8]?, lines: EnclaveWorkerNodeTests.Lines, name: String) throws -> EnclaveWorker {
            try EnclaveWorker(configuration: EnclaveWorker.Configuration(
                rpcURL: node.client.url, marketplace: MarketplaceClient.devAddress, enclaveKey: key, relayerKey: DevNode.keys[3],
                datadir: scratch + "/" + name,
                quote: { chainId, marketplace in SimulatedEnclave(signingKey: key).marketplaceQuote(chainId: chainId, marketplace: marketplace) },
                collateral: collateral, log: { lines.append($0) }))
        }
        let market = MarketplaceClient(rpc: node.rpc)

        // The quote alone: run() ends with the registration's failure and says why.
        let alone = PrivateKey.generate()
        let aloneLines = EnclaveWorkerNodeTests.Lines()
        do {
            try await worker(alone, collateral: nil, lines: aloneLines, name: "alone").run()
            Issue.record("the worker ran without registering")
        } catch let error as EnclaveWorkerError {
            #expect(error.description == "registering enclave \(alone.address) failed: registerEnclave reverted: quote rejected (the quote was sent alone: a chain whose genesis sets goldengrain.attestation.requireCollateral refuses a quote without collateral)")
        }
        #expect(aloneLines.contains("registering with a SIMULATED quote binding its key to chain 31337: a 3,791-byte quote alone, without collateral"))
        #expect(try await !market.isEnclave(alone.address))

        // With the simulated collateral it registers and goes on to follow the chain.
        let key = PrivateKey.generate()
        let lines = EnclaveWorkerNodeTests.Lines()
        let running = Task { try await worker(key, collateral: SimulatedCollateral.standard.wireEncoded, lines: lines, name: "with").run() }
        defer { running.cancel() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while try await !market.isEnclave(key.address) {
            guard ContinuousClock.now < deadline else {
                Issue.record("the worker did not register within 20 s:\n\(lines.all.joined(separator: "\n"))")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(lines.contains("registering with a SIMULATED quote binding its key to chain 31337 and its collateral: a 3,791-byte quote and 2,968 bytes of collateral (6,759 bytes)"))
    }
}
