import Foundation
import Primitives

/// The enclave worker's record of the results it has sent, so a restart scores nothing twice.
///
/// One JSON object per line in `<datadir>/journal.jsonl`, appended and flushed to disk (fsync)
/// **before** the transaction is handed to the node:
///
///     {"model":"7","tx":"0x…","raw":"0x02f8…","accuracyBps":9722,"time":1733400000}
///
/// `raw` is the signed submitResult transaction, so after a crash the worker can look the hash
/// up (mined? still pending?) and, if the node never got it, broadcast exactly the same bytes
/// instead of scoring again. A later line for the same model replaces an earlier one (a result
/// re-signed after its first transaction was dropped). The contract's `modelStatus` stays the
/// source of truth: the journal only says which transaction to wait for.
///
/// A crash in the middle of a write leaves a last line without its newline or with broken JSON:
/// that line is ignored (its transaction was never sent) and reported in `ignoredLines`.
public final class WorkerJournal: @unchecked Sendable {
    /// One sent (or about to be sent) result.
    public struct Entry: Hashable, Sendable {
        /// The model the result is for.
        public var modelId: UInt64
        /// The submitResult transaction's hash.
        public var transactionHash: Hash32
        /// The signed transaction (EIP-2718 bytes).
        public var rawTransaction: [UInt8]
        /// The accuracy it reports.
        public var accuracyBps: UInt16

        /// Creates an entry.
        public init(modelId: UInt64, transactionHash: Hash32, rawTransaction: [UInt8], accuracyBps: UInt16) {
            self.modelId = modelId
            self.transactionHash = transactionHash
            self.rawTransaction = rawTransaction
            self.accuracyBps = accuracyBps
        }
    }

    /// The journal file.
    public let path: String
    /// Lines that could not be read (a write cut short by a crash), with their line numbers.
    public private(set) var ignoredLines: [(line: Int, reason: String)] = []
    private var entries: [UInt64: Entry] = [:]
    private let lock = NSLock()

    /// The journal's file name inside a worker's data directory.
    public static let fileName = "journal.jsonl"

    /// Opens (creating if needed) the journal at `path` and reads its entries.
    /// - Parameter path: the file.
    /// - Throws: `WorkerJournalError` if the file cannot be created or read.
    public init(path: String) throws(WorkerJournalError) {
        self.path = path
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw .cannotWrite(path: path, reason: "cannot create the file")
            }
        }
        guard let data = manager.contents(atPath: path) else { throw .cannotRead(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithNewline = text.isEmpty || text.hasSuffix("\n")
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            if isLast && !endsWithNewline {
                ignoredLines.append((index + 1, "no newline at the end: a write cut short"))
                continue
            }
            do {
                let entry = try Self.decode(String(line))
                entries[entry.modelId] = entry
            } catch {
                ignoredLines.append((index + 1, "\(error)"))
            }
        }
    }

    /// The newest entry for a model.
    /// - Parameter modelId: the model.
    /// - Returns: the entry, or nil if no result was sent for it.
    public func entry(for modelId: UInt64) -> Entry? {
        lock.withLock { entries[modelId] }
    }

    /// Every model with an entry, ascending.
    public var modelIds: [UInt64] { lock.withLock { entries.keys.sorted() } }

    /// Appends an entry and forces it to disk before returning.
    /// - Parameter entry: the result about to be sent.
    /// - Throws: `WorkerJournalError.cannotWrite`: then the transaction must not be sent.
    public func record(_ entry: Entry) throws(WorkerJournalError) {
        let line = Self.encode(entry) + "\n"
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
            try handle.synchronize()
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        lock.withLock { entries[entry.modelId] = entry }
    }

    static func encode(_ entry: Entry) -> String {
        JSON.object([
            ("model", .string(String(entry.modelId))),
            ("tx", .string(entry.transactionHash.description)),
            ("raw", .string(Hex.encode(entry.rawTransaction))),
            ("accuracyBps", .integer(entry.accuracyBps)),
            ("time", .integer(Int(Date().timeIntervalSince1970))),
        ]).serialized
    }

    static func decode(_ line: String) throws(WorkerJournalError) -> Entry {
        let json: JSON
        do { json = try JSON.parse(line) } catch { throw .malformed(reason: "\(error)") }
        guard let modelText = json["model"]?.stringValue, let modelId = UInt64(modelText) else {
            throw .malformed(reason: "member model is \(json["model"]?.serialized ?? "missing"), expected a decimal string")
        }
        guard let hashText = json["tx"]?.stringValue, let hash = try? Hash32(hex: hashText) else {
            throw .malformed(reason: "member tx is \(json["tx"]?.serialized ?? "missing"), expected 32 bytes of hex")
        }
        guard let rawText = json["raw"]?.stringValue, let raw = try? Hex.decode(rawText), !raw.isEmpty else {
            throw .malformed(reason: "member raw is missing or not hex")
        }
        guard Keccak256.hash(raw) == hash else {
            throw .malformed(reason: "raw transaction hashes to \(Keccak256.hash(raw)), not the recorded \(hash)")
        }
        guard case .number(let accuracyText)? = json["accuracyBps"], let accuracy = UInt16(accuracyText), accuracy <= 10_000 else {
            throw .malformed(reason: "member accuracyBps is \(json["accuracyBps"]?.serialized ?? "missing"), expected 0…10000")
        }
        return Entry(modelId: modelId, transactionHash: hash, rawTransaction: raw, accuracyBps: accuracy)
    }
}

/// Why the journal could not be used.
public enum WorkerJournalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read.
    case cannotRead(path: String)
    /// The file cannot be created or appended to.
    case cannotWrite(path: String, reason: String)
    /// A line is not a journal entry.
    case malformed(reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path): return "cannot read the worker journal \(path)"
        case .cannotWrite(let path, let reason): return "cannot write the worker journal \(path): \(reason)"
        case .malformed(let reason): return "malformed journal line: \(reason)"
        }
    }
}
