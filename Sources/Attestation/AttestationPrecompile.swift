import EVM
import Primitives

/// ATTESTATION_VERIFY, the precompile at 0x0000000000000000000000000000000000001000 (DESIGN.md §6).
///
/// Input: a raw Intel SGX DCAP v3 quote. Output: the ABI encoding of (bytes32 mrEnclave,
/// bytes32 mrSigner, uint16 isvProdId, uint16 isvSvn, bytes32 reportData0, bytes32 reportData1,
/// bytes32 rootKeyHash, uint64 attributesFlags), 8 words = 256 bytes, or EMPTY output if the quote
/// fails any check. attributesFlags is the ISV report's ATTRIBUTES flags (DEBUG is bit 1, 0x2): a
/// debug enclave verifies, and a contract that must not trust one rejects it itself. A
/// failing quote is a success with empty output, not a failure, so a contract can test
/// `returndatasize() == 0` and revert with its own reason while keeping its remaining gas.
///
/// Certificate validity is checked at `context.timestamp` (the block's timestamp), never the wall
/// clock, so every node computes the same output. The trusted roots come from the genesis
/// `goldengrain` section.
///
/// Gas: `baseGas + perByteGas × input length` (docs/gas.md has the measurement behind it, with
/// ecrecover = 3000 gas as the yardstick): a 4,600-byte real quote costs 75,200 gas, and the
/// largest quote the structure check accepts (16,384 bytes) 98,768. An input of any length is
/// charged before it is parsed, so a longer input pays for its bytes and gets empty output.
public struct AttestationPrecompile: Precompile {
    /// 0x0000000000000000000000000000000000001000.
    public static let address = Address(high: 0, middle: 0, low: 0x1000)

    /// The fixed part of the gas: the signature and certificate checks, which do not depend on length.
    public static let baseGas: UInt64 = 66_000
    /// The gas per input byte: copying, hashing and PEM/DER parsing.
    public static let perByteGas: UInt64 = 2

    /// The verifier, holding the trusted roots.
    public let verifier: QuoteVerifier

    /// Creates the precompile with trusted roots.
    /// - Parameter trustedRoots: the roots a quote's PCK chain may end in.
    public init(trustedRoots: [TrustedRoot]) {
        self.verifier = QuoteVerifier(trustedRoots: trustedRoots)
    }

    /// Creates the precompile from pinned roots as a genesis file lists them: each root's SHA-256
    /// and its DER.
    /// - Parameter pinnedRoots: hash and DER of each trusted root.
    /// - Throws: `AttestationError.invalidTrustedRoot` or `.trustedRootHashMismatch` if a DER does
    ///   not parse or does not hash to its pinned value.
    public init(pinnedRoots: [(sha256: Hash32, der: [UInt8])]) throws(AttestationError) {
        var roots: [TrustedRoot] = []
        for pinned in pinnedRoots {
            roots.append(try TrustedRoot(der: pinned.der, expectedSHA256: pinned.sha256))
        }
        self.init(trustedRoots: roots)
    }

    /// The gas for an input of `length` bytes: `baseGas + perByteGas × length`.
    /// - Parameter length: the input length in bytes.
    /// - Returns: the gas, saturating at `UInt64.max`.
    public static func gas(forInputLength length: Int) -> UInt64 {
        let (perByte, overflow) = perByteGas.multipliedReportingOverflow(by: UInt64(length))
        let (total, overflow2) = baseGas.addingReportingOverflow(perByte)
        return overflow || overflow2 ? UInt64.max : total
    }

    /// The gas this input costs: `baseGas + perByteGas × input.count`.
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        Self.gas(forInputLength: input.count)
    }

    /// Verifies the quote at the block's timestamp.
    /// - Parameters:
    ///   - input: the raw quote.
    ///   - context: the block; only `timestamp` is read.
    /// - Returns: `.success` with 256 bytes for a verified quote, `.success([])` for any rejected one.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        do {
            return .success(try verifier.verify(input, at: context.timestamp).abiEncoded)
        } catch {
            return .success([])
        }
    }
}
