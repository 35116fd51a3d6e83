/// A Solidity contract ABI type (docs.soliditylang.org, "Contract ABI Specification", "Types").
///
/// Supported: `uint<M>` and `int<M>` (8 ≤ M ≤ 256, M % 8 == 0; bare `uint`/`int` mean 256 bits),
/// `address`, `bool`, `bytes<M>` (1 ≤ M ≤ 32), `bytes`, `string`, `T[]`, `T[k]` (k ≥ 1) and tuples
/// `(T1,…,Tn)`. Not supported: `fixed`/`ufixed` and `function`, which no GoldenGrain contract uses.
///
/// A type is *dynamic* (spec: "bytes, string, T[] for any T, T[k] for any dynamic T and k ≥ 0,
/// (T1,…,Tk) if Ti is dynamic for some i") when its encoding is placed in the tail behind an offset;
/// every other type is encoded in place and has a fixed head size.
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    /// `uint<bits>`.
    case uint(bits: Int)
    /// `int<bits>`, two's complement.
    case int(bits: Int)
    /// `address` (a uint160 in the encoding).
    case address
    /// `bool` (a uint8 restricted to 0 and 1).
    case bool
    /// `bytes<count>`, left-aligned in its word.
    case fixedBytes(count: Int)
    /// `bytes`, a dynamic byte string.
    case bytes
    /// `string`, dynamic UTF-8 text.
    case string
    /// `T[]`, a dynamic array.
    case array(ABIType)
    /// `T[count]`, a fixed-length array.
    case fixedArray(ABIType, count: Int)
    /// `(T1,…,Tn)`.
    case tuple([ABIType])

    /// `uint256`.
    public static let uint256 = ABIType.uint(bits: 256)
    /// `bytes32`.
    public static let bytes32 = ABIType.fixedBytes(count: 32)

    /// Parses a type as it appears in a canonical signature or a JSON ABI's `type` field
    /// ("uint256", "bytes3[2]", "(uint256,string)[]", "uint" for uint256).
    /// - Parameter text: the type text; spaces are not allowed.
    /// - Throws: `ABIError.invalidType` naming the text and the part that is wrong.
    public init(parsing text: String) throws(ABIError) {
        var parser = ABITypeParser(text: text)
        let type = try parser.parseType()
        guard parser.isAtEnd else { throw parser.failure("unexpected \"\(parser.rest)\" after the type") }
        self = type
    }

    /// The canonical spelling used in signatures: "uint256", "bytes3[2]", "(uint256,string)[]".
    public var description: String {
        switch self {
        case .uint(let bits): return "uint\(bits)"
        case .int(let bits): return "int\(bits)"
        case .address: return "address"
        case .bool: return "bool"
        case .fixedBytes(let count): return "bytes\(count)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let element): return "\(element)[]"
        case .fixedArray(let element, let count): return "\(element)[\(count)]"
        case .tuple(let components): return "(" + components.map(\.description).joined(separator: ",") + ")"
        }
    }

    /// Whether the type's encoding lives in the tail behind an offset.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: return true
        case .fixedArray(let element, _): return element.isDynamic
        case .tuple(let components): return components.contains { $0.isDynamic }
        default: return false
        }
    }

    /// The bytes the type takes in its enclosing head: 32 for a dynamic type (the offset), else the
    /// size of its in-place encoding. A size beyond `Int.max` (a type such as `uint256[2^60]`, which
    /// no data can hold) is reported as `Int.max`.
    public var headSize: Int {
        if isDynamic { return 32 }
        switch self {
        case .fixedArray(let element, let count):
            let (size, overflow) = element.headSize.multipliedReportingOverflow(by: count)
            return overflow ? .max : size
        case .tuple(let components):
            return components.reduce(0) { total, component in
                let (size, overflow) = total.addingReportingOverflow(component.headSize)
                return overflow ? .max : size
            }
        default: return 32
        }
    }

    /// Whether the type encodes to no bytes at all: the empty tuple and tuples of nothing else. An
    /// array of such elements, dynamic or fixed, has a length no data can bound (`()[]` of 2^255
    /// elements is one word, `()[100000000]` no bytes at all), so the parser and the codec refuse
    /// it, as eth-abi refuses zero-sized tuples.
    public var isZeroSized: Bool { !isDynamic && headSize == 0 }
}

/// A recursive-descent reader for ABI type text.
struct ABITypeParser {
    let text: String
    let characters: [Character]
    var position = 0

    init(text: String) {
        self.text = text
        self.characters = Array(text)
    }

    var isAtEnd: Bool { position >= characters.count }
    var rest: String { String(characters[position...]) }

    func failure(_ reason: String) -> ABIError { .invalidType(text, reason: reason) }

    /// type := base ('[' digits? ']')*
    mutating func parseType() throws(ABIError) -> ABIType {
        var type = try parseBase()
        while !isAtEnd, characters[position] == "[" {
            position += 1
            let start = position
            while !isAtEnd, characters[position].isASCII, characters[position].isNumber { position += 1 }
            let digits = String(characters[start..<position])
            guard !isAtEnd, characters[position] == "]" else {
                throw failure("array dimension at character \(start) is not closed with \"]\"")
            }
            position += 1
            guard !type.isZeroSized else {
                throw failure("\"\(type)[\(digits)]\" is an array of a zero-sized type, whose length no data can bound")
            }
            if digits.isEmpty {
                type = .array(type)
            } else {
                guard let count = Int(digits), count >= 1, digits.first != "0" else {
                    throw failure("array length \"\(digits)\" must be a positive integer without leading zeros")
                }
                type = .fixedArray(type, count: count)
            }
        }
        return type
    }

    mutating func parseBase() throws(ABIError) -> ABIType {
        guard !isAtEnd else { throw failure("expected a type at character \(position)") }
        if characters[position] == "(" {
            position += 1
            var components: [ABIType] = []
            if !isAtEnd, characters[position] == ")" {
                position += 1
                return .tuple([])
            }
            while true {
                components.append(try parseType())
                guard !isAtEnd else { throw failure("tuple is not closed with \")\"") }
                if characters[position] == "," { position += 1; continue }
                if characters[position] == ")" { position += 1; break }
                throw failure("expected \",\" or \")\" at character \(position), found \"\(characters[position])\"")
            }
            return .tuple(components)
        }
        let start = position
        while !isAtEnd, characters[position].isASCII, characters[position].isLetter || characters[position].isNumber {
            position += 1
        }
        let word = String(characters[start..<position])
        guard !word.isEmpty else {
            throw failure("expected a type name at character \(start), found \"\(characters[start])\"")
        }
        return try elementary(word)
    }

    func elementary(_ word: String) throws(ABIError) -> ABIType {
        switch word {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint(bits: 256)
        case "int": return .int(bits: 256)
        default: break
        }
        for (prefix, make) in [("uint", { ABIType.uint(bits: $0) }), ("int", { ABIType.int(bits: $0) })] as [(String, (Int) -> ABIType)]
        where word.hasPrefix(prefix) {
            let digits = String(word.dropFirst(prefix.count))
            guard digits.first != "0", let bits = Int(digits), bits >= 8, bits <= 256, bits % 8 == 0 else {
                throw failure("\"\(word)\" needs a bit size that is a multiple of 8 from 8 to 256")
            }
            return make(bits)
        }
        if word.hasPrefix("bytes") {
            let digits = String(word.dropFirst(5))
            guard digits.first != "0", let count = Int(digits), count >= 1, count <= 32 else {
                throw failure("\"\(word)\" needs a byte size from 1 to 32")
            }
            return .fixedBytes(count: count)
        }
        throw failure("unknown type \"\(word)\"")
    }
}
