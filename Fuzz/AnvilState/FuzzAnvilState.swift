import Chain
import CZlib
import FuzzSupport
import Primitives
import State

// anvil state files and anvil_loadState's argument (Chain's `AnvilState`), and the gzip reader and
// writer under them (Primitives' `Gzip`).
//
// The input is the file's bytes (gzip-compressed or plain JSON, as `AnvilState.accounts(from:)`
// takes either):
// - `Gzip.decompress` and zlib (the system's libz, inflateInit2 with gzip framing) agree on every
//   input: both refuse it, or both inflate it to the same bytes (a header with FHCRC set is only
//   compared one way: our reader skips the header CRC-16, which zlib checks);
// - decompress(compress(x)) == x for the input as x, and zlib inflates compress(x) to x too;
// - accepted accounts written back (by this file's writer, in other spellings than the node's) read
//   back to themselves, plain and gzip-compressed; the bytes and the JSON tree (after inflating,
//   for gzip) read to the same accounts.
//
// Seeds: state files, plain and through `Gzip.compress` and zlib's deflate (fixed and dynamic
// Huffman blocks, Huffman only, RLE), each checked against `Gzip.decompress` when written.

@main
enum FuzzAnvilState {
    static func main() { Fuzz.main(test: fuzzAnvilState, seeds: anvilStateSeeds) }
}

func fuzzAnvilState(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    let ours = try? Gzip.decompress(input)
    let theirs = zlibInflate(input)
    let headerCRC = input.count > 3 && input[3] & 0x02 != 0
    if headerCRC {
        if let theirs { Fuzz.check(ours == theirs, "zlib inflates \(theirs.count) bytes, Gzip.decompress \(ours.map { "\($0.count) other bytes" } ?? "refuses")") }
    } else {
        Fuzz.check(ours == theirs, "Gzip.decompress gives \(ours.map { "\($0.count) bytes" } ?? "an error"), zlib \(theirs.map { "\($0.count) bytes" } ?? "an error")"
                   + (ours != nil && theirs != nil ? " (different bytes)" : ""))
    }
    let compressed = Gzip.compress(input)
    Fuzz.check((try? Gzip.decompress(compressed)) == input, "decompress(compress(x)) != x for \(input.count) bytes")
    Fuzz.check(zlibInflate(compressed) == input, "zlib does not inflate compress(x) to x for \(input.count) bytes")

    guard let accounts = try? AnvilState.accounts(from: input) else { return 0 }
    let text = ours ?? input
    Fuzz.check((try? JSON.parse(text)).flatMap { try? AnvilState.accounts(from: $0) } == accounts,
               "the bytes and the JSON tree read to different accounts")
    let written = stateJSON(accounts).serializedBytes
    Fuzz.check((try? AnvilState.accounts(from: written)) == accounts,
               "accounts written back do not read the same: \(String(decoding: written.prefix(400), as: UTF8.self))")
    Fuzz.check((try? AnvilState.accounts(from: Gzip.compress(written))) == accounts, "accounts written back and gzip-compressed do not read the same")
    return 0
}

/// anvil's `SerializableState` of some accounts, written here (not by `AnvilState.json(of:)`, whose
/// `StateDump` only the node makes): mixed-case addresses, the balance as a decimal string, slot
/// keys as decimal strings and values as 0x hex, as anvil's serde also reads them.
func stateJSON(_ accounts: [Address: DumpedAccount]) -> JSON {
    .object([
        ("block", .null),
        ("accounts", .object(accounts.keys.sorted().map { address in
            let account = accounts[address]!
            let storage: [(String, JSON)] = account.storage.keys.sorted().map { ($0.description, .string(account.storage[$0]!.hexQuantity)) }
            return ("0x" + Fuzz.hex(address.bytes).uppercased(), .object([
                ("nonce", .integer(account.nonce)), ("balance", .string(account.balance.description)),
                ("code", .string("0x" + Fuzz.hex(account.code))), ("storage", .object(storage)),
            ]))
        })),
        ("best_block_number", .integer(0)),
    ])
}

/// Inflates a gzip member with zlib; nil if zlib refuses it or it inflates past `Gzip.maximumOutput`.
func zlibInflate(_ data: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    guard inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var input = data
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var output: [UInt8] = []
    return input.withUnsafeMutableBufferPointer { inputBuffer -> [UInt8]? in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = UInt32(inputBuffer.count)
        while true {
            let status = buffer.withUnsafeMutableBufferPointer { outputBuffer -> Int32 in
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = UInt32(outputBuffer.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            output += buffer[0 ..< (buffer.count - Int(stream.avail_out))]
            if output.count > Gzip.maximumOutput { return nil }
            if status == Z_STREAM_END { return output }
            if status != Z_OK { return nil }
        }
    }
}

/// Deflates with zlib (gzip framing) at a level and strategy, for seeds that are not stored blocks.
func zlibDeflate(_ data: [UInt8], level: Int32, strategy: Int32) -> [UInt8] {
    var stream = z_stream()
    guard deflateInit2_(&stream, level, Z_DEFLATED, 16 + 15, 8, strategy, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        fatalError("deflateInit2 failed")
    }
    defer { deflateEnd(&stream) }
    var input = data
    var buffer = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 64)
    let status = input.withUnsafeMutableBufferPointer { inputBuffer in
        buffer.withUnsafeMutableBufferPointer { outputBuffer -> Int32 in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            stream.next_out = outputBuffer.baseAddress
            stream.avail_out = UInt32(outputBuffer.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { fatalError("deflate did not finish: \(status)") }
    return Array(buffer[0 ..< Int(stream.total_out)])
}

func anvilStateSeeds() -> [(name: String, bytes: [UInt8])] {
    let storage: [UInt256: UInt256] = [UInt256(1): UInt256(0x2a), UInt256(0xff00): UInt256(0xdead_beef)]
    let accounts: [Address: DumpedAccount] = [
        Address(high: 0, middle: 0, low: 0x2000): DumpedAccount(nonce: 1, balance: UInt256(1_000_000_000_000_000_000),
                                                                code: [0x60, 0x2a, 0x60, 0x00, 0x55, 0x00], storage: storage),
        Address(high: 0xf39f_d6e5_1aad_88f6, middle: 0xf4ce_6ab8_8272_79cf, low: 0xffb9_2266):
            DumpedAccount(nonce: 0, balance: UInt256(1_000_000_000_000_000_000) &* UInt256(10_000), code: [], storage: [:]),
    ]
    let json = stateJSON(accounts).serializedBytes
    let hand = Array(#"{"accounts":{"0x0000000000000000000000000000000000002000":{"nonce":3,"balance":"1000","code":"0x","storage":{"7":"0x0","0x01":"255"}}},"best_block_number":"0x5","block":null}"#.utf8)
    var seeds: [(name: String, bytes: [UInt8])] = [
        (name: "dump-json", bytes: json),
        (name: "dump-gzip-stored", bytes: Gzip.compress(json)),
        (name: "hand-json", bytes: hand),
        (name: "empty-gzip", bytes: Gzip.compress([])),
    ]
    for (name, level, strategy) in [("fixed", Int32(9), Z_FIXED), ("dynamic", Int32(9), Z_DEFAULT_STRATEGY),
                                    ("huffman-only", Int32(6), Z_HUFFMAN_ONLY), ("rle", Int32(6), Z_RLE), ("level1", Int32(1), Z_DEFAULT_STRATEGY)] {
        let compressed = zlibDeflate(json, level: level, strategy: strategy)
        precondition((try? Gzip.decompress(compressed)) == json, "Gzip.decompress does not read zlib's \(name) stream")
        seeds.append((name: "dump-gzip-\(name)", bytes: compressed))
    }
    var random = SeedRandom(seed: 0x677a_6970)
    let repetitive = (0 ..< 3000).map { UInt8(truncatingIfNeeded: $0 % 251 == 0 ? random.next() : UInt64($0 / 7)) }
    seeds.append((name: "repetitive-gzip-dynamic", bytes: zlibDeflate(repetitive, level: 9, strategy: Z_DEFAULT_STRATEGY)))
    return seeds
}
