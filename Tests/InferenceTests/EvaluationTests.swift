import EVM
import Inference
import Primitives
import Testing

struct EvaluationTests {
    @Test("the example float model scores at least 96% on the test split")
    func exampleFloatAccuracy() throws {
        let model = try FloatModel(bytes: Fixtures.floatModelBytes)
        let (correct, total) = try model.evaluate(on: Fixtures.test)
        #expect(total == 360)
        #expect(correct == 350)
        #expect(correct * 10_000 / total >= 9600)
    }

    @Test("the example GGM model scores at least 95% with a fixed logits hash")
    func exampleQuantizedAccuracy() throws {
        let result = try Fixtures.model.evaluate(on: Fixtures.test)
        #expect(result.correct == 350)
        #expect(result.total == 360)
        #expect(result.accuracyBasisPoints == 9722)
        #expect(result.logitsHash.description == "0x1a865d0d82c3ee4a345a338667efe661664304f7aacdcb975e6c57512ac8b9c9")
    }

    @Test("evaluation does not depend on the thread count", arguments: [2, 4])
    func threadIndependence(threads: Int) throws {
        let single = try Fixtures.model.evaluate(on: Fixtures.test)
        #expect(try Fixtures.model.evaluate(on: Fixtures.test, threadCount: threads) == single)
    }

    @Test("the tiny model's logits are the hand-computed values")
    func tinyLogits() {
        // x = (3, 1): acc = (1·3 − 2·1 + 10, 3·3 + 4·1 − 20, −5·3 + 6·1 + 30) = (11, −7, 21);
        // requantize ×0.25 (Q31 2^30 = ×0.5 rounded, then a rounding shift by 1): 11 → 6 → 3,
        // −7 → −3 → −2, 21 → 11 → 6 (gemmlowp's two roundings: 5.25 becomes 6); ReLU: (3, 0, 6);
        // logits = (3 + 18, −3 − 18 + 7) = (21, −14).
        #expect(Fixtures.tinyModel.logits(for: [3, 1], sampleCount: 1) == [21, -14])
    }

    @Test("the logits hash is keccak-256 of little-endian int32 logits")
    func logitsHashSerialization() throws {
        let dataset = try Dataset(features: [3, 1], labels: [0], featureCount: 2)
        let result = try Fixtures.tinyModel.evaluate(on: dataset)
        #expect(result.correct == 1)
        #expect(result.logitsHash == Keccak256.hash([21, 0, 0, 0, 0xf2, 0xff, 0xff, 0xff]))
    }

    @Test("a model trained from scratch reaches 96% float and 95% quantized")
    func trainFromScratch() throws {
        let configuration = TrainingConfiguration(hiddenSizes: [32], epochs: 30, seed: 42)
        let model = try FloatModel.train(on: Fixtures.train, classCount: 10, configuration: configuration)
        let (correct, total) = try model.evaluate(on: Fixtures.test)
        #expect(correct * 10_000 / total >= 9600, "float accuracy \(correct)/\(total)")
        let quantized = try QuantizedModel(quantizing: model, calibration: Fixtures.train)
        let result = try quantized.evaluate(on: Fixtures.test)
        #expect(result.accuracyBasisPoints >= 9500, "int8 accuracy \(result.correct)/\(result.total)")
    }

    @Test("training is deterministic for a seed")
    func trainingDeterminism() throws {
        let configuration = TrainingConfiguration(hiddenSizes: [16], epochs: 2, seed: 9)
        let first = try FloatModel.train(on: Fixtures.train, classCount: 10, configuration: configuration)
        let second = try FloatModel.train(on: Fixtures.train, classCount: 10, configuration: configuration)
        #expect(first.bytes == second.bytes)
    }

    @Test("a dataset with the wrong feature count or a label beyond the classes is rejected")
    func incompatibleDataset() throws {
        let narrow = try Dataset(features: [1, 2, 3], labels: [0], featureCount: 3)
        #expect(throws: InferenceError.featureCountMismatch(datasetFeatures: 3, modelInputs: 2)) {
            try Fixtures.tinyModel.evaluate(on: narrow)
        }
        let badLabel = try Dataset(features: [1, 2], labels: [2], featureCount: 2)
        #expect(throws: InferenceError.labelOutOfRange(sample: 0, label: 2, classCount: 2)) {
            try Fixtures.tinyModel.evaluate(on: badLabel)
        }
    }
}
