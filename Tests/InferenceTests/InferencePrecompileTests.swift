import EVM
import Inference
import Primitives
import Testing

struct InferencePrecompileTests {
    let context = PrecompileContext(blockNumber: 1, timestamp: 1_700_000_000, chainId: 31337)

    @Test("the precompile lives at 0x…1001")
    func address() {
        #expect(InferencePrecompile.address.description.lowercased() == "0x0000000000000000000000000000000000001001")
    }

    @Test("the precompile and the CLI's evaluation agree bit for bit on the example model and test split")
    func matchesEvaluation() throws {
        let expected = try Fixtures.model.evaluate(on: Fixtures.test)
        let input = Fixtures.modelBytes + Fixtures.bytes("digits/test.ggd")
        guard case .success(let output) = InferencePrecompile().run(input: input, context: context) else {
            Issue.record("precompile failed")
            return
        }
        #expect(output.count == 96)
        #expect(UInt256(bigEndianBytes: output[0..<32]) == UInt256(UInt64(expected.correct)))
        #expect(UInt256(bigEndianBytes: output[32..<64]) == UInt256(360))
        #expect(Hash32(output[64..<96]) == expected.logitsHash)
        #expect(Array(output[64..<96]) == expected.logitsHash.bytes)
    }

    @Test("gas equals 1000 + ⌈MACs / 64⌉ + 6 per input word")
    func gasFormula() {
        let input = Fixtures.modelBytes + Fixtures.bytes("digits/test.ggd")
        let macs: UInt64 = 360 * (64 * 64 + 64 * 10)
        let words = (UInt64(input.count) + 31) / 32
        let expected = 1_000 + (macs + 63) / 64 + 6 * words
        #expect(InferencePrecompile().requiredGas(input: input) == expected)
        #expect(expected == 1_000 + 26_640 + 6 * 891)
    }

    @Test("malformed headers cost UInt64.max", arguments: [0, 3, 16, 100, 5078, 5090])
    func malformedHeaders(prefix: Int) {
        let input = Fixtures.modelBytes + Fixtures.bytes("digits/test.ggd")
        #expect(InferencePrecompile().requiredGas(input: Array(input.prefix(prefix))) == .max)
        #expect(InferencePrecompile().requiredGas(input: input + [0]) == .max)
    }

    @Test("a well-framed input that fails the strict parse returns failure")
    func strictFailure() throws {
        let badLabel = try Dataset(features: [1, 2], labels: [7], featureCount: 2)
        let input = InferencePrecompile.input(model: Fixtures.tinyModel, dataset: badLabel)
        #expect(InferencePrecompile().requiredGas(input: input) != .max)
        #expect(InferencePrecompile().run(input: input, context: context)
            == .failure("INFERENCE_EVAL: label 7 of sample 0 is not below the model's 2 classes"))
    }

    @Test("random byte flips of a precompile input never crash")
    func randomFlips() throws {
        var random = SplitMix64(seed: 0xabc)
        let dataset = try Dataset(features: [3, 1, 0, 5], labels: [0, 1], featureCount: 2)
        let original = InferencePrecompile.input(model: Fixtures.tinyModel, dataset: dataset)
        for _ in 0..<3000 {
            var input = original
            input[Int(random.next() % UInt64(input.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            let gas = InferencePrecompile().requiredGas(input: input)
            if gas != .max { _ = InferencePrecompile().run(input: input, context: context) }
        }
    }
}
