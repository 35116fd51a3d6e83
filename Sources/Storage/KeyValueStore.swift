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
    /// - Parameters:
    ///   - value: the value; may be empty (an empty value is present, unlike an absent key).
    ///   - key: the key; any bytes, including 0x00 and 0xff, and may be empty.
    /// - Throws: `StorageError` if the underlying store fails.
    func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError)

    /// Removes `key`; removing an absent key is not an error.
    /// - Parameter key: the key.
    /// - Throws: `StorageError` if the underlying store fails.
    func delete(_ key: [UInt8]) throws(StorageError)

    /// Visits every entry whose key starts with `prefix`, in ascending unsigned byte-wise key order.
    ///
    /// The visit sees the store as it was when the call began (a snapshot): writes made meanwhile, also
    /// from `body`, are not visited, and a concurrent batch is seen whole or not at all.
    /// - Parameters:
    ///   - prefix: the key prefix; empty visits everything.
    ///   - body: called with each key and value; return false to stop early.
    /// - Throws: `StorageError` if the underlying store fails.
    func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError)

    /// Applies every operation of `batch` atomically: all of them land, or none does.
    /// - Parameter batch: the puts and deletes, applied in order (a later change to the same key wins).
    /// - Throws: `StorageError` if the underlying store fails; then nothing was applied.
    func write(_ batch: WriteBatch) throws(StorageError)
}
