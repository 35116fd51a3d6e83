import Primitives
import Testing

/// Known answers for the encoder, writer and typed reader. Sources: the worked examples of the
/// ethereum.org RLP page ("dog", ["cat","dog"], 1024, the set-theoretic three) and the Yellow Paper,
/// appendix B; integer rejections follow go-ethereum `rlp/decode_test.go` ("non-canonical integer").
@Suite struct RLPReaderTests {
    @Test func encodesDog() {
        #expect(RLP.encode(bytes: Array("dog".utf8)) == [0x83, 0x64, 0x6f, 0x67])
    }

    @Test func encodesCatDogList() {
        #expect(RLP.encode(.list([RLPItem(utf8: "cat"), RLPItem(utf8: "dog")]))
            == [0xc8, 0x83, 0x63, 0x61, 0x74, 0x83, 0x64, 0x6f, 0x67])
    }

    static let integerExamples: [(UInt64, [UInt8])] = [(0, [0x80]), (15, [0x0f]), (1024, [0x82, 0x04, 0x00])]

    @Test(arguments: integerExamples)
    func encodesInteger(_ value: UInt64, _ expected: [UInt8]) {
        #expect(RLP.encode(uint: value) == expected)
        #expect(RLP.encodedLength(ofUInt: value) == expected.count)
    }

    @Test func writerBuildsSetTheoreticThree() {
        // [ [], [[]], [ [], [[]] ] ] = 0xc7 c0 c1 c0 c3 c0 c1 c0
        var writer = RLPWriter()
        writer.appendList { three in
            three.appendList { _ in }
            three.appendList { one in one.appendList { _ in } }
            three.appendList { two in
                two.appendList { _ in }
                two.appendList { one in one.appendList { _ in } }
            }
        }
        #expect(writer.finish() == [0xc7, 0xc0, 0xc1, 0xc0, 0xc3, 0xc0, 0xc1, 0xc0])
    }

    @Test func readerDecodesTypedFields() throws {
        // [1024, "dog", ["cat"]]
        let encoded: [UInt8] = [0xcc, 0x82, 0x04, 0x00, 0x83, 0x64, 0x6f, 0x67, 0xc4, 0x83, 0x63, 0x61, 0x74]
        var reader = RLPReader(encoded)
        var fields = try reader.enterList()
        #expect(try fields.readUInt64() == 1024)
        #expect(Array(try fields.readBytes(exactly: 3)) == Array("dog".utf8))
        #expect(try fields.nextItemIsList())
        let inner = try fields.readList { (list: inout RLPReader) throws(RLPError) in Array(try list.readBytes()) }
        #expect(inner == Array("cat".utf8))
        #expect(fields.isAtEnd)
        #expect(reader.isAtEnd)
        try reader.expectEnd()
    }

    @Test func readRawItemReturnsWholeEncoding() throws {
        let encoded: [UInt8] = [0xc6, 0xc4, 0x83, 0x63, 0x61, 0x74, 0x05]
        var list = try RLPReader(encoded).enterListCopy()
        #expect(Array(try list.readRawItem()) == [0xc4, 0x83, 0x63, 0x61, 0x74])
        #expect(Array(try list.readRawItem()) == [0x05])
    }

    @Test func integerWithLeadingZeroIsRejected() {
        var reader = RLPReader([0x82, 0x00, 0x01])
        #expect(throws: RLPError.leadingZeroInInteger(offset: 0)) { try reader.readUInt64() }
    }

    @Test func zeroByteAsIntegerIsRejected() {
        var reader = RLPReader([0x00])
        #expect(throws: RLPError.leadingZeroInInteger(offset: 0)) { try reader.readUInt64() }
    }

    @Test func nineByteIntegerIsTooLargeForUInt64() {
        var reader = RLPReader([0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: RLPError.integerTooLarge(offset: 0, byteCount: 9, maximumByteCount: 8)) { try reader.readUInt64() }
    }

    @Test func wideIntegerBytesAreReturnedMinimal() throws {
        var reader = RLPReader([0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(try reader.readIntegerBytes(maximumByteCount: 32)) == [0x01, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func wrongFixedLengthNamesBothLengths() {
        var reader = RLPReader([0x83, 0x64, 0x6f, 0x67])
        #expect(throws: RLPError.wrongLength(offset: 0, expected: 20, actual: 3)) { try reader.readBytes(exactly: 20) }
    }

    @Test func listWhereBytesExpected() {
        var reader = RLPReader([0xc0])
        #expect(throws: RLPError.expectedBytes(offset: 0, header: 0xc0)) { try reader.readBytes() }
    }

    @Test func bytesWhereListExpected() {
        var reader = RLPReader([0x80])
        #expect(throws: RLPError.expectedList(offset: 0, header: 0x80)) { try reader.enterList() }
    }

    @Test func itemsLeftInListAreTrailingBytes() {
        var reader = RLPReader([0xc2, 0x01, 0x02])
        #expect(throws: RLPError.trailingBytes(offset: 2, count: 1)) {
            try reader.readList { (list: inout RLPReader) throws(RLPError) in try list.readUInt64() }
        }
    }

    @Test func wrappedByteMessageNamesOffsetAndByte() {
        // [1, 2, 0x81 0x05]: the bad item starts at offset 3.
        do {
            _ = try RLP.decode([0xc4, 0x01, 0x02, 0x81, 0x05])
            Issue.record("expected a rejection")
        } catch {
            #expect(error == .singleByteWrapped(offset: 3, byte: 0x05))
            #expect(error.description == "RLP at offset 3: string header 0x81 wraps single byte 0x05, expected the byte itself")
        }
    }

    @Test func itemPastEndOfListIsRejected() {
        // The list declares 2 payload bytes, its string item declares 3.
        #expect(throws: RLPError.lengthPastEnd(offset: 1, declared: 3, available: 1)) {
            try RLP.decode([0xc2, 0x83, 0x61, 0x62, 0x63])
        }
    }

    @Test func hugeLengthOverflows() {
        #expect(throws: RLPError.lengthOverflow(offset: 0, header: 0xff)) {
            try RLP.decode([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00])
        }
    }

    @Test func emptyInputIsRejected() {
        #expect(throws: RLPError.unexpectedEnd(offset: 0)) { try RLP.decode([]) }
    }

    @Test func deepNestingIsBounded() {
        // 2000 nested lists: c1 c1 … c0 is not valid (lengths differ), so build it with the writer.
        var writer = RLPWriter()
        var tokens: [RLPWriter.ListToken] = []
        for _ in 0 ..< 2000 { tokens.append(writer.beginList()) }
        for token in tokens.reversed() { writer.endList(token) }
        let encoded = writer.finish()
        #expect(throws: RLPError.nestingTooDeep(offset: offsetOfDepth1024(encoded), limit: 1024)) {
            try RLP.decode(encoded)
        }
    }

    /// The offset of the list header at nesting depth 1024 (the 1025th header), found by walking headers.
    private func offsetOfDepth1024(_ encoded: [UInt8]) -> Int {
        var offset = 0
        for _ in 0 ..< 1024 {
            let first = encoded[offset]
            offset += first >= 0xf8 ? 1 + Int(first - 0xf7) : 1
        }
        return offset
    }
}

extension RLPReader {
    /// Test helper: enters a list from a non-mutable reader.
    fileprivate func enterListCopy() throws(RLPError) -> RLPReader {
        var copy = self
        return try copy.enterList()
    }
}
