import ChainTypes
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Primitives

/// A blocking JSON-RPC client for one peer node, used by `PeerSync` on its own thread. It speaks
/// the same JSON-RPC over HTTP any client uses (URLSession, keep-alive), so peers need no second
/// protocol or port: a peer is just another node's RPC URL.
final class PeerClient: @unchecked Sendable {
    /// The peer's JSON-RPC URL.
    let url: URL
    private let session: URLSession
    private var nextId = 0

    /// A failed call: transport, HTTP status, or a JSON-RPC error object.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates a client.
    /// - Parameters:
    ///   - url: the peer's RPC URL.
    ///   - timeout: seconds before a call fails.
    init(url: URL, timeout: TimeInterval = 5) {
        self.url = url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    /// Calls one method and waits for its result.
    /// - Parameters:
    ///   - method: the method name.
    ///   - params: its parameters.
    /// - Returns: the result value (JSON null if the peer answered null).
    /// - Throws: `Failure` naming the peer, the method and what went wrong.
    func call(_ method: String, _ params: [JSON]) throws(Failure) -> JSON {
        nextId += 1
        let body = JSON.object([("jsonrpc", .string("2.0")), ("id", .number("\(nextId)")), ("method", .string(method)),
                                ("params", .array(params))])
        let reply = try post(body.serializedBytes, method: method)
        if let error = reply["error"] {
            throw Failure(description: "\(url) \(method): \(error.serialized)")
        }
        return reply["result"] ?? .null
    }

    /// Calls one method with each parameter list in one JSON-RPC batch (one round trip).
    /// - Parameters:
    ///   - method: the method name.
    ///   - paramLists: one parameter list per call.
    /// - Returns: the results in order.
    /// - Throws: `Failure` if any call failed.
    func batch(_ method: String, _ paramLists: [[JSON]]) throws(Failure) -> [JSON] {
        guard !paramLists.isEmpty else { return [] }
        let first = nextId + 1
        nextId += paramLists.count
        let body = JSON.array(paramLists.enumerated().map { index, params in
            .object([("jsonrpc", .string("2.0")), ("id", .number("\(first + index)")), ("method", .string(method)),
                     ("params", .array(params))])
        })
        guard case .array(let replies) = try post(body.serializedBytes, method: method) else {
            throw Failure(description: "\(url) \(method): a batch answered with something other than an array")
        }
        var results = [JSON?](repeating: nil, count: paramLists.count)
        for reply in replies {
            if let error = reply["error"] { throw Failure(description: "\(url) \(method): \(error.serialized)") }
            guard case .number(let text)? = reply["id"], let id = Int(text), id >= first, id < first + paramLists.count else {
                throw Failure(description: "\(url) \(method): a batch reply with an unknown id")
            }
            results[id - first] = reply["result"] ?? .null
        }
        return try results.map { (result: JSON?) throws(Failure) -> JSON in
            guard let result else { throw Failure(description: "\(url) \(method): a batch reply is missing") }
            return result
        }
    }

    private func post(_ body: [UInt8], method: String) throws(Failure) -> JSON {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = outcome.get()
        if let error { throw Failure(description: "\(url) \(method): \(error.localizedDescription)") }
        guard status == 200, let data else {
            throw Failure(description: "\(url) \(method): HTTP status \(status.map(String.init) ?? "none")")
        }
        do { return try JSON.parse([UInt8](data)) } catch {
            throw Failure(description: "\(url) \(method): the reply is not JSON: \(error)")
        }
    }

    /// The completion handler's results, handed from URLSession's thread to the caller's.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        private var status: Int?
        private var error: Error?

        func set(data: Data?, status: Int?, error: Error?) {
            lock.lock(); self.data = data; self.status = status; self.error = error; lock.unlock()
        }

        func get() -> (Data?, Int?, Error?) {
            lock.lock(); defer { lock.unlock() }
            return (data, status, error)
        }
    }
}
