import ArgumentParser
import Inference

/// `goldengrain model eval`: scores a GGM (or GGF) model on a dataset split.
struct ModelEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a GGM (int8) or GGF (float) model: accuracy in basis points, correct/total, logits hash."
    )

    @Argument(help: "The model file (GGM or GGF).")
    var model: String
    @Option(help: "Dataset directory holding <split>.ggd.")
    var dataset = ModelFiles.defaultDataset
    @Option(help: "Which split to score: test or train.")
    var split = "test"
    @Option(help: "Threads for the int8 GEMM (results do not depend on it).")
    var threads = 1
    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let bytes = try ModelFiles.read(model)
        let data = try ModelFiles.dataset(dataset, split: split)
        let correct: Int, total: Int, hash: String?, kind: String
        if bytes.starts(with: Array(FloatModel.magic.utf8)) {
            (correct, total) = try FloatModel(bytes: bytes).evaluate(on: data)
            (hash, kind) = (nil, "GGF")
        } else {
            let quantized = try QuantizedModel(bytes: bytes)
            let result = try quantized.evaluate(on: data, threadCount: threads)
            (correct, total, hash, kind) = (result.correct, result.total, result.logitsHash.description, "GGM")
        }
        let basisPoints = correct * 10_000 / total
        if json {
            let hashField = hash.map { "\"\($0)\"" } ?? "null"
            print("{\"model\":\"\(model)\",\"format\":\"\(kind)\",\"split\":\"\(split)\",\"accuracyBps\":\(basisPoints),"
                + "\"correct\":\(correct),\"total\":\(total),\"logitsHash\":\(hashField)}")
        } else {
            print("\(kind) \(model) on \(split): accuracy \(basisPoints) bps (\(correct)/\(total))"
                + (hash.map { ", logits hash \($0)" } ?? ""))
        }
    }
}
