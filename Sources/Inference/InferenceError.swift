/// Why a model, dataset, encrypted model or precompile input was rejected.
///
/// The GGM, GGF and GGD parsers are strict (docs/formats.md): every byte must be where the format
/// puts it, every value within its limits, and nothing may follow the last field. Each message
/// names the offending value and what was expected.
public enum InferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first four bytes were not the format's magic.
    case badMagic(format: String, found: [UInt8])
    /// The version field names a version this code does not read.
    case unsupportedVersion(format: String, version: UInt32, supported: UInt32)
    /// The input ended inside a field.
    case truncated(offset: Int, reading: String, needed: Int, available: Int)
    /// Bytes remain after the last field.
    case trailingBytes(offset: Int, count: Int)
    /// A layer's kind byte is not one the format defines.
    case unknownLayerKind(layer: Int, kind: UInt8)
    /// A size field is below or above the format's limits.
    case sizeOutOfRange(field: String, value: Int, minimum: Int, maximum: Int)
    /// A layer's input size differs from the size the previous layer (or the model input) produces.
    case shapeMismatch(layer: Int, expectedInputs: Int, producedInputs: Int)
    /// The layer sequence breaks the grammar `(Dense ReLU?)+ Argmax` (or `(Dense ReLU?)+` for float models).
    case invalidLayerOrder(layer: Int, reason: String)
    /// A Dense layer's requantization multiplier or shift is outside the allowed range.
    case invalidRequantization(layer: Int, multiplier: Int32, shift: UInt8, reason: String)
    /// A float parameter is not finite.
    case nonFiniteParameter(layer: Int, index: Int)
    /// A dataset's feature count differs from the model's input size.
    case featureCountMismatch(datasetFeatures: Int, modelInputs: Int)
    /// A label is not one of the model's classes.
    case labelOutOfRange(sample: Int, label: UInt8, classCount: Int)
    /// A key given for model encryption is not 32 bytes.
    case invalidKeyLength(Int)
    /// The encrypted model's tag did not verify: wrong key, or the file was altered.
    case authenticationFailed
    /// Quantization cannot represent the model (for example, a requantization factor of 1 or more).
    case cannotQuantize(layer: Int, reason: String)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .badMagic(let format, let found):
            let shown = found.map { (0x20..<0x7f).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
            return "bad magic \"\(shown)\", expected \"\(format)\""
        case .unsupportedVersion(let format, let version, let supported):
            return "unsupported \(format) version \(version), expected \(supported)"
        case .truncated(let offset, let reading, let needed, let available):
            return "truncated at offset \(offset) while reading \(reading): needed \(needed) bytes, \(available) available"
        case .trailingBytes(let offset, let count):
            return "\(count) trailing bytes at offset \(offset) after the last field"
        case .unknownLayerKind(let layer, let kind):
            return "layer \(layer) has unknown kind \(kind), expected 1 (Dense), 2 (ReLU) or 3 (Argmax)"
        case .sizeOutOfRange(let field, let value, let minimum, let maximum):
            return "\(field) \(value) is out of range, expected \(minimum)...\(maximum)"
        case .shapeMismatch(let layer, let expected, let produced):
            return "layer \(layer) expects \(expected) inputs, the layer before produces \(produced)"
        case .invalidLayerOrder(let layer, let reason):
            return "layer \(layer): \(reason)"
        case .invalidRequantization(let layer, let multiplier, let shift, let reason):
            return "layer \(layer) has requantization multiplier \(multiplier) and shift \(shift): \(reason)"
        case .nonFiniteParameter(let layer, let index):
            return "layer \(layer) parameter \(index) is not a finite float"
        case .featureCountMismatch(let datasetFeatures, let modelInputs):
            return "dataset has \(datasetFeatures) features per sample, the model expects \(modelInputs)"
        case .labelOutOfRange(let sample, let label, let classCount):
            return "label \(label) of sample \(sample) is not below the model's \(classCount) classes"
        case .invalidKeyLength(let length):
            return "model key is \(length) bytes, expected 32 (AES-256)"
        case .authenticationFailed:
            return "encrypted model failed authentication: wrong key, or the file was altered"
        case .cannotQuantize(let layer, let reason):
            return "cannot quantize layer \(layer): \(reason)"
        }
    }
}
