import Attestation
import EVM
import Foundation
import FuzzSupport
import Primitives

// SGX DCAP v3 quotes (Attestation): the structure parser, the verifier and ATTESTATION_VERIFY.
//
// - `Quote(bytes:)` is strict (exact lengths, no trailing bytes), so an accepted quote re-serializes
//   to the input; its certificate summaries parse or throw.
// - `QuoteVerifier.verify` trusts the simulated root and, when ../shared/vectors/sgx is present, the
//   Intel SGX Root CA (read in place), at 2026-01-01 (inside both chains' validity). A verified
//   quote must parse, and its result must carry the parsed ISV report's fields.
// - The precompile returns exactly the verified result's 320 bytes (its 8 words, then TCB status
//   0 and issue date 0: a quote alone, no collateral), or empty output.
// - Input that looks like PEM is also read as a trusted root (what a genesis file supplies).
//
// Seeds: simulated quotes (production, debug, the marketplace binding); the real quotes in
// ../shared/vectors/sgx are added in place by scripts/fuzz.sh.

@main
enum FuzzDCAP {
    static func main() { Fuzz.main(test: fuzzDCAP, seeds: dcapSeeds) }
}

let verificationTime: UInt64 = 1_767_225_600

let trustedRoots: [TrustedRoot] = {
    var roots = [SimulatedCertificateAuthority.standard.trustedRoot]
    let intel = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/vectors/sgx/intel_sgx_root_ca.der").standardizedFileURL
    if let der = try? Data(contentsOf: intel), let root = try? TrustedRoot(der: Array(der)) { roots.append(root) }
    return roots
}()

let verifier = QuoteVerifier(trustedRoots: trustedRoots)
let precompile = AttestationPrecompile(trustedRoots: trustedRoots)

func fuzzDCAP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    let parsed = try? Quote(bytes: input)
    if let parsed {
        Fuzz.check(parsed.bytes == input, "Quote(bytes:).bytes differs from the input (\(input.count) bytes)")
        _ = try? parsed.certificateSummaries()
    }
    let verified = try? verifier.verify(input, at: verificationTime)
    if let verified {
        guard let parsed else {
            Fuzz.check(false, "verify accepted a quote that Quote(bytes:) rejects")
            return 0
        }
        let report = parsed.isvReport
        Fuzz.check(verified.mrEnclave == report.mrEnclave && verified.mrSigner == report.mrSigner
                   && verified.isvProdID == report.isvProdID && verified.isvSVN == report.isvSVN
                   && verified.reportData == report.reportData && verified.attributesFlags == report.attributesFlags,
                   "the verified fields differ from the parsed ISV report")
        Fuzz.check(trustedRoots.contains { $0.sha256 == verified.rootKeyHash }, "rootKeyHash \(verified.rootKeyHash) is not a trusted root")
    }
    let context = PrecompileContext(blockNumber: 1, timestamp: verificationTime, chainId: 31_337)
    let output = precompile.run(input: input, context: context)
    Fuzz.check(output == .success(verified.map(AttestationPrecompile.output) ?? []), "the precompile's output differs from the verifier's result")
    _ = precompile.requiredGas(input: input)
    if input.starts(with: Array("-----BEGIN".utf8)) {
        _ = try? TrustedRoot(pem: String(decoding: input, as: UTF8.self))
    }
    return 0
}

func dcapSeeds() -> [(name: String, bytes: [UInt8])] {
    let production = SimulatedEnclave.dev
    let debug = SimulatedEnclave(signingKey: SimulatedEnclave.devEnclaveKey, isDebug: true)
    let marketplace = Address(high: 0, middle: 0, low: 0x2000)
    return [
        (name: "simulated-registration", bytes: production.registrationQuote()),
        (name: "simulated-debug", bytes: debug.registrationQuote()),
        (name: "simulated-marketplace", bytes: production.marketplaceQuote(chainId: 31_337, marketplace: marketplace)),
        (name: "simulated-root-pem", bytes: Array(SimulatedCertificateAuthority.standard.rootPEM.utf8)),
    ]
}
