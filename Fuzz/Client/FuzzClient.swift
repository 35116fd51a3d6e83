import FuzzSupport
import Marketplace
import Primitives

// The marketplace client's readers of what a node and a user send it (Marketplace): JSON-RPC result
// objects (receipts, blocks, logs), marketplace event logs, and the CLI's amounts, durations and
// basis points. A hostile node must not crash the enclave worker or `goldengrain market`. The first
// input byte picks what the rest is:
//
// 0 — a JSON result: read as a receipt, a block summary and a log (and each element of an array).
// 1 — a log: one of the marketplace's event topics (or none), more topics, then data, decoded by
//     `MarketplaceClient.decode(topics:data:)` into a typed event.
// 2 — text: ether amounts, durations and basis points; what parses formats to text that parses to
//     the same value.
// 3 — a recipe: a wei amount and a duration; parse(format(x)) == x.

@main
enum FuzzClient {
    static func main() { Fuzz.main(test: fuzzClient, seeds: clientSeeds) }
}

func fuzzClient(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = FuzzReader(Fuzz.bytes(data, size))
    switch reader.byte() % 4 {
    case 0: results(Array(reader.remaining))
    case 1: logs(&reader)
    case 2: texts(Array(reader.remaining))
    default: recipes(&reader)
    }
    return 0
}

func results(_ bytes: [UInt8]) {
    guard let json = try? JSON.parse(bytes) else { return }
    var values = [json]
    if case .array(let elements) = json { values += elements.prefix(50) }
    for value in values {
        _ = try? TransactionReceipt(json: value)
        _ = try? BlockSummary(json: value)
        _ = try? LogEntry(json: value, method: "eth_getLogs")
    }
}

func logs(_ reader: inout FuzzReader) {
    let pick = Int(reader.byte())
    var topics: [Hash32] = []
    if pick & 0x80 == 0 { topics.append(MarketplaceABI.events[pick % MarketplaceABI.events.count].topic) }
    for _ in 0 ..< Int(reader.byte() % 5) {
        let bytes = reader.bytes(32)
        topics.append(Hash32(bytes + [UInt8](repeating: 0, count: 32 - bytes.count)))
    }
    _ = try? MarketplaceClient.decode(topics: topics, data: Array(reader.remaining))
}

func texts(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self) else { return }
    for part in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(8) {
        let field = String(part)
        if let wei = try? Ether.parse(field) {
            Fuzz.check((try? Ether.parse(Ether.format(wei))) == wei, "ether \(field) = \(wei) wei formats to \(Ether.format(wei))")
        }
        if let seconds = try? MarketDuration.parse(field) {
            Fuzz.check((try? MarketDuration.parse(MarketDuration.format(seconds))) == seconds,
                       "duration \(field) = \(seconds) s formats to \(MarketDuration.format(seconds))")
        }
        if let bps = try? BasisPoints.parse(field) { _ = BasisPoints.percent(bps) }
    }
}

func recipes(_ reader: inout FuzzReader) {
    let wei = UInt256(bigEndianBytes: reader.bytes(Int(reader.byte() % 33)))
    let text = Ether.format(wei)
    Fuzz.check((try? Ether.parse(text)) == wei, "\(wei) wei formats to \(text), which does not parse back")
    let seconds = reader.uint64(byteCount: Int(reader.byte() % 9))
    if seconds > 0 {
        let duration = MarketDuration.format(seconds)
        Fuzz.check((try? MarketDuration.parse(duration)) == seconds, "\(seconds) s formats to \(duration), which does not parse back")
    }
}

func clientSeeds() -> [(name: String, bytes: [UInt8])] {
    let hash = "0x" + String(repeating: "ab", count: 32)
    let address = "0x0000000000000000000000000000000000002000"
    let log = #"{"address":"\#(address)","topics":["\#(hash)"],"data":"0x01","blockNumber":"0x2","blockHash":"\#(hash)","transactionHash":"\#(hash)","logIndex":"0x0","removed":false}"#
    let receipt = #"{"transactionHash":"\#(hash)","blockNumber":"0x2","blockHash":"\#(hash)","status":"0x1","gasUsed":"0x5208","cumulativeGasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00","contractAddress":null,"logs":[\#(log)]}"#
    let block = #"{"number":"0x2","hash":"\#(hash)","parentHash":"\#(hash)","timestamp":"0x6553f100","gasLimit":"0x1c9c380","gasUsed":"0x0","baseFeePerGas":"0x7","transactions":["\#(hash)"]}"#
    var seeds: [(name: String, bytes: [UInt8])] = [
        (name: "receipt", bytes: [0] + Array(receipt.utf8)),
        (name: "block", bytes: [0] + Array(block.utf8)),
        (name: "logs", bytes: [0] + Array("[\(log),\(log)]".utf8)),
        (name: "texts", bytes: [2] + Array("1.5\n0.000000000000000001\n.25\n1h30m\n2d\n9250\n10000\n3.".utf8)),
        (name: "recipe", bytes: [3, 9, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0x00, 0x00, 0x01, 3, 0x01, 0x51, 0x80]),
    ]
    // A ModelSold log made by the ABI encoder.
    if let sold = MarketplaceABI.events.firstIndex(where: { $0.name == "ModelSold" }) {
        let event = MarketplaceABI.events[sold]
        let values: [ABIValue] = event.parameters.map { parameter in
            switch parameter.type {
            case .bytes: return .bytes([UInt8](repeating: 0xcd, count: 125))
            case .address: return .address(Address(high: 0, middle: 0, low: 0x2000))
            case .fixedBytes: return .bytes32(Keccak256.hash([1]))
            default: return .uint(7)
            }
        }
        if let log = try? event.encodeLog(values) {
            seeds.append((name: "log-ModelSold", bytes: [1, UInt8(sold), UInt8(log.topics.count - 1)]
                + log.topics.dropFirst().flatMap(\.bytes) + log.data))
        }
    }
    return seeds
}
