import Primitives

/// The positional parameters of one request, read with go-ethereum's argument rules
/// (`rpc/json.go` `parsePositionalArguments`): a missing or null required argument is
/// "missing value for required argument N", a bad one "invalid argument N: <reason>", and one
/// past the method's arity "too many arguments, want at most N".
public struct RPCParameters: Sendable {
    /// The raw parameter values.
    public var values: [JSON]

    /// Creates parameters from the request's `params` member.
    /// - Parameter values: the values, in order.
    public init(_ values: [JSON]) { self.values = values }

    /// Checks the arity: more than `count` parameters is an error.
    /// - Parameter count: the most parameters the method takes.
    /// - Throws: `RPCError` -32602 "too many arguments, want at most N".
    public func expectAtMost(_ count: Int) throws(RPCError) {
        if values.count > count { throw .invalidParams("too many arguments, want at most \(count)") }
    }

    /// Whether parameter `index` is absent or null.
    /// - Parameter index: the position.
    /// - Returns: true if there is no value there.
    public func isAbsent(_ index: Int) -> Bool { index >= values.count || values[index].isNull }

    /// Decodes a required parameter.
    /// - Parameters:
    ///   - index: the position.
    ///   - decode: turns the JSON value into the argument.
    /// - Returns: the argument.
    /// - Throws: `RPCError` -32602 for a missing or undecodable argument.
    public func required<Value>(_ index: Int, _ decode: (JSON) throws(ArgumentError) -> Value) throws(RPCError) -> Value {
        guard !isAbsent(index) else { throw .invalidParams("missing value for required argument \(index)") }
        do {
            return try decode(values[index])
        } catch {
            throw .invalidParams("invalid argument \(index): \(error.message)")
        }
    }

    /// Decodes an optional parameter; absent or null gives nil.
    /// - Parameters:
    ///   - index: the position.
    ///   - decode: turns the JSON value into the argument.
    /// - Returns: the argument, or nil.
    /// - Throws: `RPCError` -32602 for an undecodable argument.
    public func optional<Value>(_ index: Int, _ decode: (JSON) throws(ArgumentError) -> Value) throws(RPCError) -> Value? {
        guard !isAbsent(index) else { return nil }
        do {
            return try decode(values[index])
        } catch {
            throw .invalidParams("invalid argument \(index): \(error.message)")
        }
    }
}

/// Decoders for simple JSON argument types, with Go's messages.
public enum SimpleArgument {
    /// A JSON boolean.
    /// - Parameter value: the JSON value.
    /// - Returns: the flag.
    /// - Throws: `ArgumentError` "json: cannot unmarshal string into Go value of type bool" and the like.
    public static func bool(_ value: JSON) throws(ArgumentError) -> Bool {
        guard case .bool(let flag) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type bool")
        }
        return flag
    }

    /// A JSON string.
    /// - Parameter value: the JSON value.
    /// - Returns: the string.
    /// - Throws: `ArgumentError` naming the kind found.
    public static func string(_ value: JSON) throws(ArgumentError) -> String {
        guard case .string(let text) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type string")
        }
        return text
    }

    /// A non-negative JSON number or hex quantity string below 2^64 (dev methods accept both, as anvil does).
    /// - Parameter value: the JSON value.
    /// - Returns: the number.
    /// - Throws: `ArgumentError` naming what is wrong.
    public static func integerOrQuantity(_ value: JSON) throws(ArgumentError) -> UInt64 {
        switch value {
        case .number(let text):
            guard let number = UInt64(text) else {
                throw ArgumentError("json: cannot unmarshal number \(text) into Go value of type uint64")
            }
            return number
        case .string:
            return try HexArgument.uint64(value)
        default:
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type uint64")
        }
    }
}
