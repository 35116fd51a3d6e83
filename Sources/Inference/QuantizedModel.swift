import Primitives

/// A quantized network in the GGM format (docs/formats.md, "## GGM model format"), the form that
/// is sold, benchmarked in the enclave and scored by the inference precompile.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic `GGM1` |
/// | 4 | 4 | u32 version, 1 |
/// | 8 | 4 | u32 input size, 1…4096 |
/// | 12 | 4 | u32 layer count, 2…32 |
/// | 16 | … | layers, each a kind byte then its fields |
///
/// Dense (kind 1): u32 outputs (1…4096), u32 inputs (1…4096), `outputs × inputs` int8 weights
/// row-major `[out][in]`, `outputs` int32 biases, int32 Q31 multiplier, u8 right shift. ReLU
/// (kind 2) and Argmax (kind 3) have no fields.
///
/// Invariants the parser enforces: the layers follow `(Dense ReLU?)+ Argmax`; each Dense's input
/// size equals what the layer before produces; every Dense but the last has a multiplier in
/// [2³⁰, 2³¹) and a shift in 0…31 (its int8 output is the requantized accumulator); the last Dense
/// has multiplier 0 and shift 0 (its int32 accumulators are the logits); nothing follows the last
/// layer. Because parsing is strict, `QuantizedModel(bytes: b).bytes == b` for every accepted `b`.
/// The 4096 limit keeps every dot product within `GEMM.maximumExactDepth`.
public struct QuantizedModel: Equatable, Sendable {
    /// The format's magic, `GGM1`.
    public static let magic = "GGM1"
    /// The only version this code reads and writes.
    public static let version: UInt32 = 1
    /// The largest input or output size of a layer.
    public static let maximumLayerSize = 4096
    /// The largest number of layers.
    public static let maximumLayerCount = 32

    /// The number of int8 features per sample.
    public let inputSize: Int
    /// The layers, in order.
    public let layers: [QuantizedLayer]

    /// Creates a model and checks every invariant of the format.
    /// - Parameters:
    ///   - inputSize: features per sample.
    ///   - layers: the layers, in order.
    /// - Throws: `InferenceError` naming the first broken invariant.
    public init(inputSize: Int, layers: [QuantizedLayer]) throws(InferenceError) {
        guard (1...Self.maximumLayerSize).contains(inputSize) else {
            throw .sizeOutOfRange(field: "input size", value: inputSize, minimum: 1, maximum: Self.maximumLayerSize)
        }
        guard (2...Self.maximumLayerCount).contains(layers.count) else {
            throw .sizeOutOfRange(field: "layer count", value: layers.count, minimum: 2, maximum: Self.maximumLayerCount)
        }
        try LayerKind.checkOrder(layers.map(\.kind))
        let lastDense = layers.lastIndex { $0.kind == .dense }!
        var produced = inputSize
        for (index, layer) in layers.enumerated() {
            guard case .dense(let dense) = layer else { continue }
            for (field, value) in [("layer \(index) outputs", dense.outputSize), ("layer \(index) inputs", dense.inputSize)] {
                guard (1...Self.maximumLayerSize).contains(value) else {
                    throw .sizeOutOfRange(field: field, value: value, minimum: 1, maximum: Self.maximumLayerSize)
                }
            }
            guard dense.inputSize == produced else {
                throw .shapeMismatch(layer: index, expectedInputs: dense.inputSize, producedInputs: produced)
            }
            guard dense.weights.count == dense.outputSize * dense.inputSize, dense.bias.count == dense.outputSize else {
                throw .truncated(offset: 0, reading: "layer \(index) parameters",
                                 needed: dense.outputSize * dense.inputSize, available: dense.weights.count)
            }
            if index == lastDense {
                guard dense.multiplier == 0, dense.shift == 0 else {
                    throw .invalidRequantization(layer: index, multiplier: dense.multiplier, shift: dense.shift,
                                                 reason: "the last Dense layer outputs int32 logits and needs multiplier 0 and shift 0")
                }
            } else {
                guard dense.multiplier >= Requantization.minimumMultiplier, dense.shift <= Requantization.maximumShift else {
                    throw .invalidRequantization(layer: index, multiplier: dense.multiplier, shift: dense.shift,
                                                 reason: "expected a multiplier in 1073741824...2147483647 and a shift in 0...31")
                }
            }
            produced = dense.outputSize
        }
        self.inputSize = inputSize
        self.layers = layers
    }

    /// Parses a GGM file strictly.
    /// - Parameter bytes: the whole file.
    /// - Throws: `InferenceError` naming the first problem: bad magic, unsupported version,
    ///   truncation (offset and field), an unknown layer kind, inconsistent shapes, sizes beyond
    ///   the limits, invalid requantization or trailing bytes.
    public init(bytes: [UInt8]) throws(InferenceError) {
        var reader = ByteReader(bytes)
        self = try Self.parse(&reader)
        try reader.requireEnd()
    }

    /// Parses a model from the reader's position and leaves the reader just after it.
    static func parse(_ reader: inout ByteReader) throws(InferenceError) -> QuantizedModel {
        try reader.readMagic(magic)
        let version = try reader.readUInt32("version")
        guard version == Self.version else { throw .unsupportedVersion(format: magic, version: version, supported: Self.version) }
        let inputSize = try reader.readSize("input size", limit: maximumLayerSize)
        let layerCount = try reader.readSize("layer count", minimum: 2, limit: maximumLayerCount)
        var layers: [QuantizedLayer] = []
        for index in 0..<layerCount {
            switch try LayerKind.read(&reader, layer: index) {
            case .dense:
                let outputs = try reader.readSize("layer \(index) outputs", limit: maximumLayerSize)
                let inputs = try reader.readSize("layer \(index) inputs", limit: maximumLayerSize)
                let weights = try reader.readInt8Array(count: outputs * inputs, "layer \(index) weights")
                let bias = try reader.readInt32Array(count: outputs, "layer \(index) bias")
                let multiplier = try reader.readInt32("layer \(index) multiplier")
                let shift = try reader.readUInt8("layer \(index) shift")
                layers.append(.dense(QuantizedDense(outputSize: outputs, inputSize: inputs, weights: weights,
                                                    bias: bias, multiplier: multiplier, shift: shift)))
            case .relu:
                layers.append(.relu)
            case .argmax:
                layers.append(.argmax)
            }
        }
        return try QuantizedModel(inputSize: inputSize, layers: layers)
    }

    /// The GGM encoding of this model.
    public var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.write(Self.magic)
        writer.write(Self.version)
        writer.write(UInt32(inputSize))
        writer.write(UInt32(layers.count))
        for layer in layers {
            writer.write(layer.kind.rawValue)
            if case .dense(let dense) = layer {
                writer.write(UInt32(dense.outputSize))
                writer.write(UInt32(dense.inputSize))
                writer.write(dense.weights)
                writer.write(dense.bias)
                writer.write(dense.multiplier)
                writer.write(dense.shift)
            }
        }
        return writer.bytes
    }

    /// The model hash: keccak-256 of the GGM file bytes (DESIGN.md §5, `modelHash`).
    public var hash: Hash32 { Keccak256.hash(bytes) }

    /// The number of classes: the last Dense layer's output size.
    public var classCount: Int { denseLayers.last!.outputSize }

    /// Multiply-accumulates per sample: Σ inputs × outputs over the Dense layers.
    public var multiplyAccumulatesPerSample: Int { denseLayers.reduce(0) { $0 + $1.inputSize * $1.outputSize } }

    var denseLayers: [QuantizedDense] {
        layers.compactMap { if case .dense(let dense) = $0 { dense } else { nil } }
    }
}

/// One GGM layer.
public enum QuantizedLayer: Equatable, Sendable {
    /// A fully connected layer with int8 weights.
    case dense(QuantizedDense)
    /// max(0, x) on int8 activations.
    case relu
    /// The index of the largest logit (the first, on ties); the last layer.
    case argmax

    var kind: LayerKind {
        switch self {
        case .dense: .dense
        case .relu: .relu
        case .argmax: .argmax
        }
    }
}

/// A quantized fully connected layer: acc = W·x + bias in int32, then (except in the last Dense)
/// requantization to int8 with `Requantization.requantize`. Symmetric quantization: every zero
/// point is 0.
public struct QuantizedDense: Equatable, Sendable {
    /// Outputs (rows of `weights`).
    public var outputSize: Int
    /// Inputs (columns of `weights`).
    public var inputSize: Int
    /// `outputSize × inputSize` weights, row-major `[out][in]`.
    public var weights: [Int8]
    /// One int32 bias per output, in the accumulator's scale.
    public var bias: [Int32]
    /// The Q31 requantization multiplier, or 0 in the last Dense layer.
    public var multiplier: Int32
    /// The requantization right shift, or 0 in the last Dense layer.
    public var shift: UInt8

    /// Creates a layer; `QuantizedModel.init(inputSize:layers:)` checks it.
    /// - Parameters:
    ///   - outputSize: outputs.
    ///   - inputSize: inputs.
    ///   - weights: `outputSize × inputSize` int8 weights, `[out][in]`.
    ///   - bias: `outputSize` int32 biases.
    ///   - multiplier: Q31 multiplier (0 for the logits layer).
    ///   - shift: right shift (0 for the logits layer).
    public init(outputSize: Int, inputSize: Int, weights: [Int8], bias: [Int32], multiplier: Int32, shift: UInt8) {
        self.outputSize = outputSize
        self.inputSize = inputSize
        self.weights = weights
        self.bias = bias
        self.multiplier = multiplier
        self.shift = shift
    }
}
