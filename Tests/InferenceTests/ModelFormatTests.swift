import Inference
import Primitives
import Testing

struct ModelFormatTests {
    @Test("the tiny model serializes to the documented bytes")
    func tinyModelBytes() throws {
        let bytes = Fixtures.tinyModel.bytes
        #expect(Array(bytes[0..<16]) == Array("GGM1".utf8) + [1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0])
        // Layer 0: kind 1, outputs 3, inputs 2, 6 weights, 3 biases, multiplier 2^30, shift 1.
        #expect(Array(bytes[16..<31]) == [1, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0xfe, 3, 4, 0xfb, 6])
        #expect(bytes.count == 16 + (1 + 8 + 6 + 12 + 5) + 1 + (1 + 8 + 6 + 8 + 5) + 1)
        #expect(try QuantizedModel(bytes: bytes) == Fixtures.tinyModel)
    }

    @Test("the example model round-trips and its hash is keccak-256 of the file")
    func exampleRoundTrip() throws {
        #expect(Fixtures.model.bytes == Fixtures.modelBytes)
        #expect(Fixtures.model.hash == Keccak256.hash(Fixtures.modelBytes))
        #expect(Fixtures.model.hash.description == "0x55d9ab8cda48a296603f015084e15255bcec4d1355468ba54ac50448588958d3")
        let floatModel = try FloatModel(bytes: Fixtures.floatModelBytes)
        #expect(floatModel.bytes == Fixtures.floatModelBytes)
    }

    @Test("bad magic names what was found")
    func badMagic() {
        var bytes = Fixtures.tinyModel.bytes
        bytes[3] = UInt8(ascii: "2")
        #expect(throws: InferenceError.badMagic(format: "GGM1", found: Array("GGM2".utf8))) { try QuantizedModel(bytes: bytes) }
    }

    @Test("an unsupported version is rejected")
    func unsupportedVersion() {
        var bytes = Fixtures.tinyModel.bytes
        bytes[4] = 2
        #expect(throws: InferenceError.unsupportedVersion(format: "GGM1", version: 2, supported: 1)) { try QuantizedModel(bytes: bytes) }
    }

    @Test("truncation names the offset and the field")
    func truncation() {
        let bytes = Array(Fixtures.tinyModel.bytes.prefix(20))
        #expect(throws: InferenceError.truncated(offset: 17, reading: "layer 0 outputs", needed: 4, available: 3)) {
            try QuantizedModel(bytes: bytes)
        }
        let error = InferenceError.truncated(offset: 17, reading: "layer 0 outputs", needed: 4, available: 3)
        #expect(error.description == "truncated at offset 17 while reading layer 0 outputs: needed 4 bytes, 3 available")
    }

    @Test("inconsistent shapes between layers are named")
    func shapeMismatch() {
        #expect(throws: InferenceError.shapeMismatch(layer: 2, expectedInputs: 4, producedInputs: 3)) {
            try QuantizedModel(inputSize: 2, layers: [
                .dense(QuantizedDense(outputSize: 3, inputSize: 2, weights: [Int8](repeating: 1, count: 6), bias: [0, 0, 0],
                                      multiplier: 1 << 30, shift: 0)),
                .relu,
                .dense(QuantizedDense(outputSize: 2, inputSize: 4, weights: [Int8](repeating: 1, count: 8), bias: [0, 0],
                                      multiplier: 0, shift: 0)),
                .argmax,
            ])
        }
        #expect(InferenceError.shapeMismatch(layer: 2, expectedInputs: 128, producedInputs: 64).description
            == "layer 2 expects 128 inputs, the layer before produces 64")
    }

    @Test("an unknown layer kind is rejected")
    func unknownKind() {
        var bytes = Fixtures.tinyModel.bytes
        bytes[16] = 9
        #expect(throws: InferenceError.unknownLayerKind(layer: 0, kind: 9)) { try QuantizedModel(bytes: bytes) }
    }

    @Test("trailing bytes are rejected")
    func trailingBytes() {
        let bytes = Fixtures.tinyModel.bytes + [0]
        #expect(throws: InferenceError.trailingBytes(offset: bytes.count - 1, count: 1)) { try QuantizedModel(bytes: bytes) }
    }

    @Test("sizes beyond the limits are rejected")
    func sizeLimits() {
        var bytes = Fixtures.tinyModel.bytes
        bytes[8] = 0x01; bytes[9] = 0x10    // input size 4097
        #expect(throws: InferenceError.sizeOutOfRange(field: "input size", value: 4097, minimum: 1, maximum: 4096)) {
            try QuantizedModel(bytes: bytes)
        }
        var layers = Fixtures.tinyModel.bytes
        layers[12] = 33
        #expect(throws: InferenceError.sizeOutOfRange(field: "layer count", value: 33, minimum: 2, maximum: 32)) {
            try QuantizedModel(bytes: layers)
        }
    }

    @Test("the last Dense must output logits and the others must requantize")
    func requantizationFields() {
        #expect(throws: InferenceError.self) {
            try QuantizedModel(inputSize: 1, layers: [
                .dense(QuantizedDense(outputSize: 1, inputSize: 1, weights: [1], bias: [0], multiplier: 1 << 30, shift: 0)),
                .argmax,
            ])
        }
        #expect(throws: InferenceError.self) {
            try QuantizedModel(inputSize: 1, layers: [
                .dense(QuantizedDense(outputSize: 1, inputSize: 1, weights: [1], bias: [0], multiplier: 5, shift: 0)),
                .dense(QuantizedDense(outputSize: 1, inputSize: 1, weights: [1], bias: [0], multiplier: 0, shift: 0)),
                .argmax,
            ])
        }
    }

    @Test("a layer order outside (Dense ReLU?)+ Argmax is rejected")
    func layerOrder() {
        let dense = QuantizedDense(outputSize: 1, inputSize: 1, weights: [1], bias: [0], multiplier: 0, shift: 0)
        #expect(throws: InferenceError.invalidLayerOrder(layer: 1, reason: "the last layer must be Argmax")) {
            try QuantizedModel(inputSize: 1, layers: [.dense(dense), .relu])
        }
        #expect(throws: InferenceError.invalidLayerOrder(layer: 0, reason: "ReLU must follow a Dense layer")) {
            try QuantizedModel(inputSize: 1, layers: [.relu, .dense(dense), .argmax])
        }
    }

    @Test("every truncation of a valid file throws, never crashes")
    func everyTruncation() {
        let bytes = Fixtures.modelBytes
        for length in 0..<bytes.count {
            let result = Result { () throws(InferenceError) in try QuantizedModel(bytes: Array(bytes.prefix(length))) }
            if case .success = result { Issue.record("a \(length)-byte prefix of the example model parsed") }
        }
    }

    @Test("random byte flips throw or parse, never crash")
    func randomFlips() {
        var random = SplitMix64(seed: 0xf1f1)
        let original = Fixtures.tinyModel.bytes
        var parsed = 0
        for _ in 0..<5000 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 3)) {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
            if let model = try? QuantizedModel(bytes: bytes) {
                parsed += 1
                #expect(model.bytes == bytes, "flipped input \(bytes) parsed but did not round-trip")
            }
        }
        #expect(parsed < 5000)
    }

    @Test("the dataset files parse strictly and round-trip")
    func datasets() {
        #expect(Fixtures.train.sampleCount == 1437)
        #expect(Fixtures.test.sampleCount == 360)
        #expect(Fixtures.test.featureCount == 64)
        #expect(Fixtures.test.bytes == Fixtures.bytes("digits/test.ggd"))
        #expect(Fixtures.test.features.allSatisfy { (0...16).contains($0) })
        #expect(throws: InferenceError.trailingBytes(offset: 23412, count: 1)) { try Dataset(bytes: Fixtures.test.bytes + [0]) }
    }
}
