import FuzzSupport
import Primitives

// RLP (Primitives): the strict decoder and the typed reader, with both round trips.
//
// 1. The input as an encoding: if `RLP.decode` accepts it, re-encoding gives the same bytes (the
//    decoder accepts exactly one encoding per value) and the item's `encodedLength` is its length.
//    `RLPReader` walks the same bytes item by item (raw items, integers, nested lists) and must
//    agree with the tree.
// 2. The input as a recipe for an item tree (`item(from:)`): decode(encode(x)) == x, and
//    `RLPWriter` writes the same bytes as `RLP.encode`.

@main
enum FuzzRLP {
    static func main() { Fuzz.main(test: fuzzRLP, seeds: rlpSeeds) }
}

func fuzzRLP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    checkDecoding(input)
    var reader = FuzzReader(input)
    var budget = 2_000
    let item = item(from: &reader, depth: 0, budget: &budget)
    checkEncoding(item)
    return 0
}

func checkDecoding(_ input: [UInt8]) {
    let decoded: RLPItem
    do {
        decoded = try RLP.decode(input)
    } catch {
        walk(input, expected: nil)
        return
    }
    let encoded = RLP.encode(decoded)
    Fuzz.check(encoded == input, "RLP.encode(RLP.decode(b)) != b: b = \(Fuzz.hex(input)), re-encoded \(Fuzz.hex(encoded))")
    Fuzz.check(decoded.encodedLength == input.count,
               "encodedLength \(decoded.encodedLength) for a \(input.count)-byte encoding")
    walk(input, expected: decoded)
}

/// Reads `input` with `RLPReader` alone; when `expected` is the tree `RLP.decode` gave, the reader
/// must see the same items.
func walk(_ input: [UInt8], expected: RLPItem?) {
    var reader = RLPReader(input)
    var copy = reader
    do {
        let isList = try reader.nextItemIsList()
        let raw = try copy.readRawItem()
        if let expected {
            Fuzz.check(isList == expected.isList, "nextItemIsList \(isList) for \(Fuzz.hex(input))")
            Fuzz.check(Array(raw) == input, "readRawItem read \(raw.count) of \(input.count) bytes")
        }
        let item = try reader.readItem()
        if let expected { Fuzz.check(item == expected, "readItem and RLP.decode disagree on \(Fuzz.hex(input))") }
    } catch {
        Fuzz.check(expected == nil, "RLPReader rejects what RLP.decode accepts: \(error), input \(Fuzz.hex(input))")
    }
    // Typed reads of whatever comes first, each from a fresh reader: they may fail, never trap.
    var integer = RLPReader(input)
    if let value = try? integer.readUInt64() {
        var bytes = RLPReader(input)
        let raw = (try? bytes.readIntegerBytes(maximumByteCount: 8)) ?? []
        Fuzz.check(raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == value, "readUInt64 \(value) disagrees with its bytes")
        Fuzz.check(RLP.encode(uint: value) == Array(input.prefix(RLP.encodedLength(ofUInt: value))),
                   "readUInt64 read \(value) from \(Fuzz.hex(input)), which does not start with its encoding")
    }
    var exact = RLPReader(input)
    _ = try? exact.readBytes(exactly: 32)
    var list = RLPReader(input)
    if var items = try? list.enterList() {
        var count = 0
        while !items.isAtEnd, count < 10_000 {
            guard (try? items.skipItem()) != nil else { break }
            count += 1
        }
        _ = try? items.expectEnd()
    }
}

/// Builds an item tree from the input: 0–63 a byte string of that many bytes, 64–127 a one-byte
/// string, 128–191 a list of (byte − 128) % 8 + the next byte % 4 items, anything else an integer.
func item(from reader: inout FuzzReader, depth: Int, budget: inout Int) -> RLPItem {
    budget -= 1
    let selector = reader.byte()
    switch selector {
    case 0 ..< 64:
        return .bytes(reader.bytes(Int(selector)))
    case 64 ..< 128:
        return .bytes([reader.byte()])
    case 128 ..< 192 where depth < 64 && budget > 0:
        let count = Int(selector - 128) % 8 + Int(reader.byte()) % 4
        var items: [RLPItem] = []
        for _ in 0 ..< count where budget > 0 { items.append(item(from: &reader, depth: depth + 1, budget: &budget)) }
        return .list(items)
    case 192 ... 255:
        if selector == 255 {
            // A long string, to reach the long-form headers.
            return .bytes(reader.bytes(Int(reader.uint64(byteCount: 2)) % 2_048))
        }
        return RLPItem(uint: reader.uint64(byteCount: Int(selector % 9)))
    default:
        return .list([])
    }
}

func checkEncoding(_ item: RLPItem) {
    let encoded = RLP.encode(item)
    Fuzz.check(encoded.count == item.encodedLength, "encodedLength \(item.encodedLength), encoding has \(encoded.count) bytes")
    do {
        let decoded = try RLP.decode(encoded)
        Fuzz.check(decoded == item, "RLP.decode(RLP.encode(x)) != x for encoding \(Fuzz.hex(encoded))")
    } catch {
        Fuzz.check(false, "RLP.decode rejects RLP.encode's output \(Fuzz.hex(encoded)): \(error)")
    }
    var writer = RLPWriter()
    write(item, to: &writer)
    let written = writer.finish()
    Fuzz.check(written == encoded, "RLPWriter wrote \(Fuzz.hex(written)), RLP.encode \(Fuzz.hex(encoded))")
}

func write(_ item: RLPItem, to writer: inout RLPWriter) {
    switch item {
    case .bytes(let bytes):
        writer.append(bytes: bytes)
    case .list(let items):
        let token = writer.beginList()
        for element in items { write(element, to: &writer) }
        writer.endList(token)
    }
}

/// Encoder-made seeds: integers at the header boundaries, strings of 0, 1, 55, 56 and 1,024 bytes,
/// nested and long lists, and a legacy transaction's shape.
func rlpSeeds() -> [(name: String, bytes: [UInt8])] {
    var seeds: [(String, [UInt8])] = []
    var random = SeedRandom(seed: 0x524c_50)
    for value: UInt64 in [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff_ffff, .max] {
        seeds.append(("uint-\(value)", RLP.encode(uint: value)))
    }
    for length in [0, 1, 2, 55, 56, 57, 255, 256, 1_024] {
        seeds.append(("string-\(length)", RLP.encode(bytes: random.bytes(length))))
    }
    seeds.append(("list-empty", RLP.encode(.list([]))))
    seeds.append(("list-nested", RLP.encode(.list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]))))
    seeds.append(("list-long", RLP.encode(.list((0 ..< 40).map { RLPItem(uint: UInt64($0) * 1_000) }))))
    seeds.append(("list-deep", RLP.encode((0 ..< 100).reduce(RLPItem.list([])) { inner, _ in .list([inner]) })))
    seeds.append(("transaction-shape", RLP.encode(.list([
        RLPItem(uint: 9), RLPItem(uint: 20_000_000_000), RLPItem(uint: 21_000), .bytes(random.bytes(20)),
        RLPItem(uint: 1_000_000_000_000_000_000), .bytes([]), RLPItem(uint: 37), .bytes(random.bytes(32)), .bytes(random.bytes(32)),
    ]))))
    // Recipes for the tree builder (the second half of the target).
    seeds.append(("recipe-lists", [130, 2, 5, 1, 2, 3, 4, 5, 129, 1, 64, 7, 200, 1, 255, 0, 60]))
    return seeds
}
