import ChainTypes
import FuzzChainSupport
import FuzzSupport
import Primitives
import State

// Blocks, headers and receipts (ChainTypes): the strict decoders with both round trips.
//
// 1. The input as a block, a header and a receipt: whatever a decoder accepts re-encodes to the
//    input. A header's extra data goes through the Clique layout (`CliqueExtraData`), whose bytes
//    must round-trip too, and a block's transactions root is computed.
// 2. The input as a recipe for a block (header + transactions) and a receipt: decode(encode(x)) == x.

@main
enum FuzzBlock {
    static func main() { Fuzz.main(test: fuzzBlock, seeds: blockSeeds) }
}

func fuzzBlock(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    if let block = try? Block(encoded: input) {
        Fuzz.check(block.encoded == input, "block: encode(decode(b)) != b for \(Fuzz.hex(input))")
        _ = Block.transactionsRoot(of: block.transactions)
        checkHeader(block.header)
    }
    if let header = try? Header(encoded: input) {
        Fuzz.check(header.encoded == input, "header: encode(decode(b)) != b for \(Fuzz.hex(input))")
        checkHeader(header)
    }
    if let receipt = try? Receipt(encoded: input) {
        Fuzz.check(receipt.encoded == input, "receipt: encode(decode(b)) != b for \(Fuzz.hex(input))")
        _ = Block.receiptsRoot(of: [receipt])
    }

    var reader = FuzzReader(input)
    let header = ChainFuzzing.header(from: &reader)
    let transactions = (0 ..< Int(reader.byte() % 4)).map { _ in ChainFuzzing.transaction(from: &reader) }
    let block = Block(header: header, transactions: transactions)
    let encoded = block.encoded
    do {
        let decoded = try Block(encoded: encoded)
        Fuzz.check(decoded == block, "block: decode(encode(x)) != x for \(Fuzz.hex(encoded))")
        let decodedHeader = try Header(encoded: header.encoded)
        Fuzz.check(decodedHeader == header, "header: decode(encode(x)) != x for \(Fuzz.hex(header.encoded))")
    } catch {
        Fuzz.check(false, "the decoder rejects the encoder's block \(Fuzz.hex(encoded)): \(error)")
    }
    let receipt = ChainFuzzing.receipt(from: &reader)
    do {
        let decoded = try Receipt(encoded: receipt.encoded)
        Fuzz.check(decoded == receipt, "receipt: decode(encode(x)) != x for \(Fuzz.hex(receipt.encoded))")
    } catch {
        Fuzz.check(false, "the decoder rejects the encoder's receipt \(Fuzz.hex(receipt.encoded)): \(error)")
    }
    return 0
}

func checkHeader(_ header: Header) {
    _ = header.hash
    _ = header.sealHash
    if let extra = try? CliqueExtraData(bytes: header.extraData) {
        Fuzz.check(extra.bytes == header.extraData, "Clique extra data does not round-trip: \(Fuzz.hex(header.extraData))")
    }
}

func blockSeeds() -> [(name: String, bytes: [UInt8])] {
    let transactions = ChainFuzzing.sampleTransactions().map(\.transaction)
    let london = ChainFuzzing.sampleHeader(number: 1, baseFee: 875_000_000)
    let preLondon = ChainFuzzing.sampleHeader(number: 2, baseFee: nil)
    let log = Log(address: ChainFuzzing.key.address, topics: [Keccak256.hash([9]), Keccak256.hash([10])], data: [1, 2, 3])
    return [
        (name: "block-empty", bytes: Block(header: london, transactions: []).encoded),
        (name: "block-all-types", bytes: Block(header: london, transactions: transactions).encoded),
        (name: "block-pre-london", bytes: Block(header: preLondon, transactions: Array(transactions.prefix(2))).encoded),
        (name: "header-london", bytes: london.encoded),
        (name: "header-pre-london", bytes: preLondon.encoded),
        (name: "receipt-legacy", bytes: Receipt(type: .legacy, status: .success, cumulativeGasUsed: 21_000, logs: []).encoded),
        (name: "receipt-dynamic-fee", bytes: Receipt(type: .dynamicFee, status: .failure, cumulativeGasUsed: 1_000_000,
                                                     logs: [log, log]).encoded),
        (name: "recipe-block", bytes: [0, 1, 2, 3] + [UInt8](repeating: 0x44, count: 300)),
    ]
}
