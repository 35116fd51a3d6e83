import Attestation
import EVM
import Primitives
import Signatures
import Testing

/// ATTESTATION_VERIFY with collateral (issue 16): `quote ‖ collateral` in, 10 words out (the TCB
/// status code and the collateral issue date after the 8 words of before), the policy's refusals,
/// and the gas formula.
@Suite struct PrecompileCollateralTests {
    static let root = SimulatedCertificateAuthority.standard.trustedRoot
    static let optional = AttestationPrecompile(trustedRoots: [root])
    static let required = AttestationPrecompile(trustedRoots: [root], policy: AttestationPolicy(requireCollateral: true))
    static let collateral = SimulatedCollateral.standard.wireEncoded
    static let key = try! PrivateKey(bytes: [UInt8](repeating: 0x44, count: 32))
    /// 2026-01-01T00:00:00Z.
    static let time: UInt64 = 1_767_225_600

    static func quote(_ platform: SimulatedPlatform) -> [UInt8] {
        SimulatedEnclave(signingKey: key, platform: platform).registrationQuote()
    }

    static func context(_ time: UInt64 = Self.time) -> PrecompileContext {
        PrecompileContext(blockNumber: 1, timestamp: time, chainId: 31337)
    }

    static func word(_ value: UInt64) -> [UInt8] {
        [UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    @Test func upToDatePlatformWithCollateralGivesStatus1AndTheIssueDate() throws {
        let quote = Self.quote(.upToDate)
        guard case .success(let output) = Self.required.run(input: quote + Self.collateral, context: Self.context()),
              case .success(let alone) = Self.optional.run(input: quote, context: Self.context()) else {
            Issue.record("precompile failed"); return
        }
        #expect(output.count == 320)
        // The first 8 words are those of the quote alone.
        #expect(Array(output[0..<256]) == Array(alone[0..<256]))
        #expect(Array(alone[256..<320]) == [UInt8](repeating: 0, count: 64))
        // uint8 tcbStatus 1 (UpToDate), uint64 collateralIssueDate 2025-01-01T00:00:00Z.
        #expect(Array(output[256..<288]) == Self.word(1))
        #expect(Array(output[288..<320]) == Self.word(1_735_689_600))
        let (verified, evaluated) = try Self.required.evaluate(quote + Self.collateral, at: Self.time)
        #expect(evaluated == output)
        #expect(verified.tcb?.status == .upToDate)
        #expect(verified.tcb?.advisoryIDs == [])
    }

    @Test func outOfDatePlatformIsRefusedByTheDefaultPolicyAndAcceptedByOneThatListsIt() throws {
        let input = Self.quote(.outOfDate) + Self.collateral
        #expect(Self.optional.run(input: input, context: Self.context()) == .success([]))
        #expect(throws: AttestationPrecompileRefusal.policy(
            "TCB status OutOfDate is not accepted by the policy (accepted: UpToDate, SWHardeningNeeded)")) {
            _ = try Self.optional.evaluate(input, at: Self.time)
        }
        let lenient = AttestationPrecompile(trustedRoots: [Self.root],
                                            policy: AttestationPolicy(acceptedTCBStatuses: [.upToDate, .outOfDate]))
        guard case .success(let output) = lenient.run(input: input, context: Self.context()) else {
            Issue.record("precompile failed"); return
        }
        #expect(Array(output[256..<288]) == Self.word(5))
        #expect(try lenient.evaluate(input, at: Self.time).verified.tcb?.advisoryIDs == ["GOLDENGRAIN-SIMULATED-SA-00001"])
    }

    @Test func revokedPlatformIsRefusedByTheCollateralCheck() throws {
        let input = Self.quote(.revoked) + Self.collateral
        #expect(Self.optional.run(input: input, context: Self.context()) == .success([]))
        let everything = AttestationPrecompile(trustedRoots: [Self.root], policy: AttestationPolicy(acceptedTCBStatuses: Set(TCBStatus.allCases)))
        #expect(everything.run(input: input, context: Self.context()) == .success([]))
        do {
            _ = try everything.evaluate(input, at: Self.time)
            Issue.record("a revoked PCK certificate was accepted")
        } catch {
            guard case .verification(let inner) = error else { Issue.record("refused by \(error)"); return }
            #expect(inner.check == .collateral)
            #expect(inner.description.contains("revoked"))
        }
        // Without collateral the revocation is unknown: the quote alone verifies where the policy allows it.
        #expect(Self.optional.run(input: Self.quote(.revoked), context: Self.context()) != .success([]))
    }

    @Test func aQuoteAloneIsRefusedWhereThePolicyRequiresCollateral() {
        let quote = Self.quote(.upToDate)
        #expect(Self.required.run(input: quote, context: Self.context()) == .success([]))
        #expect(throws: AttestationPrecompileRefusal.policy("the policy requires collateral and the quote came without it")) {
            _ = try Self.required.evaluate(quote, at: Self.time)
        }
    }

    @Test func malformedOrForeignCollateralGivesEmptyOutput() throws {
        let quote = Self.quote(.upToDate)
        #expect(Self.optional.run(input: quote + Self.collateral.dropLast(), context: Self.context()) == .success([]))
        #expect(Self.optional.run(input: quote + [0x47], context: Self.context()) == .success([]))
        // Collateral signed by another (untrusted) simulated CA.
        let foreign = try SimulatedCollateral.make(authority: SimulatedCertificateAuthority(label: "PrecompileCollateralTests foreign CA"))
        #expect(Self.optional.run(input: quote + foreign.wireEncoded, context: Self.context()) == .success([]))
        // A TCB Info byte changed: its signature no longer verifies.
        var changed = SimulatedCollateral.standard
        changed.tcbInfoBody[10] ^= 0x01
        #expect(Self.optional.run(input: quote + changed.wireEncoded, context: Self.context()) == .success([]))
    }

    /// The collateral is checked at the block timestamp: after its nextUpdate (2049-12-31T23:59:59Z)
    /// it is stale even though the wall clock is decades earlier.
    @Test func collateralIsCheckedAtTheBlockTimestamp() {
        let input = Self.quote(.upToDate) + Self.collateral
        #expect(Self.optional.run(input: input, context: Self.context(2_524_607_998)) != .success([]))
        #expect(Self.optional.run(input: input, context: Self.context(2_524_608_000)) == .success([]))
    }

    @Test func gasAddsTheCollateralChargeOnlyWhenCollateralFollows() {
        let quote = Self.quote(.upToDate)
        let input = quote + Self.collateral
        #expect(Self.optional.requiredGas(input: quote) == AttestationPrecompile.baseGas + AttestationPrecompile.perByteGas * UInt64(quote.count))
        // docs/gas.md: 66,000 + 2 × input length + 48,000 + 4 × collateral length.
        #expect(Self.optional.requiredGas(input: input) == 66_000 + 2 * UInt64(input.count) + 48_000 + 4 * UInt64(Self.collateral.count))
        // The registration the issue bounds: the simulated quote (3,791 bytes) with the simulated
        // collateral (2,968 bytes): 66,000 + 2 × 6,759 + 48,000 + 4 × 2,968 = 66,000 + 13,518 + 48,000 + 11,872.
        #expect(quote.count == 3_791 && Self.collateral.count == 2_968)
        #expect(Self.optional.requiredGas(input: input) == 139_390)
        #expect(Self.optional.requiredGas(input: input) <= 150_000)
        // A signature data length that claims more than the input is not collateral.
        var short = quote
        short.removeLast()
        #expect(Self.optional.requiredGas(input: short) == AttestationPrecompile.gas(forInputLength: short.count))
        #expect(Self.optional.requiredGas(input: [UInt8](repeating: 0xff, count: 500)) == AttestationPrecompile.gas(forInputLength: 500))
    }

    /// The real phala_sgx_v3 quote with its collateral (dcap-qvl's collateral.json) at 2025-06-20:
    /// ConfigurationAndSWHardeningNeeded (code 4), as dcap-qvl's own test expects for this sample
    /// (TCBEvaluationTests cites it), so the default policy refuses it and a policy that lists it
    /// accepts it with the earliest issue date of the collateral.
    @Test func realQuoteWithRealCollateral() throws {
        let quote = SGXVectors.read("phala_sgx_v3/quote.bin")
        let collateral = try Collateral(dcapQVLJSON: SGXVectors.read("phala_sgx_v3/collateral.json"))
        let intel = try TrustedRoot(der: SGXVectors.read("intel_sgx_root_ca.der"))
        let time: UInt64 = 1_750_377_600
        let input = quote + collateral.wireEncoded
        let strict = AttestationPrecompile(trustedRoots: [intel], policy: AttestationPolicy(requireCollateral: true))
        #expect(strict.run(input: input, context: Self.context(time)) == .success([]))
        #expect(throws: AttestationPrecompileRefusal.policy(
            "TCB status ConfigurationAndSWHardeningNeeded is not accepted by the policy (accepted: UpToDate, SWHardeningNeeded)")) {
            _ = try strict.evaluate(input, at: time)
        }
        let lenient = AttestationPrecompile(trustedRoots: [intel], policy: AttestationPolicy(
            acceptedTCBStatuses: [.upToDate, .swHardeningNeeded, .configurationAndSWHardeningNeeded], requireCollateral: true))
        guard case .success(let output) = lenient.run(input: input, context: Self.context(time)) else {
            Issue.record("precompile failed"); return
        }
        #expect(output.count == 320)
        #expect(Array(output[256..<288]) == Self.word(4))
        // The QE Identity's issueDate, 2025-06-19T10:01:18Z, is the latest the earliest date can be.
        let issueDate = output[312..<320].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(issueDate > 1_735_689_600 && issueDate <= 1_750_327_278)
        #expect(input.count == 12_415)
        #expect(input.count <= 16_384, "the marketplace's registerEnclave takes at most 16,384 bytes")
        // 66,000 + 2 × 12,415 + 48,000 + 4 × 7,815 (the collateral: 12,415 − 4,600) = 66,000 + 24,830 + 48,000 + 31,260.
        #expect(input.count - quote.count == 7_815)
        #expect(lenient.requiredGas(input: input) == 170_090)
    }
}
