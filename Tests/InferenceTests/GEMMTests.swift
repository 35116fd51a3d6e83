import Foundation
import Inference
import Testing

/// One suite over every GEMM backend: each must equal the naive reference exactly.
/// (A backend whose instructions the CPU lacks runs the baseline kernels; see `isSupported`. On an
/// AVX-512 VNNI machine every int8 kernel runs: AVX2, the 256-bit vpdpbusd one in its EVEX form,
/// the 512-bit vpdpbusd one and InferenceAVX512's vpdpwssd one.)
struct GEMMTests {
    static let packedBackends = GEMMBackend.allCases.filter { $0 != .naive }

    static func randomInt8(_ count: Int, _ random: inout SplitMix64) -> [Int8] {
        (0..<count).map { _ in Int8(truncatingIfNeeded: random.next()) }
    }

    static func randomFloat(_ count: Int, _ random: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in random.nextUnitFloat() * 2 - 1 }
    }

    @Test("int8 GEMM equals naive on random shapes and layouts", arguments: GEMMBackend.allCases)
    func int8RandomShapes(backend: GEMMBackend) {
        var random = SplitMix64(seed: 0x1001)
        for trial in 0..<60 {
            let shape = GEMMShape(rows: Int(random.next() % 40) + 1, columns: Int(random.next() % 40) + 1,
                                  depth: Int(random.next() % 300) + 1)
            let layoutA: MatrixLayout = random.next() & 1 == 0 ? .rowMajor : .transposed
            let layoutB: MatrixLayout = random.next() & 1 == 0 ? .rowMajor : .transposed
            let a = Self.randomInt8(shape.rows * shape.depth, &random)
            let b = Self.randomInt8(shape.depth * shape.columns, &random)
            let expected = GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: .naive)
            let actual = GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: backend)
            #expect(actual == expected, "trial \(trial): shape \(shape), layouts \(layoutA)/\(layoutB)")
        }
    }

    @Test("float GEMM equals naive bit for bit (same summation order)", arguments: GEMMBackend.allCases)
    func floatRandomShapes(backend: GEMMBackend) {
        var random = SplitMix64(seed: 0x2002)
        for trial in 0..<40 {
            let shape = GEMMShape(rows: Int(random.next() % 30) + 1, columns: Int(random.next() % 40) + 1,
                                  depth: Int(random.next() % 600) + 1)
            let layoutA: MatrixLayout = random.next() & 1 == 0 ? .rowMajor : .transposed
            let layoutB: MatrixLayout = random.next() & 1 == 0 ? .rowMajor : .transposed
            let a = Self.randomFloat(shape.rows * shape.depth, &random)
            let b = Self.randomFloat(shape.depth * shape.columns, &random)
            let expected = GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: .naive)
            let actual = GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: backend)
            #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern), "trial \(trial): shape \(shape)")
        }
    }

    static let edgeSizes = [1, 7, 64, 65, 1023]

    @Test("int8 GEMM equals naive at edge sizes in each dimension", arguments: packedBackends, edgeSizes)
    func int8EdgeSizes(backend: GEMMBackend, size: Int) {
        var random = SplitMix64(seed: UInt64(size))
        // Vary one dimension at a time; the other two stay small so the naive reference stays quick.
        for shape in [GEMMShape(rows: size, columns: 5, depth: 9), GEMMShape(rows: 5, columns: size, depth: 9),
                      GEMMShape(rows: 5, columns: 9, depth: size), GEMMShape(rows: min(size, 65), columns: min(size, 65), depth: min(size, 65))] {
            let a = Self.randomInt8(shape.rows * shape.depth, &random)
            let b = Self.randomInt8(shape.depth * shape.columns, &random)
            #expect(GEMM.multiply(a, b, shape: shape, backend: backend) == GEMM.multiply(a, b, shape: shape, backend: .naive),
                    "shape \(shape)")
        }
    }

    @Test("extreme int8 values give the exact extreme sums without overflow", arguments: [
        (Int8(-128), Int8(-128)), (Int8(127), Int8(127)), (Int8(-128), Int8(127)), (Int8(127), Int8(-128)),
    ])
    func int8Extremes(left: Int8, right: Int8) {
        // Depth 4096 is the GGM limit; 4096 · 16384 = 2^26 fits easily in int32.
        let shape = GEMMShape(rows: 7, columns: 17, depth: 4096)
        let a = [Int8](repeating: left, count: shape.rows * shape.depth)
        let b = [Int8](repeating: right, count: shape.depth * shape.columns)
        let expected = Int32(left) * Int32(right) * 4096
        for backend in GEMMBackend.allCases {
            #expect(GEMM.multiply(a, b, shape: shape, backend: backend) == [Int32](repeating: expected, count: 7 * 17))
        }
    }

    /// Each tile size in use (MR 6 and 12, NR 16, depth pairs and quads), its neighbours and
    /// sizes past the cache blocks (MC 120, KC 512 and 1024).
    static let tileEdgeShapes: [GEMMShape] = [
        GEMMShape(rows: 5, columns: 15, depth: 3), GEMMShape(rows: 6, columns: 16, depth: 4),
        GEMMShape(rows: 7, columns: 17, depth: 5), GEMMShape(rows: 11, columns: 31, depth: 6),
        GEMMShape(rows: 12, columns: 32, depth: 7), GEMMShape(rows: 13, columns: 33, depth: 9),
        GEMMShape(rows: 25, columns: 47, depth: 1_025), GEMMShape(rows: 121, columns: 3, depth: 1_026),
        GEMMShape(rows: 119, columns: 1, depth: 1), GEMMShape(rows: 1, columns: 49, depth: 2_051),
    ]

    @Test("int8 GEMM equals naive on matrices of the extreme values (all −128, all 127, mixed)",
          arguments: packedBackends)
    func int8ExtremeMatrices(backend: GEMMBackend) {
        var random = SplitMix64(seed: 0x3003)
        for shape in Self.tileEdgeShapes {
            let count = (a: shape.rows * shape.depth, b: shape.depth * shape.columns)
            let mixed = { (n: Int) in (0..<n).map { _ in random.next() & 1 == 0 ? Int8.min : Int8.max } }
            // Every pairing of −128 / 127 / mixed operands: A = 127 with B = −128 is where a
            // saturating u8 · s8 pair sum (vpmaddubsw with the +128 offset) would be wrong.
            let operands: [(String, [Int8], [Int8])] = [
                ("−128 · −128", .init(repeating: .min, count: count.a), .init(repeating: .min, count: count.b)),
                ("127 · 127", .init(repeating: .max, count: count.a), .init(repeating: .max, count: count.b)),
                ("127 · −128", .init(repeating: .max, count: count.a), .init(repeating: .min, count: count.b)),
                ("−128 · 127", .init(repeating: .min, count: count.a), .init(repeating: .max, count: count.b)),
                ("mixed", mixed(count.a), mixed(count.b)),
            ]
            for (name, a, b) in operands {
                for (layoutA, layoutB) in [(MatrixLayout.rowMajor, MatrixLayout.rowMajor), (.transposed, .transposed)] {
                    let expected = GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: .naive)
                    let actual = GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: backend)
                    #expect(actual == expected, "\(name), shape \(shape), layouts \(layoutA)/\(layoutB)")
                }
            }
        }
    }

    @Test("int8 GEMM equals naive at tile and block edges", arguments: packedBackends)
    func int8TileEdges(backend: GEMMBackend) {
        var random = SplitMix64(seed: 0x4004)
        for shape in Self.tileEdgeShapes {
            for (layoutA, layoutB) in [(MatrixLayout.rowMajor, MatrixLayout.transposed), (.transposed, .rowMajor)] {
                let a = Self.randomInt8(shape.rows * shape.depth, &random)
                let b = Self.randomInt8(shape.depth * shape.columns, &random)
                #expect(GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: backend)
                    == GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: .naive),
                    "shape \(shape), layouts \(layoutA)/\(layoutB)")
            }
        }
    }

    @Test("int8 sums past the exactness bound wrap as the naive kernel's do", arguments: packedBackends)
    func int8Wrapping(backend: GEMMBackend) {
        // 2 · 131,072 · 127 · 127 > 2³¹: the int32 sums wrap; every kernel must wrap identically
        // (the +128 offset's intermediate sums wrap earlier still, and must cancel exactly).
        let shape = GEMMShape(rows: 2, columns: 3, depth: 2 * 131_072 + 5)
        var random = SplitMix64(seed: 0x5005)
        let a = (0..<(shape.rows * shape.depth)).map { _ in random.next() % 8 == 0 ? Int8.min : Int8.max }
        let b = (0..<(shape.depth * shape.columns)).map { _ in random.next() % 8 == 0 ? Int8.min : Int8.max }
        #expect(GEMM.multiply(a, b, shape: shape, backend: backend) == GEMM.multiply(a, b, shape: shape, backend: .naive))
    }

    @Test("int8 depth at the exactness bound", arguments: GEMMBackend.allCases)
    func int8DepthBound(backend: GEMMBackend) {
        let shape = GEMMShape(rows: 1, columns: 1, depth: GEMM.maximumExactDepth)
        let a = [Int8](repeating: -128, count: shape.depth), b = [Int8](repeating: -128, count: shape.depth)
        #expect(GEMM.multiply(a, b, shape: shape, backend: backend) == [2_147_467_264])
    }

    @Test("int8 GEMM equals naive across cache-block boundaries (rows > MC, depth > KC, columns > NC)",
          arguments: packedBackends, [
              GEMMShape(rows: 250, columns: 19, depth: 1_031), GEMMShape(rows: 13, columns: 1_041, depth: 1_027),
              GEMMShape(rows: 121, columns: 33, depth: 513),
          ])
    func int8BlockBoundaries(backend: GEMMBackend, shape: GEMMShape) {
        var random = SplitMix64(seed: UInt64(shape.rows * 7 + shape.columns))
        for (layoutA, layoutB) in [(MatrixLayout.rowMajor, MatrixLayout.rowMajor), (.transposed, .transposed)] {
            let a = Self.randomInt8(shape.rows * shape.depth, &random)
            let b = Self.randomInt8(shape.depth * shape.columns, &random)
            #expect(GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: backend)
                == GEMM.multiply(a, layoutA: layoutA, b, layoutB: layoutB, shape: shape, backend: .naive),
                "shape \(shape), layouts \(layoutA)/\(layoutB)")
        }
    }

    @Test("results are identical for 1, 2 and 4 threads", arguments: packedBackends, [1, 2, 4])
    func threadCounts(backend: GEMMBackend, threads: Int) {
        var random = SplitMix64(seed: 77)
        let shape = GEMMShape(rows: 301, columns: 70, depth: 200)
        let a8 = Self.randomInt8(shape.rows * shape.depth, &random), b8 = Self.randomInt8(shape.depth * shape.columns, &random)
        let af = Self.randomFloat(shape.rows * shape.depth, &random), bf = Self.randomFloat(shape.depth * shape.columns, &random)
        #expect(GEMM.multiply(a8, b8, shape: shape, backend: backend, threadCount: threads)
            == GEMM.multiply(a8, b8, shape: shape, backend: .naive))
        #expect(GEMM.multiply(af, bf, shape: shape, backend: backend, threadCount: threads).map(\.bitPattern)
            == GEMM.multiply(af, bf, shape: shape, backend: .naive).map(\.bitPattern))
    }

    @Test("each SIMD kernel runs exactly where /proc/cpuinfo reports its features, and packed picks the fastest")
    func kernelAvailability() throws {
        // Linux lists a flag only when the CPU has it and the kernel enabled its register state,
        // an independent check of CInt8Kernels' CPUID/XGETBV reading.
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").map(String.init) ?? [])
        let has = { (names: [String]) in names.allSatisfy(flags.contains) }
        let cascadeLake = has(["avx2", "fma", "bmi1", "bmi2", "movbe", "avx512f", "avx512cd", "avx512bw",
                               "avx512dq", "avx512vl", "avx512_vnni"])
        #expect(GEMMBackend.packedAVX2.isSupported == has(["avx2"]))
        #expect(GEMMBackend.packedAVX512.isSupported == has(["avx512f", "avx512bw", "avx512_vnni"]))
        #expect(GEMMBackend.packedAVX512Pairs.isSupported == cascadeLake)
        #expect(GEMMBackend.packedAVXVNNI.isSupported == (has(["avx2", "avx_vnni"]) || cascadeLake))
        let pinned = ProcessInfo.processInfo.environment["GOLDENGRAIN_GEMM_KERNEL"] != nil
            || ProcessInfo.processInfo.environment["GOLDENGRAIN_GEMM_PORTABLE"] == "1"
        if !pinned {
            let expected: GEMMBackend = has(["avx512f", "avx512bw", "avx512_vnni"]) ? .packedAVX512
                : has(["avx2", "avx_vnni"]) ? .packedAVXVNNI : has(["avx2"]) ? .packedAVX2 : .packedPortable
            #expect(GEMMBackend.packedInt8Kernel == expected)
        }
        #else
        #expect(!GEMMBackend.packedAVX512.isSupported && !GEMMBackend.packedAVX2.isSupported)
        #endif
        #expect(GEMMBackend.packedPortable.isSupported && GEMMBackend.packed.isSupported)
    }

    @Test("a 2×3 times 3×2 product")
    func smallExample() {
        let shape = GEMMShape(rows: 2, columns: 2, depth: 3)
        let a: [Int8] = [1, 2, 3, 4, 5, 6]
        let expected: [Int32] = [58, 64, 139, 154]
        #expect(GEMM.multiply(a, [7, 8, 9, 10, 11, 12] as [Int8], shape: shape) == expected)
        #expect(GEMM.multiply(a.map(Float.init), [7, 8, 9, 10, 11, 12] as [Float], shape: shape) == expected.map(Float.init))
        #expect(GEMM.multiply(a, [7, 9, 11, 8, 10, 12] as [Int8], layoutB: .transposed, shape: shape) == expected)
    }
}
