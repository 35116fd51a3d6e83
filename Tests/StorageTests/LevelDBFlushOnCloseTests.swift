import Foundation
import Storage
import Testing

/// `LevelDBStore.close()` flushes the memtable after `flushOnCloseBytes` of writes, so the next open
/// has no write-ahead log to replay (issue 18 §2: the first start of a node after a busy run).
@Suite("LevelDBStore flush on close")
struct LevelDBFlushOnCloseTests {
    /// The total size of LevelDB's write-ahead logs (`NNNNNN.log`) and the number of its table files (`.ldb`).
    func files(in path: String) throws -> (logBytes: Int, tables: Int) {
        var logBytes = 0, tables = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            if name.hasSuffix(".log") {
                logBytes += (try FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0
            } else if name.hasSuffix(".ldb") {
                tables += 1
            }
        }
        return (logBytes, tables)
    }

    /// Key i: 0x02 ‖ i as 4 big-endian bytes; value i: 1,000 bytes of (i mod 251).
    func entry(_ index: Int) -> (key: [UInt8], value: [UInt8]) {
        ([0x02, UInt8(index >> 24 & 0xFF), UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)],
         [UInt8](repeating: UInt8(index % 251), count: 1000))
    }

    @Test func closeAfterABusyRunLeavesNoLogToReplay() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/busy"
            let store = try LevelDBStore(path: path)
            // 2,000 entries of 1,005 bytes: about 2 MB, twice the threshold, in 20 batches and 1 put.
            for first in stride(from: 0, to: 1_999, by: 100) {
                var batch = WriteBatch()
                for index in first ..< min(first + 100, 1_999) { batch.put(entry(index).value, forKey: entry(index).key) }
                try store.write(batch)
            }
            try store.put(entry(1_999).value, forKey: entry(1_999).key)
            let before = try files(in: path)
            #expect(before.logBytes > LevelDBStore.flushOnCloseBytes, "log \(before.logBytes) bytes before close, expected > 1 MiB")
            #expect(before.tables == 0, "\(before.tables) tables before close, expected 0 (all in the 16 MiB memtable)")
            store.close()
            let after = try files(in: path)
            #expect(after.logBytes == 0, "log \(after.logBytes) bytes after close, expected 0 (a fresh log)")
            #expect(after.tables >= 1, "\(after.tables) tables after close, expected the flushed memtable's")

            let reopened = try LevelDBStore(path: path, createIfMissing: false)
            defer { reopened.close() }
            for index in [0, 1, 99, 100, 1_000, 1_998, 1_999] {
                #expect(try reopened.get(entry(index).key) == entry(index).value, "entry \(index)")
            }
            var count = 0
            try reopened.forEach(prefix: [0x02]) { _, _ in count += 1; return true }
            #expect(count == 2_000)
        }
    }

    @Test func closeAfterFewWritesKeepsTheLog() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/quiet"
            let store = try LevelDBStore(path: path)
            for index in 0 ..< 10 { try store.put(entry(index).value, forKey: entry(index).key) }
            store.close()
            let after = try files(in: path)
            // 10,050 bytes of entries plus LevelDB's record headers: under the threshold, nothing flushed.
            #expect(after.logBytes > 10_050 && after.logBytes < LevelDBStore.flushOnCloseBytes, "log \(after.logBytes) bytes")
            #expect(after.tables == 0, "\(after.tables) tables, expected 0")
            let reopened = try LevelDBStore(path: path, createIfMissing: false)
            defer { reopened.close() }
            #expect(try reopened.get(entry(9).key) == entry(9).value)
        }
    }
}
