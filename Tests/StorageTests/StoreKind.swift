import Foundation
import Storage

/// The `KeyValueStore` implementations the shared behaviour suite runs over.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case leveldb

    var description: String { rawValue }
}

/// Makes a fresh, empty directory under the system temporary directory, runs `body` with its path and
/// removes the directory afterwards, whatever happens.
@discardableResult
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("goldengrain-storage-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Async variant of `withTemporaryDirectory(_:)`.
@discardableResult
func withTemporaryDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("goldengrain-storage-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Opens a fresh, empty store of `kind` (LevelDB in a fresh temporary directory), runs `body` with it,
/// then closes it and removes its files.
@discardableResult
func withFreshStore<Result>(_ kind: StoreKind, _ body: (any KeyValueStore) throws -> Result) throws -> Result {
    switch kind {
    case .memory:
        return try body(MemoryStore())
    case .leveldb:
        return try withTemporaryDirectory { directory in
            let store = try LevelDBStore(path: directory + "/db")
            defer { store.close() }
            return try body(store)
        }
    }
}

/// Async variant of `withFreshStore(_:_:)`.
@discardableResult
func withFreshStore<Result>(
    _ kind: StoreKind, _ body: (any KeyValueStore) async throws -> Result
) async throws -> Result {
    switch kind {
    case .memory:
        return try await body(MemoryStore())
    case .leveldb:
        return try await withTemporaryDirectory { directory in
            let store = try LevelDBStore(path: directory + "/db")
            defer { store.close() }
            return try await body(store)
        }
    }
}

/// One key-value pair as `forEach` reports it.
struct Entry: Equatable, CustomStringConvertible {
    var key: [UInt8]
    var value: [UInt8]

    init(_ key: [UInt8], _ value: [UInt8]) {
        self.key = key
        self.value = value
    }

    var description: String { "\(hex(key))=\(hex(value))" }
}

/// The entries under `prefix`, in the order `forEach` visits them, stopping after `limit` entries.
func entries(
    of store: any KeyValueStore, prefix: [UInt8] = [], limit: Int = .max
) throws(StorageError) -> [Entry] {
    var visited: [Entry] = []
    guard limit > 0 else { return visited }
    try store.forEach(prefix: prefix) { key, value in
        visited.append(Entry(key, value))
        return visited.count < limit
    }
    return visited
}

/// Lower-case hex with a 0x prefix, for failure messages.
func hex(_ bytes: [UInt8]) -> String {
    "0x" + bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined()
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
