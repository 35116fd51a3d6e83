// Foundation benchmarks: Keccak-256 throughput, UInt256 arithmetic (allocation-free by design: the
// malloc counters must read 0), secp256k1 recovery and trie building. Run with `make bench`.
import Benchmark
import Primitives
import Signatures

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    // MARK: Keccak-256

    let word = [UInt8](repeating: 0xab, count: 32)
    Benchmark("Keccak-256 32 B", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Keccak256.hash(word))
        }
    }

    let mebibyte = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0) }
    Benchmark("Keccak-256 1 MiB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Keccak256.hash(mebibyte))
        }
    }

    // MARK: UInt256 (operands are full-width so no fast path hides the general case)

    let a = UInt256(words: 0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0x0f1e_2d3c_4b5a_6978, 0x8796_a5b4_c3d2_e1f0)
    let b = UInt256(words: 0x1111_2222_3333_4444, 0x5555_6666_7777_8888, 0x9999_aaaa_bbbb_cccc, 0x0000_0000_dddd_eeee)
    let m = UInt256(words: 0xffff_0000_ffff_0001, 0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321, 0x7fff_ffff_0000_0001)

    Benchmark("UInt256 mul", configuration: .init(scalingFactor: .mega)) { benchmark in
        var x = a
        for _ in benchmark.scaledIterations { x = x &* b; blackHole(x) }
    }
    Benchmark("UInt256 div", configuration: .init(scalingFactor: .mega)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(blackHoleIdentity(a).quotient(dividingBy: b)) }
    }
    Benchmark("UInt256 mulmod", configuration: .init(scalingFactor: .mega)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(UInt256.mulMod(blackHoleIdentity(a), b, m)) }
    }
    Benchmark("UInt256 exp (256-bit exponent)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(blackHoleIdentity(b).power(a)) }
    }

    // MARK: secp256k1

    let key = try! PrivateKey(bytes: [UInt8](repeating: 0x46, count: 32))
    let digest = Keccak256.hash(Array("GoldenGrain".utf8))
    let signature = key.sign(hash: digest)
    Benchmark("secp256k1 recover address") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? signature.recoverAddress(from: digest))
        }
    }
}

/// Hides a value from the optimiser so constant operands are not folded away.
@inline(never) func blackHoleIdentity<T>(_ value: T) -> T { value }
