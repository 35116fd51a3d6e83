import Primitives

/// One RPC method: decodes its parameters, does its work, and returns the result. It may throw
/// any error: `RPCError` for what it refuses itself, the node's own errors for the rest, which the
/// dispatcher maps to JSON-RPC errors in one place (`JSONRPCDispatcher.mapError`).
public typealias RPCMethod = @Sendable (RPCParameters) async throws -> JSON

/// The table of methods a server answers, filled by each namespace's handler (`register(on:)`)
/// before the server starts and read-only afterwards.
public struct RPCMethods: Sendable {
    private var table: [String: RPCMethod] = [:]

    /// Creates an empty table.
    public init() {}

    /// Adds or replaces a method.
    /// - Parameters:
    ///   - name: the method name, e.g. "eth_chainId".
    ///   - method: its implementation.
    public mutating func register(_ name: String, _ method: @escaping RPCMethod) {
        table[name] = method
    }

    /// The method with this name, or nil.
    /// - Parameter name: the method name.
    public subscript(name: String) -> RPCMethod? { table[name] }

    /// The registered names, sorted.
    public var names: [String] { table.keys.sorted() }
}
