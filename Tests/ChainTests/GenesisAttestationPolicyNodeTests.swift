import Attestation
import Chain
import ChainTypes
import EVM
import GoldenGrainNode
import Primitives
import Signatures
import Storage
import Testing
import TestSupport

/// ATTESTATION_VERIFY as a node assembles it from the genesis policy (issue 16): the dev chain's
/// defaults with the SIMULATED collateral, and a genesis that requires collateral.
@Suite struct GenesisAttestationPolicyNodeTests {
    static func genesis(_ attestation: String) throws -> Genesis {
        try Genesis(json: GenesisTests.json(extra: #", "goldengrain": {"attestation": {\#(attestation)}}"#))
    }

    static let enclaveKey = try! PrivateKey(bytes: Keccak256.hash(Array("GenesisAttestationPolicyTests enclave".utf8)).bytes)

    /// On the dev chain: the simulated up-to-date platform with collateral gives 10 words ending in
    /// status 1 (UpToDate) and the collateral's issue date 2025-01-01 (1735689600 = 0x6774_8580);
    /// the out-of-date and revoked platforms give empty output; a quote alone still verifies.
    @Test func devNodeEnforcesThePolicyOnSimulatedCollateral() throws {
        let node = try GenesisPrecompileTests.node(genesis: NodeTestSupport.devGenesis, signer: NodeTestSupport.keys[0])
        let collateral = SimulatedCollateral.standard.wireEncoded
        func call(_ platform: SimulatedPlatform, withCollateral: Bool = true) throws -> [UInt8] {
            let quote = SimulatedEnclave(signingKey: Self.enclaveKey, platform: platform).registrationQuote()
            let outcome = try node.call(CallRequest(to: AttestationPrecompile.address, data: quote + (withCollateral ? collateral : [])))
            #expect(outcome.isSuccess)
            return outcome.output
        }
        let upToDate = try call(.upToDate)
        #expect(upToDate.count == 320)
        #expect(Array(upToDate[256..<320]) == [UInt8](repeating: 0, count: 31) + [1] + [UInt8](repeating: 0, count: 28) + [0x67, 0x74, 0x85, 0x80])
        #expect(try call(.outOfDate) == [])
        #expect(try call(.revoked) == [])
        #expect(try call(.outOfDate, withCollateral: false).count == 320)
    }

    @Test func aNodeThatRequiresCollateralRefusesAQuoteAlone() throws {
        let root = SimulatedCertificateAuthority.standard
        let genesis = try Self.genesis(#""trustedRoots": [{"sha256": "\#(SimulatedCertificateAuthority.rootSHA256)", "pem": "\#(root.rootPEM.replacingOccurrences(of: "\n", with: "\\n"))"}], "requireCollateral": true"#)
        let node = try GenesisPrecompileTests.node(genesis: genesis, signer: NodeTestSupport.keys[0])
        let quote = SimulatedEnclave(signingKey: Self.enclaveKey).registrationQuote()
        #expect(try node.call(CallRequest(to: AttestationPrecompile.address, data: quote)).output == [])
        let withCollateral = try node.call(CallRequest(to: AttestationPrecompile.address, data: quote + SimulatedCollateral.standard.wireEncoded))
        #expect(withCollateral.output.count == 320)
    }
}
