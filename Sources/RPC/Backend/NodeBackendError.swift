/// Why the node could not serve a request; `RPCError(_:)` turns each case into geth's code.
public enum NodeBackendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The transaction or call was refused before it ran; the message is geth's ("nonce too low: …",
    /// "insufficient funds for gas * price + value: …", "already known", …). Code -32000.
    case rejected(String)
    /// Execution ended in REVERT with this data. Code 3.
    case reverted([UInt8])
    /// Execution failed otherwise ("out of gas", "invalid opcode: INVALID", …). Code -32000.
    case executionFailed(String)
    /// The block named is not known. Code -32000 "header not found".
    case headerNotFound
    /// Something named by the request does not exist (e.g. "transaction 0x… not found"). Code -32000.
    case notFound(String)
    /// An argument is well-formed but not acceptable (e.g. a timestamp in the past). Code -32602.
    case invalidArgument(String)
    /// The node failed (storage, a broken invariant). Code -32603.
    case internalFailure(String)

    /// The message as the client will see it.
    public var description: String {
        switch self {
        case .rejected(let message), .executionFailed(let message), .notFound(let message),
             .invalidArgument(let message), .internalFailure(let message):
            return message
        case .reverted: return "execution reverted"
        case .headerNotFound: return "header not found"
        }
    }
}

extension RPCError {
    /// The JSON-RPC error for a node failure: the one place node errors get their codes.
    /// - Parameter error: the node's error.
    public init(_ error: NodeBackendError) {
        switch error {
        case .rejected(let message), .executionFailed(let message), .notFound(let message):
            self = .server(message)
        case .reverted(let data):
            self = .executionReverted(data)
        case .headerNotFound:
            self = .server("header not found")
        case .invalidArgument(let message):
            self = .invalidParams(message)
        case .internalFailure(let message):
            self = .internalError(message)
        }
    }
}
