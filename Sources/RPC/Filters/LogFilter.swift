import Chain
import Primitives
import State

/// The criteria of `eth_getLogs`, `eth_newFilter` and `eth_subscribe("logs")` (geth
/// `filters.FilterCriteria`): a block range or one block hash, addresses (any of), and up to four
/// topic positions, each null (anything), one hash, or a list of hashes (any of).
public struct LogFilter: Sendable, Equatable {
    /// The first block, or nil for "latest".
    public var fromBlock: BlockTag?
    /// The last block, or nil for "latest".
    public var toBlock: BlockTag?
    /// A single block by hash (excludes the range).
    public var blockHash: Hash32?
    /// The emitting contracts; empty matches any.
    public var addresses: [Address]
    /// Per position: nil matches anything, otherwise any of the hashes.
    public var topics: [[Hash32]?]

    /// Creates a filter.
    /// - Parameters:
    ///   - fromBlock: the first block.
    ///   - toBlock: the last block.
    ///   - blockHash: a single block.
    ///   - addresses: the contracts.
    ///   - topics: the topic positions.
    public init(fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil, blockHash: Hash32? = nil,
                addresses: [Address] = [], topics: [[Hash32]?] = []) {
        self.fromBlock = fromBlock; self.toBlock = toBlock; self.blockHash = blockHash
        self.addresses = addresses; self.topics = topics
    }

    /// Decodes a filter object with geth's messages.
    /// - Parameter value: the JSON object.
    /// - Returns: the filter.
    /// - Throws: `ArgumentError` with geth's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> LogFilter {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type filters.FilterCriteria")
        }
        var filter = LogFilter()
        for (key, member) in members where !member.isNull {
            switch key {
            case "fromBlock": filter.fromBlock = try BlockTag.decode(member)
            case "toBlock": filter.toBlock = try BlockTag.decode(member)
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
        if filter.blockHash != nil && (filter.fromBlock != nil || filter.toBlock != nil) {
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

    /// Whether a log matches the addresses and topics.
    /// - Parameter log: the log.
    /// - Returns: true if it matches.
    public func matches(_ log: Log) -> Bool {
        if !addresses.isEmpty && !addresses.contains(log.address) { return false }
        if topics.count > log.topics.count { return false }
        for (position, alternatives) in topics.enumerated() {
            guard let alternatives else { continue }
            if !alternatives.isEmpty && !alternatives.contains(log.topics[position]) { return false }
        }
        return true
    }

    /// Whether a block's bloom may hold a matching log (false means it certainly does not).
    /// - Parameter bloom: the block's logs bloom.
    /// - Returns: true if the block must be searched.
    public func mayMatch(_ bloom: Bloom) -> Bool {
        if !addresses.isEmpty && !addresses.contains(where: { bloom.mayContain($0.bytes) }) { return false }
        for alternatives in topics {
            guard let alternatives, !alternatives.isEmpty else { continue }
            if !alternatives.contains(where: { bloom.mayContain($0.bytes) }) { return false }
        }
        return true
    }

    /// The matching logs of blocks `from...to`, as JSON log objects in chain order.
    /// - Parameters:
    ///   - from: the first block number.
    ///   - to: the last block number.
    ///   - view: the chain.
    /// - Returns: the logs.
    public func logs(from: UInt64, to: UInt64, in view: ChainView) async -> [JSON] {
        guard from <= to else { return [] }
        var output: [JSON] = []
        for number in from...to {
            guard let block = await view.backend.block(number: number) else { break }
            output += await logs(in: block, view: view)
        }
        return output
    }

    /// The matching logs of one block.
    /// - Parameters:
    ///   - block: the block.
    ///   - view: the chain.
    /// - Returns: the logs, as JSON.
    public func logs(in block: Block, view: ChainView) async -> [JSON] {
        guard mayMatch(block.header.logsBloom), let receipts = await view.backend.receipts(ofBlock: block.hash) else { return [] }
        var output: [JSON] = []
        var logIndex = 0
        for (index, receipt) in receipts.enumerated() {
            for log in receipt.logs {
                if matches(log), index < block.transactions.count {
                    output.append(ChainJSON.log(log, blockHash: block.hash, blockNumber: block.header.number,
                                                transactionHash: block.transactions[index].hash,
                                                transactionIndex: index, logIndex: logIndex))
                }
                logIndex += 1
            }
        }
        return output
    }
}
