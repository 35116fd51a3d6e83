import ChainTypes
import Primitives

/// Block arguments with go-ethereum's rules and messages: `rpc.BlockNumber` (a tag or a hex
/// number) and `rpc.BlockNumberOrHash` (also a 32-byte hash, or EIP-1898's objects
/// `{"blockHash": …, "requireCanonical": …}` and `{"blockNumber": …}`).
public enum BlockArgument {
    /// A block named by hash, number or tag, with EIP-1898's canonical requirement.
    public struct Selection: Sendable, Hashable {
        /// The block.
        public var tag: BlockTag
        /// Whether a hash must name a block of the main chain.
        public var requireCanonical: Bool

        /// Creates a selection.
        /// - Parameters:
        ///   - tag: the block.
        ///   - requireCanonical: whether a hash must be canonical.
        public init(_ tag: BlockTag, requireCanonical: Bool = false) {
            self.tag = tag; self.requireCanonical = requireCanonical
        }
    }

    /// Decodes a tag ("latest", "earliest", "pending", "safe", "finalized") or a hex number.
    /// - Parameter value: the JSON value.
    /// - Returns: the tag.
    /// - Throws: `ArgumentError` with geth's message.
    public static func number(_ value: JSON) throws(ArgumentError) -> BlockTag {
        guard case .string(let text) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type string")
        }
        if let tag = named(text) { return tag }
        let number = try HexArgument.decodeUint64(text)
        if number > UInt64(Int64.max) { throw ArgumentError("block number larger than int64") }
        return .number(number)
    }

    /// Decodes a number, tag, hash or EIP-1898 object.
    /// - Parameter value: the JSON value.
    /// - Returns: the selection.
    /// - Throws: `ArgumentError` with geth's message.
    public static func numberOrHash(_ value: JSON) throws(ArgumentError) -> Selection {
        if case .object(let members) = value {
            var hash: Hash32?
            var number: BlockTag?
            var requireCanonical = false
            for (key, member) in members {
                switch key {
                case "blockHash": if !member.isNull { hash = try HexArgument.hash(member) }
                case "blockNumber": if !member.isNull { number = try Self.number(member) }
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
            if let hash { return Selection(.hash(hash), requireCanonical: requireCanonical) }
            if let number { return Selection(number) }
            throw ArgumentError("invalid block number or hash: neither blockHash nor blockNumber given")
        }
        guard case .string(let text) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type string")
        }
        if let tag = named(text) { return Selection(tag) }
        if text.utf8.count == 66 { return Selection(.hash(try HexArgument.hash(value))) }
        let number = try HexArgument.decodeUint64(text)
        if number > UInt64(Int64.max) { throw ArgumentError("blocknumber too high") }
        return Selection(.number(number))
    }

    package static func named(_ text: String) -> BlockTag? {
        switch text {
        case "latest": return .latest
        case "earliest": return .earliest
        case "pending": return .pending
        case "safe": return .safe
        case "finalized": return .finalized
        default: return nil
        }
    }
}

/// The JSON kind words Go's decoder uses in its messages ("number", "object", …).
package enum JSONKind {
    package static func of(_ value: JSON) -> String {
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
