import Inference
import Primitives

/// One of the demo's models: a one-hidden-layer MLP trained on the digits training split with
/// Inference's seeded SGD, then quantized to int8 (GGM) with the training split as calibration.
public struct DemoModelSpec: Hashable, Sendable {
    /// The model's name in tables and JSON ("good", "fair", "poor").
    public var name: String
    /// Hidden layer width.
    public var hidden: Int
    /// Passes over the training split.
    public var epochs: Int
    /// The training seed.
    public var seed: UInt64

    /// Creates a spec.
    public init(name: String, hidden: Int, epochs: Int, seed: UInt64 = 1) {
        self.name = name
        self.hidden = hidden
        self.epochs = epochs
        self.seed = seed
    }

    /// Three models of clearly different accuracy on Examples/digits (measured with the int8
    /// kernel on the 360-sample test split: 97.22 %, 93.05 %, 65.00 %; each trains in under a second).
    public static let standard: [DemoModelSpec] = [
        DemoModelSpec(name: "good", hidden: 64, epochs: 40),
        DemoModelSpec(name: "fair", hidden: 24, epochs: 3),
        DemoModelSpec(name: "poor", hidden: 8, epochs: 1),
    ]

    /// "64×40".
    public var shape: String { "\(hidden) hidden × \(epochs) epoch\(epochs == 1 ? "" : "s")" }
}

/// A trained, quantized model with its local score.
public struct DemoTrainedModel: Sendable {
    /// How it was made.
    public var spec: DemoModelSpec
    /// The GGM file.
    public var file: [UInt8]
    /// The parsed model.
    public var model: QuantizedModel
    /// Its score on the test split.
    public var score: DemoLocalScore
    /// Wall time of training and quantization.
    public var seconds: Double
}

extension DemoTrainedModel {
    /// Trains and quantizes a model and scores it on the test split.
    /// - Parameters:
    ///   - spec: the model.
    ///   - training: the training split (also the calibration set).
    ///   - test: the test split.
    /// - Returns: the model.
    /// - Throws: `InferenceError` if the data do not make a model.
    public static func train(_ spec: DemoModelSpec, training: Dataset, test: Dataset) throws(InferenceError) -> DemoTrainedModel {
        let clock = ContinuousClock()
        let started = clock.now
        let classCount = Int(training.labels.max() ?? 0) + 1
        let configuration = TrainingConfiguration(hiddenSizes: [spec.hidden], epochs: spec.epochs, seed: spec.seed)
        let float = try FloatModel.train(on: training, classCount: classCount, configuration: configuration)
        let quantized = try QuantizedModel(quantizing: float, calibration: training)
        let seconds = DemoClock.seconds(since: started)
        return DemoTrainedModel(spec: spec, file: quantized.bytes, model: quantized,
                                score: try DemoLocalScore(model: quantized, test: test), seconds: seconds)
    }
}

extension DemoLocalScore {
    /// Scores a model with the deterministic int8 kernel, as INFERENCE_EVAL and the enclave do.
    /// - Parameters:
    ///   - model: the model.
    ///   - test: the test set.
    /// - Throws: `InferenceError` if the model does not fit the test set.
    public init(model: QuantizedModel, test: Dataset) throws(InferenceError) {
        let result = try model.evaluate(on: test)
        self.init(correct: result.correct, total: result.total, accuracyBps: UInt16(result.accuracyBasisPoints),
                  logitsHash: result.logitsHash)
    }
}

/// Wall-clock helpers.
enum DemoClock {
    /// Seconds elapsed since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock().now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
