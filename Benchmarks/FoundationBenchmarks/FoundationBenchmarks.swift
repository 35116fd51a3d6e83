// Primitives benchmarks: Keccak-256 throughput and UInt256 arithmetic (allocation-free by design:
// the malloc counters must read 0). Run with `make bench`.
import Benchmark
import Primitives

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    let word = [UInt8](repeating: 0xab, count: 32)
    Benchmark("Keccak-256 32 B", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Keccak256.hash(word))
        }
    }

    let mebibyte = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0) }
    Benchmark("Keccak-256 1 MiB", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Keccak256.hash(mebibyte))
        }
    }
}
