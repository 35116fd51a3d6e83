// Training: a multilayer perceptron (Dense → ReLU → … → Dense → Argmax) with softmax
// cross-entropy, minibatch SGD with classical momentum (v ← μv − η∇, w ← w + v), He-uniform
// initial weights (U(±√(6/inputs)), zero biases) and a per-epoch Fisher–Yates shuffle, all drawn
// from one SplitMix64 stream. Every GEMM is the deterministic float kernel and nothing runs in
// parallel, so a seed and a dataset fix the trained model bit for bit (given the same libm expf/logf,
// which the softmax uses; glibc's are correctly rounded in practice).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings for `FloatModel.train`.
public struct TrainingConfiguration: Sendable, Equatable {
    /// Widths of the hidden layers, each followed by ReLU.
    public var hiddenSizes: [Int]
    /// Passes over the training set.
    public var epochs: Int
    /// The SGD step size η.
    public var learningRate: Float
    /// The momentum μ (0 for plain SGD).
    public var momentum: Float
    /// Samples per minibatch.
    public var batchSize: Int
    /// The seed of the SplitMix64 stream for initialisation and shuffling.
    public var seed: UInt64
    /// The factor from int8 features to float inputs (1/16 maps the digits' 0…16 to 0…1).
    public var inputScale: Float

    /// Creates a configuration.
    /// - Parameters:
    ///   - hiddenSizes: hidden layer widths (default one layer of 64).
    ///   - epochs: passes over the data (default 40).
    ///   - learningRate: η (default 0.05).
    ///   - momentum: μ (default 0.9).
    ///   - batchSize: samples per step (default 32).
    ///   - seed: the random seed (default 1).
    ///   - inputScale: feature scale (default 1/16).
    public init(hiddenSizes: [Int] = [64], epochs: Int = 40, learningRate: Float = 0.05, momentum: Float = 0.9,
                batchSize: Int = 32, seed: UInt64 = 1, inputScale: Float = 1.0 / 16.0) {
        self.hiddenSizes = hiddenSizes
        self.epochs = epochs
        self.learningRate = learningRate
        self.momentum = momentum
        self.batchSize = batchSize
        self.seed = seed
        self.inputScale = inputScale
    }
}

/// Progress reported after each training epoch.
public struct TrainingProgress: Sendable, Equatable {
    /// The epoch just finished, from 1.
    public var epoch: Int
    /// All epochs.
    public var epochCount: Int
    /// Mean cross-entropy loss over the epoch's minibatches.
    public var loss: Float
    /// Training accuracy over the epoch (counted on each minibatch before its update), 0…1.
    public var accuracy: Double
}

extension FloatModel {
    /// Trains a new model from scratch.
    /// - Parameters:
    ///   - dataset: the training samples.
    ///   - classCount: the number of classes (outputs of the last layer).
    ///   - configuration: sizes, epochs, learning rate, momentum, batch size, seed.
    ///   - progress: called after each epoch.
    /// - Returns: the trained model.
    /// - Throws: `InferenceError.labelOutOfRange` if a label is not below `classCount`, or a size
    ///   error if the configuration makes an invalid model.
    public static func train(on dataset: Dataset, classCount: Int, configuration: TrainingConfiguration,
                             progress: (TrainingProgress) -> Void = { _ in }) throws(InferenceError) -> FloatModel {
        if let sample = dataset.labels.firstIndex(where: { Int($0) >= classCount }) {
            throw .labelOutOfRange(sample: sample, label: dataset.labels[sample], classCount: classCount)
        }
        precondition(configuration.batchSize >= 1 && configuration.epochs >= 0, "batch size and epochs must be positive")
        var random = SplitMix64(seed: configuration.seed)
        var layers: [FloatLayer] = []
        var width = dataset.featureCount
        for (index, size) in (configuration.hiddenSizes + [classCount]).enumerated() {
            let limit = (6 / Float(width)).squareRoot()
            let weights = (0..<(size * width)).map { _ in (2 * random.nextUnitFloat() - 1) * limit }
            layers.append(.dense(FloatDense(outputSize: size, inputSize: width, weights: weights,
                                            bias: [Float](repeating: 0, count: size))))
            layers.append(index == configuration.hiddenSizes.count ? .argmax : .relu)
            width = size
        }
        var model = try FloatModel(inputSize: dataset.featureCount, inputScale: configuration.inputScale, layers: layers)
        var velocities: [[Float]] = model.layers.map {
            if case .dense(let dense) = $0 { [Float](repeating: 0, count: dense.weights.count + dense.bias.count) } else { [] }
        }
        var order = Array(0..<dataset.sampleCount)
        for epoch in 1...max(configuration.epochs, 1) where configuration.epochs > 0 {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(random.next() % UInt64(index + 1)))
            }
            var lossSum: Float = 0, batches = 0, correct = 0
            for start in stride(from: 0, to: order.count, by: configuration.batchSize) {
                let batch = Array(order[start..<min(start + configuration.batchSize, order.count)])
                let (loss, hits) = model.step(batch: batch, dataset: dataset, velocities: &velocities,
                                              configuration: configuration)
                lossSum += loss
                batches += 1
                correct += hits
            }
            progress(TrainingProgress(epoch: epoch, epochCount: configuration.epochs, loss: lossSum / Float(batches),
                                      accuracy: Double(correct) / Double(dataset.sampleCount)))
        }
        return model
    }

    /// One minibatch: forward, softmax cross-entropy, backward, momentum update.
    /// - Returns: the batch's mean loss and how many of its samples were classified correctly.
    private mutating func step(batch: [Int], dataset: Dataset, velocities: inout [[Float]],
                               configuration: TrainingConfiguration) -> (loss: Float, correct: Int) {
        let count = batch.count, features = dataset.featureCount
        var input = [Int8](repeating: 0, count: count * features)
        for (row, sample) in batch.enumerated() {
            for feature in 0..<features { input[row * features + feature] = dataset.features[sample * features + feature] }
        }
        let outputs = activations(for: input, sampleCount: count)
        let logits = outputs.last!
        let classes = classCount
        var gradient = [Float](repeating: 0, count: count * classes)
        var loss: Float = 0, correct = 0
        for (row, sample) in batch.enumerated() {
            let base = row * classes
            var maximum = logits[base], best = 0
            for index in 1..<classes where logits[base + index] > maximum { maximum = logits[base + index]; best = index }
            var total: Float = 0
            for index in 0..<classes { total += exp(logits[base + index] - maximum) }
            let label = Int(dataset.labels[sample])
            if best == label { correct += 1 }
            loss += -(logits[base + label] - maximum - log(total))
            for index in 0..<classes {
                let probability = exp(logits[base + index] - maximum) / total
                gradient[base + index] = (probability - (index == label ? 1 : 0)) / Float(count)
            }
        }
        for layerIndex in layers.indices.reversed() {
            switch layers[layerIndex] {
            case .argmax:
                continue
            case .relu:
                let output = outputs[layerIndex + 1]
                for index in gradient.indices where output[index] <= 0 { gradient[index] = 0 }
            case .dense(var dense):
                let input = outputs[layerIndex]
                let weightGradient = GEMM.multiply(gradient, layoutA: .transposed, input,
                                                   shape: GEMMShape(rows: dense.outputSize, columns: dense.inputSize, depth: count))
                var biasGradient = [Float](repeating: 0, count: dense.outputSize)
                for row in 0..<count {
                    for output in 0..<dense.outputSize { biasGradient[output] += gradient[row * dense.outputSize + output] }
                }
                if layerIndex > 0 {
                    gradient = GEMM.multiply(gradient, dense.weights,
                                             shape: GEMMShape(rows: count, columns: dense.inputSize, depth: dense.outputSize))
                }
                let rate = configuration.learningRate, momentum = configuration.momentum
                let weightCount = dense.weights.count
                for index in 0..<weightCount {
                    velocities[layerIndex][index] = momentum * velocities[layerIndex][index] - rate * weightGradient[index]
                    dense.weights[index] += velocities[layerIndex][index]
                }
                for index in 0..<dense.outputSize {
                    velocities[layerIndex][weightCount + index] = momentum * velocities[layerIndex][weightCount + index] - rate * biasGradient[index]
                    dense.bias[index] += velocities[layerIndex][weightCount + index]
                }
                layers[layerIndex] = .dense(dense)
            }
        }
        return (loss / Float(count), correct)
    }
}
