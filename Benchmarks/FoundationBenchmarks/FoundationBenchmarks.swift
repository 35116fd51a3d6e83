// Foundation benchmarks: Keccak-256 throughput, UInt256 arithmetic (allocation-free by design: the
// malloc counters must read 0), secp256k1 recovery and trie building. Run with `make bench`.
import Benchmark
import Primitives
import Signatures
import Storage
import Trie

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

    // MARK: Merkle Patricia Trie

    // 100k random 32-byte keys with 32-byte values, from a fixed SplitMix64 seed.
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
        seed &+= 0x9E37_79B9_7F4A_7C15
        var z = seed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let entries: [([UInt8], [UInt8])] = (0..<100_000).map { _ in
        (Hash32(words: next(), next(), next(), next()).bytes, Hash32(words: next(), next(), next(), next()).bytes)
    }
    Benchmark("Trie insert 100k random keys + root", configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let trie = MerklePatriciaTrie(store: MemoryStore())
            for (key, value) in entries { try? trie.insert(value, forKey: key) }
            blackHole(trie.rootHash())
        }
    }
}

/// Hides a value from the optimiser so constant operands are not folded away.
@inline(never) func blackHoleIdentity<T>(_ value: T) -> T { value }
