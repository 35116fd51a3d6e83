// Post-training quantization, symmetric and per layer (zero points 0):
//
// - input scale s₀ = the float model's inputScale, so the int8 features are used unchanged;
// - weight scale s_w = max|W| / 127 and W_q = round(W / s_w) in −127…127;
// - bias b_q = round(b / (s_in · s_w)), in the accumulator's scale s_in · s_w;
// - output scale s_out = max over the calibration set of the layer's float output after its ReLU
//   (or of |output| without one), divided by 127; the requantization factor is
//   M = s_in · s_w / s_out, stored as a Q31 multiplier and a right shift (Requantization);
// - the last Dense keeps int32 logits (multiplier 0, shift 0).
//
// The calibration activations come from the float model, as gemmlowp's and TFLite's
// post-training quantizers do with a representative dataset.

extension QuantizedModel {
    /// Quantizes a float model, calibrating activation ranges on a dataset.
    /// - Parameters:
    ///   - model: the float model.
    ///   - calibration: representative samples (the training set).
    /// - Throws: `InferenceError.featureCountMismatch` if the calibration set does not fit, or
    ///   `.cannotQuantize` if a bias or requantization factor cannot be represented.
    public init(quantizing model: FloatModel, calibration: Dataset) throws(InferenceError) {
        guard calibration.featureCount == model.inputSize else {
            throw .featureCountMismatch(datasetFeatures: calibration.featureCount, modelInputs: model.inputSize)
        }
        let outputs = model.activations(for: calibration.features, sampleCount: calibration.sampleCount)
        let lastDense = model.layers.lastIndex { if case .dense = $0 { true } else { false } }!
        var inputScale = Double(model.inputScale)
        var layers: [QuantizedLayer] = []
        for (index, layer) in model.layers.enumerated() {
            switch layer {
            case .relu:
                layers.append(.relu)
            case .argmax:
                layers.append(.argmax)
            case .dense(let dense):
                let largestWeight = Double(dense.weights.map { abs($0) }.max() ?? 0)
                let weightScale = largestWeight > 0 ? largestWeight / 127 : 1
                let weights = dense.weights.map { Int8((Double($0) / weightScale).rounded().clamped(-127, 127)) }
                let accumulatorScale = inputScale * weightScale
                var bias: [Int32] = []
                for value in dense.bias {
                    let scaled = (Double(value) / accumulatorScale).rounded()
                    guard abs(scaled) < 1_073_741_824 else {
                        throw .cannotQuantize(layer: index, reason: "bias \(value) is \(scaled) in the accumulator scale, beyond ±2^30")
                    }
                    bias.append(Int32(scaled))
                }
                var multiplier: Int32 = 0, shift: UInt8 = 0
                if index != lastDense {
                    // The range that matters is what the next layer sees: after ReLU if there is one.
                    let observed = outputs[index + 1 + (model.layers[index + 1] == .relu ? 1 : 0)]
                    let largest = Double(observed.map { abs($0) }.max() ?? 0)
                    let outputScale = largest > 0 ? largest / 127 : 1
                    guard let pair = Requantization.multiplierAndShift(for: accumulatorScale / outputScale) else {
                        throw .cannotQuantize(layer: index, reason: "requantization factor \(accumulatorScale / outputScale) is not in [2^-32, 1)")
                    }
                    (multiplier, shift) = pair
                    inputScale = outputScale
                }
                layers.append(.dense(QuantizedDense(outputSize: dense.outputSize, inputSize: dense.inputSize,
                                                    weights: weights, bias: bias, multiplier: multiplier, shift: shift)))
            }
        }
        try self.init(inputSize: model.inputSize, layers: layers)
    }
}

extension Double {
    fileprivate func clamped(_ lower: Double, _ upper: Double) -> Double { Swift.min(Swift.max(self, lower), upper) }
}
