import Foundation
import FuzzSupport
import Primitives

// The JSON reader and writer (Primitives/JSON), which every RPC request and genesis file goes through.
//
// 1. The input as JSON text: if `JSON.parse` accepts it, the compact serialization parses back to
//    the same value and serializes to the same bytes (a fixed point after one round), and Foundation's
//    JSONSerialization accepts that serialization (an independent reader: our writer writes JSON).
//    Parsing is bounded (`JSON.maximumDepth`), so deep nesting is an error, never a stack overflow.
// 2. The input as a recipe for a value (strings with controls, quotes, U+2028/2029, astral scalars;
//    valid number texts; nested arrays and objects): parse(serialize(x)) == x.

@main
enum FuzzJSON {
    static func main() { Fuzz.main(test: fuzzJSON, seeds: jsonSeeds) }
}

func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    if let value = try? JSON.parse(input) {
        let serialized = value.serializedBytes
        do {
            let again = try JSON.parse(serialized)
            Fuzz.check(again == value, "parse(serialize(v)) != v for \(String(decoding: serialized, as: UTF8.self))")
            Fuzz.check(again.serializedBytes == serialized, "serialization is not a fixed point")
        } catch {
            Fuzz.check(false, "the parser rejects the writer's \(String(decoding: serialized, as: UTF8.self)): \(error)")
        }
        checkFoundationAccepts(value, serialized)
    }
    var reader = FuzzReader(input)
    var budget = 300
    let made = value(from: &reader, depth: 0, budget: &budget)
    let serialized = made.serializedBytes
    do {
        let parsed = try JSON.parse(serialized)
        Fuzz.check(parsed == made, "parse(serialize(x)) != x for \(String(decoding: serialized, as: UTF8.self))")
    } catch {
        Fuzz.check(false, "the parser rejects the writer's \(String(decoding: serialized, as: UTF8.self)): \(error)")
    }
    checkFoundationAccepts(made, serialized)
    return 0
}

func checkFoundationAccepts(_ value: JSON, _ serialized: [UInt8]) {
    // Foundation turns numbers into Double or Int64 and may refuse huge ones; leave those out.
    guard hasOnlySmallNumbers(value) else { return }
    do {
        _ = try JSONSerialization.jsonObject(with: Data(serialized), options: [.fragmentsAllowed])
    } catch {
        Fuzz.check(false, "Foundation rejects our serialization \(String(decoding: serialized, as: UTF8.self)): \(error)")
    }
}

func hasOnlySmallNumbers(_ value: JSON) -> Bool {
    switch value {
    case .null, .bool, .string: return true
    case .number(let text): return text.utf8.count <= 15 && !text.contains("e") && !text.contains("E")
    case .array(let elements): return elements.allSatisfy(hasOnlySmallNumbers)
    case .object(let members): return members.allSatisfy { hasOnlySmallNumbers($0.1) }
    }
}

/// Scalars that exercise the writer's escaping and the reader's surrogate pairs.
let interestingScalars: [Unicode.Scalar] = ["\u{0}", "\u{1}", "\u{1F}", "\"", "\\", "/", "<", ">", "&", "\u{7F}", "\u{80}",
                                            "\u{2028}", "\u{2029}", "\u{FFFD}", "\u{FEFF}", "\u{10000}", "\u{1F600}", "\u{10FFFF}",
                                            "é", "\n", "\t"]

func value(from reader: inout FuzzReader, depth: Int, budget: inout Int) -> JSON {
    budget -= 1
    let selector = reader.byte()
    switch selector % 8 {
    case 0: return .null
    case 1: return .bool(selector & 0x80 != 0)
    case 2:
        let numbers = ["0", "-0", "1", "-1", "12345678901234567890123456789", "0.5", "-2.25", "3.0"]
        return .number(numbers[Int(selector >> 3) % numbers.count])
    case 3, 4:
        var scalars = String.UnicodeScalarView()
        for _ in 0 ..< Int(reader.byte() % 12) {
            let pick = reader.byte()
            if pick < 128, let scalar = Unicode.Scalar(UInt32(pick)) {
                scalars.append(scalar)
            } else {
                scalars.append(interestingScalars[Int(pick) % interestingScalars.count])
            }
        }
        return .string(String(scalars))
    case 5 ... 6 where depth < 40 && budget > 0:
        var elements: [JSON] = []
        for _ in 0 ..< Int(reader.byte() % 5) where budget > 0 {
            elements.append(value(from: &reader, depth: depth + 1, budget: &budget))
        }
        return .array(elements)
    case 7 where depth < 40 && budget > 0:
        var members: [(String, JSON)] = []
        for index in 0 ..< Int(reader.byte() % 5) where budget > 0 {
            // Duplicate names are allowed by RFC 8259 and kept in order.
            let name = reader.byte() & 1 == 0 ? "k\(index)" : "k"
            members.append((name, value(from: &reader, depth: depth + 1, budget: &budget)))
        }
        return .object(members)
    default:
        return .number("7")
    }
}

func jsonSeeds() -> [(name: String, bytes: [UInt8])] {
    let texts: [(String, String)] = [
        ("request", #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","latest"]}"#),
        ("batch", #"[{"jsonrpc":"2.0","id":"a","method":"eth_chainId"},{"jsonrpc":"2.0","method":"net_version","params":[]}]"#),
        ("numbers", "[0,-0,1e400,-1.5E-7,12345678901234567890123456789012345678901234567890,0.000001]"),
        ("strings", #"["\u0000\u001f\"\\\/\b\f\n\r\t","\ud83d\ude00","\ud800","\udc00x","é","\u2028\u2029"]"#),
        ("nested", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)),
        ("too-deep", String(repeating: "[", count: 129) + String(repeating: "]", count: 129)),
        ("genesis", #"{"config":{"chainId":31337,"clique":{"period":0,"epoch":30000}},"alloc":{"0x00":{"balance":"0x21e19e0c9bab2400000"}},"extradata":"0x00"}"#),
        ("literals", " [true , false,null ] "),
    ]
    return texts.map { (name: $0.0, bytes: Array($0.1.utf8)) }
}
