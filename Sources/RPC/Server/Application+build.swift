import Chain
import ChainTypes
import Hummingbird
import HummingbirdWebSocket
import JSONRPC
import Logging
import NIOCore
import Primitives

/// Builds the JSON-RPC router: `POST /` answers JSON-RPC (single or batch), `GET /` answers an
/// empty 200 (a health check, as geth does), and every response carries anvil's permissive CORS
/// headers. Bodies above `configuration.maximumBodySize` get HTTP 413 with geth's text
/// "content length too large (N>LIMIT)".
/// - Parameters:
///   - configuration: the server configuration.
///   - service: the methods and state to serve.
/// - Returns: the router.
package func buildRouter(configuration: RPCServerConfiguration, service: RPCService) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: CORSMiddleware(allowOrigin: .all, allowHeaders: [.contentType, .accept, .authorization, .origin],
                                          allowMethods: [.get, .post, .options]))
    let limit = configuration.maximumBodySize
    let dispatcher = service.dispatcher
    router.post("/") { request, context -> Response in
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            return tooLarge(declared, limit: limit)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch {
            return tooLarge(limit + 1, limit: limit)
        }
        guard let reply = await dispatcher.handle(body: body.readableBytesView) else {
            return Response(status: .ok, headers: [.contentType: "application/json"])
        }
        var bytes = reply.serializedBytes
        bytes.append(UInt8(ascii: "\n"))
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    router.get("/") { _, _ -> Response in
        Response(status: .ok)
    }
    return router
}

/// Builds the router over a node (see `buildRouter(configuration:service:)`).
/// - Parameters:
///   - configuration: the server configuration.
///   - node: the node.
/// - Returns: the router.
package func buildRouter(configuration: RPCServerConfiguration, node: Node) -> Router<BasicRequestContext> {
    buildRouter(configuration: configuration, service: RPCService(configuration: configuration, node: node))
}

/// Builds the server application: the router on HTTP/1.1 at `configuration.host:port`, with
/// WebSocket upgrades (`GET /` with `Upgrade: websocket`) on the same port serving the same methods
/// plus `eth_subscribe`/`eth_unsubscribe`.
/// - Parameters:
///   - configuration: the server configuration.
///   - node: the node.
///   - logger: the server's logger (default: a "goldengrain.rpc" logger at warning level).
///   - onListening: called with the bound host and port once the server listens (port 0 resolves here).
/// - Returns: the application; run it with `runService()`.
public func buildApplication(configuration: RPCServerConfiguration, node: Node, logger: Logger? = nil,
                             onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }) -> some ApplicationProtocol {
    let service = RPCService(configuration: configuration, node: node)
    let router = buildRouter(configuration: configuration, service: service)
    var serverLogger = logger ?? Logger(label: "goldengrain.rpc")
    if logger == nil { serverLogger.logLevel = .warning }
    let webSocket = WebSocketServerConfiguration(maxFrameSize: configuration.maximumBodySize)
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(configuration: HTTP1WebSocketUpgradeChannel.Configuration(ws: webSocket)) { request, _, _ in
            guard request.method == .get else { return .dontUpgrade }
            return .upgrade([:]) { inbound, outbound, _ in
                try await serveWebSocket(service: service, inbound: inbound, outbound: outbound)
            }
        },
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                serverName: nil),
        onServerRunning: { channel in
            onListening(configuration.host, channel.localAddress?.port ?? configuration.port)
        },
        logger: serverLogger
    )
}

/// Serves one WebSocket connection: each text message is a JSON-RPC body; subscriptions push
/// notifications between replies.
func serveWebSocket(service: RPCService, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
    let session = SubscriptionSession(node: service.node, extraDataLimit: service.configuration.extraDataLimit) { text in try? await outbound.write(.text(text)) }
    var methods = service.methods
    methods.register("eth_subscribe") { parameters in try await session.subscribe(parameters) }
    methods.register("eth_unsubscribe") { parameters in try await session.unsubscribe(parameters) }
    let dispatcher = JSONRPCDispatcher(methods: methods, batchLimit: service.configuration.batchLimit,
                                       mapError: RPCError.init(mapping:), methodNotFound: RPCMetrics.countUnknown)
    do {
        for try await message in inbound.messages(maxSize: service.configuration.maximumBodySize) {
            let reply: JSON?
            switch message {
            case .text(let text): reply = await dispatcher.handle(body: Array(text.utf8))
            case .binary(let buffer): reply = await dispatcher.handle(body: buffer.readableBytesView)
            }
            if let reply { try await outbound.write(.text(reply.serialized)) }
        }
    } catch {
        await session.cancelAll()
        throw error
    }
    await session.cancelAll()
}

private func tooLarge(_ size: Int, limit: Int) -> Response {
    Response(status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
             body: ResponseBody(byteBuffer: ByteBuffer(string: "content length too large (\(size)>\(limit))\n")))
}
