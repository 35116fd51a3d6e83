import Primitives

/// A block named by tag or number, as `eth_getBlockByNumber` takes it (geth `rpc.BlockNumber`).
public enum BlockTag: Sendable, Hashable {
    /// The head block.
    case latest
    /// The genesis block.
    case earliest
    /// The block being built; on this chain the head (blocks are mined as transactions arrive).
    case pending
    /// The latest safe block; with Clique's instant finality, the head.
    case safe
    /// The latest finalized block; with Clique's instant finality, the head.
    case finalized
    /// A block by number.
    case number(UInt64)

    /// Decodes a tag or hex number with geth's rules and messages.
    /// - Parameter value: the JSON value.
    /// - Returns: the tag.
    /// - Throws: `ArgumentError` with geth's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> BlockTag {
        guard case .string(let text) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type string")
        }
        if let tag = named(text) { return tag }
        let number = try HexArgument.decodeUint64(text)
        if number > UInt64(Int64.max) { throw ArgumentError("block number larger than int64") }
        return .number(number)
    }

    static func named(_ text: String) -> BlockTag? {
        switch text {
        case "latest": return .latest
        case "earliest": return .earliest
        case "pending": return .pending
        case "safe": return .safe
        case "finalized": return .finalized
        default: return nil
        }
    }

    /// The tag as JSON: its name, or the number as a quantity.
    public var json: JSON {
        switch self {
        case .latest: return .string("latest")
        case .earliest: return .string("earliest")
        case .pending: return .string("pending")
        case .safe: return .string("safe")
        case .finalized: return .string("finalized")
        case .number(let number): return .string(Quantity.hex(number))
        }
    }
}

/// A block named by tag, number or hash: the state argument of `eth_getBalance`, `eth_call` and
/// friends, including EIP-1898's objects `{"blockHash": …, "requireCanonical": …}` and
/// `{"blockNumber": …}` (geth `rpc.BlockNumberOrHash`).
public enum BlockReference: Sendable, Hashable {
    /// By tag or number.
    case tag(BlockTag)
    /// By hash; `requireCanonical` asks that the block be on the main chain.
    case hash(Hash32, requireCanonical: Bool)

    /// The head block.
    public static let latest = BlockReference.tag(.latest)

    /// Decodes a reference with geth's rules and messages.
    /// - Parameter value: the JSON value.
    /// - Returns: the reference.
    /// - Throws: `ArgumentError` with geth's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> BlockReference {
        if case .object(let members) = value {
            var hash: Hash32?
            var number: BlockTag?
            var requireCanonical = false
            for (key, member) in members {
                switch key {
                case "blockHash": if !member.isNull { hash = try HexArgument.hash(member) }
                case "blockNumber": if !member.isNull { number = try BlockTag.decode(member) }
                case "requireCanonical":
                    guard case .bool(let flag) = member else {
                        throw ArgumentError("json: cannot unmarshal \(JSONKind.of(member)) into Go struct field .requireCanonical of type bool")
                    }
                    requireCanonical = flag
                default: continue
                }
            }
            if hash != nil && number != nil {
                throw ArgumentError("cannot specify both BlockHash and BlockNumber, choose one or the other")
            }
            if let hash { return .hash(hash, requireCanonical: requireCanonical) }
            if let number { return .tag(number) }
            throw ArgumentError("invalid block number or hash: neither blockHash nor blockNumber given")
        }
        guard case .string(let text) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type string")
        }
        if let tag = BlockTag.named(text) { return .tag(tag) }
        if text.utf8.count == 66 { return .hash(try HexArgument.hash(value), requireCanonical: false) }
        let number = try HexArgument.decodeUint64(text)
        if number > UInt64(Int64.max) { throw ArgumentError("blocknumber too high") }
        return .tag(.number(number))
    }
}

/// The JSON kind words Go's decoder uses in its messages ("number", "object", …).
enum JSONKind {
    static func of(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
