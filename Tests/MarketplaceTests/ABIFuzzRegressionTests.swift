import Marketplace
import Primitives
import Testing

/// Inputs of the ABI fuzz target (Fuzz/ABI; docs/reliability.md, "Coverage-guided fuzzing") that
/// broke the codec, each with the fuzz input inline as hex. The first byte of an input picks the
/// target's mode (0: a type text, a newline and data; 4 (and 4 + 5k): a type and a value made from the
/// input).
@Suite struct ABIFuzzRegressionTests {
    /// Fuzz input 31417f31003636 (mode 4) made the value [(), ()] of type `()[]`: the encoder wrote one
    /// word (the length 2, each empty tuple encodes to nothing), and the decoder refused it, since its
    /// decoding-bomb guard wants a byte per element. A dynamic array of a zero-sized type has a length
    /// no data can bound (one word can claim 2^255 elements), so the parser, the encoder and the
    /// decoder now refuse it alike; eth-abi 6.0.0 refuses every zero-sized tuple type ("Zero-sized
    /// tuple types "()" are not supported"). `()` itself (an empty argument list) stays; `()[k]` stayed
    /// too until a later finding (`()[100000000]`, ABICodecTests.fixedArrayOfZeroSizedTypeIsRefused).
    @Test func arrayOfZeroSizedElementsIsRefusedEverywhere() throws {
        let reason = "an array of a zero-sized type has a length no data can bound"
        for text in ["()[]", "()[2][]", "(()[3],())[]", "(uint256,()[])"] {
            #expect(throws: ABIError.self, "\(text) parsed") { try ABIType(parsing: text) }
        }
        #expect(try ABIType(parsing: "()").description == "()")
        #expect(throws: ABIError.self) { try ABIType(parsing: "()[2]") }

        let type = ABIType.array(.tuple([]))
        #expect(throws: ABIError.invalidType("()[]", reason: reason)) {
            try ABI.encode(.array([.tuple([]), .tuple([])]), as: type)
        }
        let lengthTwo = TestSupport.bytes("""
            0000000000000000000000000000000000000000000000000000000000000020
            0000000000000000000000000000000000000000000000000000000000000002
            """)
        #expect(throws: ABIError.invalidType("()[]", reason: reason)) { try ABI.decode(type, from: lengthTwo) }
    }

    /// Fuzz input 00 "uint256[300000000000000000]" 0a (mode 0, hex
    /// 0075696e743235365b3330303030303030303030303030303030305d0a): the type parsed, and its head size,
    /// 32 × 3·10^17 = 9.6·10^18 bytes, overflowed Int (2^63 − 1 ≈ 9.22·10^18) and trapped. The size now
    /// saturates at Int.max, and decoding refuses a fixed array whose heads cannot fit in the data
    /// before making any element (2^40 elements would otherwise be allocated first).
    @Test func fixedArrayLongerThanAnyDataIsRefusedWithoutTrapping() throws {
        let huge = try ABIType(parsing: "uint256[300000000000000000]")
        #expect(huge.headSize == Int.max)
        #expect(throws: ABIError.truncated(type: "uint256[300000000000000000]", offset: 0, needed: .max, available: 32)) {
            try ABI.decode(huge, from: [UInt8](repeating: 0, count: 32))
        }

        let large = try ABIType(parsing: "uint8[1099511627776]")  // 2^40 elements
        #expect(large.headSize == 35_184_372_088_832)  // 32 × 2^40
        #expect(throws: ABIError.truncated(type: "uint8[1099511627776]", offset: 0, needed: 35_184_372_088_832, available: 64)) {
            try ABI.decode(large, from: [UInt8](repeating: 0, count: 64))
        }
        #expect(throws: ABIError.wrongCount(type: "uint8[1099511627776]", expected: 1_099_511_627_776, actual: 1)) {
            try ABI.encode(.array([.uint(1)]), as: large)
        }
        #expect(try ABIType(parsing: "(uint256[300000000000000000],uint256[300000000000000000])").headSize == Int.max)
    }
}
