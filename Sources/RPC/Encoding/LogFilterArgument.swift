import Chain
import ChainTypes
import JSONRPC
import Primitives

/// Decoding the filter object of `eth_getLogs`, `eth_newFilter` and `eth_subscribe("logs")`
/// (geth `filters.FilterCriteria`) into the node's `LogFilter`: a block range or one block hash,
/// one address or a list, and up to four topic positions (null, a hash, or a list of hashes).
public enum LogFilterArgument {
    /// Decodes the object with geth's messages.
    /// - Parameter value: the JSON object.
    /// - Returns: the filter; absent range ends mean "latest".
    /// - Throws: `ArgumentError` with geth's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> LogFilter {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type filters.FilterCriteria")
        }
        var filter = LogFilter()
        var hasRange = false
        for (key, member) in members where !member.isNull {
            switch key {
            case "fromBlock": filter.fromBlock = try BlockArgument.number(member); hasRange = true
            case "toBlock": filter.toBlock = try BlockArgument.number(member); hasRange = true
            case "blockHash": filter.blockHash = try HexArgument.hash(member)
            case "address":
                switch member {
                case .array(let elements):
                    for element in elements {
                        do throws(ArgumentError) { filter.addresses.append(try HexArgument.address(element)) } catch {
                            throw ArgumentError("invalid address at index \(filter.addresses.count): \(error.message)")
                        }
                    }
                case .string: filter.addresses = [try HexArgument.address(member)]
                default: throw ArgumentError("invalid addresses in query")
                }
            case "topics":
                guard case .array(let positions) = member else { throw ArgumentError("invalid topic(s)") }
                if positions.count > 4 { throw ArgumentError("exceed max topics") }
                for position in positions {
                    switch position {
                    case .null: filter.topics.append(nil)
                    case .string: filter.topics.append([try topic(position)])
                    case .array(let alternatives):
                        var hashes: [Hash32] = []
                        var matchesAnything = false
                        for alternative in alternatives {
                            if alternative.isNull { matchesAnything = true; continue }
                            hashes.append(try topic(alternative))
                        }
                        filter.topics.append(matchesAnything ? nil : hashes)
                    default: throw ArgumentError("invalid topic(s)")
                    }
                }
            default: continue
            }
        }
        if filter.blockHash != nil && hasRange {
            throw ArgumentError("cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other")
        }
        return filter
    }

    static func topic(_ value: JSON) throws(ArgumentError) -> Hash32 {
        guard case .string(let text) = value, let bytes = try? HexArgument.decodeData(text, type: .hash), bytes.count == 32 else {
            throw ArgumentError("invalid topic(s)")
        }
        return Hash32(bytes)
    }
}
