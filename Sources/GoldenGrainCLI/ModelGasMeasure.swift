import ArgumentParser
import Dispatch
import EVM
import Inference
import Primitives
import Signatures

/// `goldengrain model gas-measure` (hidden): prices INFERENCE_EVAL against ecrecover in one release
/// process, for docs/gas.md. ecrecover costs 3000 gas; an input's fair price is
/// 3000 × (its run time / ecrecover's run time).
struct ModelGasMeasure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gas-measure",
        abstract: "Measure INFERENCE_EVAL run times in ecrecover-equivalent gas and compare with the schedule.",
        shouldDisplay: false
    )

    @Option(help: "The GGM model to price.")
    var model = "Examples/models/digits-h64.ggm"
    @Option(help: "Dataset directory.")
    var dataset = ModelFiles.defaultDataset

    func run() throws {
        let key = try PrivateKey(bytes: [UInt8](repeating: 0x11, count: 32))
        let digest = Keccak256.hash(Array("GoldenGrain gas yardstick".utf8))
        let signature = key.sign(hash: digest)
        let ecrecover = median(repetitions: 2000) { _ = try? signature.recoverAddress(from: digest) }
        print(String(format: "ecrecover: %.2f µs = 3000 gas, so 1 gas = %.2f ns", ecrecover * 1e6, ecrecover * 1e9 / 3000))

        let quantized = try QuantizedModel(bytes: ModelFiles.read(model))
        let test = try ModelFiles.dataset(dataset, split: "test")
        let precompile = InferencePrecompile()
        let context = PrecompileContext(blockNumber: 1, timestamp: 0, chainId: 31337)
        print("samples  MACs        bytes    measured µs  fair gas   charged gas  charged/fair")
        for count in [1, 10, 100, 360] {
            let input = InferencePrecompile.input(model: quantized, dataset: test.samples(0..<count))
            let seconds = median(repetitions: count >= 100 ? 50 : 500) { _ = precompile.run(input: input, context: context) }
            let fair = 3000 * seconds / ecrecover
            let charged = precompile.requiredGas(input: input)
            let macs = count * quantized.multiplyAccumulatesPerSample
            print(String(format: "%7d  %10d  %7d  %11.1f  %9.0f  %11d  %.2f", count, macs, input.count, seconds * 1e6,
                         fair, charged, Double(charged) / fair))
        }
    }

    private func median(repetitions: Int, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }
}
