import ArgumentParser
import Inference

/// `goldengrain model quantize`: turns a GGF float model into a GGM int8 model.
struct ModelQuantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a GGF float model to GGM (per-layer symmetric int8, calibrated on DIR/train.ggd)."
    )

    @Argument(help: "The GGF float model.")
    var floatModel: String
    @Option(help: "Dataset directory; its train.ggd calibrates the activation ranges.")
    var dataset = ModelFiles.defaultDataset
    @Option(help: "Where to write the GGM model.")
    var out: String

    func run() throws {
        let model = try FloatModel(bytes: ModelFiles.read(floatModel))
        let calibration = try ModelFiles.dataset(dataset, split: "train")
        let quantized = try QuantizedModel(quantizing: model, calibration: calibration)
        try ModelFiles.write(quantized.bytes, to: out)
        print("wrote \(out): \(quantized.bytes.count) bytes, model hash \(quantized.hash)")
    }
}
