import ArgumentParser
import Foundation
import Inference

/// `goldengrain model train`: trains a float MLP on a GGD dataset and writes a GGF file.
struct ModelTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a float MLP (SGD with momentum, seeded) on DIR/train.ggd and write a GGF model."
    )

    @Option(help: "Dataset directory holding train.ggd and test.ggd.")
    var dataset = ModelFiles.defaultDataset
    @Option(help: "Hidden layer width (one hidden layer with ReLU).")
    var hidden = 64
    @Option(help: "Passes over the training set.")
    var epochs = 40
    @Option(help: "SGD step size.")
    var learningRate: Float = 0.05
    @Option(help: "Momentum (0 for plain SGD).")
    var momentum: Float = 0.9
    @Option(help: "Samples per minibatch.")
    var batchSize = 32
    @Option(help: "Random seed for initialisation and shuffling.")
    var seed: UInt64 = 1
    @Option(help: "Classes (outputs of the last layer).")
    var classes = 10
    @Option(help: "Where to write the GGF float model.")
    var out: String

    func validate() throws {
        guard hidden >= 1, epochs >= 1, batchSize >= 1 else {
            throw ValidationError("--hidden, --epochs and --batch-size must be at least 1")
        }
    }

    func run() throws {
        let training = try ModelFiles.dataset(dataset, split: "train")
        let configuration = TrainingConfiguration(hiddenSizes: [hidden], epochs: epochs, learningRate: learningRate,
                                                  momentum: momentum, batchSize: batchSize, seed: seed)
        let model = try FloatModel.train(on: training, classCount: classes, configuration: configuration) { progress in
            let width = 30
            let filled = progress.epoch * width / progress.epochCount
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = String(format: "\r[%@] epoch %d/%d  loss %.4f  accuracy %.2f%%", bar, progress.epoch,
                              progress.epochCount, progress.loss, progress.accuracy * 100)
            FileHandle.standardError.write(Data(line.utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        try ModelFiles.write(model.bytes, to: out)
        if let test = try? ModelFiles.dataset(dataset, split: "test") {
            let (correct, total) = try model.evaluate(on: test)
            print("wrote \(out): test accuracy \(correct * 10_000 / total) bps (\(correct)/\(total))")
        } else {
            print("wrote \(out)")
        }
    }
}
