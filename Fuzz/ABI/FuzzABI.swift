import FuzzSupport
import Marketplace
import Primitives

// The contract ABI codec (Marketplace/ABI): type text, the strict decoder, calls, events, revert
// data and JSON ABIs. The first input byte picks what the rest is:
//
// 0 — a type text, a newline, then data: the type's canonical spelling parses back to the same
//     type; if the data decodes, encoding the values and decoding again gives the same values, and
//     that encoding re-encodes to itself (the canonical form is a fixed point).
// 1 — call data for the marketplace's functions (MarketplaceABI) and return data for one of them:
//     decodeCall(encodeCall(decodeCall(d))) holds as above.
// 2 — an event log (one of MarketplaceABI's events, its topics, then data): decoded values encode
//     back to a log that decodes to them.
// 3 — revert data, a JSON ABI text and an Error(string)/Panic read; none may trap.
// 4 — a recipe: a type and a value of it made from the input; decode(encode(x)) == x.

@main
enum FuzzABI {
    static func main() { Fuzz.main(test: fuzzABI, seeds: abiSeeds) }
}

func fuzzABI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = FuzzReader(Fuzz.bytes(data, size))
    switch reader.byte() % 5 {
    case 0: typeAndData(&reader)
    case 1: calls(&reader)
    case 2: events(&reader)
    case 3: others(&reader)
    default: recipe(&reader)
    }
    return 0
}

func typeAndData(_ reader: inout FuzzReader) {
    let rest = Array(reader.remaining)
    let newline = rest.firstIndex(of: 0x0a) ?? rest.count
    guard newline <= 200, let text = String(validating: rest[..<newline], as: UTF8.self),
          let type = try? ABIType(parsing: text) else { return }
    let spelled = type.description
    Fuzz.check((try? ABIType(parsing: spelled)) == type, "type \(text) spelled \(spelled) does not parse back")
    _ = type.isDynamic
    _ = type.headSize
    let data = Array(rest.dropFirst(newline + 1))
    if let values = try? ABI.decode([type], from: data) { checkCanonical(values, as: [type], from: data) }
}

/// Decoded values encode to data that decodes to the same values and re-encodes to itself.
func checkCanonical(_ values: [ABIValue], as types: [ABIType], from data: [UInt8]) {
    do {
        let encoded = try ABI.encode(values, as: types)
        let again = try ABI.decode(types, from: encoded)
        Fuzz.check(again == values, "decode(encode(decode(d))) != decode(d) for \(ABIType.tuple(types)) and \(Fuzz.hex(data))")
        Fuzz.check(try ABI.encode(again, as: types) == encoded, "the canonical encoding is not a fixed point")
    } catch {
        Fuzz.check(false, "decoded values of \(ABIType.tuple(types)) do not encode and decode again: \(error)")
    }
}

func calls(_ reader: inout FuzzReader) {
    let pick = Int(reader.byte())
    let callData = Array(reader.remaining)
    for function in MarketplaceABI.functions where Array(callData.prefix(4)) == function.selector {
        if let values = try? function.decodeCall(callData) {
            checkCanonical(values, as: function.inputs, from: Array(callData.dropFirst(4)))
            if let encoded = try? function.encodeCall(values) {
                Fuzz.check(encoded.prefix(4).elementsEqual(function.selector), "encodeCall lost the selector")
            }
        }
    }
    let function = MarketplaceABI.functions[pick % MarketplaceABI.functions.count]
    if let values = try? function.decodeCall(function.selector + callData.dropFirst(4)) {
        checkCanonical(values, as: function.inputs, from: Array(callData.dropFirst(4)))
    }
    if let values = try? function.decodeOutput(callData) { checkCanonical(values, as: function.outputs, from: callData) }
}

func events(_ reader: inout FuzzReader) {
    let event = MarketplaceABI.events[Int(reader.byte()) % MarketplaceABI.events.count]
    var topics: [Hash32] = reader.byte() & 1 == 0 ? [event.topic] : []
    for _ in 0 ..< Int(reader.byte() % 5) { topics.append(Hash32(padded(reader.bytes(32), to: 32))) }
    let data = Array(reader.remaining)
    _ = event.matches(topics: topics)
    guard let values = try? event.decode(topics: topics, data: data) else { return }
    guard let log = try? event.encodeLog(values) else { return }  // an indexed dynamic parameter is a hash
    do {
        let again = try event.decode(topics: log.topics, data: log.data)
        Fuzz.check(again == values, "\(event): decode(encodeLog(v)) != v")
    } catch {
        Fuzz.check(false, "\(event): its own log does not decode: \(error)")
    }
}

/// Bytes padded with zeros at the end to `count` (input may end early).
func padded(_ bytes: [UInt8], to count: Int) -> [UInt8] {
    bytes + [UInt8](repeating: 0, count: max(0, count - bytes.count))
}

func others(_ reader: inout FuzzReader) {
    let rest = Array(reader.remaining)
    let reason = ABIRevertReason(data: rest)
    _ = reason.description
    if let text = String(validating: rest, as: UTF8.self), let abi = try? ContractABI(jsonText: text) {
        for function in abi.functions {
            _ = function.selector
            _ = try? function.decodeCall(rest)
        }
        _ = abi.function(forCallData: rest)
    }
}

func recipe(_ reader: inout FuzzReader) {
    var budget = 40
    let types = (0 ..< 1 + Int(reader.byte() % 3)).map { _ in type(from: &reader, depth: 0, budget: &budget) }
    let values = types.map { value(of: $0, from: &reader) }
    do {
        let encoded = try ABI.encode(values, as: types)
        let decoded = try ABI.decode(types, from: encoded)
        Fuzz.check(decoded == values, "decode(encode(x)) != x for \(ABIType.tuple(types))")
        Fuzz.check((try? ABIType(parsing: ABIType.tuple(types).description)) == ABIType.tuple(types),
                   "\(ABIType.tuple(types)) does not parse back")
    } catch {
        Fuzz.check(false, "a valid value of \(ABIType.tuple(types)) failed to encode or decode: \(error)")
    }
}

func type(from reader: inout FuzzReader, depth: Int, budget: inout Int) -> ABIType {
    budget -= 1
    let selector = reader.byte()
    switch selector % 10 {
    case 0: return .uint(bits: 8 * (1 + Int(selector / 10) % 32))
    case 1: return .int(bits: 8 * (1 + Int(selector / 10) % 32))
    case 2: return .address
    case 3: return .bool
    case 4: return .fixedBytes(count: 1 + Int(selector / 10) % 32)
    case 5: return .bytes
    case 6: return .string
    case 7 where depth < 4 && budget > 0:
        // Arrays of zero-sized elements (`()[]`, `()[3]`) are refused by the codec (a length no data bounds).
        let element = type(from: &reader, depth: depth + 1, budget: &budget)
        return element.isZeroSized ? element : .array(element)
    case 8 where depth < 4 && budget > 0:
        let element = type(from: &reader, depth: depth + 1, budget: &budget)
        return element.isZeroSized ? element : .fixedArray(element, count: 1 + Int(selector / 10) % 3)
    case 9 where depth < 4 && budget > 0:
        return .tuple((0 ..< Int(selector / 10) % 4).map { _ in type(from: &reader, depth: depth + 1, budget: &budget) })
    default: return .uint256
    }
}

func value(of type: ABIType, from reader: inout FuzzReader) -> ABIValue {
    func word() -> UInt256 { UInt256(bigEndianBytes: reader.bytes(32)) }
    switch type {
    case .uint(let bits):
        return .uint(bits == 256 ? word() : word() & ((UInt256.one << bits) &- .one))
    case .int(let bits):
        let low = bits == 256 ? word() : word() & ((UInt256.one << bits) &- .one)
        return .int(bits == 256 ? low : low.signExtended(fromByte: UInt256(UInt64(bits / 8 - 1))))
    case .address:
        return .address(Address(padded(reader.bytes(20), to: 20)))
    case .bool:
        return .bool(reader.byte() & 1 == 1)
    case .fixedBytes(let count):
        return .fixedBytes(padded(reader.bytes(count), to: count))
    case .bytes:
        return .bytes(reader.bytes(Int(reader.byte() % 70)))
    case .string:
        return .string(String(decoding: reader.bytes(Int(reader.byte() % 70)), as: UTF8.self))
    case .array(let element):
        return .array((0 ..< Int(reader.byte() % 4)).map { _ in value(of: element, from: &reader) })
    case .fixedArray(let element, let count):
        return .array((0 ..< count).map { _ in value(of: element, from: &reader) })
    case .tuple(let components):
        return .tuple(components.map { value(of: $0, from: &reader) })
    }
}

func abiSeeds() -> [(name: String, bytes: [UInt8])] {
    do {
        let key = [UInt8](repeating: 0xab, count: 125)
        let createTask = try MarketplaceABI.createTask.encodeCall([
            .address(Address(high: 0x9641_3214_e872_9bb0, middle: 0x1df7_f3ac_020b_0c85, low: 0x58e1_1cdb)),
            .bytes32(Keccak256.hash([1])), .string("file:///tmp/test.gge"), .bytes(key), .uint(8_000),
            .uint(1_000_000_000_000_000_000), .uint(1_767_225_600), .bytes([UInt8](repeating: 0x04, count: 64)),
        ])
        let submitResult = try MarketplaceABI.submitResult.encodeCall([
            .uint(3), .uint(9_250), .bytes32(Keccak256.hash([2])), .bytes(key), .bytes([UInt8](repeating: 0x1b, count: 65)),
        ])
        let taskData = try ABI.encode([.string("https://example.org/set.gge"), .bytes(key), .bytes([1, 2, 3])],
                                      as: [.string, .bytes, .bytes])
        let sold = MarketplaceABI.events.first { $0.description.hasPrefix("ModelSold") }!
        let errorData = try ABIRevertReason.errorFunction.encodeCall([.string("report data mismatch")])
        let nestedTypes: [ABIType] = [.array(.tuple([.uint256, .string])), .fixedArray(.bytes, count: 2)]
        let nestedValues: [ABIValue] = [.array([.tuple([.uint(1), .string("a")]), .tuple([.uint(2), .string("bc")])]),
                                        .array([.bytes([1]), .bytes([])])]
        let nested = try ABI.encode(nestedValues, as: nestedTypes)
        var seeds: [(name: String, bytes: [UInt8])] = [
            (name: "type-uint256", bytes: [0] + Array("uint256\n".utf8) + [UInt8](repeating: 0, count: 31) + [7]),
            (name: "type-nested", bytes: [0] + Array("((uint256,string)[],bytes[2])\n".utf8) + nested),
            (name: "type-string", bytes: [0] + Array("string\n".utf8) + (try ABI.encode([.string("héllo")], as: [.string]))),
            (name: "call-createTask", bytes: [1, 0] + createTask),
            (name: "call-submitResult", bytes: [1, 0] + submitResult),
            (name: "output-taskData", bytes: [1, 0] + taskData),
            (name: "revert-error", bytes: [3] + errorData),
            (name: "json-abi", bytes: [3] + Array(#"[{"type":"function","name":"f","inputs":[{"name":"a","type":"uint256"},{"name":"b","type":"tuple[]","components":[{"name":"x","type":"bytes32"}]}],"outputs":[],"stateMutability":"view"},{"type":"event","name":"E","inputs":[{"name":"a","type":"address","indexed":true}],"anonymous":false}]"#.utf8)),
            (name: "recipe", bytes: [4, 2, 9, 27, 5, 6, 7] + [UInt8](repeating: 0x61, count: 100)),
        ]
        if let index = MarketplaceABI.events.firstIndex(where: { $0 == sold }) {
            let values: [ABIValue] = sold.parameters.map { parameter in
                switch parameter.type {
                case .bytes: return .bytes(key)
                case .fixedBytes: return .bytes32(Keccak256.hash([3]))
                case .address: return .address(Address(high: 0, middle: 0, low: 0x2000))
                default: return .uint(5)
                }
            }
            if let log = try? sold.encodeLog(values) {
                var input: [UInt8] = [2, UInt8(index), 1, UInt8(log.topics.count)]
                for topic in log.topics { input += topic.bytes }
                seeds.append((name: "event-ModelSold", bytes: input + log.data))
            }
        }
        return seeds
    } catch {
        fatalError("abi seeds: \(error)")
    }
}
