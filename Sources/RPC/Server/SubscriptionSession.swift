import Chain
import Primitives

/// The subscriptions of one WebSocket connection (`eth_subscribe` "newHeads" and "logs"), and the
/// notifications they produce in geth's shape:
/// `{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":id,"result":…}}`.
///
/// New blocks are found by polling the head (`RPCServerConfiguration.subscriptionPollInterval`);
/// each block is reported once, in order, to every subscription made before it was seen.
public actor SubscriptionSession {
    enum Subscription: Sendable {
        case newHeads
        case logs(LogFilter)
    }

    private let view: ChainView
    private var subscriptions: [(id: String, kind: Subscription)] = []
    private var lastBlock: UInt64?
    private var generator = SystemRandomNumberGenerator()

    /// Creates a session.
    /// - Parameter view: the chain view.
    public init(view: ChainView) { self.view = view }

    /// Adds a subscription.
    /// - Parameter parameters: `["newHeads"]` or `["logs", {address, topics}]`.
    /// - Returns: the subscription id.
    /// - Throws: `RPCError` for an unknown kind or bad filter (geth's messages).
    public func subscribe(_ parameters: RPCParameters) async throws(RPCError) -> JSON {
        let name = try parameters.required(0, SimpleArgument.string)
        let kind: Subscription
        switch name {
        case "newHeads":
            try parameters.expectAtMost(1)
            kind = .newHeads
        case "logs":
            try parameters.expectAtMost(2)
            kind = .logs(try parameters.optional(1, LogFilter.decode) ?? LogFilter())
        default:
            throw RPCError(code: -32601, message: "no \"\(name)\" subscription in eth namespace")
        }
        if lastBlock == nil { lastBlock = await view.backend.headBlockNumber() }
        var bytes: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes.allSatisfy({ $0 == 0 }) { bytes[15] = 1 }
        var digits = Hex.encode(bytes, prefix: false)
        while digits.hasPrefix("0") { digits.removeFirst() }
        let id = "0x" + digits
        subscriptions.append((id, kind))
        return .string(id)
    }

    /// Removes a subscription.
    /// - Parameter parameters: `[id]`.
    /// - Returns: true.
    /// - Throws: `RPCError` -32000 "subscription not found" for an unknown id.
    public func unsubscribe(_ parameters: RPCParameters) throws(RPCError) -> JSON {
        try parameters.expectAtMost(1)
        let id = try parameters.required(0, SimpleArgument.string)
        guard let index = subscriptions.firstIndex(where: { $0.id == id }) else { throw .server("subscription not found") }
        subscriptions.remove(at: index)
        return .bool(true)
    }

    /// Looks for blocks mined since the last look and returns their notifications, in order.
    /// - Returns: the notification messages.
    public func poll() async -> [JSON] {
        guard let last = lastBlock, !subscriptions.isEmpty else { return [] }
        let head = await view.backend.headBlockNumber()
        guard head > last else {
            if head < last { lastBlock = head }  // evm_revert moved the head back
            return []
        }
        var notifications: [JSON] = []
        for number in (last + 1)...head {
            guard let block = await view.backend.block(number: number) else { break }
            for subscription in subscriptions {
                switch subscription.kind {
                case .newHeads:
                    notifications.append(Self.notification(subscription.id, ChainJSON.header(block.header)))
                case .logs(let filter):
                    for log in await filter.logs(in: block, view: view) {
                        notifications.append(Self.notification(subscription.id, log))
                    }
                }
            }
            lastBlock = number
        }
        return notifications
    }

    static func notification(_ id: String, _ result: JSON) -> JSON {
        .object([
            ("jsonrpc", .string("2.0")),
            ("method", .string("eth_subscription")),
            ("params", .object([("subscription", .string(id)), ("result", result)])),
        ])
    }
}
