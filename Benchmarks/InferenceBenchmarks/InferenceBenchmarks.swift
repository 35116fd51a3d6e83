// Inference benchmarks: the packed int8 and float32 GEMMs on the digits MLP's shapes and a square
// 256 product, each int8 kernel this CPU runs on a square 512 product, and one evaluation of a
// 64→64→10 model on 360 samples. Run with `make bench`.
// The side-by-side comparison with OpenBLAS is Benchmarks/peers/gemm_openblas.py.
import Benchmark
import Inference

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2))

    var random = SplitMix64(seed: 1)
    for (m, k, n) in [(1797, 64, 128), (1797, 128, 10), (256, 256, 256)] {
        let shape = GEMMShape(rows: m, columns: n, depth: k)
        let a8 = (0..<(m * k)).map { _ in Int8(truncatingIfNeeded: random.next()) }
        let b8 = (0..<(k * n)).map { _ in Int8(truncatingIfNeeded: random.next()) }
        let af = a8.map { Float($0) }, bf = b8.map { Float($0) }
        Benchmark("GEMM int8 \(m)×\(k)·\(k)×\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(GEMM.multiply(a8, b8, shape: shape)) }
        }
        Benchmark("GEMM float32 \(m)×\(k)·\(k)×\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(GEMM.multiply(af, bf, shape: shape)) }
        }
    }

    // Every int8 kernel this CPU runs, side by side (the packed backends differ for int8 only).
    let square = GEMMShape(rows: 512, columns: 512, depth: 512)
    let a512 = (0..<(512 * 512)).map { _ in Int8(truncatingIfNeeded: random.next()) }
    let b512 = (0..<(512 * 512)).map { _ in Int8(truncatingIfNeeded: random.next()) }
    for backend in GEMMBackend.allCases where backend != .naive && backend != .packed && backend.isSupported {
        Benchmark("GEMM int8 512×512·512×512 \(backend.rawValue)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(GEMM.multiply(a512, b512, shape: square, backend: backend)) }
        }
    }

    let hidden = QuantizedDense(outputSize: 64, inputSize: 64,
                                weights: (0..<4096).map { _ in Int8(truncatingIfNeeded: random.next() % 255) },
                                bias: [Int32](repeating: 0, count: 64), multiplier: 1 << 30, shift: 8)
    let output = QuantizedDense(outputSize: 10, inputSize: 64,
                                weights: (0..<640).map { _ in Int8(truncatingIfNeeded: random.next() % 255) },
                                bias: [Int32](repeating: 0, count: 10), multiplier: 0, shift: 0)
    let model = try! QuantizedModel(inputSize: 64, layers: [.dense(hidden), .relu, .dense(output), .argmax])
    let dataset = try! Dataset(features: (0..<(360 * 64)).map { _ in Int8(random.next() % 17) },
                               labels: (0..<360).map { _ in UInt8(random.next() % 10) }, featureCount: 64)
    Benchmark("Evaluate 64→64→10 on 360 samples") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! model.evaluate(on: dataset)) }
    }
}
