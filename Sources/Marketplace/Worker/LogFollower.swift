import Foundation
import HummingbirdWSClient
import Logging
import Primitives
import Synchronization

/// Follows one contract's logs of one event from a block on: over a WebSocket `eth_subscribe`
/// ("logs" with the address and topic filter) when the node offers it, else by `eth_getLogs`
/// polling from the last block seen.
///
/// With a subscription, the follower first subscribes, then catches up with `eth_getLogs` from the
/// start block to the head, then passes on each notification: no log falls between the catch-up
/// and the subscription (a log may come twice; the consumer de-duplicates). If the WebSocket cannot
/// be opened, the subscription is refused, or the connection drops, the follower says so once and
/// falls back to polling every `pollInterval` from the last block it had seen (inclusive).
/// Logs marked `removed` (a reorganisation) are not passed on.
public struct LogFollower: Sendable {
    /// How logs arrive.
    public enum Mode: String, Sendable {
        /// WebSocket `eth_subscribe`, falling back to polling.
        case webSocket
        /// `eth_getLogs` polling only.
        case polling
    }

    /// The node's HTTP JSON-RPC client.
    public let client: RPCClient
    /// The contract.
    public let address: Address
    /// topics[0] of the event followed.
    public let topic: Hash32
    /// WebSocket or polling.
    public let mode: Mode
    /// The pause between two polls.
    public let pollInterval: Duration
    /// Where progress lines go.
    public let log: @Sendable (String) -> Void

    /// Creates a follower.
    /// - Parameters:
    ///   - client: the node.
    ///   - address: the contract.
    ///   - topic: the event's signature topic.
    ///   - mode: WebSocket (with fallback) or polling.
    ///   - pollInterval: the pause between polls.
    ///   - log: where progress lines go.
    public init(client: RPCClient, address: Address, topic: Hash32, mode: Mode = .webSocket,
                pollInterval: Duration = .milliseconds(250), log: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.address = address
        self.topic = topic
        self.mode = mode
        self.pollInterval = pollInterval
        self.log = log
    }

    /// The WebSocket URL of an HTTP JSON-RPC URL (same host and port: `http` → `ws`, `https` → `wss`).
    /// - Parameter httpURL: the HTTP endpoint.
    /// - Returns: the WebSocket endpoint, or nil for a URL that is not http(s).
    public static func webSocketURL(for httpURL: String) -> String? {
        if httpURL.hasPrefix("http://") { return "ws://" + httpURL.dropFirst("http://".count) }
        if httpURL.hasPrefix("https://") { return "wss://" + httpURL.dropFirst("https://".count) }
        return nil
    }

    /// Follows the logs until the task is cancelled.
    /// - Parameters:
    ///   - startBlock: the first block to read.
    ///   - deliver: receives each batch of logs in chain order.
    /// - Throws: `CancellationError` when cancelled; RPC errors while polling are logged and retried.
    public func run(from startBlock: UInt64, deliver: @escaping @Sendable ([LogEntry]) async -> Void) async throws {
        let cursor = FollowState(startBlock: startBlock)
        if mode == .webSocket {
            if let url = Self.webSocketURL(for: client.url) {
                do {
                    try await followWebSocket(url: url, cursor: cursor, deliver: deliver)
                    try Task.checkCancellation()
                    log("WebSocket subscription at \(url) ended; falling back to log polling (eth_getLogs every \(Self.text(pollInterval)))")
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    try Task.checkCancellation()
                    log("WebSocket eth_subscribe unavailable at \(url) (\(error)); falling back to log polling (eth_getLogs every \(Self.text(pollInterval)))")
                }
            } else {
                log("\(client.url) has no WebSocket form; following logs by polling (eth_getLogs every \(Self.text(pollInterval)))")
            }
        } else {
            log("following logs by polling (eth_getLogs every \(Self.text(pollInterval)))")
        }
        try await poll(cursor: cursor, deliver: deliver)
    }

    /// Reads the logs from the cursor to the head; moves the cursor past the head. If the block
    /// last read to is gone or has another hash (a reorganisation, or `evm_revert` on a dev chain),
    /// it reads again from block 0: the consumer de-duplicates what it has seen.
    func catchUp(cursor: FollowState, deliver: @Sendable ([LogEntry]) async -> Void) async throws(RPCClientError) {
        guard let head = try await client.getBlockByNumber(.latest) else { return }
        if let last = cursor.last.withLock({ $0 }) {
            let current = last.number <= head.number ? try await client.getBlockByNumber(.number(last.number)) : nil
            if current?.hash != last.hash {
                log("block \(last.number) \(last.hash) is no longer in the chain (head \(head.number)): reading the logs again from block 0")
                cursor.block.withLock { $0 = 0 }
            }
        }
        let from = cursor.block.withLock { $0 }
        if from <= head.number {
            let logs = try await client.getLogs(LogQuery(fromBlock: .number(from), toBlock: .number(head.number),
                                                         addresses: [address], topics: [[topic]]))
            let live = logs.filter { !$0.isRemoved }
            if !live.isEmpty { await deliver(live) }
        }
        cursor.block.withLock { $0 = head.number + 1 }
        cursor.last.withLock { $0 = (head.number, head.hash) }
    }

    func poll(cursor: FollowState, deliver: @escaping @Sendable ([LogEntry]) async -> Void) async throws {
        var failing = false
        while true {
            try Task.checkCancellation()
            do {
                try await catchUp(cursor: cursor, deliver: deliver)
                if failing { log("log polling works again") }
                failing = false
            } catch {
                if !failing { log("log polling failed (\(error)); retrying every \(Self.text(pollInterval))") }
                failing = true
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Subscribes over a WebSocket, catches up, then passes on notifications until the connection ends.
    func followWebSocket(url: String, cursor state: FollowState,
                         deliver: @escaping @Sendable ([LogEntry]) async -> Void) async throws {
        var logger = Logger(label: "goldengrain.enclave-worker.websocket")
        logger.logLevel = .critical
        let request = JSON.object([
            ("jsonrpc", .string("2.0")), ("id", .integer(1)), ("method", .string("eth_subscribe")),
            ("params", .array([.string("logs"), .object([("address", .string(Hex.encode(address.bytes))),
                                                          ("topics", .array([.array([.string(topic.description)])]))])])),
        ]).serialized
        let follower = self
        let webSocket = WebSocketClient(url: url, logger: logger) { inbound, outbound, _ in
            try await outbound.write(.text(request))
            var subscription: String?
            for try await message in inbound.messages(maxSize: 64 << 20) {
                guard case .text(let text) = message, let json = try? JSON.parse(text) else { continue }
                guard let subscription else {
                    guard json["id"] == .integer(1) else { continue }
                    if let error = json["error"], !error.isNull {
                        throw WebSocketFollowError(reason: "eth_subscribe refused: \(error.serialized)")
                    }
                    guard let id = json["result"]?.stringValue else {
                        throw WebSocketFollowError(reason: "eth_subscribe answered \(json.serialized.prefix(200))")
                    }
                    subscription = id
                    state.isSubscribed.withLock { $0 = true }
                    follower.log("following \(follower.address) logs over WebSocket eth_subscribe at \(url) (subscription \(id))")
                    try await follower.catchUp(cursor: state, deliver: deliver)
                    continue
                }
                guard json["method"]?.stringValue == "eth_subscription",
                      json["params"]?["subscription"]?.stringValue == subscription,
                      let result = json["params"]?["result"] else { continue }
                let entry: LogEntry
                do { entry = try LogEntry(json: result, method: "eth_subscription") } catch {
                    follower.log("ignored a malformed eth_subscription notification: \(error)")
                    continue
                }
                guard !entry.isRemoved, entry.address == follower.address, entry.topics.first == follower.topic else { continue }
                // Polling resumes from this block (inclusive) if the connection drops mid-block.
                state.block.withLock { $0 = max($0, entry.blockNumber) }
                await deliver([entry])
            }
        }
        try await webSocket.run()
        if !state.isSubscribed.withLock({ $0 }) {
            throw WebSocketFollowError(reason: "the connection ended before eth_subscribe answered")
        }
    }

    static func text(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

/// The follower's progress, shared with the WebSocket handler's task.
final class FollowState: Sendable {
    /// The next block to read with eth_getLogs.
    let block: Mutex<UInt64>
    /// The block the last read ended with, to notice when it leaves the chain.
    let last = Mutex<(number: UInt64, hash: Hash32)?>(nil)
    /// Whether the WebSocket subscription was confirmed.
    let isSubscribed = Mutex<Bool>(false)

    init(startBlock: UInt64) { block = Mutex(startBlock) }
}

/// The subscription could not be set up.
struct WebSocketFollowError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
