import EVM
import FuzzSupport
import Inference
import Primitives

// GGM, GGF and GGD files and INFERENCE_EVAL's input (Inference; docs/formats.md).
//
// - Each strict parser (GGM, GGF, GGD) that accepts the input re-serializes it to the same bytes
//   (the formats say so: "every accepted file re-serializes to itself").
// - The precompile: `requiredGas` is UInt64.max exactly when the frame is malformed, and then
//   evaluation must fail; a cheap well-formed input is evaluated and `run` returns its result.
// - The input as a recipe for a small model: parse(bytes(x)) == x, and the logits do not depend on
//   the thread count (DESIGN.md §7: bit-exact across thread counts).
//
// Seeds: encoder-made models, datasets and precompile inputs; Examples/models and Examples/digits
// are added in place by scripts/fuzz.sh.

@main
enum FuzzInference {
    static func main() { Fuzz.main(test: fuzzInference, seeds: inferenceSeeds) }
}

/// The most gas an input may cost for the target to evaluate it (about a million multiply-accumulates).
let evaluationGasLimit: UInt64 = 20_000

func fuzzInference(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    if let model = try? QuantizedModel(bytes: input) {
        Fuzz.check(model.bytes == input, "GGM: bytes(parse(b)) != b (\(input.count) bytes)")
        _ = model.hash
        _ = model.classCount
    }
    if let model = try? FloatModel(bytes: input) {
        Fuzz.check(model.bytes == input, "GGF: bytes(parse(b)) != b (\(input.count) bytes)")
    }
    if let dataset = try? Dataset(bytes: input) {
        Fuzz.check(dataset.bytes == input, "GGD: bytes(parse(b)) != b (\(input.count) bytes)")
    }
    checkPrecompile(input)

    var reader = FuzzReader(input)
    if let model = model(from: &reader) {
        do {
            let parsed = try QuantizedModel(bytes: model.bytes)
            Fuzz.check(parsed == model, "GGM: parse(bytes(x)) != x")
        } catch {
            Fuzz.check(false, "GGM: the parser rejects the writer's model: \(error)")
        }
        let samples = 1 + Int(reader.byte() % 3)
        let features = (0 ..< samples * model.inputSize).map { _ in Int8(bitPattern: reader.byte()) }
        let single = model.logits(for: features, sampleCount: samples, threadCount: 1)
        let threaded = model.logits(for: features, sampleCount: samples, threadCount: 3)
        Fuzz.check(single == threaded, "logits differ between 1 and 3 threads")
    }
    return 0
}

func checkPrecompile(_ input: [UInt8]) {
    let precompile = InferencePrecompile()
    let gas = precompile.requiredGas(input: input)
    if gas == .max {
        let result = Result { () throws(InferenceError) in try InferencePrecompile.evaluate(input: input) }
        if case .success = result { Fuzz.check(false, "requiredGas says the frame is malformed, but evaluation succeeded") }
        return
    }
    guard gas <= evaluationGasLimit else { return }
    let context = PrecompileContext(blockNumber: 1, timestamp: 1, chainId: 31_337)
    let output = precompile.run(input: input, context: context)
    switch Result(catching: { () throws(InferenceError) in try InferencePrecompile.evaluate(input: input) }) {
    case .success(let result):
        Fuzz.check(result.correct <= result.total, "\(result.correct) correct of \(result.total)")
        guard case .success(let bytes) = output else {
            Fuzz.check(false, "evaluate succeeded but run failed: \(output)")
            return
        }
        Fuzz.check(bytes.count == 96 && Array(bytes[64...]) == result.logitsHash.bytes, "run's output differs from evaluate's result")
    case .failure:
        if case .success = output { Fuzz.check(false, "evaluate failed but run succeeded") }
    }
}

/// A small valid model from the input: 1–3 Dense layers of 1–16 units, ReLU or not between them.
func model(from reader: inout FuzzReader) -> QuantizedModel? {
    let inputSize = 1 + Int(reader.byte() % 16)
    let denseCount = 1 + Int(reader.byte() % 3)
    var layers: [QuantizedLayer] = []
    var produced = inputSize
    for index in 0 ..< denseCount {
        let isLast = index == denseCount - 1
        let outputs = 1 + Int(reader.byte() % 16)
        let weights = (0 ..< outputs * produced).map { _ in Int8(bitPattern: reader.byte()) }
        let bias = (0 ..< outputs).map { _ in Int32(truncatingIfNeeded: reader.uint64(byteCount: 4)) >> Int32(reader.byte() % 32) }
        let multiplier = isLast ? 0 : Int32(1 << 30) + Int32(truncatingIfNeeded: reader.uint64(byteCount: 4) & 0x3fff_ffff)
        let shift = isLast ? 0 : reader.byte() % 32
        layers.append(.dense(QuantizedDense(outputSize: outputs, inputSize: produced, weights: weights, bias: bias,
                                            multiplier: multiplier, shift: shift)))
        if !isLast && reader.byte() & 1 == 0 { layers.append(.relu) }
        produced = outputs
    }
    layers.append(.argmax)
    return try? QuantizedModel(inputSize: inputSize, layers: layers)
}

func inferenceSeeds() -> [(name: String, bytes: [UInt8])] {
    var random = SeedRandom(seed: 0x4747_4d31)
    func int8s(_ count: Int) -> [Int8] { random.bytes(count).map { Int8(bitPattern: $0) } }
    do {
        let hidden = QuantizedDense(outputSize: 6, inputSize: 4, weights: int8s(24), bias: [1, -2, 3, -4, 5, -6],
                                    multiplier: 1_518_500_250, shift: 7)
        let output = QuantizedDense(outputSize: 3, inputSize: 6, weights: int8s(18), bias: [0, 100, -100], multiplier: 0, shift: 0)
        let small = try QuantizedModel(inputSize: 4, layers: [.dense(hidden), .relu, .dense(output), .argmax])
        let linear = try QuantizedModel(inputSize: 4, layers: [.dense(QuantizedDense(outputSize: 2, inputSize: 4, weights: int8s(8),
                                                                                       bias: [0, 0], multiplier: 0, shift: 0)), .argmax])
        let dataset = try Dataset(features: int8s(5 * 4), labels: [0, 1, 2, 1, 0], featureCount: 4)
        let floatModel = try FloatModel(inputSize: 4, inputScale: 1.0 / 16, layers: [
            .dense(FloatDense(outputSize: 3, inputSize: 4, weights: (0 ..< 12).map { Float($0) / 7 - 0.5 }, bias: [0.25, -0.5, 1])),
            .relu, .dense(FloatDense(outputSize: 2, inputSize: 3, weights: [1, -1, 0.5, -0.5, 2, -2], bias: [0, 0])), .argmax,
        ])
        var recipe: [UInt8] = [3, 1, 4, 2]
        recipe += random.bytes(200)
        return [
            (name: "ggm-small", bytes: small.bytes),
            (name: "ggm-linear", bytes: linear.bytes),
            (name: "ggd-small", bytes: dataset.bytes),
            (name: "ggf-small", bytes: floatModel.bytes),
            (name: "precompile-small", bytes: InferencePrecompile.input(model: small, dataset: dataset)),
            (name: "precompile-linear", bytes: InferencePrecompile.input(model: linear, dataset: dataset)),
            (name: "recipe-model", bytes: recipe),
        ]
    } catch {
        fatalError("inference seeds: \(error)")
    }
}
