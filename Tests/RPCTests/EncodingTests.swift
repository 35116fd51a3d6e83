import Chain
import ChainTypes
import JSONRPC
import Primitives
import RPC
import Testing

/// Hex arguments, JSON text and revert reasons.
@Suite struct EncodingTests {
    @Test(arguments: [
        ("0x0", UInt256.zero), ("0x1a", UInt256(26)), ("0xFF", UInt256(255)),
        ("0x" + String(repeating: "f", count: 64), UInt256.max),
    ])
    func quantitiesDecode(text: String, value: UInt256) throws {
        #expect(try HexArgument.quantity(.string(text)) == value)
    }

    @Test(arguments: [
        ("", "json: cannot unmarshal empty hex string into Go value of type *hexutil.Big"),
        ("0x", "json: cannot unmarshal hex string \"0x\" into Go value of type *hexutil.Big"),
        ("0x00", "json: cannot unmarshal hex number with leading zero digits into Go value of type *hexutil.Big"),
        ("12", "json: cannot unmarshal hex string without 0x prefix into Go value of type *hexutil.Big"),
        ("0xg", "json: cannot unmarshal invalid hex string into Go value of type *hexutil.Big"),
        ("0x1" + String(repeating: "0", count: 64), "json: cannot unmarshal hex number > 256 bits into Go value of type *hexutil.Big"),
    ])
    func badQuantitiesAreRejectedAsGethDoes(text: String, message: String) {
        #expect(throws: ArgumentError(message)) { try HexArgument.quantity(.string(text)) }
    }

    @Test func uint64Range() {
        #expect(throws: ArgumentError("json: cannot unmarshal hex number > 64 bits into Go value of type hexutil.Uint64")) {
            try HexArgument.uint64(.string("0x10000000000000000"))
        }
    }

    @Test func emptyDataIsAllowed() throws {
        #expect(try HexArgument.bytes(.string("")) == [])
        #expect(try HexArgument.bytes(.string("0x")) == [])
        #expect(try HexArgument.bytes(.string("0x00ff")) == [0, 255])
    }

    @Test func jsonRoundTripKeepsOrderAndNumbers() throws {
        let text = "{\"b\":1,\"a\":[true,false,null,\"x\\u003cy\\n\"],\"n\":12345678901234567890,\"f\":-1.5e3}"
        let value = try JSON.parse(text)
        #expect(value.serialized == text)
    }

    @Test func stringsEscapedLikeGo() {
        #expect(JSON.string("<a&b>\u{1}\"\\").serialized == "\"\\u003ca\\u0026b\\u003e\\u0001\\\"\\\\\"")
        // Go's encoding/json: U+2028/U+2029 escaped, other non-ASCII and DEL (0x7f) written as they are,
        // \r \t \n as two-character escapes, other controls as \u00XX.
        #expect(JSON.string("é\u{2028}x\u{2029}\r\t\n\u{7f}\u{1f}€").serialized
                == "\"é\\u2028x\\u2029\\r\\t\\n\u{7f}\\u001f€\"")
    }

    @Test func parseErrorsSayWhatWasFoundAndExpected() {
        #expect(throws: JSONParseError(offset: 5, reason: "found '1', expected ':'")) { try JSON.parse("{\"a\" 1}") }
        #expect(throws: JSONParseError(offset: 3, reason: "found ']', expected a value")) { try JSON.parse("[1,]") }
        #expect(throws: JSONParseError(offset: 2, reason: "found the end, expected a digit")) { try JSON.parse("1.") }
        #expect(throws: JSONParseError(offset: 4, reason: "found 'x', expected the end of the input")) { try JSON.parse("[1] x") }
        #expect(throws: JSONParseError(offset: 1, reason: "found 'o', expected 'null'")) { try JSON.parse("nope") }
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "tru", "1.", "-", "[1] x"])
    func malformedJSONIsRejected(text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func revertReasonDecodes() {
        let data = RevertReason.errorSelector + UInt256(32).bigEndianBytes + UInt256(3).bigEndianBytes
            + Array("abc".utf8) + [UInt8](repeating: 0, count: 29)
        #expect(RevertReason.decode(data) == "abc")
        #expect(RevertReason.decode([0x08, 0xc3]) == nil)
        #expect(RPCError.executionReverted([0xde, 0xad]).json.serialized
                == "{\"code\":3,\"message\":\"execution reverted\",\"data\":\"0xdead\"}")
    }

    @Test(arguments: [(0.5, "0.5"), (0.0, "0"), (1.0, "1"), (0.000021, "0.000021"), (0.0007, "0.0007"), (1e-7, "1e-7")])
    func floatsLikeGo(value: Double, text: String) {
        #expect(ChainJSON.float(value).serialized == text)
    }

    @Test func blockReferences() throws {
        #expect(try BlockArgument.numberOrHash(.string("pending")) == BlockArgument.Selection(.pending))
        #expect(try BlockArgument.numberOrHash(.string("0x10")) == BlockArgument.Selection(.number(16)))
        let hash = "0x" + String(repeating: "ab", count: 32)
        #expect(try BlockArgument.numberOrHash(.object([("blockHash", .string(hash)), ("requireCanonical", .bool(true))]))
                == BlockArgument.Selection(.hash(try Hash32(hex: hash)), requireCanonical: true))
    }
}
