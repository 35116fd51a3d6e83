import Chain
import ChainTypes
import Clique
import GoldenGrainNode
import Hummingbird
import HummingbirdTesting
import NIOCore
import Primitives
import RPC
import Signatures
import Storage
import TestSupport

/// A fresh dev node (Genesis/dev.json, automine, in memory), assembled as `goldengrain node --dev`
/// does: `CliqueEngine` and the genesis precompiles (`installGoldenGrain`).
func makeNode() throws -> Node {
    let genesis = try Genesis(contentsOfFile: TestFiles.genesis.appendingPathComponent("dev.json").path)
    var configuration = try NodeConfiguration.dev(genesis: genesis)
    let store = MemoryStore()
    try configuration.installGoldenGrain(snapshotStore: store)
    return try Node(configuration: configuration, store: store)
}

/// The ten dev keys.
let devKeys: [PrivateKey] = try! DevAccounts.keys()

/// One HTTP exchange with the in-process router: status, body text and response headers.
struct Exchange {
    var status: HTTPResponse.Status
    var body: String
    var headers: HTTPFields
}

/// Posts bodies to a fresh in-process server over `node` and returns the exchanges, in order.
func post(_ bodies: [String], node: Node? = nil, configuration: RPCServerConfiguration = RPCServerConfiguration(),
          headers: HTTPFields = [.contentType: "application/json"]) async throws -> [Exchange] {
    let router = buildRouter(configuration: configuration, node: try node ?? makeNode())
    let application = Application(router: router)
    return try await application.test(.router) { client in
        var exchanges: [Exchange] = []
        for body in bodies {
            let exchange = try await client.execute(uri: "/", method: .post, headers: headers,
                                                    body: ByteBuffer(string: body)) { response in
                Exchange(status: response.status, body: String(buffer: response.body), headers: response.headers)
            }
            exchanges.append(exchange)
        }
        return exchanges
    }
}

/// Posts one body and returns the response body.
func call(_ body: String, node: Node? = nil) async throws -> String {
    try await post([body], node: node)[0].body
}

/// A request body for a method and raw JSON params.
func request(_ method: String, _ params: String = "[]", id: Int = 1) -> String {
    "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\",\"params\":\(params)}"
}

/// The expected success body.
func result(_ json: String, id: Int = 1) -> String { "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"result\":\(json)}\n" }

/// The expected error body.
func error(_ code: Int, _ message: String, id: String = "1", data: String? = nil) -> String {
    let dataPart = data.map { ",\"data\":\($0)" } ?? ""
    return "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"error\":{\"code\":\(code),\"message\":\"\(message)\"\(dataPart)}}\n"
}

/// Dispatches one body through a long-lived service (filters survive between calls) and returns
/// the response text as the HTTP route would send it.
func dispatch(_ service: RPCService, _ body: String) async -> String {
    guard let reply = await service.dispatcher.handle(body: Array(body.utf8)) else { return "" }
    return reply.serialized + "\n"
}
