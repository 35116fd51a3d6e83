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

/// The genesis attestation policy (issue 16): `goldengrain.attestation.acceptedTCBStatuses` and
/// `.requireCollateral`, read strictly, and enforced by ATTESTATION_VERIFY as a node assembles it.
@Suite struct GenesisAttestationPolicyTests {
    static func genesis(_ attestation: String) throws -> Genesis {
        try Genesis(json: GenesisTests.json(extra: #", "goldengrain": {"attestation": {\#(attestation)}}"#))
    }

    static let enclaveKey = try! PrivateKey(bytes: Keccak256.hash(Array("GenesisAttestationPolicyTests enclave".utf8)).bytes)

    @Test func absentPolicyAcceptsUpToDateAndSWHardeningNeededWithCollateralOptional() throws {
        let policy = try Self.genesis(#""trustedMeasurements": []"#).goldenGrain.attestationPolicy
        #expect(policy.acceptedTCBStatuses == ["UpToDate", "SWHardeningNeeded"])
        #expect(policy.requireCollateral == false)
        #expect(try Genesis(json: GenesisTests.json()).goldenGrain.attestationPolicy == GoldenGrainConfig.AttestationPolicy())
    }

    @Test func statusesAreReadInIntelsOrderAndCollateralCanBeRequired() throws {
        let policy = try Self.genesis(#""acceptedTCBStatuses": ["OutOfDate", "UpToDate"], "requireCollateral": true"#)
            .goldenGrain.attestationPolicy
        #expect(policy.acceptedTCBStatuses == ["UpToDate", "OutOfDate"])
        #expect(policy.requireCollateral)
        #expect(try Self.genesis(#""acceptedTCBStatuses": []"#).goldenGrain.attestationPolicy.acceptedTCBStatuses == [])
    }

    /// The names are Intel's, as TCB Info v3 spells them, and the Attestation module's TCBStatus in code order.
    @Test func theStatusNamesAreTCBStatusesRawValuesInCodeOrder() {
        #expect(GoldenGrainConfig.tcbStatusNames == TCBStatus.allCases.sorted { $0.code < $1.code }.map(\.rawValue))
    }

    @Test func anUnknownStatusIsRefusedNamingTheFieldAndTheValue() throws {
        let error = #expect(throws: GenesisError.self) {
            _ = try Self.genesis(#""acceptedTCBStatuses": ["UpToDate", "upToDate"]"#)
        }
        #expect(error == .wrongType(field: "goldengrain.attestation.acceptedTCBStatuses[1]",
                                    expected: "one of Intel's TCB statuses UpToDate, SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, OutOfDate, OutOfDateConfigurationNeeded, Revoked",
                                    found: "\"upToDate\""))
        #expect(error?.description.contains("acceptedTCBStatuses[1] is \"upToDate\", expected one of Intel's TCB statuses") == true)
    }

    @Test func aDuplicateStatusAWrongTypeAndANonBooleanRequireCollateralAreRefused() throws {
        #expect(throws: GenesisError.wrongType(field: "goldengrain.attestation.acceptedTCBStatuses[1]", expected: "each status once",
                                               found: "\"UpToDate\" again")) {
            _ = try Self.genesis(#""acceptedTCBStatuses": ["UpToDate", "UpToDate"]"#)
        }
        #expect(throws: GenesisError.wrongType(field: "goldengrain.attestation.acceptedTCBStatuses", expected: "an array",
                                               found: "a string")) {
            _ = try Self.genesis(#""acceptedTCBStatuses": "UpToDate""#)
        }
        #expect(throws: GenesisError.wrongType(field: "goldengrain.attestation.acceptedTCBStatuses[0]", expected: "a string",
                                               found: "a number")) {
            _ = try Self.genesis(#""acceptedTCBStatuses": [1]"#)
        }
        #expect(throws: GenesisError.wrongType(field: "goldengrain.attestation.requireCollateral", expected: "true or false",
                                               found: "a string \"yes\"")) {
            _ = try Self.genesis(#""requireCollateral": "yes""#)
        }
    }

    @Test func devGenesisMakesCollateralOptionalAndTestnetRequiresIt() throws {
        let dev = NodeTestSupport.devGenesis.goldenGrain.attestationPolicy
        #expect(dev == GoldenGrainConfig.AttestationPolicy(acceptedTCBStatuses: ["UpToDate", "SWHardeningNeeded"], requireCollateral: false))
        let testnet = try GenesisTests.loadShipped("testnet-3.json").goldenGrain.attestationPolicy
        #expect(testnet == GoldenGrainConfig.AttestationPolicy(acceptedTCBStatuses: ["UpToDate", "SWHardeningNeeded"], requireCollateral: true))
    }

    /// The policy's decisions (AttestationPolicy, which the node builds from these names).
    @Test func policyRefusesStatusesOutsideItsListAndAQuoteAloneOnlyWhenItRequiresCollateral() {
        func evaluation(_ status: TCBStatus) -> TCBEvaluation {
            TCBEvaluation(status: status, platformStatus: status, qeStatus: .upToDate, advisoryIDs: [], collateralIssueDate: 0)
        }
        let standard = AttestationPolicy()
        #expect(standard.refusal(of: evaluation(.upToDate)) == nil)
        #expect(standard.refusal(of: evaluation(.swHardeningNeeded)) == nil)
        #expect(standard.refusal(of: evaluation(.outOfDate))
                == "TCB status OutOfDate is not accepted by the policy (accepted: UpToDate, SWHardeningNeeded)")
        #expect(standard.refusal(of: nil) == nil)
        let strict = AttestationPolicy(acceptedTCBStatuses: [], requireCollateral: true)
        #expect(strict.refusal(of: nil) == "the policy requires collateral and the quote came without it")
        #expect(strict.refusal(of: evaluation(.upToDate)) == "TCB status UpToDate is not accepted by the policy (accepted: none)")
    }
}
