import ChainTypes
import Primitives
import State
import Testing

/// What the block fuzz target (Fuzz/Block; docs/reliability.md, "Coverage-guided fuzzing") found:
/// the header, block and receipt decoders skipped their field-count check when an item after the
/// last field was malformed (so that the error could name the first bad field), and then never
/// checked that the last field ended the list. A header with junk after its base fee decoded, and
/// re-encoded to other bytes with the same hash as the canonical header. Offsets in the expected
/// errors are computed by hand from the layouts below.
@Suite struct BlockDecodingFuzzRegressionTests {
    /// The input the fuzz target saved (634 bytes; the 256-byte bloom is zero): a block whose header
    /// list holds the 16 London fields, then 00, 34, c0 and 84 c0 c0, which claims four bytes where
    /// only one is left in the header list. pyrlp 4 (`rlp.decode(strict=True)`) refuses it. The
    /// header's payload ends at offset 632; its base fee (70) is at 627, so four bytes follow it.
    static let fuzzBlock = ChainTestSupport.bytes(
        "f90277f90272a05fe7f977e71dba2ea1a68e21057beebb9be2ac30c6410aa38d4f3fbe41dcffd2a01dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347940000000000000000000000000000000000000000a0f2ee15ea639b73fa3db9b34a245bdfa015c260c598b211bf05a1ecc4b3e3b4f2a069c322e3248a5dfc29d73c5b0553b0185a35cd5bb6386747517ef7e53b15e287a0f343681465b9efe82c933c3e8748c70cb8aa06539c361de20f72eac04e766393b90100"
            + String(repeating: "0", count: 512)
            + "02018401c9c380825208846955b900b87500000000000000000000000000000000000000000000000000000000000000002b072fba92ae8f225cfcc4ad2e38ab1dfca9d89b5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5aa00000000000000000000000000000000000000000000000000000000000000000880000000000000027700034c084c0c0")

    @Test func headerWithMalformedItemsAfterTheBaseFeeIsRefused() {
        #expect(Self.fuzzBlock.count == 634)
        #expect(throws: BlockError.malformedField(structure: "header", field: "header", .trailingBytes(offset: 628, count: 4))) {
            try Block(encoded: Self.fuzzBlock)
        }
    }

    /// A canonical London header (from the encoder), then the same list with the malformed item 81 00
    /// (a one-byte string wrapped, which RLP forbids) after the base fee.
    static let header = Header(parentHash: Keccak256.hash([1]), coinbase: Address(high: 0, middle: 0, low: 0x2000),
                               stateRoot: Keccak256.hash([2]), transactionsRoot: Keccak256.hash([3]),
                               receiptsRoot: Keccak256.hash([4]), logsBloom: Bloom(), difficulty: 2, number: 7,
                               gasLimit: 30_000_000, gasUsed: 0, timestamp: 1_767_225_600, extraData: [1, 2, 3],
                               mixHash: .zero, nonce: 0, baseFeePerGas: 7)

    /// `encoding` (a list with a 3-byte f9 header) with `junk` appended inside the list.
    static func appending(_ junk: [UInt8], insideListOf encoding: [UInt8]) -> [UInt8] {
        precondition(encoding[0] == 0xf9, "a list with a two-byte length is expected")
        let length = (Int(encoding[1]) << 8 | Int(encoding[2])) + junk.count
        return [0xf9, UInt8(length >> 8), UInt8(length & 0xff)] + encoding.dropFirst(3) + junk
    }

    @Test func headerWithTrailingMalformedItemIsRefused() throws {
        let canonical = Self.header.encoded
        #expect(try Header(encoded: canonical) == Self.header)
        let input = Self.appending([0x81, 0x00], insideListOf: canonical)
        #expect(throws: BlockError.malformedField(structure: "header", field: "header",
                                                  .trailingBytes(offset: canonical.count, count: 2))) {
            try Header(encoded: input)
        }
    }

    @Test func blockWithMalformedOmmersOrTrailingItemIsRefused() throws {
        let canonical = Block(header: Self.header, transactions: []).encoded
        #expect(Array(canonical.suffix(2)) == [0xc0, 0xc0])  // no transactions, no ommers
        // Ommers c2 81 00: a list holding a malformed item; the item starts where the canonical block ended.
        let malformedOmmers = Self.appending([0x81, 0x00], insideListOf: Array(canonical.dropLast()) + [0xc2])
        #expect(throws: BlockError.malformedField(structure: "block", field: "ommers",
                                                  .singleByteWrapped(offset: canonical.count, byte: 0x00))) {
            try Block(encoded: malformedOmmers)
        }
        let trailing = Self.appending([0x81, 0x00], insideListOf: canonical)
        #expect(throws: BlockError.malformedField(structure: "block", field: "block",
                                                  .trailingBytes(offset: canonical.count, count: 2))) {
            try Block(encoded: trailing)
        }
    }

    @Test func receiptWithTrailingMalformedItemIsRefused() throws {
        let receipt = Receipt(type: .legacy, status: .success, cumulativeGasUsed: 21_000, logs: [])
        let canonical = receipt.encoded
        #expect(try Receipt(encoded: canonical) == receipt)
        let input = Self.appending([0x81, 0x00], insideListOf: canonical)
        #expect(throws: BlockError.malformedField(structure: "receipt", field: "receipt",
                                                  .trailingBytes(offset: canonical.count, count: 2))) {
            try Receipt(encoded: input)
        }
    }
}
