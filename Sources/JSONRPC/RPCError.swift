import Primitives

/// A JSON-RPC error object: the code, the message and optional data, as go-ethereum sends them.
///
/// Every failure inside the RPC layer ends as one of these, built here and nowhere else, so that
/// the codes stay those geth uses (`rpc/errors.go`, `internal/ethapi/errors.go`):
///
/// | code | when |
/// |---|---|
/// | -32700 | the body is not JSON |
/// | -32600 | the message is not a request (also empty and oversized batches) |
/// | -32601 | no such method |
/// | -32602 | bad parameters |
/// | -32603 | an internal failure |
/// | -32000 | the node rejected the request (transaction rejected, header not found, …) |
/// | 3 | execution reverted; `data` is the revert data |
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON-RPC error code.
    public var code: Int
    /// The message.
    public var message: String
    /// Extra data (revert data as hex for code 3), or nil.
    public var data: JSON?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the JSON-RPC code.
    ///   - message: the message.
    ///   - data: extra data, or nil.
    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code; self.message = message; self.data = data
    }

    /// The message, with the code.
    public var description: String { "\(message) (code \(code))" }

    /// The error as its JSON object `{"code":…,"message":…,"data":…}`.
    public var json: JSON {
        var members: [(String, JSON)] = [("code", .integer(code)), ("message", .string(message))]
        if let data { members.append(("data", data)) }
        return .object(members)
    }

    /// The error for anything a method threw: itself if it is an `RPCError`, otherwise -32603
    /// with its description (an error nobody mapped is a server fault, not the caller's).
    /// - Parameter error: the error.
    public init(unexpected error: any Error) {
        self = error as? RPCError ?? .internalError(String(describing: error))
    }

    /// The body is not JSON (-32700).
    package static let parseError = RPCError(code: -32700, message: "parse error")
    /// The message is not a valid request (-32600).
    package static let invalidRequest = RPCError(code: -32600, message: "invalid request")
    /// A batch with no requests (-32600), as geth words it.
    package static let emptyBatch = RPCError(code: -32600, message: "empty batch")
    /// A batch with more requests than allowed (-32600), as geth words it.
    package static let batchTooLarge = RPCError(code: -32600, message: "batch too large")

    /// No method of this name is served (-32601).
    /// - Parameter method: the requested method name.
    /// - Returns: the error.
    package static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(method) does not exist/is not available")
    }

    /// Bad parameters (-32602).
    /// - Parameter message: what is wrong, in geth's words.
    /// - Returns: the error.
    public static func invalidParams(_ message: String) -> RPCError {
        RPCError(code: -32602, message: message)
    }

    /// A failure inside the node (-32603).
    /// - Parameter message: what failed.
    /// - Returns: the error.
    public static func internalError(_ message: String) -> RPCError {
        RPCError(code: -32603, message: message)
    }

    /// A request the node refused (-32000), e.g. a rejected transaction or a missing header.
    /// - Parameter message: the reason, in geth's words.
    /// - Returns: the error.
    public static func server(_ message: String) -> RPCError {
        RPCError(code: -32000, message: message)
    }

    /// Execution reverted (code 3), with the revert data; an ABI `Error(string)` reason is
    /// appended to the message as geth does ("execution reverted: <reason>").
    /// - Parameter revertData: the REVERT output.
    /// - Returns: the error.
    public static func executionReverted(_ revertData: [UInt8]) -> RPCError {
        var message = "execution reverted"
        if let reason = RevertReason.decode(revertData) { message += ": " + reason }
        return RPCError(code: 3, message: message, data: .string(Hex.encode(revertData)))
    }
}

/// Decoding the reason out of revert data: the Solidity/Vyper `Error(string)` ABI encoding
/// (selector 0x08c379a0, then offset, length and the UTF-8 bytes), as geth's `abi.UnpackRevert`.
public enum RevertReason {
    /// The selector of `Error(string)`.
    package static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]

    /// The reason string in `Error(string)` revert data.
    /// - Parameter data: the revert data.
    /// - Returns: the reason, or nil if the data is not a well-formed `Error(string)`.
    public static func decode(_ data: [UInt8]) -> String? {
        guard data.count >= 4 + 64, Array(data[0..<4]) == errorSelector else { return nil }
        let body = Array(data[4...])
        guard let offset = word(body, at: 0), offset <= body.count - 32, let length = word(body, at: offset),
              offset + 32 + length <= body.count else { return nil }
        let bytes = body[(offset + 32)..<(offset + 32 + length)]
        return String(validating: bytes, as: UTF8.self)
    }

    private static func word(_ bytes: [UInt8], at offset: Int) -> Int? {
        guard offset >= 0, offset + 32 <= bytes.count else { return nil }
        let value = UInt256(bigEndianBytes: bytes[offset..<(offset + 32)])
        guard let small = value.intIfFits, small < Int(UInt32.max) else { return nil }
        return small
    }
}
