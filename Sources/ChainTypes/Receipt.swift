import Primitives
import State

/// The outcome of one transaction in a block (Yellow Paper §4.3.1, EIP-658 status, EIP-2718 envelope).
///
/// Encoding: `rlp([status, cumulativeGasUsed, logsBloom, logs])` for a legacy transaction's receipt,
/// and `type ‖ rlp([…])` for a typed one; the receipts trie stores this form under key rlp(index).
/// The status is the empty string for failure and the single byte 0x01 for success (EIP-658);
/// pre-Byzantium receipts, which held a state root instead, are not supported.
public struct Receipt: Hashable, Sendable {
    /// Whether the transaction succeeded (EIP-658).
    public enum Status: UInt8, Hashable, Sendable {
        /// The transaction reverted or halted exceptionally; its state changes were undone.
        case failure = 0
        /// The transaction ran to completion.
        case success = 1
    }

    /// The type of the transaction this receipt belongs to.
    public var type: TransactionType
    /// Whether the transaction succeeded.
    public var status: Status
    /// The gas used by this transaction and all before it in the block.
    public var cumulativeGasUsed: UInt64
    /// The bloom filter of `logs`.
    public var logsBloom: Bloom
    /// The logs the transaction emitted.
    public var logs: [Log]

    /// Creates a receipt, computing its bloom from the logs.
    /// - Parameters:
    ///   - type: the transaction's type.
    ///   - status: success or failure.
    ///   - cumulativeGasUsed: gas used by the block up to and including this transaction.
    ///   - logs: the logs emitted.
    public init(type: TransactionType, status: Status, cumulativeGasUsed: UInt64, logs: [Log]) {
        self.init(type: type, status: status, cumulativeGasUsed: cumulativeGasUsed, logsBloom: Bloom(logs: logs), logs: logs)
    }

    /// Creates a receipt with a given bloom (as decoded; not checked against the logs).
    /// - Parameters:
    ///   - type: the transaction's type.
    ///   - status: success or failure.
    ///   - cumulativeGasUsed: gas used by the block up to and including this transaction.
    ///   - logsBloom: the bloom filter.
    ///   - logs: the logs emitted.
    public init(type: TransactionType, status: Status, cumulativeGasUsed: UInt64, logsBloom: Bloom, logs: [Log]) {
        self.type = type
        self.status = status
        self.cumulativeGasUsed = cumulativeGasUsed
        self.logsBloom = logsBloom
        self.logs = logs
    }

    /// The EIP-2718 encoding: `type ‖ rlp(fields)` for typed transactions, `rlp(fields)` for legacy.
    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 300)
        if type != .legacy { writer.append(encoded: [type.rawValue]) }
        writer.appendList { list in
            list.append(uint: UInt64(status.rawValue))
            list.append(uint: cumulativeGasUsed)
            list.append(bytes: logsBloom.bytes)
            list.appendList { logList in
                for log in logs { log.append(to: &logList) }
            }
        }
        return writer.finish()
    }

    /// Decodes a receipt in its EIP-2718 encoding, strictly.
    /// - Parameter encoded: the encoding.
    /// - Throws: `BlockError.unsupportedReceiptType`, `.malformedField`, `.wrongFieldCount` or `.invalidReceiptStatus`.
    public init(encoded: [UInt8]) throws(BlockError) {
        var type = TransactionType.legacy
        var body = encoded[...]
        if let first = body.first, first < 0x80 {
            guard let typed = TransactionType(rawValue: first), typed != .legacy else { throw .unsupportedReceiptType(first) }
            type = typed
            body = body.dropFirst()
        }
        var outer = RLPReader(body)
        var fields = try readField("receipt", "receipt", { (reader) throws(RLPError) in try reader.enterList() }, from: &outer)
        do throws(RLPError) { try outer.expectEnd() } catch { throw .malformedField(structure: "receipt", field: "receipt", error) }
        if case .success(let count) = fields.countItems(), count != 4 {
            throw .wrongFieldCount(structure: "receipt", expected: "4", actual: count)
        }
        let statusBytes = try readField("receipt", "status", { (reader) throws(RLPError) in try reader.readBytes() }, from: &fields)
        let status: Status
        switch Array(statusBytes) {
        case []: status = .failure
        case [1]: status = .success
        default: throw .invalidReceiptStatus(Array(statusBytes))
        }
        let cumulativeGasUsed = try readField("receipt", "cumulativeGasUsed", { (reader) throws(RLPError) in try reader.readUInt64() }, from: &fields)
        let bloom = try readField("receipt", "logsBloom", { (reader) throws(RLPError) in try reader.readBytes(exactly: Bloom.byteCount) }, from: &fields)
        var logReader = try readField("receipt", "logs", { (reader) throws(RLPError) in try reader.enterList() }, from: &fields)
        var logs: [Log] = []
        while !logReader.isAtEnd { logs.append(try Log.read(from: &logReader)) }
        // Nothing may follow the logs (the count check above is skipped when an item is malformed).
        do throws(RLPError) { try fields.expectEnd() } catch { throw .malformedField(structure: "receipt", field: "receipt", error) }
        self.init(type: type, status: status, cumulativeGasUsed: cumulativeGasUsed, logsBloom: Bloom(bytes: bloom), logs: logs)
    }
}
