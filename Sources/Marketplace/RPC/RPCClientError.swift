import Primitives

/// Why a JSON-RPC request or a transaction failed, as seen from the client.
public enum RPCClientError: Error, Sendable, CustomStringConvertible {
    /// The HTTP exchange itself failed (connection refused, timeout, TLS).
    case transport(url: String, reason: String)
    /// The server answered with a status other than 200.
    case httpStatus(url: String, status: Int, body: String)
    /// The answer is not a JSON-RPC response, or a result does not have the expected shape.
    case invalidResponse(method: String, reason: String)
    /// The node answered with a JSON-RPC error object. For code 3 ("execution reverted") `data` is
    /// the revert data and `revert` decodes it.
    case rpc(method: String, code: Int, message: String, data: [UInt8]?)
    /// A transaction was mined but reverted; `reason` comes from replaying it as a call.
    case transactionReverted(hash: Hash32, gasUsed: UInt64, reason: ABIRevertReason?)
    /// No receipt appeared in time.
    case receiptTimeout(hash: Hash32, seconds: Double)

    /// The decoded revert data of a code-3 error or a reverted transaction, if any.
    public var revert: ABIRevertReason? {
        switch self {
        case .rpc(_, let code, _, let data?) where code == 3: return ABIRevertReason(data: data)
        case .rpc(_, let code, let message, nil) where code == 3 || message.hasPrefix("execution reverted"):
            return .empty
        case .transactionReverted(_, _, let reason): return reason
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .transport(let url, let reason): return "cannot reach \(url): \(reason)"
        case .httpStatus(let url, let status, let body):
            return "\(url) answered HTTP \(status), expected 200: \(body.prefix(200))"
        case .invalidResponse(let method, let reason): return "\(method): unexpected response: \(reason)"
        case .rpc(let method, let code, let message, let data):
            if code == 3, let data { return "\(method): \(ABIRevertReason(data: data)) (RPC error 3: \(message))" }
            return "\(method): RPC error \(code): \(message)"
        case .transactionReverted(let hash, let gasUsed, let reason):
            return "transaction \(hash) reverted after \(gasUsed) gas" + (reason.map { ": \($0)" } ?? "")
        case .receiptTimeout(let hash, let seconds): return "no receipt for \(hash) after \(seconds) s"
        }
    }
}
