import Primitives

// The deterministic integer-only forward pass shared by the CLI, the enclave and the precompile.
//
// Inputs: a sample's features are the dataset's int8 values as they are (the digits set stores
// pixel counts 0…16; the model's input scale, fixed at quantization, absorbs the conversion to
// floats). Each Dense layer computes acc = W·x + bias with exact int32 arithmetic (GEMM, bias added
// with wrapping addition). A Dense layer that is not the last requantizes acc to int8
// (`Requantization.requantize`); ReLU then sets negative int8 values to 0. The last Dense layer's
// int32 accumulators are the logits, and Argmax picks the first index of the largest one.
//
// Logits hash: keccak-256 over every sample's logits in sample order, each logit as 4 bytes of
// little-endian two's complement; for N samples and C classes that is 4·N·C bytes.

/// What an evaluation measured.
public struct EvaluationResult: Equatable, Sendable {
    /// Samples whose argmax equals their label.
    public var correct: Int
    /// Samples scored.
    public var total: Int
    /// keccak-256 of the final int32 logits (docs/formats.md, "## Inference precompile input").
    public var logitsHash: Hash32

    /// Creates a result.
    /// - Parameters:
    ///   - correct: correctly classified samples.
    ///   - total: samples scored.
    ///   - logitsHash: the logits hash.
    public init(correct: Int, total: Int, logitsHash: Hash32) {
        self.correct = correct
        self.total = total
        self.logitsHash = logitsHash
    }

    /// Accuracy in basis points, ⌊10000 · correct / total⌋ (DESIGN.md §5 `accuracyBps`).
    public var accuracyBasisPoints: Int { total == 0 ? 0 : correct * 10_000 / total }
}

extension QuantizedModel {
    /// Runs the integer forward pass up to the logits.
    /// - Parameters:
    ///   - features: `sampleCount × inputSize` int8 features, sample-major.
    ///   - sampleCount: the number of samples.
    ///   - threadCount: threads for the GEMMs; the result does not depend on it.
    /// - Returns: `sampleCount × classCount` int32 logits, sample-major.
    public func logits(for features: [Int8], sampleCount: Int, threadCount: Int = 1) -> [Int32] {
        precondition(features.count == sampleCount * inputSize,
                     "\(features.count) features for \(sampleCount) samples of \(inputSize), expected \(sampleCount * inputSize)")
        var activations = features
        var logits: [Int32] = []
        for layer in layers {
            switch layer {
            case .dense(let dense):
                var accumulators = GEMM.multiply(activations, dense.weights, layoutB: .transposed,
                                                 shape: GEMMShape(rows: sampleCount, columns: dense.outputSize,
                                                                  depth: dense.inputSize),
                                                 threadCount: threadCount)
                accumulators.withUnsafeMutableBufferPointer { values in
                    for sample in 0..<sampleCount {
                        for output in 0..<dense.outputSize {
                            values[sample * dense.outputSize + output] &+= dense.bias[output]
                        }
                    }
                }
                if dense.multiplier == 0 {
                    logits = accumulators
                } else {
                    activations = accumulators.map {
                        Requantization.requantize($0, multiplier: dense.multiplier, shift: dense.shift)
                    }
                }
            case .relu:
                activations = activations.map { max($0, 0) }
            case .argmax:
                break
            }
        }
        return logits
    }

    /// Scores the model on a dataset.
    /// - Parameters:
    ///   - dataset: samples whose feature count equals `inputSize` and whose labels are below `classCount`.
    ///   - threadCount: threads for the GEMMs; the result does not depend on it.
    /// - Returns: correct and total counts and the logits hash.
    /// - Throws: `InferenceError.featureCountMismatch` or `.labelOutOfRange`.
    public func evaluate(on dataset: Dataset, threadCount: Int = 1) throws(InferenceError) -> EvaluationResult {
        try checkCompatible(dataset)
        let classes = classCount
        let logits = logits(for: dataset.features, sampleCount: dataset.sampleCount, threadCount: threadCount)
        var correct = 0
        var hasher = Keccak256()
        var row = [UInt8](repeating: 0, count: 4 * classes)
        for sample in 0..<dataset.sampleCount {
            var best = 0
            for index in 0..<classes {
                let value = logits[sample * classes + index]
                if value > logits[sample * classes + best] { best = index }
                let bits = UInt32(bitPattern: value)
                row[4 * index] = UInt8(truncatingIfNeeded: bits)
                row[4 * index + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                row[4 * index + 2] = UInt8(truncatingIfNeeded: bits >> 16)
                row[4 * index + 3] = UInt8(truncatingIfNeeded: bits >> 24)
            }
            hasher.update(row)
            if best == Int(dataset.labels[sample]) { correct += 1 }
        }
        return EvaluationResult(correct: correct, total: dataset.sampleCount, logitsHash: hasher.finalize())
    }

    /// Checks that a dataset fits the model.
    /// - Parameter dataset: the samples.
    /// - Throws: `InferenceError.featureCountMismatch` or `.labelOutOfRange`.
    public func checkCompatible(_ dataset: Dataset) throws(InferenceError) {
        guard dataset.featureCount == inputSize else {
            throw .featureCountMismatch(datasetFeatures: dataset.featureCount, modelInputs: inputSize)
        }
        let classes = classCount
        if let sample = dataset.labels.firstIndex(where: { Int($0) >= classes }) {
            throw .labelOutOfRange(sample: sample, label: dataset.labels[sample], classCount: classes)
        }
    }
}
