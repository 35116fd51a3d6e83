import Primitives

/// Reads JSON-RPC 2.0 messages (one request or a batch), calls the methods and writes the
/// responses, with go-ethereum's rules (`rpc/handler.go`, `rpc/json.go`):
///
/// - a body that is not JSON gets one -32700 error with id null;
/// - an empty batch gets one -32600 "empty batch" error; a batch of more than `batchLimit` items
///   gets a one-element array holding -32600 "batch too large" with the id of its first call;
/// - a message that is not a request object, or whose `jsonrpc` member is not "2.0" (absent
///   included), gets -32600 "invalid request" (id null if it has no id, or one that is not a
///   string, number or null);
/// - a method name longer than `maximumMethodNameLength` bytes gets -32600 "method name too long:
///   N > 2048" (geth since v1.15.11);
/// - a request without an id is a notification: it runs, and nothing is written for it;
/// - batch responses are in request order; a batch of notifications only gets no response at all.
public struct JSONRPCDispatcher: Sendable {
    /// geth's default batch limit (`--rpc.batch-request-limit`).
    public static let defaultBatchLimit = 1000
    /// The longest method name served, in UTF-8 bytes (geth's `maxMethodNameLength`).
    package static let maximumMethodNameLength = 2048

    /// The methods served.
    public let methods: RPCMethods
    /// The most requests one batch may hold.
    public let batchLimit: Int
    /// Turns whatever a method threw into the JSON-RPC error sent: the one place where a server's
    /// errors get their codes (the node's are mapped by the RPC module's `RPCError.init(mapping:)`).
    public let mapError: @Sendable (any Error) -> RPCError
    /// Called for each well-formed request whose method is not in `methods` (before its -32601
    /// error is sent), so a server can count such calls without a table entry per unknown name.
    public let methodNotFound: (@Sendable (String) -> Void)?

    /// Creates a dispatcher.
    /// - Parameters:
    ///   - methods: the methods served.
    ///   - batchLimit: the most requests per batch.
    ///   - mapError: maps a method's error to the JSON-RPC error; by default an `RPCError` is sent
    ///     as it is and anything else is -32603 with its description.
    ///   - methodNotFound: told the name of each request for a method not served (default none).
    public init(methods: RPCMethods, batchLimit: Int = JSONRPCDispatcher.defaultBatchLimit,
                mapError: @escaping @Sendable (any Error) -> RPCError = RPCError.init(unexpected:),
                methodNotFound: (@Sendable (String) -> Void)? = nil) {
        self.methods = methods; self.batchLimit = batchLimit; self.mapError = mapError
        self.methodNotFound = methodNotFound
    }

    /// Handles one body.
    /// - Parameter body: the raw request body.
    /// - Returns: the response body, or nil when nothing is to be sent (only notifications).
    public func handle(body: some Collection<UInt8>) async -> JSON? {
        let message: JSON
        do {
            message = try JSON.parse(body)
        } catch {
            return Self.errorResponse(id: .null, error: .parseError)
        }
        guard case .array(let batch) = message else {
            return await handle(message: message)
        }
        if batch.isEmpty { return Self.errorResponse(id: .null, error: .emptyBatch) }
        if batch.count > batchLimit {
            let firstId = batch.lazy.compactMap { element -> JSON? in
                guard case .object = element, element["method"] != nil, let id = element["id"], Self.isValidId(id) else { return nil }
                return id
            }.first ?? .null
            return .array([Self.errorResponse(id: firstId, error: .batchTooLarge)])
        }
        var responses: [JSON] = []
        for element in batch {
            if let response = await handle(message: element) { responses.append(response) }
        }
        return responses.isEmpty ? nil : .array(responses)
    }

    /// Handles one message of a body.
    /// - Parameter message: the parsed message.
    /// - Returns: the response, or nil for a notification.
    public func handle(message: JSON) async -> JSON? {
        guard case .object = message else { return Self.errorResponse(id: .null, error: .invalidRequest) }
        let id = message["id"]
        if let id, !Self.isValidId(id) { return Self.errorResponse(id: .null, error: .invalidRequest) }
        guard case .string(let name)? = message["method"] else {
            return Self.errorResponse(id: id ?? .null, error: .invalidRequest)
        }
        // geth's isCall/isNotification: without "jsonrpc":"2.0" the message is neither, and even
        // one without an id gets an answer (with id null).
        guard message["jsonrpc"] == .string("2.0") else {
            return Self.errorResponse(id: id ?? .null, error: .invalidRequest)
        }
        if name.utf8.count > Self.maximumMethodNameLength {
            let error = RPCError(code: -32600, message: "method name too long: \(name.utf8.count) > \(Self.maximumMethodNameLength)")
            return id.map { Self.errorResponse(id: $0, error: error) }
        }
        let parameters: RPCParameters
        switch message["params"] {
        case nil, .null?: parameters = RPCParameters([])
        case .array(let values)?: parameters = RPCParameters(values)
        default:
            return id.map { Self.errorResponse(id: $0, error: .invalidParams("non-array args")) }
        }
        let outcome: Result<JSON, RPCError>
        if let method = methods[name] {
            do {
                outcome = .success(try await method(parameters))
            } catch {
                outcome = .failure(mapError(error))
            }
        } else {
            methodNotFound?(name)
            outcome = .failure(.methodNotFound(name))
        }
        guard let id else { return nil }
        switch outcome {
        case .success(let result):
            return .object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
        case .failure(let error):
            return Self.errorResponse(id: id, error: error)
        }
    }

    /// An error response object.
    /// - Parameters:
    ///   - id: the request's id (null if unknown).
    ///   - error: the error.
    /// - Returns: `{"jsonrpc":"2.0","id":…,"error":{…}}`.
    package static func errorResponse(id: JSON, error: RPCError) -> JSON {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("error", error.json)])
    }

    static func isValidId(_ id: JSON) -> Bool {
        switch id {
        case .string, .number, .null: return true
        default: return false
        }
    }
}
