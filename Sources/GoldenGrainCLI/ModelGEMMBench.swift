import ArgumentParser
import Foundation
import Inference

/// `goldengrain model gemm-bench` (hidden): times the packed int8 and float32 GEMMs for
/// Benchmarks/peers/gemm_openblas.py, one JSON line per shape.
struct ModelGEMMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm-bench",
        abstract: "Time the packed GEMMs (JSON lines: shape, int8 GOPS, float32 GFLOPS).",
        shouldDisplay: false
    )

    @Option(help: "Shapes as MxKxN, comma-separated (A is M×K, B is K×N).")
    var shapes = "64x64x64,128x128x128,256x256x256,512x512x512,1024x1024x1024,1797x64x128,1797x128x10"
    @Option(help: "Threads.")
    var threads = 1
    @Option(help: "Minimum seconds of timing per shape and kernel.")
    var seconds = 0.5

    func run() throws {
        var random = SplitMix64(seed: 7)
        for text in shapes.split(separator: ",") {
            let sizes = text.split(separator: "x").compactMap { Int($0) }
            guard sizes.count == 3 else { throw ValidationError("shape \(text) is not MxKxN") }
            let shape = GEMMShape(rows: sizes[0], columns: sizes[2], depth: sizes[1])
            let a8 = (0..<(shape.rows * shape.depth)).map { _ in Int8(truncatingIfNeeded: random.next()) }
            let b8 = (0..<(shape.depth * shape.columns)).map { _ in Int8(truncatingIfNeeded: random.next()) }
            let af = a8.map { Float($0) / 128 }, bf = b8.map { Float($0) / 128 }
            let operations = 2 * Double(shape.multiplyAccumulateCount)
            let int8Rate = operations / best(seconds) { _ = GEMM.multiply(a8, b8, shape: shape, threadCount: threads) } / 1e9
            let floatRate = operations / best(seconds) { _ = GEMM.multiply(af, bf, shape: shape, threadCount: threads) } / 1e9
            print("{\"m\":\(shape.rows),\"k\":\(shape.depth),\"n\":\(shape.columns),\"threads\":\(threads),"
                + "\"int8GOPS\":\(String(format: "%.2f", int8Rate)),\"float32GFLOPS\":\(String(format: "%.2f", floatRate))}")
        }
    }

    /// The fastest of repeated runs, in seconds, repeating for at least `budget` seconds.
    private func best(_ budget: Double, _ body: () -> Void) -> Double {
        body()
        var fastest = Double.infinity, spent = 0.0
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            fastest = min(fastest, elapsed)
            spent += elapsed
        } while spent < budget
        return fastest
    }
}
