/// A list of puts and deletes applied atomically by `KeyValueStore.write(_:)`, in order.
public struct WriteBatch: Sendable {
    /// One change in a batch.
    public enum Operation: Sendable, Equatable {
        /// Store `value` under `key`, replacing any previous value.
        case put(key: [UInt8], value: [UInt8])
        /// Remove `key` if present.
        case delete(key: [UInt8])
    }

    /// The changes, applied in order (a later change to the same key wins).
    public private(set) var operations: [Operation] = []

    /// Creates an empty batch.
    public init() {}

    /// Adds a put of `value` under `key`.
    /// - Parameters:
    ///   - value: the value; may be empty.
    ///   - key: the key.
    public mutating func put(_ value: [UInt8], forKey key: [UInt8]) { operations.append(.put(key: key, value: value)) }

    /// Adds a delete of `key`.
    /// - Parameter key: the key.
    public mutating func delete(_ key: [UInt8]) { operations.append(.delete(key: key)) }

    /// Whether the batch holds no operation.
    public var isEmpty: Bool { operations.isEmpty }
}
