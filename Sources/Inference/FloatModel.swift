/// A float32 network in the GGF format (docs/formats.md, "## GGF float model format"): what
/// `goldengrain model train` writes and `quantize` reads.
///
/// Layout (little-endian): `"GGF1"`, u32 version 1, u32 input size (1…4096), f32 input scale,
/// u32 layer count (2…32), then layers: a kind byte (1 Dense, 2 ReLU, 3 Argmax) and, for Dense, u32
/// outputs, u32 inputs, `outputs × inputs` f32 weights `[out][in]`, `outputs` f32 biases. The
/// layers follow the GGM grammar `(Dense ReLU?)+ Argmax`; every float is finite.
///
/// A sample's float input is `Float(feature) × inputScale` (1/16 for the digits set, so pixels
/// 0…16 become 0…1).
public struct FloatModel: Equatable, Sendable {
    /// The format's magic, `GGF1`.
    public static let magic = "GGF1"
    /// The only version this code reads and writes.
    public static let version: UInt32 = 1

    /// Features per sample.
    public let inputSize: Int
    /// The factor that turns an int8 feature into the float input.
    public let inputScale: Float
    /// The layers, in order.
    public internal(set) var layers: [FloatLayer]

    /// Creates a model and checks the format's invariants.
    /// - Parameters:
    ///   - inputSize: features per sample.
    ///   - inputScale: the factor from int8 features to float inputs; finite and positive.
    ///   - layers: the layers, in order.
    /// - Throws: `InferenceError` naming the first broken invariant.
    public init(inputSize: Int, inputScale: Float, layers: [FloatLayer]) throws(InferenceError) {
        guard (1...QuantizedModel.maximumLayerSize).contains(inputSize) else {
            throw .sizeOutOfRange(field: "input size", value: inputSize, minimum: 1, maximum: QuantizedModel.maximumLayerSize)
        }
        guard inputScale.isFinite, inputScale > 0 else { throw .nonFiniteParameter(layer: -1, index: 0) }
        guard (2...QuantizedModel.maximumLayerCount).contains(layers.count) else {
            throw .sizeOutOfRange(field: "layer count", value: layers.count, minimum: 2, maximum: QuantizedModel.maximumLayerCount)
        }
        try LayerKind.checkOrder(layers.map(\.kind))
        var produced = inputSize
        for (index, layer) in layers.enumerated() {
            guard case .dense(let dense) = layer else { continue }
            for (field, value) in [("layer \(index) outputs", dense.outputSize), ("layer \(index) inputs", dense.inputSize)] {
                guard (1...QuantizedModel.maximumLayerSize).contains(value) else {
                    throw .sizeOutOfRange(field: field, value: value, minimum: 1, maximum: QuantizedModel.maximumLayerSize)
                }
            }
            guard dense.inputSize == produced else {
                throw .shapeMismatch(layer: index, expectedInputs: dense.inputSize, producedInputs: produced)
            }
            guard dense.weights.count == dense.outputSize * dense.inputSize, dense.bias.count == dense.outputSize else {
                throw .truncated(offset: 0, reading: "layer \(index) parameters",
                                 needed: dense.outputSize * dense.inputSize, available: dense.weights.count)
            }
            if let bad = (dense.weights + dense.bias).firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteParameter(layer: index, index: bad)
            }
            produced = dense.outputSize
        }
        self.inputSize = inputSize
        self.inputScale = inputScale
        self.layers = layers
    }

    /// Parses a GGF file strictly.
    /// - Parameter bytes: the whole file.
    /// - Throws: `InferenceError` naming the first problem (bad magic, version, truncation,
    ///   unknown layer kind, shapes, limits, non-finite floats, trailing bytes).
    public init(bytes: [UInt8]) throws(InferenceError) {
        var reader = ByteReader(bytes)
        try reader.readMagic(Self.magic)
        let version = try reader.readUInt32("version")
        guard version == Self.version else { throw .unsupportedVersion(format: Self.magic, version: version, supported: Self.version) }
        let inputSize = try reader.readSize("input size", limit: QuantizedModel.maximumLayerSize)
        let inputScale = Float(bitPattern: try reader.readUInt32("input scale"))
        let layerCount = try reader.readSize("layer count", minimum: 2, limit: QuantizedModel.maximumLayerCount)
        var layers: [FloatLayer] = []
        for index in 0..<layerCount {
            switch try LayerKind.read(&reader, layer: index) {
            case .dense:
                let outputs = try reader.readSize("layer \(index) outputs", limit: QuantizedModel.maximumLayerSize)
                let inputs = try reader.readSize("layer \(index) inputs", limit: QuantizedModel.maximumLayerSize)
                let weights = try reader.readFloatArray(count: outputs * inputs, "layer \(index) weights")
                let bias = try reader.readFloatArray(count: outputs, "layer \(index) bias")
                layers.append(.dense(FloatDense(outputSize: outputs, inputSize: inputs, weights: weights, bias: bias)))
            case .relu:
                layers.append(.relu)
            case .argmax:
                layers.append(.argmax)
            }
        }
        try reader.requireEnd()
        try self.init(inputSize: inputSize, inputScale: inputScale, layers: layers)
    }

    /// The GGF encoding of this model.
    public var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.write(Self.magic)
        writer.write(Self.version)
        writer.write(UInt32(inputSize))
        writer.write(inputScale)
        writer.write(UInt32(layers.count))
        for layer in layers {
            writer.write(layer.kind.rawValue)
            if case .dense(let dense) = layer {
                writer.write(UInt32(dense.outputSize))
                writer.write(UInt32(dense.inputSize))
                writer.write(dense.weights)
                writer.write(dense.bias)
            }
        }
        return writer.bytes
    }

    /// The number of classes: the last Dense layer's output size.
    public var classCount: Int {
        layers.compactMap { if case .dense(let dense) = $0 { dense.outputSize } else { nil } }.last!
    }

    /// Runs the float forward pass up to the logits, recording every layer's output.
    /// - Parameters:
    ///   - features: `sampleCount × inputSize` int8 features.
    ///   - sampleCount: the number of samples.
    ///   - threadCount: threads for the GEMMs; the result does not depend on it.
    /// - Returns: each layer's output (index i holds layer i's output, `sampleCount × width`),
    ///   preceded by the float input at index 0; the last Dense's output holds the logits.
    public func activations(for features: [Int8], sampleCount: Int, threadCount: Int = 1) -> [[Float]] {
        precondition(features.count == sampleCount * inputSize, "feature count does not match \(sampleCount) × \(inputSize)")
        var outputs: [[Float]] = [features.map { Float($0) * inputScale }]
        for layer in layers {
            let input = outputs.last!
            switch layer {
            case .dense(let dense):
                var result = GEMM.multiply(input, dense.weights, layoutB: .transposed,
                                           shape: GEMMShape(rows: sampleCount, columns: dense.outputSize, depth: dense.inputSize),
                                           threadCount: threadCount)
                for sample in 0..<sampleCount {
                    for output in 0..<dense.outputSize { result[sample * dense.outputSize + output] += dense.bias[output] }
                }
                outputs.append(result)
            case .relu:
                outputs.append(input.map { max($0, 0) })
            case .argmax:
                outputs.append(input)
            }
        }
        return outputs
    }

    /// Scores the float model: correct and total counts (argmax, first index on ties).
    /// - Parameter dataset: samples with `inputSize` features and labels below `classCount`.
    /// - Returns: (correct, total).
    /// - Throws: `InferenceError.featureCountMismatch` or `.labelOutOfRange`.
    public func evaluate(on dataset: Dataset) throws(InferenceError) -> (correct: Int, total: Int) {
        guard dataset.featureCount == inputSize else {
            throw .featureCountMismatch(datasetFeatures: dataset.featureCount, modelInputs: inputSize)
        }
        let classes = classCount
        if let sample = dataset.labels.firstIndex(where: { Int($0) >= classes }) {
            throw .labelOutOfRange(sample: sample, label: dataset.labels[sample], classCount: classes)
        }
        let logits = activations(for: dataset.features, sampleCount: dataset.sampleCount).last!
        var correct = 0
        for sample in 0..<dataset.sampleCount {
            let row = logits[(sample * classes)..<((sample + 1) * classes)]
            let best = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - sample * classes
            if best == Int(dataset.labels[sample]) { correct += 1 }
        }
        return (correct, dataset.sampleCount)
    }
}

/// One GGF layer.
public enum FloatLayer: Equatable, Sendable {
    /// A fully connected layer.
    case dense(FloatDense)
    /// max(0, x).
    case relu
    /// The index of the largest logit; the last layer.
    case argmax

    var kind: LayerKind {
        switch self {
        case .dense: .dense
        case .relu: .relu
        case .argmax: .argmax
        }
    }
}

/// A float fully connected layer: y = W·x + bias.
public struct FloatDense: Equatable, Sendable {
    /// Outputs (rows of `weights`).
    public var outputSize: Int
    /// Inputs (columns of `weights`).
    public var inputSize: Int
    /// `outputSize × inputSize` weights, row-major `[out][in]`.
    public var weights: [Float]
    /// One bias per output.
    public var bias: [Float]

    /// Creates a layer; `FloatModel.init(inputSize:inputScale:layers:)` checks it.
    /// - Parameters:
    ///   - outputSize: outputs.
    ///   - inputSize: inputs.
    ///   - weights: `outputSize × inputSize` weights, `[out][in]`.
    ///   - bias: `outputSize` biases.
    public init(outputSize: Int, inputSize: Int, weights: [Float], bias: [Float]) {
        self.outputSize = outputSize
        self.inputSize = inputSize
        self.weights = weights
        self.bias = bias
    }
}
