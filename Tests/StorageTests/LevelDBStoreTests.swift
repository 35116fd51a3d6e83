import Foundation
import Storage
import Testing

/// What only the on-disk store does: persistence, the directory lock, open failures, close.
@Suite("LevelDBStore")
struct LevelDBStoreTests {
    @Test func batchSurvivesCloseAndReopen() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/chain"
            let store = try LevelDBStore(path: path)
            try store.put(bytes("doomed"), forKey: bytes("z"))
            var batch = WriteBatch()
            for index in 0..<200 {
                batch.put([UInt8(index % 256), 0xee], forKey: [0x01, UInt8(index / 256), UInt8(index % 256)])
            }
            batch.delete(bytes("z"))
            batch.put(bytes("head"), forKey: bytes("H"))
            try store.write(batch)
            store.close()

            let reopened = try LevelDBStore(path: path, createIfMissing: false)
            defer { reopened.close() }
            #expect(try reopened.get(bytes("z")) == nil)
            #expect(try reopened.get(bytes("H")) == bytes("head"))
            let expected: [Entry] = (0..<200).map { (index: Int) -> Entry in
                Entry([0x01, UInt8(index / 256), UInt8(index % 256)], [UInt8(index % 256), 0xee])
            }
            #expect(try entries(of: reopened, prefix: [0x01]) == expected)
        }
    }

    @Test func syncWritesSurviveReopen() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/sync"
            let store = try LevelDBStore(path: path, syncsWrites: true)
            #expect(store.syncsWrites)
            #expect(store.path == path)
            try store.put([1], forKey: [1])
            var batch = WriteBatch()
            batch.put([2], forKey: [2])
            try store.write(batch, sync: true)
            var unsynced = WriteBatch()
            unsynced.put([3], forKey: [3])
            try store.write(unsynced, sync: false)
            store.close()

            let reopened = try LevelDBStore(path: path)
            defer { reopened.close() }
            #expect(!reopened.syncsWrites)
            #expect(try entries(of: reopened) == [Entry([1], [1]), Entry([2], [2]), Entry([3], [3])])
        }
    }

    @Test func createsMissingParentDirectories() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/a/b/c/db"
            let store = try LevelDBStore(path: path)
            defer { store.close() }
            try store.put([1], forKey: [1])
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: path + "/CURRENT"))
            #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }
    }

    /// LevelDB 1.23 (util/env_posix.cc, `LockFile`) reports a lock held inside the same process as
    /// "IO error: lock <path>/LOCK: already held by process", and one held by another process as
    /// "IO error: lock <path>/LOCK: Resource temporarily unavailable".
    @Test func openingAnOpenDirectoryAgainFailsOnTheLock() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/locked"
            let first = try LevelDBStore(path: path)
            defer { first.close() }
            let error = #expect(throws: StorageError.self) { try LevelDBStore(path: path) }
            guard case .openFailed(let failedPath, let message)? = error else {
                Issue.record("expected openFailed, got \(String(describing: error))")
                return
            }
            #expect(failedPath == path)
            #expect(message == "IO error: lock \(path)/LOCK: already held by process")
            #expect(message.contains("lock"))
            // The first store is unharmed.
            try first.put([1], forKey: [1])
            #expect(try first.get([1]) == [1])
        }
    }

    @Test func closingReleasesTheLock() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/relock"
            let first = try LevelDBStore(path: path)
            first.close()
            let second = try LevelDBStore(path: path)
            second.close()
        }
    }

    @Test func openingARegularFileFails() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/plain-file"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("not a database".utf8)))
            let error = #expect(throws: StorageError.self) { try LevelDBStore(path: path) }
            guard case .openFailed(let failedPath, let message)? = error else {
                Issue.record("expected openFailed, got \(String(describing: error))")
                return
            }
            #expect(failedPath == path)
            #expect(message.contains(path))
            #expect(message.contains("Not a directory"))
            // Left as it was.
            #expect(FileManager.default.contents(atPath: path) == Data("not a database".utf8))
        }
    }

    @Test func openingBelowARegularFileFails() throws {
        try withTemporaryDirectory { directory throws in
            let file = directory + "/plain-file"
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
            let error = #expect(throws: StorageError.self) { try LevelDBStore(path: file + "/sub/db") }
            guard case .openFailed(let failedPath, let message)? = error else {
                Issue.record("expected openFailed, got \(String(describing: error))")
                return
            }
            #expect(failedPath == file + "/sub/db")
            #expect(message == "cannot create directory \(file)/sub: Not a directory")
        }
    }

    /// A missing directory is reported without calling LevelDB, which would leave an empty database
    /// directory (with LOCK and LOG files) behind.
    @Test func openingAMissingDirectoryWithoutCreateFailsAndCreatesNothing() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/missing"
            #expect(throws: StorageError.openFailed(path: path, message: "no such directory, and createIfMissing is false")) {
                try LevelDBStore(path: path, createIfMissing: false)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    /// LevelDB 1.23 (db/db_impl.cc, `DBImpl::Recover`): "Invalid argument: <path>: does not exist
    /// (create_if_missing is false)" when the directory holds no CURRENT file.
    @Test func openingAnEmptyDirectoryWithoutCreateFails() throws {
        try withTemporaryDirectory { directory throws in
            #expect(throws: StorageError.openFailed(
                path: directory, message: "Invalid argument: \(directory): does not exist (create_if_missing is false)"
            )) {
                try LevelDBStore(path: directory, createIfMissing: false)
            }
        }
    }

    @Test func everyCallAfterCloseThrowsClosed() throws {
        try withTemporaryDirectory { directory throws in
            let store = try LevelDBStore(path: directory + "/closed")
            try store.put([1], forKey: [1])
            #expect(!store.isClosed)
            store.close()
            store.close()
            #expect(store.isClosed)
            #expect(throws: StorageError.closed) { try store.get([1]) }
            #expect(throws: StorageError.closed) { try store.put([2], forKey: [2]) }
            #expect(throws: StorageError.closed) { try store.delete([1]) }
            #expect(throws: StorageError.closed) { try store.forEach(prefix: []) { _, _ in true } }
            #expect(throws: StorageError.closed) { try store.write(WriteBatch()) }
            #expect(throws: StorageError.closed) { try store.write(WriteBatch(), sync: true) }
        }
    }

    /// Closing while other tasks read and write: each call either completes or throws `.closed`; nothing
    /// crashes and nothing else is thrown.
    @Test func closeRacingWithCallsIsSafe() async throws {
        try await withTemporaryDirectory { directory async throws in
            let store = try LevelDBStore(path: directory + "/race")
            for index: UInt8 in 0..<100 {
                try store.put([index], forKey: [index])
            }
            let unexpected = await withTaskGroup(of: [String].self) { group in
                for worker in 0..<3 {
                    group.addTask {
                        var problems: [String] = []
                        for step in 0..<5_000 {
                            do {
                                let key = UInt8((worker * 31 + step) % 100)
                                switch step % 3 {
                                case 0: _ = try store.get([key])
                                case 1: try store.put([key], forKey: [key])
                                default: _ = try entries(of: store, limit: 5)
                                }
                            } catch StorageError.closed {
                                return problems
                            } catch {
                                problems.append("worker \(worker) step \(step): \(error)")
                            }
                        }
                        return problems
                    }
                }
                group.addTask {
                    store.close()
                    return []
                }
                var problems: [String] = []
                for await result in group {
                    problems += result
                }
                return problems
            }
            #expect(unexpected == [])
            #expect(store.isClosed)
        }
    }

    @Test(arguments: [
        (StorageError.openFailed(path: "/data/db", message: "IO error: lock /data/db/LOCK: already held by process"),
         "cannot open database at /data/db: IO error: lock /data/db/LOCK: already held by process"),
        (StorageError.readFailed("Corruption: block checksum mismatch"),
         "database read failed: Corruption: block checksum mismatch"),
        (StorageError.writeFailed("IO error: No space left on device"),
         "database write failed: IO error: No space left on device"),
        (StorageError.closed, "database is closed"),
    ])
    func errorDescriptions(error: StorageError, expected: String) {
        #expect(error.description == expected)
    }
}
