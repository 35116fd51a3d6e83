import Attestation
import Chain
import ChainTypes
import EVM
import Foundation
import GoldenGrainNode
import Inference
import Primitives
import Signatures
import Storage
import Testing
import TestSupport

/// The GoldenGrain precompiles as a node assembles them from its genesis file
/// (`PrecompileRegistry.goldenGrain`, DESIGN.md §6), called through `Node.call` as eth_call does.
@Suite struct GenesisPrecompileTests {
    /// The shipped example model and test split (Examples/models/README.md: 350 of 360 correct).
    static let examples = TestFiles.examples

    /// A fixed enclave key, so the expected REPORTDATA is a literal.
    static let enclaveKey: PrivateKey = {
        do { return try PrivateKey(bytes: Keccak256.hash(Array("GenesisPrecompileTests enclave".utf8)).bytes) } catch {
            fatalError("\(error)")
        }
    }()

    static func bytes(_ relativePath: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: examples.appendingPathComponent(relativePath).path) ?? Data())
    }

    /// A node over `genesis` with the registry the CLI installs, and one block mined at wall-clock
    /// time: the genesis timestamp is 0, before the simulated root's validity (from 2025-01-01),
    /// and the attestation precompile checks certificates at the block's timestamp.
    static func node(genesis: Genesis, signer: PrivateKey) throws -> Node {
        let configuration = NodeConfiguration(genesis: genesis, signerKey: signer, isAutomine: false)
        let node = try NodeTestSupport.node(configuration: configuration, store: MemoryStore())
        try node.mine()
        return node
    }

    @Test func devGenesisTrustsTheSimulatedRootAndEnclave() throws {
        let config = NodeTestSupport.devGenesis.goldenGrain
        #expect(config.trustedRoots.map(\.sha256) == [SimulatedCertificateAuthority.rootSHA256])
        #expect(config.trustedRoots.map(\.certificate) == [SimulatedCertificateAuthority.standard.rootDER])
        #expect(config.trustedMeasurements == [SimulatedEnclave.mrEnclave])
        #expect(config.attestationPrecompile == AttestationPrecompile.address)
        #expect(config.inferencePrecompile == InferencePrecompile.address)
    }

    @Test func testnetGenesisTrustsTheIntelRootOnly() throws {
        let genesis = try GenesisTests.loadShipped("testnet-3.json")
        let intelDER = [UInt8](FileManager.default.contents(
            atPath: TestFiles.vectors.appendingPathComponent("sgx/intel_sgx_root_ca.der").path) ?? Data())
        #expect(genesis.goldenGrain.trustedRoots.map(\.sha256)
            == [Hash32(ChainTestSupport.bytes("44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"))])
        #expect(genesis.goldenGrain.trustedRoots.map(\.certificate) == [intelDER])
        #expect(genesis.goldenGrain.trustedMeasurements.isEmpty)
    }

    @Test func registryHoldsCancunAndBothGoldenGrainPrecompiles() throws {
        let registry = try PrecompileRegistry.goldenGrain(NodeTestSupport.devGenesis.goldenGrain)
        let standard: [UInt64] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x100, 0x1000, 0x1001]
        #expect(registry.addresses == standard.map { Address(high: 0, middle: 0, low: UInt32($0)) })
    }

    @Test func aRootThatIsNotACertificateIsRefusedNamingItsField() throws {
        var config = GoldenGrainConfig()
        config.trustedRoots = [.init(certificate: [0x30, 0x03, 0x02, 0x01, 0x01])]
        #expect(throws: GenesisError.invalidCertificate(field: "goldengrain.attestation.trustedRoots[0]",
                                                        reason: "trusted root is not an X.509 certificate: 5 bytes are not one DER certificate")) {
            _ = try PrecompileRegistry.goldenGrain(config)
        }
    }

    @Test func devNodeAttestationPrecompileVerifiesASimulatedQuote() throws {
        let node = try Self.node(genesis: NodeTestSupport.devGenesis, signer: NodeTestSupport.keys[0])
        let enclave = SimulatedEnclave(signingKey: Self.enclaveKey)
        let outcome = try node.call(CallRequest(to: AttestationPrecompile.address, data: enclave.registrationQuote()))
        #expect(outcome.isSuccess)
        let expected = ChainTestSupport.bytes(
            "430836ed34a6354883a229c77ad29354d6e7154c120bb8b5b13caac5042f6835" // MRENCLAVE
            + "3eef7827135a535a37a653f1aadc654aa764edc125379037d7cd4cd8e8c29165" // MRSIGNER
            + String(repeating: "0", count: 63) + "1" // isvProdId 1
            + String(repeating: "0", count: 63) + "1" // isvSvn 1
            + Hex.encode(enclave.address.bytes, prefix: false) + String(repeating: "0", count: 24) // reportData0
            + String(repeating: "0", count: 64) // reportData1
            + "0683343b7c52a645d8bc41f3e08d898768f20ce6c102cee9d1f18bee68c44e4c" // the simulated root's SHA-256
            + String(repeating: "0", count: 63) + "5" // ATTRIBUTES flags INIT | MODE64BIT (not DEBUG)
            + String(repeating: "0", count: 128)) // no collateral: TCB status 0, collateral issue date 0
        #expect(outcome.output.count == 320)
        #expect(outcome.output == expected)
        #expect(Array(outcome.output[0 ..< 32]) == SimulatedEnclave.mrEnclave.bytes)
        #expect(Array(outcome.output[128 ..< 192]) == SimulatedEnclave.reportData(binding: enclave.address))
    }

    @Test func testnetNodeRejectsTheSimulatedQuoteWithEmptyOutput() throws {
        let genesis = try GenesisTests.loadShipped("testnet-3.json")
        let node = try Self.node(genesis: genesis, signer: NodeTestSupport.keys[0])
        let enclave = SimulatedEnclave(signingKey: Self.enclaveKey)
        let outcome = try node.call(CallRequest(to: AttestationPrecompile.address, data: enclave.registrationQuote()))
        #expect(outcome.isSuccess)
        #expect(outcome.output == [])
    }

    @Test func devNodeInferencePrecompileScoresTheExampleModel() throws {
        let node = try Self.node(genesis: NodeTestSupport.devGenesis, signer: NodeTestSupport.keys[0])
        let model = try QuantizedModel(bytes: Self.bytes("models/digits-h64.ggm"))
        let dataset = try Dataset(bytes: Self.bytes("digits/test.ggd"))
        let input = InferencePrecompile.input(model: model, dataset: dataset)
        let outcome = try node.call(CallRequest(to: InferencePrecompile.address, data: input))
        #expect(outcome.isSuccess)
        #expect(outcome.output.count == 96)
        #expect(Array(outcome.output[0 ..< 32]) == UInt256(350).bigEndianBytes)
        #expect(Array(outcome.output[32 ..< 64]) == UInt256(360).bigEndianBytes)
        #expect(Array(outcome.output[64 ..< 96]) == (try model.evaluate(on: dataset)).logitsHash.bytes)
        // 21000 intrinsic + calldata + InferenceGas: 1000 + ⌈360 × (64·64 + 64·10) / 64⌉ + 6 per word.
        let words = UInt64((input.count + 31) / 32)
        let calldata = input.reduce(UInt64(0)) { $0 + ($1 == 0 ? 4 : 16) }
        #expect(outcome.gasUsed == 21_000 + calldata + 1_000 + 26_640 + 6 * words)
    }
}
