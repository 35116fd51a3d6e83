// Attestation benchmarks: SGX DCAP v3 quote verification (real Intel quotes and a SIMULATED
// quote) beside secp256k1 ecrecover, the 3000-gas yardstick of the ATTESTATION_VERIFY precompile
// (docs/gas.md). Real quotes are read in place from ../shared/vectors/sgx. Run with `make bench`.
import Attestation
import Benchmark
import EVM
import Foundation
import Primitives
import Signatures

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    // MARK: ecrecover (the yardstick: 3000 gas)

    let key = try! PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32))
    let digest = Keccak256.hash(Array("GoldenGrain".utf8))
    let signature = key.sign(hash: digest)
    Benchmark("ecrecover (secp256k1 recover address)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? signature.recoverAddress(from: digest))
        }
    }

    // MARK: quote verification at 2026-01-01, inside every certificate's validity

    let time: UInt64 = 1_767_225_600
    let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors/sgx")
    let simulated = SimulatedCertificateAuthority.standard
    var roots = [simulated.trustedRoot]
    if let der = FileManager.default.contents(atPath: vectors.appendingPathComponent("intel_sgx_root_ca.der").path),
       let intel = try? TrustedRoot(der: [UInt8](der)) {
        roots.append(intel)
    }
    let precompile = AttestationPrecompile(trustedRoots: roots)
    let context = PrecompileContext(blockNumber: 1, timestamp: time, chainId: 31337)

    for folder in ["phala_sgx_v3", "automata_sgx_v3", "automata_solana_sgx_v3"] {
        guard let data = FileManager.default.contents(atPath: vectors.appendingPathComponent("\(folder)/quote.bin").path) else {
            continue
        }
        let quote = [UInt8](data)
        Benchmark("verify real SGX quote \(folder) (\(quote.count) B)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(precompile.run(input: quote, context: context))
            }
        }
    }

    let simulatedQuote = SimulatedEnclave(signingKey: key).registrationQuote()
    Benchmark("verify SIMULATED quote (\(simulatedQuote.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(precompile.run(input: simulatedQuote, context: context))
        }
    }
}
