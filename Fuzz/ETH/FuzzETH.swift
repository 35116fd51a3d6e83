import ChainTypes
import ETH
import FuzzChainSupport
import FuzzSupport
import Primitives
import State

// eth/68 messages and the fork id (ETH): the strict decoders with both round trips. The first input
// byte picks a message (its value modulo 15); the rest is used twice:
//
// 1. as a payload: whatever `init(encoded:)` accepts re-encodes to the payload (encode(decode(b)) == b;
//    every eth/68 decoder is strict: exact field counts, canonical integers, no trailing bytes), and
//    the decoded value decodes again to itself;
// 2. as a recipe for a message of that kind (transactions, headers and receipts from
//    FuzzChainSupport): decode(encode(x)) == x.

@main
enum FuzzETH {
    static func main() { Fuzz.main(test: fuzzETH, seeds: ethSeeds) }
}

let messageKinds = ["Status", "NewBlockHashes", "Transactions", "GetBlockHeaders", "BlockHeaders", "GetBlockBodies",
                    "BlockBodies", "NewBlock", "NewPooledTransactionHashes", "GetPooledTransactions",
                    "PooledTransactions", "GetReceipts", "Receipts", "ForkID", "ForkID-in-Status"]

func fuzzETH(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    guard let selector = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    var reader = FuzzReader(rest)
    switch Int(selector) % messageKinds.count {
    case 0:
        checkDecoding(StatusMessage.self, rest)
        checkEncoding(status(from: &reader))
    case 1:
        checkDecoding(NewBlockHashesMessage.self, rest)
        let announcements = (0 ..< Int(reader.byte() % 8)).map { _ in
            NewBlockHashesMessage.Announcement(hash: ChainFuzzing.hash(from: &reader), number: ChainFuzzing.uint64(from: &reader))
        }
        checkEncoding(NewBlockHashesMessage(announcements: announcements))
    case 2:
        checkDecoding(TransactionsMessage.self, rest)
        checkEncoding(TransactionsMessage(transactions: transactions(from: &reader)))
    case 3:
        checkDecoding(GetBlockHeadersMessage.self, rest)
        let requestId = ChainFuzzing.uint64(from: &reader)
        let origin: BlockOrigin = reader.byte() & 1 == 0 ? .hash(ChainFuzzing.hash(from: &reader))
            : .number(ChainFuzzing.uint64(from: &reader))
        checkEncoding(GetBlockHeadersMessage(requestId: requestId, origin: origin, amount: ChainFuzzing.uint64(from: &reader),
                                             skip: ChainFuzzing.uint64(from: &reader), reverse: reader.byte() & 1 == 1))
    case 4:
        checkDecoding(BlockHeadersMessage.self, rest)
        let requestId = ChainFuzzing.uint64(from: &reader)
        let headers = (0 ..< Int(reader.byte() % 3)).map { _ in ChainFuzzing.header(from: &reader) }
        checkEncoding(BlockHeadersMessage(requestId: requestId, headers: headers))
    case 5:
        checkDecoding(GetBlockBodiesMessage.self, rest)
        checkEncoding(GetBlockBodiesMessage(requestId: ChainFuzzing.uint64(from: &reader), hashes: hashes(from: &reader)))
    case 6:
        checkDecoding(BlockBodiesMessage.self, rest)
        let requestId = ChainFuzzing.uint64(from: &reader)
        let bodies = (0 ..< Int(reader.byte() % 3)).map { _ in body(from: &reader) }
        checkEncoding(BlockBodiesMessage(requestId: requestId, bodies: bodies))
    case 7:
        checkDecoding(NewBlockMessage.self, rest)
        let header = ChainFuzzing.header(from: &reader)
        let block = Block(header: header, transactions: transactions(from: &reader))
        checkEncoding(NewBlockMessage(block: block, totalDifficulty: ChainFuzzing.uint256(from: &reader)))
    case 8:
        checkDecoding(NewPooledTransactionHashesMessage.self, rest)
        let count = Int(reader.byte() % 8)
        var types: [UInt8] = [], sizes: [UInt32] = [], hashes: [Hash32] = []
        for _ in 0 ..< count {
            types.append(reader.byte())
            sizes.append(UInt32(truncatingIfNeeded: ChainFuzzing.uint64(from: &reader)))
            hashes.append(ChainFuzzing.hash(from: &reader))
        }
        checkEncoding(NewPooledTransactionHashesMessage(types: types, sizes: sizes, hashes: hashes))
        let announced = transactions(from: &reader)
        let announcement = NewPooledTransactionHashesMessage(announcing: announced)
        Fuzz.check(announcement.hashes == announced.map(\.hash) && announcement.types.count == announced.count,
                   "NewPooledTransactionHashes(announcing:) lost a transaction")
        checkEncoding(announcement)
    case 9:
        checkDecoding(GetPooledTransactionsMessage.self, rest)
        checkEncoding(GetPooledTransactionsMessage(requestId: ChainFuzzing.uint64(from: &reader), hashes: hashes(from: &reader)))
    case 10:
        checkDecoding(PooledTransactionsMessage.self, rest)
        checkEncoding(PooledTransactionsMessage(requestId: ChainFuzzing.uint64(from: &reader), transactions: transactions(from: &reader)))
    case 11:
        checkDecoding(GetReceiptsMessage.self, rest)
        checkEncoding(GetReceiptsMessage(requestId: ChainFuzzing.uint64(from: &reader), hashes: hashes(from: &reader)))
    case 12:
        checkDecoding(ReceiptsMessage.self, rest)
        let requestId = ChainFuzzing.uint64(from: &reader)
        let receipts = (0 ..< Int(reader.byte() % 3)).map { _ in
            (0 ..< Int(reader.byte() % 3)).map { _ in ChainFuzzing.receipt(from: &reader) }
        }
        checkEncoding(ReceiptsMessage(requestId: requestId, receipts: receipts))
    default:
        checkForkID(rest, reader: &reader)
    }
    return 0
}

/// Payload → message: encode(decode(b)) == b, and the decoded message decodes again to itself.
func checkDecoding<M: ETHMessage & Equatable>(_ type: M.Type, _ input: [UInt8]) {
    guard let message = try? M(encoded: input) else { return }
    let encoded = message.encoded
    Fuzz.check(encoded == input, "\(M.self): encode(decode(b)) != b for \(Fuzz.hex(input)), re-encoded \(Fuzz.hex(encoded))")
    let again = try? M(encoded: encoded)
    Fuzz.check(again == message, "\(M.self): decode(encode(x)) != x for \(Fuzz.hex(encoded))")
}

/// Message → payload: decode(encode(x)) == x.
func checkEncoding<M: ETHMessage & Equatable>(_ message: M) {
    let encoded = message.encoded
    do {
        let decoded = try M(encoded: encoded)
        Fuzz.check(decoded == message, "\(M.self): decode(encode(x)) != x for \(Fuzz.hex(encoded))")
    } catch {
        Fuzz.check(false, "\(M.self): the decoder rejects the encoder's \(Fuzz.hex(encoded)): \(error)")
    }
}

func checkForkID(_ input: [UInt8], reader: inout FuzzReader) {
    if let forkID = try? ForkID(encoded: input) {
        Fuzz.check(forkID.encoded == input, "ForkID: encode(decode(b)) != b for \(Fuzz.hex(input))")
        _ = forkID.description
        // A fork id from a peer checked against a schedule never traps.
        let schedule = ForkSchedule(genesisHash: Keccak256.hash([1]), genesisTime: 1_700_000_000,
                                    blockForks: [0, 5, 1_000], timeForks: [1_700_000_100, 1_800_000_000])
        _ = try? schedule.validate(forkID, head: ChainFuzzing.uint64(from: &reader), time: ChainFuzzing.uint64(from: &reader))
    }
    let forkID = ForkID(hash: UInt32(truncatingIfNeeded: reader.uint64(byteCount: 4)), next: ChainFuzzing.uint64(from: &reader))
    Fuzz.check(forkID.hashBytes.count == 4, "ForkID: hashBytes has \(forkID.hashBytes.count) bytes")
    do {
        let decoded = try ForkID(encoded: forkID.encoded)
        Fuzz.check(decoded == forkID, "ForkID: decode(encode(x)) != x for \(Fuzz.hex(forkID.encoded))")
    } catch {
        Fuzz.check(false, "ForkID: the decoder rejects the encoder's \(Fuzz.hex(forkID.encoded)): \(error)")
    }
}

// MARK: Recipes

func status(from reader: inout FuzzReader) -> StatusMessage {
    StatusMessage(version: ChainFuzzing.uint64(from: &reader), networkId: ChainFuzzing.uint64(from: &reader),
                  totalDifficulty: ChainFuzzing.uint256(from: &reader), head: ChainFuzzing.hash(from: &reader),
                  genesis: ChainFuzzing.hash(from: &reader),
                  forkID: ForkID(hash: UInt32(truncatingIfNeeded: reader.uint64(byteCount: 4)), next: ChainFuzzing.uint64(from: &reader)))
}

func transactions(from reader: inout FuzzReader) -> [Transaction] {
    (0 ..< Int(reader.byte() % 4)).map { _ in ChainFuzzing.transaction(from: &reader) }
}

func hashes(from reader: inout FuzzReader) -> [Hash32] {
    (0 ..< Int(reader.byte() % 8)).map { _ in ChainFuzzing.hash(from: &reader) }
}

func body(from reader: inout FuzzReader) -> BlockBody {
    let transactions = transactions(from: &reader)
    let uncles = (0 ..< Int(reader.byte() % 2)).map { _ in ChainFuzzing.header(from: &reader) }
    let selector = reader.byte()
    let withdrawals: [Withdrawal]? = selector & 1 == 0 ? nil : (0 ..< Int(selector >> 1) % 3).map { _ in
        Withdrawal(index: ChainFuzzing.uint64(from: &reader), validatorIndex: ChainFuzzing.uint64(from: &reader),
                   address: ChainFuzzing.address(from: &reader), amount: ChainFuzzing.uint64(from: &reader))
    }
    return BlockBody(transactions: transactions, uncles: uncles, withdrawals: withdrawals)
}

// MARK: Seeds

func ethSeeds() -> [(name: String, bytes: [UInt8])] {
    func seed(_ index: Int, _ suffix: String, _ bytes: [UInt8]) -> (name: String, bytes: [UInt8]) {
        (name: messageKinds[index].lowercased() + suffix, bytes: [UInt8(index)] + bytes)
    }
    let transactions = ChainFuzzing.sampleTransactions().map(\.transaction)
    let header = ChainFuzzing.sampleHeader(number: 1, baseFee: 875_000_000)
    let preLondon = ChainFuzzing.sampleHeader(number: 2, baseFee: nil)
    let forkID = ForkID(hash: 0xfc64_ec04, next: 1_150_000)
    let status = StatusMessage(networkId: 31_337, totalDifficulty: 1_000_000, head: header.hash, genesis: preLondon.hash,
                               forkID: forkID)
    let log = Log(address: ChainFuzzing.key.address, topics: [Keccak256.hash([9])], data: [1, 2, 3])
    let receipts = [[Receipt(type: .legacy, status: .success, cumulativeGasUsed: 21_000, logs: []),
                     Receipt(type: .dynamicFee, status: .failure, cumulativeGasUsed: 90_000, logs: [log])], []]
    let withdrawal = Withdrawal(index: 1, validatorIndex: 2, address: ChainFuzzing.key.address, amount: 32_000_000_000)
    let hashes = [header.hash, preLondon.hash]
    return [
        seed(0, "", status.encoded),
        seed(1, "", NewBlockHashesMessage(announcements: [.init(hash: header.hash, number: 1), .init(hash: preLondon.hash, number: 2)]).encoded),
        seed(2, "", TransactionsMessage(transactions: transactions).encoded),
        seed(3, "-hash", GetBlockHeadersMessage(requestId: 7, origin: .hash(header.hash), amount: 192, skip: 0, reverse: true).encoded),
        seed(3, "-number", GetBlockHeadersMessage(requestId: 8, origin: .number(1_000), amount: 64, skip: 3).encoded),
        seed(4, "", BlockHeadersMessage(requestId: 9, headers: [header, preLondon]).encoded),
        seed(5, "", GetBlockBodiesMessage(requestId: 10, hashes: hashes).encoded),
        seed(6, "", BlockBodiesMessage(requestId: 11, bodies: [BlockBody(transactions: transactions),
                                                              BlockBody(transactions: [], uncles: [preLondon], withdrawals: [withdrawal])]).encoded),
        seed(7, "", NewBlockMessage(block: Block(header: header, transactions: Array(transactions.prefix(3))), totalDifficulty: 3).encoded),
        seed(8, "", NewPooledTransactionHashesMessage(announcing: transactions).encoded),
        seed(9, "", GetPooledTransactionsMessage(requestId: 12, hashes: transactions.map(\.hash)).encoded),
        seed(10, "", PooledTransactionsMessage(requestId: 13, transactions: transactions).encoded),
        seed(11, "", GetReceiptsMessage(requestId: 14, hashes: hashes).encoded),
        seed(12, "", ReceiptsMessage(requestId: 15, receipts: receipts).encoded),
        seed(13, "", forkID.encoded),
        seed(0, "-recipe", [1, 68, 2, 0x7a, 0x69, 3, 0x0f, 0x42, 0x40] + [UInt8](repeating: 0x33, count: 80)),
        seed(6, "-recipe", [1, 5, 2, 0x41] + [UInt8](repeating: 0x44, count: 300)),
    ]
}
