import Foundation
import Inference
import TestSupport

/// The shipped digits split and example models, read in place from Examples/.
enum Fixtures {
    static let examples = TestFiles.examples

    static func bytes(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: examples.appendingPathComponent(path).path) ?? Data())
    }

    static let train = try! Dataset(bytes: bytes("digits/train.ggd"))
    static let test = try! Dataset(bytes: bytes("digits/test.ggd"))
    static let floatModelBytes = bytes("models/digits-h64.ggf")
    static let modelBytes = bytes("models/digits-h64.ggm")
    static let model = try! QuantizedModel(bytes: modelBytes)

    /// A tiny valid GGM: 2 inputs → Dense 3 (requantized) → ReLU → Dense 2 (logits) → Argmax.
    static let tinyModel = try! QuantizedModel(inputSize: 2, layers: [
        .dense(QuantizedDense(outputSize: 3, inputSize: 2, weights: [1, -2, 3, 4, -5, 6], bias: [10, -20, 30],
                              multiplier: 1 << 30, shift: 1)),
        .relu,
        .dense(QuantizedDense(outputSize: 2, inputSize: 3, weights: [1, 2, 3, -1, -2, -3], bias: [0, 7],
                              multiplier: 0, shift: 0)),
        .argmax,
    ])
}
