/// A JSON value (RFC 8259) as the RPC layer reads and writes it.
///
/// Objects keep their members in order, so that responses come out field for field as go-ethereum
/// writes them, and numbers keep their literal text, so that an id such as `12345678901234567890`
/// is echoed back exactly. Parsing is in `JSON+Parsing.swift`, writing in `JSON+Serialization.swift`.
public enum JSON: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal text (e.g. "1", "-2.5e3").
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object, members in order.
    case object([(String, JSON)])

    /// Compares two values; objects compare member by member, in order.
    /// - Parameters:
    ///   - left: one value.
    ///   - right: the other.
    /// - Returns: whether they are the same.
    public static func == (left: JSON, right: JSON) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A number value from an integer.
    /// - Parameter value: the integer.
    /// - Returns: the JSON number.
    public static func integer(_ value: some BinaryInteger) -> JSON { .number(String(value)) }

    /// The member named `key` of an object, or nil for a missing member or a non-object.
    /// - Parameter key: the member name.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Whether the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string, if the value is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
