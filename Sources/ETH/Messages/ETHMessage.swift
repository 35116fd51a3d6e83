import Primitives
import ChainTypes

/// One eth/68 message: its code and its RLP payload (devp2p caps/eth.md; go-ethereum v1.13.15
/// eth/protocols/eth/protocol.go).
///
/// Request/response messages carry a request id first (EIP-2481): `rlp([requestId, body])`.
/// Transactions inside messages use their network form, as in block bodies: a legacy transaction
/// is its RLP list, a typed one an RLP byte string holding `type ‖ rlp(fields)` (EIP-2718);
/// receipts likewise.
public protocol ETHMessage: Sendable {
    /// The message code, relative to the eth protocol's offset.
    static var code: ETHProtocol.MessageCode { get }
    /// The message payload.
    var encoded: [UInt8] { get }
    /// Decodes a payload strictly.
    /// - Parameter encoded: the payload.
    /// - Throws: `ETHMessageError` naming the message, the field and what was expected.
    init(encoded: [UInt8]) throws(ETHMessageError)
}

/// Why an eth message was refused.
public enum ETHMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field is not the RLP the message requires (the message, the field and the RLP reason).
    case malformedField(message: String, field: String, RLPError)
    /// A list has a different number of items from the one required.
    case wrongFieldCount(message: String, field: String, expected: String, actual: Int)
    /// A transaction in the message does not decode.
    case invalidTransaction(message: String, index: Int, TransactionError)
    /// A header, block or receipt in the message does not decode.
    case invalidBlockData(message: String, field: String, BlockError)
    /// A GetBlockHeaders origin is neither a 32-byte hash nor an integer of at most 8 bytes.
    case invalidOrigin(byteCount: Int)
    /// A boolean is encoded as something other than 0x80 (false) or 0x01 (true).
    case invalidBoolean([UInt8])
    /// The three lists of NewPooledTransactionHashes differ in length.
    case mismatchedAnnouncement(types: Int, sizes: Int, hashes: Int)

    /// A user-facing message naming the values found and what was expected.
    public var description: String {
        switch self {
        case .malformedField(let message, let field, let error):
            return "eth \(message) field \(field): \(error)"
        case .wrongFieldCount(let message, let field, let expected, let actual):
            return "eth \(message) field \(field) has \(actual) items, expected \(expected)"
        case .invalidTransaction(let message, let index, let error):
            return "eth \(message) transaction \(index): \(error)"
        case .invalidBlockData(let message, let field, let error):
            return "eth \(message) field \(field): \(error)"
        case .invalidOrigin(let byteCount):
            return "eth GetBlockHeaders origin of \(byteCount) bytes, expected a 32-byte hash or a block number of at most 8 bytes"
        case .invalidBoolean(let bytes):
            return "eth GetBlockHeaders reverse flag \(Hex.encode(bytes)), expected 0x80 (false) or 0x01 (true)"
        case .mismatchedAnnouncement(let types, let sizes, let hashes):
            return "eth NewPooledTransactionHashes has \(types) types, \(sizes) sizes and \(hashes) hashes, expected three lists of equal length"
        }
    }
}

// MARK: Reading helpers

/// Reads fields of one message, naming the message in every error.
struct MessageReader {
    let message: String
    var reader: RLPReader

    /// Opens the payload's outer list and checks nothing follows it.
    init(message: String, encoded: [UInt8]) throws(ETHMessageError) {
        self.message = message
        var outer = RLPReader(encoded)
        do throws(RLPError) {
            reader = try outer.enterList()
            try outer.expectEnd()
        } catch {
            throw .malformedField(message: message, field: message, error)
        }
    }

    init(message: String, reader: RLPReader) {
        self.message = message
        self.reader = reader
    }

    /// Runs one read, mapping its `RLPError` to a field error.
    mutating func read<T>(_ field: String, _ body: (inout RLPReader) throws(RLPError) -> T) throws(ETHMessageError) -> T {
        do throws(RLPError) {
            return try body(&reader)
        } catch {
            throw .malformedField(message: message, field: field, error)
        }
    }

    mutating func uint64(_ field: String) throws(ETHMessageError) -> UInt64 {
        try read(field) { (reader) throws(RLPError) in try reader.readUInt64() }
    }

    mutating func uint256(_ field: String) throws(ETHMessageError) -> UInt256 {
        try read(field) { (reader) throws(RLPError) in UInt256(bigEndianBytes: try reader.readIntegerBytes(maximumByteCount: 32)) }
    }

    mutating func hash(_ field: String) throws(ETHMessageError) -> Hash32 {
        try read(field) { (reader) throws(RLPError) in Hash32(try reader.readBytes(exactly: 32)) }
    }

    mutating func raw(_ field: String) throws(ETHMessageError) -> ArraySlice<UInt8> {
        try read(field) { (reader) throws(RLPError) in try reader.readRawItem() }
    }

    /// Enters a nested list, returning a reader over its items.
    mutating func list(_ field: String) throws(ETHMessageError) -> MessageReader {
        let inner = try read(field) { (reader) throws(RLPError) in try reader.enterList() }
        return MessageReader(message: message, reader: inner)
    }

    var isAtEnd: Bool { reader.isAtEnd }

    /// Checks the list has been read to its end: more items than the message has are refused.
    func expectEnd(_ field: String) throws(ETHMessageError) {
        do throws(RLPError) {
            try reader.expectEnd()
        } catch {
            throw .malformedField(message: message, field: field, error)
        }
    }

    /// Counts the remaining items (checking their headers).
    func count(_ field: String) throws(ETHMessageError) -> Int {
        var copy = reader
        var count = 0
        while !copy.isAtEnd {
            do throws(RLPError) { try copy.skipItem() } catch { throw .malformedField(message: message, field: "\(field) item \(count)", error) }
            count += 1
        }
        return count
    }

    /// Checks the list has exactly `expected` items.
    func expectCount(_ expected: Int, _ field: String, _ names: String) throws(ETHMessageError) {
        let actual = try count(field)
        if actual != expected { throw .wrongFieldCount(message: message, field: field, expected: "\(expected) (\(names))", actual: actual) }
    }

    /// Reads a list of hashes.
    mutating func hashes(_ field: String) throws(ETHMessageError) -> [Hash32] {
        var items = try list(field)
        var result: [Hash32] = []
        while !items.isAtEnd { result.append(try items.hash("\(field) item \(result.count)")) }
        return result
    }

    /// Reads a list of transactions in their network form.
    mutating func transactions(_ field: String) throws(ETHMessageError) -> [Transaction] {
        var items = try list(field)
        var result: [Transaction] = []
        while !items.isAtEnd {
            let index = result.count
            let item = try items.raw("\(field) item \(index)")
            do throws(TransactionError) {
                result.append(try NetworkEncoding.transaction(from: item))
            } catch {
                throw .invalidTransaction(message: message, index: index, error)
            }
        }
        return result
    }

    /// Reads a list of headers.
    mutating func headers(_ field: String) throws(ETHMessageError) -> [Header] {
        var items = try list(field)
        var result: [Header] = []
        while !items.isAtEnd {
            let name = "\(field) item \(result.count)"
            let item = try items.raw(name)
            do throws(BlockError) {
                result.append(try Header(encoded: Array(item)))
            } catch {
                throw .invalidBlockData(message: message, field: name, error)
            }
        }
        return result
    }
}

// MARK: Writing helpers

extension RLPWriter {
    mutating func append(uint256 value: UInt256) { append(bytes: value.minimalBigEndianBytes) }

    mutating func append(hashes: [Hash32]) {
        appendList { list in for hash in hashes { list.append(bytes: hash.bytes) } }
    }

    /// Appends a transaction in its network form.
    mutating func append(networkTransaction transaction: Transaction) {
        if transaction.type == .legacy {
            append(encoded: transaction.encoded)
        } else {
            append(bytes: transaction.encoded)
        }
    }

    /// Appends `[requestId, body]`.
    mutating func appendRequest(id: UInt64, _ body: (inout RLPWriter) -> Void) {
        appendList { list in
            list.append(uint: id)
            body(&list)
        }
    }
}

/// The network form of transactions and receipts (EIP-2718 inside RLP lists).
public enum NetworkEncoding {
    /// Decodes one list item: a legacy transaction's list, or a byte string holding a typed one.
    /// - Parameter item: the item's complete RLP.
    /// - Returns: the transaction.
    /// - Throws: `TransactionError`.
    public static func transaction(from item: ArraySlice<UInt8>) throws(TransactionError) -> Transaction {
        var reader = RLPReader(item)
        let isList: Bool
        do throws(RLPError) { isList = try reader.nextItemIsList() } catch { throw .malformedField(field: "transaction", error) }
        if isList { return try Transaction(encoded: Array(item)) }
        let payload: ArraySlice<UInt8>
        do throws(RLPError) { payload = try reader.readBytes() } catch { throw .malformedField(field: "transaction", error) }
        // A byte string must hold a typed transaction; a legacy list inside a string is not the network form.
        guard let first = payload.first, first < 0x80 else { throw .invalidEnvelope(firstByte: payload.first ?? 0x80) }
        return try Transaction(encoded: Array(payload))
    }

    /// The network form of one transaction.
    /// - Parameter transaction: the transaction.
    /// - Returns: its list (legacy) or the byte string of its EIP-2718 encoding (typed).
    public static func encode(_ transaction: Transaction) -> [UInt8] {
        transaction.type == .legacy ? transaction.encoded : RLP.encode(bytes: transaction.encoded)
    }

    /// Decodes one receipt in its network form: a legacy receipt's list, or a byte string holding a typed one.
    /// - Parameter item: the item's complete RLP.
    /// - Returns: the receipt.
    /// - Throws: `BlockError`.
    public static func receipt(from item: ArraySlice<UInt8>) throws(BlockError) -> Receipt {
        var reader = RLPReader(item)
        let isList: Bool
        do throws(RLPError) { isList = try reader.nextItemIsList() } catch { throw .malformedField(structure: "receipt", field: "receipt", error) }
        if isList { return try Receipt(encoded: Array(item)) }
        let payload: ArraySlice<UInt8>
        do throws(RLPError) { payload = try reader.readBytes() } catch { throw .malformedField(structure: "receipt", field: "receipt", error) }
        guard let first = payload.first, first < 0x80 else { throw .unsupportedReceiptType(payload.first ?? 0x80) }
        return try Receipt(encoded: Array(payload))
    }

    /// The network form of one receipt.
    /// - Parameter receipt: the receipt.
    /// - Returns: its list (legacy) or the byte string of its EIP-2718 encoding (typed).
    public static func encode(_ receipt: Receipt) -> [UInt8] {
        receipt.type == .legacy ? receipt.encoded : RLP.encode(bytes: receipt.encoded)
    }
}
