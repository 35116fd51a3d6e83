/// An ordered byte-keyed store: the one persistence interface the chain, the trie and the state use.
///
/// Implementations: `LevelDBStore` (the default, on disk) and `MemoryStore` (`--ephemeral` and unit
/// tests). Both pass the same test suite. Keys iterate in unsigned byte-wise order.
/// A `WriteBatch` lands whole or not at all: this is what lets a block commit atomically.
public protocol KeyValueStore: AnyObject, Sendable {
    /// Reads the value stored under `key`.
    /// - Parameter key: the key.
    /// - Returns: the value, or nil if the key is absent.
    /// - Throws: `StorageError` if the underlying store fails.
    func get(_ key: [UInt8]) throws(StorageError) -> [UInt8]?

    /// Stores `value` under `key`, replacing any previous value.
    /// - Throws: `StorageError` if the underlying store fails.
    func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError)

    /// Removes `key`; removing an absent key is not an error.
    /// - Throws: `StorageError` if the underlying store fails.
    func delete(_ key: [UInt8]) throws(StorageError)

    /// Visits every entry whose key starts with `prefix`, in ascending key order.
    /// - Parameters:
    ///   - prefix: the key prefix; empty visits everything.
    ///   - body: called with each key and value; return false to stop early.
    /// - Throws: `StorageError` if the underlying store fails.
    func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError)

    /// Applies every operation of `batch` atomically: all of them land, or none does.
    /// - Throws: `StorageError` if the underlying store fails; then nothing was applied.
    func write(_ batch: WriteBatch) throws(StorageError)
}

/// A list of puts and deletes applied atomically by `KeyValueStore.write(_:)`, in order.
public struct WriteBatch: Sendable {
    /// One change in a batch.
    public enum Operation: Sendable, Equatable {
        case put(key: [UInt8], value: [UInt8])
        case delete(key: [UInt8])
    }

    /// The changes, applied in order (a later change to the same key wins).
    public private(set) var operations: [Operation] = []

    /// Creates an empty batch.
    public init() {}

    /// Adds a put of `value` under `key`.
    public mutating func put(_ value: [UInt8], forKey key: [UInt8]) { operations.append(.put(key: key, value: value)) }

    /// Adds a delete of `key`.
    public mutating func delete(_ key: [UInt8]) { operations.append(.delete(key: key)) }

    /// Whether the batch holds no operation.
    public var isEmpty: Bool { operations.isEmpty }
}

/// Why a store operation failed. Never a crash: LevelDB's own message is carried through.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// The database could not be opened (missing directory, held lock, corruption); LevelDB's message.
    case openFailed(path: String, message: String)
    /// A read failed inside LevelDB; its message.
    case readFailed(String)
    /// A write or batch failed inside LevelDB; its message. Nothing of the batch was applied.
    case writeFailed(String)
    /// The store was closed and can no longer be used.
    case closed

    public var description: String {
        switch self {
        case .openFailed(let path, let message): return "cannot open database at \(path): \(message)"
        case .readFailed(let message): return "database read failed: \(message)"
        case .writeFailed(let message): return "database write failed: \(message)"
        case .closed: return "database is closed"
        }
    }
}
