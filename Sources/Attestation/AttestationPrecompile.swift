import EVM
import Primitives

/// ATTESTATION_VERIFY, the precompile at 0x0000000000000000000000000000000000001000 (DESIGN.md §6).
///
/// Input: a raw Intel SGX DCAP v3 quote, optionally followed by its collateral in the on-chain
/// layout (`quote ‖ collateral`, docs/formats.md "Collateral on chain"; the quote's own length is
/// 436 + its signature data length). Output: the ABI encoding of (bytes32 mrEnclave, bytes32
/// mrSigner, uint16 isvProdId, uint16 isvSvn, bytes32 reportData0, bytes32 reportData1, bytes32
/// rootKeyHash, uint64 attributesFlags, uint8 tcbStatus, uint64 collateralIssueDate), 10 words =
/// 320 bytes, or EMPTY output if the quote fails any check or the genesis policy refuses it.
/// tcbStatus is `TCBStatus.code` (1 UpToDate … 7 Revoked) and collateralIssueDate the earliest
/// issue date of the collateral (Unix seconds); both are 0 for a quote alone. attributesFlags is
/// the ISV report's ATTRIBUTES flags (DEBUG is bit 1, 0x2): a debug enclave verifies, and a
/// contract that must not trust one rejects it itself. A failing quote is a success with empty
/// output, not a failure, so a contract can test `returndatasize() == 0` and revert with its own
/// reason while keeping its remaining gas. The first 8 words are what they were before collateral,
/// so a contract that reads 256 bytes keeps working.
///
/// Policy (`AttestationPolicy`, from the genesis): with collateral, the combined TCB status must be
/// one the policy accepts; without, the quote verifies only if the policy does not require
/// collateral.
///
/// Certificate, CRL and collateral validity is checked at `context.timestamp` (the block's
/// timestamp), never the wall clock, so every node computes the same output. The trusted roots
/// come from the genesis `goldengrain` section.
///
/// Gas: `baseGas + perByteGas × input length`, plus `collateralGas + collateralPerByteGas ×
/// collateral length` when collateral follows the quote (docs/gas.md has the measurements behind
/// it, with ecrecover = 3000 gas as the yardstick): the simulated registration with the simulated
/// collateral (6,759 bytes) costs 139,390 gas, phala_sgx_v3 with Intel's collateral (12,415 bytes)
/// 170,090.
/// An input of any length is charged before it is parsed, so a longer input pays for its bytes
/// and gets empty output.
public struct AttestationPrecompile: Precompile {
    /// 0x0000000000000000000000000000000000001000.
    public static let address = Address(high: 0, middle: 0, low: 0x1000)

    /// The fixed part of the gas: the signature and certificate checks, which do not depend on length.
    public static let baseGas: UInt64 = 66_000
    /// The gas per input byte: copying, hashing and PEM/DER/JSON parsing.
    public static let perByteGas: UInt64 = 2
    /// The extra fixed gas when collateral follows the quote: the TCB Signing chain, two document
    /// signatures, two CRL signatures, the PCK extensions and the TCB evaluation.
    public static let collateralGas: UInt64 = 48_000
    /// The extra gas per collateral byte (on top of `perByteGas`): JSON, DER and CRL parsing.
    public static let collateralPerByteGas: UInt64 = 4
    /// The output length of an accepted quote: 10 ABI words.
    public static let outputSize = 320

    /// The verifier, holding the trusted roots.
    public let verifier: QuoteVerifier
    /// Which TCB statuses are accepted, and whether collateral is required.
    public let policy: AttestationPolicy

    /// Creates the precompile with trusted roots.
    /// - Parameters:
    ///   - trustedRoots: the roots a quote's PCK chain (and a collateral's TCB Signing chain) may end in.
    ///   - policy: the genesis policy; by default UpToDate and SWHardeningNeeded, collateral optional.
    public init(trustedRoots: [TrustedRoot], policy: AttestationPolicy = AttestationPolicy()) {
        self.verifier = QuoteVerifier(trustedRoots: trustedRoots)
        self.policy = policy
    }

    /// Creates the precompile from pinned roots as a genesis file lists them: each root's SHA-256
    /// and its DER.
    /// - Parameters:
    ///   - pinnedRoots: hash and DER of each trusted root.
    ///   - policy: the genesis policy.
    /// - Throws: `AttestationError.invalidTrustedRoot` or `.trustedRootHashMismatch` if a DER does
    ///   not parse or does not hash to its pinned value.
    public init(pinnedRoots: [(sha256: Hash32, der: [UInt8])], policy: AttestationPolicy = AttestationPolicy()) throws(AttestationError) {
        var roots: [TrustedRoot] = []
        for pinned in pinnedRoots {
            roots.append(try TrustedRoot(der: pinned.der, expectedSHA256: pinned.sha256))
        }
        self.init(trustedRoots: roots, policy: policy)
    }

    /// The gas for an input of `length` bytes without collateral: `baseGas + perByteGas × length`.
    /// - Parameter length: the input length in bytes.
    /// - Returns: the gas, saturating at `UInt64.max`.
    public static func gas(forInputLength length: Int) -> UInt64 {
        let (perByte, overflow) = perByteGas.multipliedReportingOverflow(by: UInt64(length))
        let (total, overflow2) = baseGas.addingReportingOverflow(perByte)
        return overflow || overflow2 ? UInt64.max : total
    }

    /// The gas for an input: `baseGas + perByteGas × length`, plus `collateralGas +
    /// collateralPerByteGas × c` if c > 0 bytes follow the quote the input starts with (whose length
    /// is 436 + the u32 at offset 432), i.e. the input carries collateral.
    /// - Parameter input: the call data.
    /// - Returns: the gas, saturating at `UInt64.max`.
    public static func gas(forInput input: [UInt8]) -> UInt64 {
        let plain = gas(forInputLength: input.count)
        let collateral = collateralLength(input)
        guard collateral > 0 else { return plain }
        let (perByte, overflow) = collateralPerByteGas.multipliedReportingOverflow(by: collateral)
        let (extra, overflow2) = collateralGas.addingReportingOverflow(perByte)
        let (total, overflow3) = plain.addingReportingOverflow(extra)
        return overflow || overflow2 || overflow3 ? UInt64.max : total
    }

    /// How many bytes follow the quote that starts `input` (read from its signature data length only;
    /// 0 if the input is too short to say, or the quote claims more than the input holds).
    static func collateralLength(_ input: [UInt8]) -> UInt64 {
        guard input.count >= QuoteLayout.signatureDataOffset else { return 0 }
        let declared = input.littleEndian(at: QuoteLayout.signatureDataLengthOffset, as: UInt32.self)
        let quoteLength = UInt64(QuoteLayout.signatureDataOffset) + UInt64(declared)
        return UInt64(input.count) > quoteLength ? UInt64(input.count) - quoteLength : 0
    }

    /// The gas this input costs (`gas(forInput:)`).
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        Self.gas(forInput: input)
    }

    /// Verifies the quote (and its collateral, if any) at the block's timestamp and applies the policy.
    /// - Parameters:
    ///   - input: the raw quote, optionally followed by collateral in the on-chain layout.
    ///   - context: the block; only `timestamp` is read.
    /// - Returns: `.success` with 320 bytes for an accepted quote, `.success([])` for any rejected one.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        do {
            return .success(try evaluate(input, at: context.timestamp).output)
        } catch {
            return .success([])
        }
    }

    /// What the precompile concludes about an input, for callers that want the reason of a refusal
    /// (tests, the CLI): the verified quote and the 320-byte output, or the error.
    /// - Parameters:
    ///   - input: `quote` or `quote ‖ collateral`.
    ///   - time: the block timestamp.
    /// - Returns: the verified quote and the output words.
    /// - Throws: `AttestationPrecompileRefusal.verification` with the failing check's error, or
    ///   `.policy` with the policy's reason.
    public func evaluate(_ input: [UInt8], at time: UInt64) throws(AttestationPrecompileRefusal) -> (verified: VerifiedQuote, output: [UInt8]) {
        let verified: VerifiedQuote
        do {
            let (quote, collateral) = try Collateral.splitPrecompileInput(input)
            if let collateral {
                verified = try verifier.verify(quote, collateral: collateral, at: time)
            } else {
                verified = try verifier.verify(quote, at: time)
            }
        } catch {
            throw .verification(error)
        }
        if let reason = policy.refusal(of: verified.tcb) { throw .policy(reason) }
        return (verified, Self.output(verified))
    }

    /// The 10 output words of an accepted quote: `VerifiedQuote.abiEncoded` (8 words), then the TCB
    /// status code and the collateral issue date (uint64; negative dates, before 1970, as 0).
    public static func output(_ verified: VerifiedQuote) -> [UInt8] {
        func word(_ value: UInt64) -> [UInt8] {
            [UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
        }
        let status = UInt64(verified.tcb?.status.code ?? 0)
        let issueDate = UInt64(clamping: max(0, verified.tcb?.collateralIssueDate ?? 0))
        return verified.abiEncoded + word(status) + word(issueDate)
    }
}

/// Why ATTESTATION_VERIFY returned empty output.
public enum AttestationPrecompileRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input failed a check of the verifier (including the collateral layout).
    case verification(AttestationError)
    /// The quote verified but the genesis policy refuses it.
    case policy(String)

    public var description: String {
        switch self {
        case .verification(let error): "rejected by the \(error.check?.description ?? "input") check: \(error)"
        case .policy(let reason): "refused by the policy: \(reason)"
        }
    }
}
