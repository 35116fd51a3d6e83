import Attestation
import Primitives
import Signatures
import Testing

/// The marketplace's REPORTDATA binding (issue 11, docs/formats.md), the debug flag of the
/// SIMULATED enclave, and the dev chain's SIMULATED enclave key.
///
/// Expected values come from a hand concatenation in the test or from eth-keys / eth-utils in the
/// venv (`keys.PrivateKey(k).public_key`, `keccak(pub ‖ chainId.to_bytes(32, "big") ‖ bytes(12) ‖
/// marketplace)`), never from the code under test.
@Suite struct MarketplaceBindingTests {
    static let verifier = QuoteVerifier(trustedRoots: [SimulatedCertificateAuthority.standard.trustedRoot])
    static let key = try! PrivateKey(bytes: [UInt8](repeating: 0x11, count: 32))
    static let marketplace = try! Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3")
    static let devMarketplace = Address(high: 0, middle: 0, low: 0x2000)

    /// eth-keys: the public key of 0x11…11, x ‖ y.
    static let publicKeyHex = "4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa"
        + "385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1"

    @Test func publicKeyIsTheUncompressedPointWithoutThePrefix() {
        let enclave = SimulatedEnclave(signingKey: Self.key)
        #expect(Hex.encode(enclave.publicKeyBytes, prefix: false) == Self.publicKeyHex)
        #expect(enclave.publicKeyBytes.count == 64)
        #expect(enclave.address == Address(lowBytesOf: Keccak256.hash(enclave.publicKeyBytes)))
    }

    /// reportData0 = keccak256(pub (64) ‖ chainId (32, big-endian) ‖ 12 zero bytes ‖ marketplace (20)),
    /// concatenated by hand here, and the same value from eth-utils.
    @Test func reportData0IsTheKeccakOfKeyChainAndMarketplace() throws {
        let publicKey = try PublicKey(bytes: SGXVectors.bytes(Self.publicKeyHex))
        let byHand = SGXVectors.bytes(Self.publicKeyHex)
            + [UInt8](repeating: 0, count: 31) + [0x01]
            + [UInt8](repeating: 0, count: 12) + SGXVectors.bytes("5FbDB2315678afecb367f032d93F642f64180aa3")
        #expect(byHand.count == 128)
        let reportData0 = SimulatedEnclave.marketplaceReportData0(publicKey: publicKey, chainId: 1, marketplace: Self.marketplace)
        #expect(reportData0 == Keccak256.hash(byHand))
        #expect(Hex.encode(reportData0.bytes, prefix: false)
                == "26aeead9fd6e6bb4473bc125da0e604bb69e084da689afef3c54e318e31d650c")
        // All 8 bytes of a large chain id land at the end of the 32-byte word (eth-utils value).
        #expect(Hex.encode(SimulatedEnclave.marketplaceReportData0(publicKey: publicKey, chainId: .max,
                                                                   marketplace: Self.marketplace).bytes, prefix: false)
                == "369ef3d6364f9aae7bf0bc526ae1daac9ae34130c0ae30175476e82e13bb82c1")
    }

    @Test func reportDataIsReportData0ThenTheEnclavesOwnWord() throws {
        let publicKey = Self.key.publicKey
        let own = Hash32((0..<32).map { UInt8($0) })
        let reportData = SimulatedEnclave.marketplaceReportData(publicKey: publicKey, chainId: 1, marketplace: Self.marketplace,
                                                                reportData1: own)
        #expect(reportData == SGXVectors.bytes("26aeead9fd6e6bb4473bc125da0e604bb69e084da689afef3c54e318e31d650c")
                + (0..<32).map { UInt8($0) })
        #expect(Array(SimulatedEnclave.marketplaceReportData(publicKey: publicKey, chainId: 1,
                                                             marketplace: Self.marketplace)[32...])
                == [UInt8](repeating: 0, count: 32))
    }

    /// Another chain id or another marketplace gives another reportData0: the quote cannot be replayed.
    @Test func theBindingChangesWithChainAndMarketplace() {
        let publicKey = Self.key.publicKey
        let base = SimulatedEnclave.marketplaceReportData0(publicKey: publicKey, chainId: 31337, marketplace: Self.marketplace)
        #expect(base != SimulatedEnclave.marketplaceReportData0(publicKey: publicKey, chainId: 31338, marketplace: Self.marketplace))
        #expect(base != SimulatedEnclave.marketplaceReportData0(publicKey: publicKey, chainId: 31337, marketplace: Self.devMarketplace))
        #expect(base != SimulatedEnclave.marketplaceReportData0(publicKey: SimulatedEnclave.devEnclaveKey.publicKey, chainId: 31337,
                                                                marketplace: Self.marketplace))
    }

    @Test func marketplaceQuoteVerifiesWithTheBindingInReportData() throws {
        let enclave = SimulatedEnclave(signingKey: Self.key)
        let own = Hash32([UInt8](repeating: 0xee, count: 32))
        let verified = try Self.verifier.verify(enclave.marketplaceQuote(chainId: 1, marketplace: Self.marketplace, reportData1: own),
                                                at: 1_767_225_600)
        #expect(Hex.encode(verified.reportData0.bytes, prefix: false)
                == "26aeead9fd6e6bb4473bc125da0e604bb69e084da689afef3c54e318e31d650c")
        #expect(verified.reportData1 == own)
        #expect(verified.mrEnclave == SimulatedEnclave.mrEnclave)
        #expect(verified.attributesFlags == 0x5)
        #expect(!verified.isDebug)
    }

    /// A debug enclave's quote still verifies; its ATTRIBUTES flags (quote bytes 96‥103,
    /// little-endian) are 0x07 = INIT | DEBUG | MODE64BIT, and 0x05 without debug.
    @Test func debugEnclaveSetsTheDebugBitAndStillVerifies() throws {
        let debug = SimulatedEnclave(signingKey: Self.key, isDebug: true)
        let quote = debug.marketplaceQuote(chainId: 31337, marketplace: Self.devMarketplace)
        #expect(Array(quote[96..<112]) == [0x07, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0])
        let verified = try Self.verifier.verify(quote, at: 1_767_225_600)
        #expect(verified.attributesFlags == 0x7)
        #expect(verified.isDebug)
        let abi = verified.abiEncoded
        #expect(abi.count == 256)
        #expect(Array(abi[224..<256]) == [UInt8](repeating: 0, count: 31) + [0x07])

        let production = SimulatedEnclave(signingKey: Self.key).marketplaceQuote(chainId: 31337, marketplace: Self.devMarketplace)
        #expect(Array(production[96..<112]) == [0x05, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0])
        // Only the flags byte and the ISV report signature (over header ‖ body) differ.
        let differing = (0..<quote.count).filter { quote[$0] != production[$0] }
        #expect(differing.first == 96)
        #expect(differing.dropFirst().allSatisfy { (436..<500).contains($0) })
    }

    /// The dev chain's SIMULATED enclave key is keccak256 of its public label; address and public
    /// key from eth-keys.
    @Test func devEnclaveKeyIsDerivedFromItsPublicLabel() {
        #expect(SimulatedEnclave.devEnclaveKeyLabel == "GoldenGrain INSECURE simulated dev enclave key v1")
        #expect(SimulatedEnclave.devEnclaveKey.bytes
                == Keccak256.hash(Array("GoldenGrain INSECURE simulated dev enclave key v1".utf8)).bytes)
        #expect(Hex.encode(SimulatedEnclave.devEnclaveKey.bytes, prefix: false)
                == "12230159731c3f68c8b7ce2a7de2a56cac38261f55298c8b8661fab3eb7da385")
        #expect(SimulatedEnclave.dev.address == (try! Address(hex: "0x96413214e8729BB01Df7f3Ac020b0C8558e11Cdb")))
        #expect(Hex.encode(SimulatedEnclave.dev.publicKeyBytes, prefix: false)
                == "e385eb4ab6d2c1570c0aaca6acd82360f5ff022f26e4b9c3ba088ab2e6eefe3d"
                + "0dec820dc0c583ce7cd89292da6bd93541c2e833f48d1a2277feb4b3b8cb60b3")
        #expect(!SimulatedEnclave.dev.isDebug)
    }

    /// The dev enclave's binding to the dev marketplace at 0x…2000 on chain 31337 (eth-utils).
    @Test func devEnclaveBindingOnTheDevChain() throws {
        let verified = try Self.verifier.verify(SimulatedEnclave.dev.marketplaceQuote(chainId: 31337, marketplace: Self.devMarketplace),
                                                at: 1_767_225_600)
        #expect(Hex.encode(verified.reportData0.bytes, prefix: false)
                == "d31384d32e0c8d7145e51fc817b41f804715dbcab743fe8f3f31ff404ce14fbe")
        #expect(verified.reportData1 == .zero)
    }
}
