import Primitives

/// A block parameter of the Ethereum JSON-RPC API (execution-apis `BlockNumberOrTag`).
public enum BlockTag: Hashable, Sendable, CustomStringConvertible {
    /// The newest block.
    case latest
    /// The newest block plus the pool's pending transactions.
    case pending
    /// Block 0.
    case earliest
    /// The safe head.
    case safe
    /// The finalized head.
    case finalized
    /// A block by number.
    case number(UInt64)

    /// The JSON form: "latest", "0x1b", ….
    public var json: JSON {
        switch self {
        case .latest: return .string("latest")
        case .pending: return .string("pending")
        case .earliest: return .string("earliest")
        case .safe: return .string("safe")
        case .finalized: return .string("finalized")
        case .number(let number): return .string(UInt256(number).hexQuantity)
        }
    }

    /// The tag's text.
    public var description: String { json.stringValue ?? "" }
}

/// The transaction-like object of `eth_call` and `eth_estimateGas`.
public struct CallRequest: Hashable, Sendable {
    /// The sender (msg.sender of the call).
    public var from: Address?
    /// The callee; nil simulates a contract creation.
    public var to: Address?
    /// Wei sent.
    public var value: UInt256?
    /// Call data.
    public var data: [UInt8]
    /// A gas limit for the call.
    public var gas: UInt64?

    /// Creates a request.
    /// - Parameters:
    ///   - from: the sender.
    ///   - to: the callee.
    ///   - value: wei sent.
    ///   - data: call data.
    ///   - gas: gas limit.
    public init(from: Address? = nil, to: Address?, value: UInt256? = nil, data: [UInt8] = [], gas: UInt64? = nil) {
        self.from = from
        self.to = to
        self.value = value
        self.data = data
        self.gas = gas
    }

    /// The JSON object.
    public var json: JSON {
        var members: [(String, JSON)] = []
        if let from { members.append(("from", .string(Hex.encode(from.bytes)))) }
        if let to { members.append(("to", .string(Hex.encode(to.bytes)))) }
        if let gas { members.append(("gas", .string(UInt256(gas).hexQuantity))) }
        if let value { members.append(("value", .string(value.hexQuantity))) }
        members.append(("input", .string(Hex.encode(data))))
        return .object(members)
    }
}

/// One log entry, as `eth_getLogs` and receipts return it.
public struct LogEntry: Hashable, Sendable {
    /// The emitting contract.
    public var address: Address
    /// Up to four topics.
    public var topics: [Hash32]
    /// The non-indexed data.
    public var data: [UInt8]
    /// The block it is in.
    public var blockNumber: UInt64
    /// The block's hash.
    public var blockHash: Hash32
    /// The transaction that emitted it.
    public var transactionHash: Hash32
    /// Its index in the block.
    public var logIndex: UInt64
    /// Whether a reorganisation removed it.
    public var isRemoved: Bool

    /// Reads a log object.
    /// - Parameters:
    ///   - json: the log object.
    ///   - method: the method that returned it, for error messages.
    /// - Throws: `RPCClientError.invalidResponse` naming the member.
    public init(json: JSON, method: String) throws(RPCClientError) {
        let reader = JSONReader(json, method: method)
        address = try reader.address("address")
        topics = try reader.array("topics").map { (topic) throws(RPCClientError) -> Hash32 in
            try JSONReader(topic, method: method).hash32Value("topics[]")
        }
        data = try reader.bytes("data")
        blockNumber = try reader.uint64("blockNumber")
        blockHash = try reader.hash32("blockHash")
        transactionHash = try reader.hash32("transactionHash")
        logIndex = try reader.uint64("logIndex")
        isRemoved = json["removed"] == .bool(true)
    }
}

/// The filter of `eth_getLogs`.
public struct LogQuery: Hashable, Sendable {
    /// First block (inclusive).
    public var fromBlock: BlockTag
    /// Last block (inclusive).
    public var toBlock: BlockTag
    /// Contracts to match (empty: any).
    public var addresses: [Address]
    /// Topic filters by position: nil matches anything, else any of the listed values.
    public var topics: [[Hash32]?]

    /// Creates a query.
    /// - Parameters:
    ///   - fromBlock: first block.
    ///   - toBlock: last block.
    ///   - addresses: contracts to match.
    ///   - topics: topic filters by position.
    public init(fromBlock: BlockTag = .earliest, toBlock: BlockTag = .latest, addresses: [Address] = [],
                topics: [[Hash32]?] = []) {
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.addresses = addresses
        self.topics = topics
    }

    /// The JSON filter object.
    public var json: JSON {
        var members: [(String, JSON)] = [("fromBlock", fromBlock.json), ("toBlock", toBlock.json)]
        if !addresses.isEmpty {
            members.append(("address", .array(addresses.map { .string(Hex.encode($0.bytes)) })))
        }
        if !topics.isEmpty {
            members.append(("topics", .array(topics.map { position in
                guard let position else { return .null }
                return .array(position.map { .string($0.description) })
            })))
        }
        return .object(members)
    }
}

/// A mined transaction's receipt.
public struct TransactionReceipt: Hashable, Sendable {
    /// The transaction.
    public var transactionHash: Hash32
    /// The block.
    public var blockNumber: UInt64
    /// The block's hash.
    public var blockHash: Hash32
    /// The sender.
    public var from: Address
    /// The recipient (nil for a creation).
    public var to: Address?
    /// Whether it succeeded (status 1).
    public var isSuccess: Bool
    /// Gas used by this transaction.
    public var gasUsed: UInt64
    /// The price per gas paid.
    public var effectiveGasPrice: UInt256
    /// The created contract, for a creation.
    public var contractAddress: Address?
    /// Its logs.
    public var logs: [LogEntry]

    /// Reads a receipt object.
    /// - Parameter json: the receipt.
    /// - Throws: `RPCClientError.invalidResponse` naming the member.
    public init(json: JSON) throws(RPCClientError) {
        let method = "eth_getTransactionReceipt"
        let reader = JSONReader(json, method: method)
        transactionHash = try reader.hash32("transactionHash")
        blockNumber = try reader.uint64("blockNumber")
        blockHash = try reader.hash32("blockHash")
        from = try reader.address("from")
        to = try reader.optionalAddress("to")
        isSuccess = try reader.uint64("status") == 1
        gasUsed = try reader.uint64("gasUsed")
        effectiveGasPrice = try reader.isPresent("effectiveGasPrice") ? reader.uint256("effectiveGasPrice") : .zero
        contractAddress = try reader.optionalAddress("contractAddress")
        logs = try reader.array("logs").map { (log) throws(RPCClientError) -> LogEntry in
            try LogEntry(json: log, method: method)
        }
    }
}

/// The header fields of a block that clients use.
public struct BlockSummary: Hashable, Sendable {
    /// Its number.
    public var number: UInt64
    /// Its hash.
    public var hash: Hash32
    /// Its parent's hash.
    public var parentHash: Hash32
    /// Unix time in seconds.
    public var timestamp: UInt64
    /// The gas limit.
    public var gasLimit: UInt64
    /// Gas used by its transactions.
    public var gasUsed: UInt64
    /// EIP-1559 base fee (nil before London).
    public var baseFeePerGas: UInt256?
    /// Its transactions' hashes.
    public var transactionHashes: [Hash32]

    /// Reads a block object (with transaction hashes or full transactions).
    /// - Parameter json: the block.
    /// - Throws: `RPCClientError.invalidResponse` naming the member.
    public init(json: JSON) throws(RPCClientError) {
        let method = "eth_getBlockByNumber"
        let reader = JSONReader(json, method: method)
        number = try reader.uint64("number")
        hash = try reader.hash32("hash")
        parentHash = try reader.hash32("parentHash")
        timestamp = try reader.uint64("timestamp")
        gasLimit = try reader.uint64("gasLimit")
        gasUsed = try reader.uint64("gasUsed")
        baseFeePerGas = reader.isPresent("baseFeePerGas") ? try reader.uint256("baseFeePerGas") : nil
        transactionHashes = try reader.array("transactions").map { (entry) throws(RPCClientError) -> Hash32 in
            if case .object = entry { return try JSONReader(entry, method: method).hash32("hash") }
            return try JSONReader(entry, method: method).hash32Value("transactions[]")
        }
    }
}

/// Reads members of a JSON-RPC result, naming the member and the method on failure.
struct JSONReader {
    let json: JSON
    let method: String

    init(_ json: JSON, method: String) {
        self.json = json
        self.method = method
    }

    func failure(_ member: String, _ expected: String) -> RPCClientError {
        let found = json[member].map { String($0.serialized.prefix(120)) } ?? "nothing"
        return .invalidResponse(method: method, reason: "member \(member) is \(found), expected \(expected)")
    }

    func isPresent(_ member: String) -> Bool {
        guard let value = json[member] else { return false }
        return !value.isNull
    }

    func string(_ member: String) throws(RPCClientError) -> String {
        guard let text = json[member]?.stringValue else { throw failure(member, "a string") }
        return text
    }

    func uint256(_ member: String) throws(RPCClientError) -> UInt256 {
        do { return try UInt256(hex: try string(member)) } catch { throw failure(member, "a hex quantity") }
    }

    func uint64(_ member: String) throws(RPCClientError) -> UInt64 {
        guard let value = try uint256(member).uint64IfFits else { throw failure(member, "a quantity below 2^64") }
        return value
    }

    func bytes(_ member: String) throws(RPCClientError) -> [UInt8] {
        do { return try Hex.decode(try string(member)) } catch { throw failure(member, "hex data") }
    }

    func hash32(_ member: String) throws(RPCClientError) -> Hash32 {
        do { return try Hash32(hex: try string(member)) } catch { throw failure(member, "32 bytes of hex") }
    }

    func address(_ member: String) throws(RPCClientError) -> Address {
        do { return try Address(hex: try string(member)) } catch { throw failure(member, "an address") }
    }

    func optionalAddress(_ member: String) throws(RPCClientError) -> Address? {
        isPresent(member) ? try address(member) : nil
    }

    func array(_ member: String) throws(RPCClientError) -> [JSON] {
        guard case .array(let elements)? = json[member] else { throw failure(member, "an array") }
        return elements
    }

    /// The value itself as a 32-byte hash (for arrays of hashes).
    func hash32Value(_ what: String) throws(RPCClientError) -> Hash32 {
        guard let text = json.stringValue, let hash = try? Hash32(hex: text) else {
            throw .invalidResponse(method: method, reason: "\(what) is \(json.serialized.prefix(120)), expected 32 bytes of hex")
        }
        return hash
    }
}
