/// The layer kind byte shared by GGM and GGF files, and the layer grammar both obey:
/// `(Dense ReLU?)+ Argmax` — Dense layers, each optionally followed by one ReLU, except that the
/// last Dense (whose outputs are the logits) is followed directly by the single, final Argmax.
enum LayerKind: UInt8 {
    case dense = 1
    case relu = 2
    case argmax = 3

    /// Checks the grammar above.
    /// - Parameter kinds: the layers in file order.
    /// - Throws: `InferenceError.invalidLayerOrder` naming the first layer that breaks it.
    static func checkOrder(_ kinds: [LayerKind]) throws(InferenceError) {
        guard let last = kinds.last, last == .argmax else {
            throw .invalidLayerOrder(layer: max(kinds.count - 1, 0), reason: "the last layer must be Argmax")
        }
        for (index, kind) in kinds.enumerated() {
            switch kind {
            case .dense:
                break
            case .relu:
                guard index > 0, kinds[index - 1] == .dense else {
                    throw .invalidLayerOrder(layer: index, reason: "ReLU must follow a Dense layer")
                }
                guard kinds[index + 1] != .argmax else {
                    throw .invalidLayerOrder(layer: index, reason: "ReLU may not act on the logits before Argmax")
                }
            case .argmax:
                guard index == kinds.count - 1 else {
                    throw .invalidLayerOrder(layer: index, reason: "Argmax must be the last layer")
                }
                guard index > 0, kinds[index - 1] == .dense else {
                    throw .invalidLayerOrder(layer: index, reason: "Argmax must follow a Dense layer")
                }
            }
        }
    }

    static func read(_ reader: inout ByteReader, layer: Int) throws(InferenceError) -> LayerKind {
        let byte = try reader.readUInt8("layer \(layer) kind")
        guard let kind = LayerKind(rawValue: byte) else { throw .unknownLayerKind(layer: layer, kind: byte) }
        return kind
    }
}
