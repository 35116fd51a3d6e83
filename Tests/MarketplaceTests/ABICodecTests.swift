import Marketplace
import Primitives
import Testing

/// Type parsing, strict decoding, events, revert reasons and JSON ABIs.
@Suite struct ABICodecTests {
    @Test(arguments: [
        ("uint", "uint256"), ("int", "int256"), ("uint8", "uint8"), ("int256", "int256"), ("bytes1", "bytes1"),
        ("bytes32", "bytes32"), ("bytes", "bytes"), ("string", "string"), ("address[]", "address[]"),
        ("uint[2][]", "uint256[2][]"), ("(uint,string)[3]", "(uint256,string)[3]"), ("()", "()"),
        ("((bool,bytes)[],address)", "((bool,bytes)[],address)"),
    ])
    func parsesToCanonicalSpelling(text: String, canonical: String) throws {
        #expect(try ABIType(parsing: text).description == canonical)
    }

    @Test(arguments: ["uint7", "uint264", "uint0", "int08", "bytes0", "bytes33", "fixed128x18", "uint256[0]",
                      "uint256[", "(uint256", "(uint256,)", "uint256 ", "", "tuple", "string[01]"])
    func rejectsInvalidTypes(text: String) {
        #expect(throws: ABIError.self) { try ABIType(parsing: text) }
    }

    @Test func dynamicAndHeadSizes() throws {
        #expect(try ABIType(parsing: "uint256[3]").headSize == 96)
        #expect(try ABIType(parsing: "(uint8,bytes32[2])").headSize == 96)
        #expect(try ABIType(parsing: "string[3]").isDynamic)
        #expect(try ABIType(parsing: "string[3]").headSize == 32)
        #expect(try !ABIType(parsing: "(bool,address)[2]").isDynamic)
    }

    @Test func encodingRejectsValuesThatDoNotFit() {
        #expect(throws: ABIError.outOfRange(type: "uint8", value: "256")) { try ABI.encode(.uint(256), as: .uint(bits: 8)) }
        #expect(throws: ABIError.outOfRange(type: "int8", value: "128")) { try ABI.encode(.signed(128), as: .int(bits: 8)) }
        #expect(throws: ABIError.outOfRange(type: "int8", value: "-129")) { try ABI.encode(.signed(-129), as: .int(bits: 8)) }
        #expect(throws: ABIError.self) { try ABI.encode(.fixedBytes([1, 2]), as: .fixedBytes(count: 3)) }
        #expect(throws: ABIError.wrongCount(type: "uint256[2]", expected: 2, actual: 1)) {
            try ABI.encode(.array([.uint(1)]), as: .fixedArray(.uint256, count: 2))
        }
        #expect(throws: ABIError.typeMismatch(type: "string", value: "uint 5")) { try ABI.encode(.uint(5), as: .string) }
    }

    @Test func signedIntegersAreSignExtended() throws {
        let encoded = try ABI.encode(.signed(-2), as: .int(bits: 16))
        #expect(encoded == [UInt8](repeating: 0xff, count: 31) + [0xfe])
        #expect(try ABI.decode(.int(bits: 16), from: encoded) == .signed(-2))
        #expect(try ABI.encode(.signed(-32768), as: .int(bits: 16)) == [UInt8](repeating: 0xff, count: 30) + [0x80, 0x00])
    }

    @Test func decodingRejectsDirtyWords() {
        var word = [UInt8](repeating: 0, count: 32)
        word[30] = 1  // 256 in a uint8
        #expect(throws: ABIError.self) { try ABI.decode(.uint(bits: 8), from: word) }
        #expect(throws: ABIError.self) { try ABI.decode(.bool, from: word) }
        word = [UInt8](repeating: 0, count: 32)
        word[0] = 1  // a high byte before an address
        #expect(throws: ABIError.self) { try ABI.decode(.address, from: word) }
        word = [UInt8](repeating: 0, count: 32)
        word[31] = 0x80  // int8 -128 without sign extension
        #expect(throws: ABIError.self) { try ABI.decode(.int(bits: 8), from: word) }
        word = [UInt8](repeating: 0, count: 32)
        word[5] = 1  // padding after bytes4
        #expect(throws: ABIError.self) { try ABI.decode(.fixedBytes(count: 4), from: word) }
    }

    @Test func decodingRejectsOffsetsAndLengthsOutsideTheData() throws {
        // A bytes value whose length says 64 with only 32 bytes behind it.
        let lying = TestSupport.bytes("""
            0000000000000000000000000000000000000000000000000000000000000020
            0000000000000000000000000000000000000000000000000000000000000040
            6162630000000000000000000000000000000000000000000000000000000000
            """)
        #expect(throws: ABIError.truncated(type: "bytes", offset: 64, needed: 64, available: 32)) {
            try ABI.decode(.bytes, from: lying)
        }
        // An offset beyond the data.
        let far = TestSupport.bytes("0000000000000000000000000000000000000000000000000000000000000400")
        #expect(throws: ABIError.self) { try ABI.decode(.string, from: far) }
        // An offset of 2^255.
        let huge = TestSupport.bytes("8000000000000000000000000000000000000000000000000000000000000000")
        #expect(throws: ABIError.self) { try ABI.decode(.bytes, from: huge) }
        // An array count far beyond what the data could hold.
        let count = TestSupport.bytes("""
            0000000000000000000000000000000000000000000000000000000000000020
            00000000000000000000000000000000000000000000000000000000ffffffff
            """)
        #expect(throws: ABIError.self) { try ABI.decode(.array(.uint256), from: count) }
        // Padding after a string that is not zero.
        let dirty = TestSupport.bytes("""
            0000000000000000000000000000000000000000000000000000000000000020
            0000000000000000000000000000000000000000000000000000000000000001
            6162000000000000000000000000000000000000000000000000000000000000
            """)
        #expect(throws: ABIError.self) { try ABI.decode(.string, from: dirty) }
        // Bytes that are not UTF-8.
        let latin1 = TestSupport.bytes("""
            0000000000000000000000000000000000000000000000000000000000000020
            0000000000000000000000000000000000000000000000000000000000000001
            e900000000000000000000000000000000000000000000000000000000000000
            """)
        #expect(throws: ABIError.invalidUTF8(offset: 32)) { try ABI.decode(.string, from: latin1) }
    }

    @Test func decodingBombIsRefused() {
        // uint256[][] whose K inner offsets all point at one inner array of K elements: 2K + 3 words
        // of data that would decode to K² values.
        let k = 100
        var words: [UInt256] = [0x20, UInt256(UInt64(k))]
        words += Array(repeating: UInt256(UInt64(32 * k)), count: k)
        words.append(UInt256(UInt64(k)))
        words += (0..<k).map { UInt256(UInt64($0)) }
        let data = words.flatMap(\.bigEndianBytes)
        #expect(throws: ABIError.tooManyPointers(dataLength: data.count)) {
            try ABI.decode(.array(.array(.uint256)), from: data)
        }
    }

    @Test func fixedArrayOfZeroSizedTypeIsRefused() throws {
        // Found by the abi fuzz target (out-of-memory: malloc of 4,000,000,032 bytes): `()[100000000]`
        // has no heads, so no data bounded its count and the decoder made 10^8 values from 31 bytes.
        // Refused as `()[]` already was, by the parser, the decoder and the encoder alike (a bound on
        // such values instead let the encoder write `((),()[3][3][3],()[3][3][3])` from values the
        // decoder then refused: the fuzz target's second finding).
        #expect(throws: ABIError.self) { try ABIType(parsing: "()[100000000]") }
        #expect(throws: ABIError.self) { try ABIType(parsing: "(uint256,()[3])") }
        #expect(throws: ABIError.self) { try ABIType(parsing: "()[3][3][3]") }
        let hostile = ABIType.fixedArray(.tuple([]), count: 100_000_000)
        let data = [UInt8]("(((((((t1(((((((((((((((((((((".utf8) + [0x1e]  // the fuzz input's data
        #expect(data.count == 31)
        let reason = "an array of a zero-sized type has a length no data can bound"
        #expect(throws: ABIError.invalidType("()[100000000]", reason: reason)) { try ABI.decode([hostile], from: data) }
        let small = ABIType.fixedArray(.tuple([]), count: 3)
        #expect(throws: ABIError.invalidType("()[3]", reason: reason)) {
            try ABI.encode([.array([.tuple([]), .tuple([]), .tuple([])])], as: [small])
        }
        // The empty tuple itself, one value per occurrence in the type's text, still round-trips.
        let values = try ABI.decode([try ABIType(parsing: "((),uint8)")], from: ABI.encode([.tuple([.tuple([]), .uint(7)])],
                                                                                      as: [try ABIType(parsing: "((),uint8)")]))
        #expect(values == [.tuple([.tuple([]), .uint(7)])])
    }

    @Test func transferEventTopicAndLog() throws {
        let transfer = ABIEvent(name: "Transfer", parameters: [
            .init("from", .address, indexed: true), .init("to", .address, indexed: true), .init("value", .uint256),
        ])
        // The ERC-20 Transfer topic every block explorer shows.
        #expect(transfer.topic == (try Hash32(hex: "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")))
        let from = try Address(hex: "0x00000000000000000000000000000000000000aa")
        let to = try Address(hex: "0x00000000000000000000000000000000000000bb")
        let topics = [transfer.topic, from.word, to.word]
        let data = UInt256(1000).bigEndianBytes
        #expect(try transfer.decode(topics: topics, data: data) == [.address(from), .address(to), .uint(1000)])
        let encoded = try transfer.encodeLog([.address(from), .address(to), .uint(1000)])
        #expect(encoded.topics == topics)
        #expect(encoded.data == data)
        #expect(throws: ABIError.self) { try transfer.decode(topics: [transfer.topic, from.word], data: data) }
        #expect(throws: ABIError.self) { try transfer.decode(topics: [from.word, from.word, to.word], data: data) }
    }

    @Test func indexedDynamicParameterDecodesToItsHash() throws {
        let event = ABIEvent(name: "Named", parameters: [.init("name", .string, indexed: true), .init("n", .uint(bits: 8))])
        let nameHash = Keccak256.hash(Array("dave".utf8))
        let values = try event.decode(topics: [event.topic, nameHash], data: UInt256(7).bigEndianBytes)
        #expect(values == [.bytes32(nameHash), .uint(7)])
    }

    @Test func revertReasons() {
        // Solidity docs, "Error handling": revert("Not enough Ether provided.") returns this data.
        let error = TestSupport.bytes("""
            0x08c379a0
            0000000000000000000000000000000000000000000000000000000000000020
            000000000000000000000000000000000000000000000000000000000000001a
            4e6f7420656e6f7567682045746865722070726f76696465642e000000000000
            """)
        #expect(ABIRevertReason(data: error) == .error("Not enough Ether provided."))
        #expect(ABIRevertReason(data: error).description == "reverted: Not enough Ether provided.")
        let panic = TestSupport.bytes("0x4e487b71 0000000000000000000000000000000000000000000000000000000000000011")
        #expect(ABIRevertReason(data: panic) == .panic(0x11))
        #expect(ABIRevertReason(data: panic).description == "panic 0x11 (arithmetic overflow or underflow)")
        #expect(ABIRevertReason(data: []) == .empty)
        #expect(ABIRevertReason(data: [0xde, 0xad, 0xbe, 0xef, 1]) == .custom(selector: [0xde, 0xad, 0xbe, 0xef], arguments: [1]))
        // A truncated Error(string) is not mistaken for a reason.
        #expect(ABIRevertReason(data: Array(error.prefix(40))) == .custom(selector: Array(error.prefix(4)),
                                                                          arguments: Array(error[4..<40])))
    }

    @Test func jsonABIWithTuplesEventsAndErrors() throws {
        let abi = try ContractABI(jsonText: """
            {"abi": [
              {"type": "constructor", "inputs": [{"name": "owner", "type": "address"}]},
              {"type": "function", "name": "taskInfo", "stateMutability": "view",
               "inputs": [{"name": "taskId", "type": "uint256"}],
               "outputs": [{"name": "", "type": "address"}, {"name": "", "type": "bytes32"}]},
              {"type": "function", "name": "submit", "stateMutability": "payable",
               "inputs": [{"name": "items", "type": "tuple[]", "components": [
                   {"name": "a", "type": "uint16"}, {"name": "b", "type": "bytes"}]}], "outputs": []},
              {"type": "event", "name": "Refunded", "anonymous": false,
               "inputs": [{"name": "taskId", "type": "uint256", "indexed": true},
                          {"name": "amount", "type": "uint256", "indexed": false}]},
              {"type": "error", "name": "Insufficient", "inputs": [{"name": "need", "type": "uint256"}]},
              {"type": "fallback"}
            ]}
            """)
        #expect(abi.constructorInputs == [.address])
        #expect(abi.functions.map(\.signature) == ["taskInfo(uint256)", "submit((uint16,bytes)[])"])
        #expect(abi.function(named: "submit")?.isPayable == true)
        #expect(abi.function(named: "taskInfo")?.outputs == [.address, .bytes32])
        #expect(abi.events.map(\.signature) == ["Refunded(uint256,uint256)"])
        #expect(abi.errors.map(\.signature) == ["Insufficient(uint256)"])
        let call = try abi.function(named: "taskInfo")!.encodeCall([.uint(1)])
        #expect(abi.function(forCallData: call)?.name == "taskInfo")
        #expect(throws: ABIError.self) { try ContractABI(jsonText: "[{\"type\": \"function\"}]") }
    }
}
