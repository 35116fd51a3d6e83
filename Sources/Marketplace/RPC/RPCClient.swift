import AsyncHTTPClient
import NIOCore
import Primitives
import Synchronization

/// An Ethereum JSON-RPC 2.0 client over HTTP (AsyncHTTPClient), with typed helpers for the methods
/// the marketplace needs. Any node that speaks the standard API works: `goldengrain node`, anvil, geth.
///
/// Each call is one POST with a fresh request id. Errors keep what the node said: its code,
/// message and, for code 3 ("execution reverted"), the revert data, decoded by
/// `RPCClientError.revert`. The client is `Sendable` and may be shared by concurrent tasks.
public final class RPCClient: Sendable {
    /// The endpoint, e.g. "http://127.0.0.1:8545".
    public let url: String
    /// How long one HTTP exchange may take.
    public let requestTimeout: Duration
    let httpClient: HTTPClient
    let nextID = Atomic<Int>(1)

    /// The largest response body read (a block with full transactions or a big getLogs fits easily).
    static let maximumResponseBytes = 256 << 20

    /// Creates a client.
    /// - Parameters:
    ///   - url: the endpoint.
    ///   - httpClient: the HTTP client (the process-wide shared one by default; it needs no shutdown).
    ///   - requestTimeout: the deadline of one exchange.
    public init(url: String, httpClient: HTTPClient = .shared, requestTimeout: Duration = .seconds(60)) {
        self.url = url
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
    }

    // MARK: - Raw calls

    /// Sends one request and returns its `result`.
    /// - Parameters:
    ///   - method: the method name, e.g. "eth_chainId".
    ///   - params: the positional parameters.
    /// - Returns: the result value (may be `null`).
    /// - Throws: `RPCClientError.transport`, `.httpStatus`, `.invalidResponse`, or `.rpc` with the
    ///   node's code, message and revert data.
    public func call(_ method: String, _ params: [JSON] = []) async throws(RPCClientError) -> JSON {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let body = JSON.object([("jsonrpc", .string("2.0")), ("id", .integer(id)), ("method", .string(method)),
                                ("params", .array(params))])
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body.serializedBytes))
        let responseBytes: [UInt8]
        let status: UInt
        do {
            let timeout = TimeAmount.nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000
                                                 + requestTimeout.components.attoseconds / 1_000_000_000)
            let response = try await httpClient.execute(request, timeout: timeout)
            status = response.status.code
            let buffer = try await response.body.collect(upTo: Self.maximumResponseBytes)
            responseBytes = Array(buffer.readableBytesView)
        } catch {
            throw .transport(url: url, reason: "\(error)")
        }
        guard status == 200 else {
            throw .httpStatus(url: url, status: Int(status), body: String(decoding: responseBytes.prefix(500), as: UTF8.self))
        }
        let response: JSON
        do { response = try JSON.parse(responseBytes) } catch {
            throw .invalidResponse(method: method, reason: "not JSON: \(error)")
        }
        if let error = response["error"], !error.isNull {
            let code = error["code"].flatMap { value -> Int? in
                if case .number(let text) = value { return Int(text) }
                return nil
            } ?? 0
            let message = error["message"]?.stringValue ?? error.serialized
            var data: [UInt8]?
            if let text = error["data"]?.stringValue { data = try? Hex.decode(text) }
            throw .rpc(method: method, code: code, message: message, data: data)
        }
        guard let result = response["result"] else {
            throw .invalidResponse(method: method, reason: "neither result nor error in \(response.serialized.prefix(200))")
        }
        return result
    }

    /// Calls a method whose result is a hex quantity.
    func quantity(_ method: String, _ params: [JSON] = []) async throws(RPCClientError) -> UInt256 {
        let result = try await call(method, params)
        guard let text = result.stringValue, let value = try? UInt256(hex: text), text.hasPrefix("0x") else {
            throw .invalidResponse(method: method, reason: "result \(result.serialized.prefix(100)) is not a hex quantity")
        }
        return value
    }

    func quantity64(_ method: String, _ params: [JSON] = []) async throws(RPCClientError) -> UInt64 {
        let value = try await quantity(method, params)
        guard let small = value.uint64IfFits else {
            throw .invalidResponse(method: method, reason: "result \(value) does not fit 64 bits")
        }
        return small
    }

    // MARK: - Chain state

    /// `eth_chainId`.
    /// - Returns: the chain id.
    /// - Throws: `RPCClientError`.
    public func chainId() async throws(RPCClientError) -> UInt64 { try await quantity64("eth_chainId") }

    /// `eth_blockNumber`.
    /// - Returns: the head's number.
    /// - Throws: `RPCClientError`.
    public func blockNumber() async throws(RPCClientError) -> UInt64 { try await quantity64("eth_blockNumber") }

    /// `eth_getBalance`.
    /// - Parameters:
    ///   - address: the account.
    ///   - block: the block.
    /// - Returns: the balance in wei.
    /// - Throws: `RPCClientError`.
    public func getBalance(_ address: Address, block: BlockTag = .latest) async throws(RPCClientError) -> UInt256 {
        try await quantity("eth_getBalance", [.string(Hex.encode(address.bytes)), block.json])
    }

    /// `eth_getTransactionCount`.
    /// - Parameters:
    ///   - address: the account.
    ///   - block: the block; `.pending` counts the pool's transactions too.
    /// - Returns: the nonce.
    /// - Throws: `RPCClientError`.
    public func getTransactionCount(_ address: Address, block: BlockTag = .pending) async throws(RPCClientError) -> UInt64 {
        try await quantity64("eth_getTransactionCount", [.string(Hex.encode(address.bytes)), block.json])
    }

    /// `eth_getCode`.
    /// - Parameters:
    ///   - address: the account.
    ///   - block: the block.
    /// - Returns: the runtime code (empty for an account without code).
    /// - Throws: `RPCClientError`.
    public func getCode(_ address: Address, block: BlockTag = .latest) async throws(RPCClientError) -> [UInt8] {
        let result = try await call("eth_getCode", [.string(Hex.encode(address.bytes)), block.json])
        guard let text = result.stringValue, let code = try? Hex.decode(text) else {
            throw .invalidResponse(method: "eth_getCode", reason: "result \(result.serialized.prefix(100)) is not hex")
        }
        return code
    }

    /// `eth_call`.
    /// - Parameters:
    ///   - request: the call.
    ///   - block: the state to run it on.
    /// - Returns: the return data.
    /// - Throws: `RPCClientError.rpc` with code 3 and the revert data when the call reverts.
    public func call(_ request: CallRequest, block: BlockTag = .latest) async throws(RPCClientError) -> [UInt8] {
        let result = try await call("eth_call", [request.json, block.json])
        guard let text = result.stringValue, let data = try? Hex.decode(text) else {
            throw .invalidResponse(method: "eth_call", reason: "result \(result.serialized.prefix(100)) is not hex")
        }
        return data
    }

    /// `eth_estimateGas`.
    /// - Parameter request: the transaction to estimate.
    /// - Returns: the gas it needs.
    /// - Throws: `RPCClientError.rpc` with code 3 and the revert data when it would revert.
    public func estimateGas(_ request: CallRequest) async throws(RPCClientError) -> UInt64 {
        try await quantity64("eth_estimateGas", [request.json])
    }

    /// `eth_gasPrice`: a legacy gas price (base fee + suggested tip).
    /// - Returns: wei per gas.
    /// - Throws: `RPCClientError`.
    public func gasPrice() async throws(RPCClientError) -> UInt256 { try await quantity("eth_gasPrice") }

    /// `eth_maxPriorityFeePerGas`: the suggested tip.
    /// - Returns: wei per gas.
    /// - Throws: `RPCClientError`.
    public func maxPriorityFeePerGas() async throws(RPCClientError) -> UInt256 { try await quantity("eth_maxPriorityFeePerGas") }

    /// The latest block's base fee (zero on a chain without EIP-1559).
    /// - Returns: wei per gas.
    /// - Throws: `RPCClientError`.
    public func baseFee() async throws(RPCClientError) -> UInt256 {
        guard let block = try await getBlockByNumber(.latest) else {
            throw .invalidResponse(method: "eth_getBlockByNumber", reason: "no latest block")
        }
        return block.baseFeePerGas ?? .zero
    }

    /// `eth_getBlockByNumber` with transaction hashes.
    /// - Parameter block: the block.
    /// - Returns: the block, or nil if it does not exist.
    /// - Throws: `RPCClientError`.
    public func getBlockByNumber(_ block: BlockTag) async throws(RPCClientError) -> BlockSummary? {
        let result = try await call("eth_getBlockByNumber", [block.json, .bool(false)])
        return result.isNull ? nil : try BlockSummary(json: result)
    }

    /// `eth_getLogs`.
    /// - Parameter query: the filter.
    /// - Returns: the matching logs in chain order.
    /// - Throws: `RPCClientError`.
    public func getLogs(_ query: LogQuery) async throws(RPCClientError) -> [LogEntry] {
        let result = try await call("eth_getLogs", [query.json])
        guard case .array(let entries) = result else {
            throw .invalidResponse(method: "eth_getLogs", reason: "result is not an array")
        }
        var logs: [LogEntry] = []
        logs.reserveCapacity(entries.count)
        for entry in entries { logs.append(try LogEntry(json: entry, method: "eth_getLogs")) }
        return logs
    }

    // MARK: - Transactions

    /// `eth_sendRawTransaction`.
    /// - Parameter raw: the signed transaction's encoding.
    /// - Returns: the transaction hash the node reports.
    /// - Throws: `RPCClientError.rpc` when the pool rejects it ("nonce too low", …).
    public func sendRawTransaction(_ raw: [UInt8]) async throws(RPCClientError) -> Hash32 {
        let result = try await call("eth_sendRawTransaction", [.string(Hex.encode(raw))])
        guard let text = result.stringValue, let hash = try? Hash32(hex: text) else {
            throw .invalidResponse(method: "eth_sendRawTransaction", reason: "result \(result.serialized.prefix(100)) is not a hash")
        }
        return hash
    }

    /// `eth_getTransactionReceipt`.
    /// - Parameter hash: the transaction.
    /// - Returns: the receipt, or nil while the transaction is not mined.
    /// - Throws: `RPCClientError`.
    public func getTransactionReceipt(_ hash: Hash32) async throws(RPCClientError) -> TransactionReceipt? {
        let result = try await call("eth_getTransactionReceipt", [.string(hash.description)])
        return result.isNull ? nil : try TransactionReceipt(json: result)
    }

    /// Polls for a receipt until it appears.
    /// - Parameters:
    ///   - hash: the transaction.
    ///   - timeout: how long to wait.
    ///   - pollInterval: the pause between polls.
    /// - Returns: the receipt (successful or not).
    /// - Throws: `RPCClientError.receiptTimeout`, or a transport error.
    public func waitForReceipt(_ hash: Hash32, timeout: Duration = .seconds(120),
                               pollInterval: Duration = .milliseconds(50)) async throws(RPCClientError) -> TransactionReceipt {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let receipt = try await getTransactionReceipt(hash) { return receipt }
            guard clock.now < deadline else {
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                throw .receiptTimeout(hash: hash, seconds: seconds)
            }
            do { try await Task.sleep(for: pollInterval) } catch {
                throw .transport(url: url, reason: "cancelled while waiting for \(hash)")
            }
        }
    }

    // MARK: - Dev-chain controls (anvil/hardhat/goldengrain --dev)

    /// `evm_increaseTime`: moves the next block's timestamp forward.
    /// - Parameter seconds: how far.
    /// - Throws: `RPCClientError`.
    public func increaseTime(seconds: UInt64) async throws(RPCClientError) {
        _ = try await call("evm_increaseTime", [.integer(seconds)])
    }

    /// `evm_setNextBlockTimestamp`: the next block's timestamp, exactly (later blocks count on from it).
    /// - Parameter timestamp: Unix seconds, above the head's.
    /// - Throws: `RPCClientError`.
    public func setNextBlockTimestamp(_ timestamp: UInt64) async throws(RPCClientError) {
        _ = try await call("evm_setNextBlockTimestamp", [.integer(timestamp)])
    }

    /// `evm_mine`: seals a block now.
    /// - Throws: `RPCClientError`.
    public func mine() async throws(RPCClientError) {
        _ = try await call("evm_mine", [])
    }
}
