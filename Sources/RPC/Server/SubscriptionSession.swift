import Chain
import ChainTypes
import JSONRPC
import Primitives

/// The subscriptions of one WebSocket connection (`eth_subscribe` "newHeads", "logs" and
/// "newPendingTransactions"), each fed by one of the node's event streams and written as geth
/// writes notifications:
/// `{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":id,"result":…}}`.
///
/// `unsubscribe` and the end of the connection (`cancelAll`) stop the feeding tasks.
public actor SubscriptionSession {
    /// Sends one notification text to the client.
    public typealias Sender = @Sendable (String) async -> Void

    private let node: Node
    private let send: Sender
    private let extraDataLimit: Int?
    private var tasks: [String: Task<Void, Never>] = [:]
    private var generator = SystemRandomNumberGenerator()

    /// Creates a session.
    /// - Parameters:
    ///   - node: the node.
    ///   - extraDataLimit: the most `extraData` bytes headers show, or nil for all.
    ///   - send: writes a notification to the connection.
    public init(node: Node, extraDataLimit: Int? = nil, send: @escaping Sender) {
        self.node = node; self.extraDataLimit = extraDataLimit; self.send = send
    }

    /// Adds a subscription.
    /// - Parameter parameters: `["newHeads"]`, `["logs", {address, topics}]` or `["newPendingTransactions"]`.
    /// - Returns: the subscription id.
    /// - Throws: `RPCError` for an unknown kind or a bad filter (geth's messages).
    public func subscribe(_ parameters: RPCParameters) throws(RPCError) -> JSON {
        let name = try parameters.required(0, SimpleArgument.string)
        let id = newId()
        let send = self.send
        switch name {
        case "newHeads":
            try parameters.expectAtMost(1)
            let stream = node.newHeads()
            let limit = extraDataLimit
            tasks[id] = Task {
                for await record in stream {
                    await send(Self.notification(id, ChainJSON.header(record.header, hash: record.hash, extraDataLimit: limit)).serialized)
                }
            }
        case "logs":
            try parameters.expectAtMost(2)
            let filter = try parameters.optional(1, LogFilterArgument.decode) ?? LogFilter()
            let stream = node.logEvents(matching: filter)
            tasks[id] = Task {
                for await record in stream { await send(Self.notification(id, ChainJSON.log(record)).serialized) }
            }
        case "newPendingTransactions":
            try parameters.expectAtMost(2)
            let stream = node.pendingTransactionEvents()
            tasks[id] = Task {
                for await hash in stream { await send(Self.notification(id, Quantity.json(hash)).serialized) }
            }
        default:
            throw RPCError(code: -32601, message: "no \"\(name)\" subscription in eth namespace")
        }
        return .string(id)
    }

    /// Removes a subscription.
    /// - Parameter parameters: `[id]`.
    /// - Returns: true.
    /// - Throws: `RPCError` -32000 "subscription not found" for an unknown id.
    package func unsubscribe(_ parameters: RPCParameters) throws(RPCError) -> JSON {
        try parameters.expectAtMost(1)
        let id = try parameters.required(0, SimpleArgument.string)
        guard let task = tasks.removeValue(forKey: id) else { throw RPCError.server("subscription not found") }
        task.cancel()
        return .bool(true)
    }

    /// Stops every subscription (the connection closed).
    public func cancelAll() {
        for task in tasks.values { task.cancel() }
        tasks = [:]
    }

    private func newId() -> String {
        var bytes: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes.allSatisfy({ $0 == 0 }) { bytes[15] = 1 }
        var digits = Hex.encode(bytes, prefix: false)
        while digits.hasPrefix("0") { digits.removeFirst() }
        return "0x" + digits
    }

    static func notification(_ id: String, _ result: JSON) -> JSON {
        .object([
            ("jsonrpc", .string("2.0")),
            ("method", .string("eth_subscription")),
            ("params", .object([("subscription", .string(id)), ("result", result)])),
        ])
    }
}
