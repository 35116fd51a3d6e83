import CLevelDB
import Foundation
import Synchronization

/// The on-disk `KeyValueStore`: one LevelDB database (Debian libleveldb 1.23, through its C API `leveldb/c.h`).
///
/// Keys iterate in LevelDB's default byte-wise comparator order, which is `memcmp` order: unsigned
/// byte-wise, the same order `MemoryStore` uses. A `WriteBatch` becomes one `leveldb_writebatch_t`
/// applied by one `leveldb_write`, so it lands whole or not at all (DESIGN.md §3: one block, one batch).
///
/// Durability. LevelDB appends every write to its write-ahead log before applying it:
/// - a non-sync write (the default) is in the operating system's page cache when the call returns, so it
///   survives the process being killed (`kill -9`, a crash) but not a power loss or a kernel panic;
/// - a sync write (`write(_:sync:)` with `sync: true`, or a store opened with `syncsWrites: true`) also
///   `fsync`s the log before returning, so it survives both, at the cost of one disk flush per write.
/// Either way a batch is never torn: after any crash it is either wholly present or wholly absent.
///
/// A failed write (a full disk, a file-size limit, an I/O error) stops all later writes until the store
/// is reopened: they throw `StorageError.writeFailed` naming the first failure. LevelDB does not stop
/// by itself after a failed non-sync append, yet the append may have left part of a record in the
/// log, and its file writer drops the bytes it had buffered, so records appended after the failure
/// sit at offsets the log reader does not expect; on the next open LevelDB's recovery skips them as
/// corrupt, silently. Writes that reported success would be lost (found by the full-disk e2e test:
/// 326 acknowledged blocks written after the disk had space again vanished on restart). Refusing
/// them keeps the promise: after reopening, the database holds exactly the writes that succeeded.
///
/// Tuning: a 16 MiB write buffer (memtable), a 64 MiB LRU block cache, a 10-bits-per-key bloom filter
/// (about 1% false positives, so most reads of absent keys, common in the trie, skip the disk) and
/// Snappy block compression when the library was built with it (Debian's is; otherwise LevelDB
/// stores blocks uncompressed), and up to half the process's file descriptors for open tables
/// (`maximumOpenFiles`).
///
/// Threads. LevelDB's `DB` is safe for concurrent use without outside locking, so every call goes
/// straight to it and reads never wait on each other. The only shared mutable state here is
/// "is the handle still open", kept by an atomic gate: `close()` stops new calls, waits for those in
/// flight, then frees the handle. Hence `close()` may race with other calls safely, with one
/// exception: it must not be called from inside a `forEach` body of the same store (it would wait
/// for that `forEach` to finish, which waits for the body: a deadlock).
///
/// Only one `LevelDBStore` (in any process) may have a given directory open at a time; LevelDB's
/// `LOCK` file enforces this and a second open throws `StorageError.openFailed`.
public final class LevelDBStore: KeyValueStore, @unchecked Sendable {
    // @unchecked Sendable: the stored properties are immutable C handles. LevelDB documents `DB`,
    // read options and write options as safe to share between threads; the only transition (open →
    // closed) is guarded by `gate` (atomic) and `closeLock` (a Mutex), so no handle is used after it
    // is freed.

    /// The size of the in-memory write buffer (memtable) before it is flushed to a level-0 table.
    public static let writeBufferBytes = 16 << 20
    /// The capacity of the LRU cache of uncompressed data blocks.
    public static let blockCacheBytes = 64 << 20
    /// The bloom filter size in bits per key (LevelDB's recommended value).
    public static let bloomFilterBitsPerKey: Int32 = 10
    /// The most table files LevelDB keeps open at once: half the process's soft limit of file
    /// descriptors (as geth gives its database half of its handles), at least 500 (LevelDB's
    /// default was 1,000) and at most 50,000. A table not open costs an open, an mmap and reading
    /// its index and filter blocks on every read that reaches it: with 500 and a 10⁶-account state
    /// (1,330 tables of 2 MB), a restarted node opened about 1,500 tables per 1,000-transfer block
    /// and ran at a quarter of its near-empty throughput (issue 18 §2, docs/performance.md).
    public static let maximumOpenFiles: Int32 = {
        var limit = rlimit()
        #if os(Linux)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0 else { return 500 }
        let half = Int(clamping: limit.rlim_cur / 2)  // RLIM_INFINITY is the largest value: the cap applies
        return Int32(min(max(half, 500), 50_000))
    }()
    /// `close()` writes the memtable to a table file when at least this many key and value bytes were
    /// written since the open, so that the next open has at most this much log to replay.
    public static let flushOnCloseBytes = 1 << 20

    /// The database directory this store was opened on.
    public let path: String
    /// Whether `put`, `delete` and `write(_:)` wait for the write-ahead log to reach the disk.
    public let syncsWrites: Bool

    private let database: OpaquePointer
    private let cache: OpaquePointer
    private let filterPolicy: OpaquePointer
    private let readOptions: OpaquePointer
    private let writeOptions: OpaquePointer
    private let syncWriteOptions: OpaquePointer
    private let gate = UseGate()
    /// True once the C handles have been freed; held while freeing them so concurrent closers wait.
    private let closeLock = Mutex<Bool>(false)
    /// LevelDB's message for the first write that failed, after which no write is attempted; held
    /// across each write so no write can start between a failure and its being recorded.
    private let writeFailure = Mutex<String?>(nil)
    /// Key and value bytes written since the open (what the memtable and its log hold at most).
    private let writtenBytes = Atomic<Int>(0)

    /// Opens (and, if asked, creates) the LevelDB database in the directory `path`.
    ///
    /// With `createIfMissing`, `path` and the directories leading to it are created first, as `mkdir -p`
    /// would, so that a directory that cannot be created is reported with the system's reason.
    /// - Parameters:
    ///   - path: the database directory.
    ///   - createIfMissing: create the database (and its parent directories) if it does not exist yet;
    ///     when false, a missing database is an error.
    ///   - syncsWrites: make `put`, `delete` and `write(_:)` sync writes (see the type's doc on durability).
    /// - Throws: `StorageError.openFailed` with LevelDB's message when the directory cannot be created, the
    ///   database is missing (and `createIfMissing` is false), is locked by another open store, is
    ///   corrupt, or `path` is not a directory.
    public init(path: String, createIfMissing: Bool = true, syncsWrites: Bool = false) throws(StorageError) {
        if !createIfMissing {
            // LevelDB would create the directory, with LOCK and LOG files, before finding no database in it.
            guard FileManager.default.fileExists(atPath: path) else {
                throw StorageError.openFailed(path: path, message: "no such directory, and createIfMissing is false")
            }
        } else if let failure = Self.makeDirectories(path) {
            // LevelDB ignores a failed mkdir of the database directory and then reports the LOCK file as
            // "NotFound", hiding the cause (an unwritable datadir); creating it here names the cause.
            throw StorageError.openFailed(path: path, message: failure)
        }

        // LevelDB keeps pointers to the cache and the filter policy for the life of the database, so these
        // two live as long as the store; the options struct itself is copied by leveldb_open.
        let cache = leveldb_cache_create_lru(Self.blockCacheBytes)!
        let filterPolicy = leveldb_filterpolicy_create_bloom(Self.bloomFilterBitsPerKey)!
        let options = leveldb_options_create()!
        defer { leveldb_options_destroy(options) }
        leveldb_options_set_create_if_missing(options, createIfMissing ? 1 : 0)
        leveldb_options_set_write_buffer_size(options, Self.writeBufferBytes)
        leveldb_options_set_cache(options, cache)
        leveldb_options_set_filter_policy(options, filterPolicy)
        leveldb_options_set_max_open_files(options, Self.maximumOpenFiles)
        // Safe even without Snappy: LevelDB then writes the block uncompressed.
        leveldb_options_set_compression(options, Int32(leveldb_snappy_compression))

        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        let database = leveldb_open(options, path, &errorMessage)
        if let message = Self.takeMessage(&errorMessage) {
            if let database { leveldb_close(database) }
            leveldb_filterpolicy_destroy(filterPolicy)
            leveldb_cache_destroy(cache)
            throw StorageError.openFailed(path: path, message: message)
        }
        guard let database else {
            leveldb_filterpolicy_destroy(filterPolicy)
            leveldb_cache_destroy(cache)
            throw StorageError.openFailed(path: path, message: "LevelDB returned no database and no error")
        }

        self.path = path
        self.syncsWrites = syncsWrites
        self.database = database
        self.cache = cache
        self.filterPolicy = filterPolicy
        self.readOptions = leveldb_readoptions_create()!
        self.writeOptions = leveldb_writeoptions_create()!
        leveldb_writeoptions_set_sync(writeOptions, 0)
        self.syncWriteOptions = leveldb_writeoptions_create()!
        leveldb_writeoptions_set_sync(syncWriteOptions, 1)
    }

    deinit {
        close()
    }

    /// Whether `close()` has been called; every call afterwards throws `StorageError.closed`.
    public var isClosed: Bool { gate.isShut }

    /// Closes the database and releases its directory lock. Calling it again does nothing.
    ///
    /// When at least `flushOnCloseBytes` were written since the open (and no write failed), the
    /// memtable is first written to a level-0 table (`flushMemTable()`). LevelDB does not do this by
    /// itself: its next open would replay the whole write-ahead log, up to `writeBufferBytes`, into a
    /// memtable and write that table then, which made the first start of a node after a busy run
    /// take about 0.3 s longer here (docs/performance.md); the cost moves to the close.
    ///
    /// Calls already running finish first; calls made afterwards throw `StorageError.closed`. Must not be
    /// called from inside a `forEach` body of this store. `deinit` closes too.
    public func close() {
        closeLock.withLock { isFreed in
            guard !isFreed else { return }
            _ = gate.shut()
            if writtenBytes.load(ordering: .relaxed) >= Self.flushOnCloseBytes && writeFailure.withLock({ $0 == nil }) {
                flushMemTable()
            }
            leveldb_close(database)
            leveldb_readoptions_destroy(readOptions)
            leveldb_writeoptions_destroy(writeOptions)
            leveldb_writeoptions_destroy(syncWriteOptions)
            leveldb_filterpolicy_destroy(filterPolicy)
            leveldb_cache_destroy(cache)
            isFreed = true
        }
    }

    /// Reads the value stored under `key`.
    /// - Parameter key: the key.
    /// - Returns: the value (possibly empty), or nil if the key is absent.
    /// - Throws: `StorageError.readFailed` with LevelDB's message (for example on a corrupt block), or
    ///   `StorageError.closed` after `close()`.
    public func get(_ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        try enter()
        defer { gate.leave() }
        var length = 0
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        let value = key.withUnsafeBytes { keyBytes in
            leveldb_get(database, readOptions, Self.characters(keyBytes), keyBytes.count, &length, &errorMessage)
        }
        if let message = Self.takeMessage(&errorMessage) {
            if let value { leveldb_free(value) }
            throw StorageError.readFailed(message)
        }
        // An empty value comes back as malloc(0), which glibc makes non-null, so nil means "absent".
        guard let value else { return nil }
        defer { leveldb_free(value) }
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// Stores `value` under `key`, replacing any previous value; a sync write if the store `syncsWrites`.
    /// - Parameters:
    ///   - value: the value; may be empty.
    ///   - key: the key; may be empty.
    /// - Throws: `StorageError.writeFailed` with LevelDB's message (for example a full disk) or naming an
    ///   earlier failed write, or `StorageError.closed` after `close()`.
    public func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError) {
        try enter()
        defer { gate.leave() }
        writtenBytes.add(key.count + value.count, ordering: .relaxed)
        try performWrite { errorMessage in
            key.withUnsafeBytes { keyBytes in
                value.withUnsafeBytes { valueBytes in
                    leveldb_put(
                        database, currentWriteOptions(sync: syncsWrites),
                        Self.characters(keyBytes), keyBytes.count,
                        Self.characters(valueBytes), valueBytes.count, &errorMessage)
                }
            }
        }
    }

    /// Removes `key`; removing an absent key is not an error. A sync write if the store `syncsWrites`.
    /// - Parameter key: the key.
    /// - Throws: `StorageError.writeFailed` with LevelDB's message or naming an earlier failed write, or
    ///   `StorageError.closed` after `close()`.
    public func delete(_ key: [UInt8]) throws(StorageError) {
        try enter()
        defer { gate.leave() }
        writtenBytes.add(key.count, ordering: .relaxed)
        try performWrite { errorMessage in
            key.withUnsafeBytes { keyBytes in
                leveldb_delete(
                    database, currentWriteOptions(sync: syncsWrites),
                    Self.characters(keyBytes), keyBytes.count, &errorMessage)
            }
        }
    }

    /// Visits every entry whose key starts with `prefix`, in ascending unsigned byte-wise key order.
    ///
    /// The iterator reads from an implicit snapshot taken when the call starts, so writes made meanwhile
    /// (also from `body`) are not seen and a batch is seen whole or not at all. `body` must not call
    /// `close()` on this store.
    /// - Parameters:
    ///   - prefix: the key prefix; empty visits everything.
    ///   - body: called with each key and value; return false to stop early.
    /// - Throws: `StorageError.readFailed` with LevelDB's message if iteration hits an error, or
    ///   `StorageError.closed` after `close()`.
    public func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        try enter()
        defer { gate.leave() }
        let iterator = leveldb_create_iterator(database, readOptions)!
        defer { leveldb_iter_destroy(iterator) }
        prefix.withUnsafeBytes { prefixBytes in
            leveldb_iter_seek(iterator, Self.characters(prefixBytes), prefixBytes.count)
        }
        // Keys are sorted, so the entries with the prefix are contiguous from the seek position on:
        // the first key without the prefix ends the scan.
        while leveldb_iter_valid(iterator) != 0 {
            var keyLength = 0
            let keyPointer = leveldb_iter_key(iterator, &keyLength)
            let keyBytes = UnsafeRawBufferPointer(start: keyPointer, count: keyLength)
            guard keyBytes.starts(with: prefix) else { break }
            var valueLength = 0
            let valuePointer = leveldb_iter_value(iterator, &valueLength)
            let valueBytes = UnsafeRawBufferPointer(start: valuePointer, count: valueLength)
            guard body(Array(keyBytes), Array(valueBytes)) else { break }
            leveldb_iter_next(iterator)
        }
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        leveldb_iter_get_error(iterator, &errorMessage)
        if let message = Self.takeMessage(&errorMessage) { throw StorageError.readFailed(message) }
    }

    /// Applies every operation of `batch` atomically, in order; a sync write if the store `syncsWrites`.
    /// - Parameter batch: the puts and deletes.
    /// - Throws: `StorageError.writeFailed` with LevelDB's message or naming an earlier failed write (then
    ///   nothing was applied), or
    ///   `StorageError.closed` after `close()`.
    public func write(_ batch: WriteBatch) throws(StorageError) {
        try write(batch, sync: syncsWrites)
    }

    /// Applies every operation of `batch` atomically, in order, choosing the durability of this one write.
    ///
    /// With `sync: false` the batch survives a killed process but may be lost (whole) on power loss; with
    /// `sync: true` the write-ahead log is flushed to disk before returning, so it survives both.
    /// - Parameters:
    ///   - batch: the puts and deletes.
    ///   - sync: whether to wait for the write-ahead log to reach the disk.
    /// - Throws: `StorageError.writeFailed` with LevelDB's message or naming an earlier failed write (then
    ///   nothing was applied), or
    ///   `StorageError.closed` after `close()`.
    public func write(_ batch: WriteBatch, sync: Bool) throws(StorageError) {
        try enter()
        defer { gate.leave() }
        let levelDBBatch = leveldb_writebatch_create()!
        defer { leveldb_writebatch_destroy(levelDBBatch) }
        var bytes = 0
        defer { writtenBytes.add(bytes, ordering: .relaxed) }
        for operation in batch.operations {
            switch operation {
            case .put(let key, let value):
                bytes += key.count + value.count
                key.withUnsafeBytes { keyBytes in
                    value.withUnsafeBytes { valueBytes in
                        leveldb_writebatch_put(
                            levelDBBatch, Self.characters(keyBytes), keyBytes.count,
                            Self.characters(valueBytes), valueBytes.count)
                    }
                }
            case .delete(let key):
                bytes += key.count
                key.withUnsafeBytes { keyBytes in
                    leveldb_writebatch_delete(levelDBBatch, Self.characters(keyBytes), keyBytes.count)
                }
            }
        }
        try performWrite { errorMessage in
            leveldb_write(database, currentWriteOptions(sync: sync), levelDBBatch, &errorMessage)
        }
    }

    // MARK: - Helpers

    /// Admits one call through the gate, or throws if the store is closed.
    private func enter() throws(StorageError) {
        guard gate.enter() else { throw StorageError.closed }
    }

    /// Runs one LevelDB write, unless an earlier write failed; records the first failure.
    /// - Parameter body: calls LevelDB, setting its `errptr` argument on failure.
    /// - Throws: `StorageError.writeFailed` with LevelDB's message, or naming the earlier failure.
    private func performWrite(_ body: (inout UnsafeMutablePointer<CChar>?) -> Void) throws(StorageError) {
        try writeFailure.withLock { (failure: inout String?) throws(StorageError) in
            if let failure {
                throw StorageError.writeFailed(
                    "not attempted: an earlier write failed (\(failure)), and LevelDB's log may hold part of it; "
                        + "no more writes until the database at \(path) is reopened")
            }
            var errorMessage: UnsafeMutablePointer<CChar>? = nil
            body(&errorMessage)
            if let message = Self.takeMessage(&errorMessage) {
                failure = message
                throw StorageError.writeFailed(message)
            }
        }
    }

    /// Writes the memtable to a level-0 table file and starts a new, empty write-ahead log, so that an
    /// open afterwards has nothing to replay. LevelDB's C API has no flush call: a manual compaction
    /// (`leveldb_compact_range`) flushes the memtable first and then compacts the tables overlapping
    /// its range, and the range given here, one key of 64 bytes 0xFF, lies beyond every key the node
    /// writes (hashes, prefixed hashes, short names), so no table is compacted. Waits for the flush.
    /// Call only while the handle is open (`close()` does, after shutting the gate).
    private func flushMemTable() {
        let beyondEveryKey = [UInt8](repeating: 0xFF, count: 64)
        beyondEveryKey.withUnsafeBytes { bytes in
            leveldb_compact_range(database, Self.characters(bytes), bytes.count, Self.characters(bytes), bytes.count)
        }
    }

    /// Creates `path` and its missing parents, as `mkdir -p` does.
    /// - Parameter path: the directory.
    /// - Returns: nil on success (also when it exists), else which directory could not be created and why
    ///   (the system's words, for example "Permission denied" or "No space left on device").
    private static func makeDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 {
                let code = errno
                guard code != EEXIST else { continue }
                return "cannot create directory \(current): \(String(cString: strerror(code)))"
            }
        }
        return nil
    }

    /// The write options for a sync or non-sync write.
    private func currentWriteOptions(sync: Bool) -> OpaquePointer {
        sync ? syncWriteOptions : writeOptions
    }

    /// Moves LevelDB's error string (the `char** errptr` out-parameter) into a Swift string and frees it.
    /// - Parameter errorMessage: the out-parameter; nil afterwards.
    /// - Returns: the message, or nil if LevelDB reported no error.
    private static func takeMessage(_ errorMessage: inout UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer = errorMessage else { return nil }
        defer {
            leveldb_free(pointer)
            errorMessage = nil
        }
        return String(cString: pointer)
    }

    /// The bytes of a key or value as the `const char*` the C API takes.
    ///
    /// An empty Swift array may have no storage at all; LevelDB then gets a valid one-byte buffer with
    /// length 0 rather than a null pointer, which it would hand to `memcpy`/`std::string::append`.
    private static func characters(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<CChar> {
        guard let base = bytes.baseAddress else { return UnsafePointer(emptyBuffer) }
        return base.assumingMemoryBound(to: CChar.self)
    }

    /// A never-freed, never-written one-byte buffer that stands in for the bytes of an empty key or value.
    nonisolated(unsafe) private static let emptyBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        buffer.initialize(to: 0)
        return buffer
    }()
}
