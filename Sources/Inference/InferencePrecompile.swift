import EVM
import Primitives

/// INFERENCE_EVAL, the precompile at 0x0000000000000000000000000000000000001001 (DESIGN.md §6):
/// scores a GGM model on a labelled dataset with the deterministic int8 kernel, so a contract gets
/// the same score the enclave reports.
///
/// Input: a GGM file immediately followed by a GGD file (docs/formats.md, "## Inference precompile
/// input"); the GGM file is self-delimiting, so no length prefix is needed. Output: the ABI
/// encoding of `(uint256 correct, uint256 total, bytes32 logitsHash)`, 96 bytes.
///
/// Gas (`InferenceGas`): charged from the headers alone, before any arithmetic. An input whose
/// headers do not describe a well-formed frame (bad magic or version, sizes out of range, lengths
/// that do not add up to the input's length) costs `UInt64.max`, so the call runs out of gas.
/// An input that passes that check but fails the strict parse (an invalid layer order, shapes that
/// do not chain, a bad requantization field, a label that is not a class) returns `.failure`,
/// which also consumes all the gas passed to the call.
public struct InferencePrecompile: Precompile {
    /// The precompile's address, 0x…1001.
    public static let address = Address(high: 0, middle: 0, low: 0x1001)

    /// Creates the precompile.
    public init() {}

    /// The gas for an input: `InferenceGas.cost` of its multiply-accumulates and length, or
    /// `UInt64.max` if the headers are malformed.
    /// - Parameter input: GGM ‖ GGD.
    /// - Returns: the gas required.
    public func requiredGas(input: [UInt8]) -> UInt64 {
        guard let frame = InferenceFrame.scan(input) else { return .max }
        return InferenceGas.cost(multiplyAccumulates: frame.multiplyAccumulates, inputByteCount: UInt64(input.count))
    }

    /// Parses the model and dataset strictly and scores the model.
    /// - Parameters:
    ///   - input: GGM ‖ GGD.
    ///   - context: unused; the result depends on the input alone.
    /// - Returns: 96 bytes `(correct, total, logitsHash)`, or a failure naming the problem.
    public func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput {
        do throws(InferenceError) {
            let result = try Self.evaluate(input: input)
            return .success(UInt256(UInt64(result.correct)).bigEndianBytes + UInt256(UInt64(result.total)).bigEndianBytes
                + result.logitsHash.bytes)
        } catch {
            return .failure("INFERENCE_EVAL: \(error)")
        }
    }

    /// Parses `GGM ‖ GGD` and evaluates, exactly as `run` does.
    /// - Parameter input: the precompile input.
    /// - Returns: the evaluation result.
    /// - Throws: `InferenceError` for any malformed part.
    public static func evaluate(input: [UInt8]) throws(InferenceError) -> EvaluationResult {
        var reader = ByteReader(input)
        let model = try QuantizedModel.parse(&reader)
        let dataset = try Dataset.parse(&reader)
        try reader.requireEnd()
        return try model.evaluate(on: dataset)
    }

    /// Builds a precompile input.
    /// - Parameters:
    ///   - model: the model.
    ///   - dataset: the labelled samples.
    /// - Returns: `model.bytes + dataset.bytes`.
    public static func input(model: QuantizedModel, dataset: Dataset) -> [UInt8] {
        model.bytes + dataset.bytes
    }
}

/// The sizes `requiredGas` reads from the headers of `GGM ‖ GGD` without touching the weights.
struct InferenceFrame {
    var sampleCount: UInt64
    var multiplyAccumulates: UInt64

    /// Walks the headers: the GGM magic, version and sizes, each layer's kind and Dense sizes
    /// (skipping its parameters), then the GGD header; checks the limits and that the lengths add up
    /// to exactly `input.count`. O(layer count).
    /// - Returns: the sizes, or nil if the headers are malformed.
    static func scan(_ input: [UInt8]) -> InferenceFrame? {
        var reader = ByteReader(input)
        do throws(InferenceError) {
            try reader.readMagic(QuantizedModel.magic)
            guard try reader.readUInt32("version") == QuantizedModel.version else { return nil }
            _ = try reader.readSize("input size", limit: QuantizedModel.maximumLayerSize)
            let layerCount = try reader.readSize("layer count", minimum: 2, limit: QuantizedModel.maximumLayerCount)
            var perSample: UInt64 = 0
            for index in 0..<layerCount {
                guard try LayerKind.read(&reader, layer: index) == .dense else { continue }
                let outputs = try reader.readSize("outputs", limit: QuantizedModel.maximumLayerSize)
                let inputs = try reader.readSize("inputs", limit: QuantizedModel.maximumLayerSize)
                perSample += UInt64(outputs * inputs)
                try reader.skip(outputs * inputs + 4 * outputs + 5, reading: "layer parameters")
            }
            try reader.readMagic(Dataset.magic)
            let samples = try reader.readSize("sample count", limit: Dataset.maximumSampleCount)
            let features = try reader.readSize("feature count", limit: Dataset.maximumFeatureCount)
            guard reader.remaining == samples * features + samples else { return nil }
            // ≤ 2^20 samples × 32 layers × 2^24 MACs = 2^49: no overflow.
            return InferenceFrame(sampleCount: UInt64(samples), multiplyAccumulates: UInt64(samples) * perSample)
        } catch {
            return nil
        }
    }
}
