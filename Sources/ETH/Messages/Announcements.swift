import Primitives
import ChainTypes

/// NewBlockHashes (eth 0x01): blocks the sender has, announced by hash and number.
///
/// Encoding: `rlp([[hash, number], …])`.
public struct NewBlockHashesMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.newBlockHashes

    /// One announced block.
    public struct Announcement: Hashable, Sendable {
        /// The block hash.
        public var hash: Hash32
        /// The block number.
        public var number: UInt64

        /// Creates an announcement.
        public init(hash: Hash32, number: UInt64) {
            self.hash = hash
            self.number = number
        }
    }

    /// The announced blocks.
    public var announcements: [Announcement]

    /// Creates the message.
    public init(announcements: [Announcement]) { self.announcements = announcements }

    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: announcements.count * 45)
        writer.appendList { list in
            for announcement in announcements {
                list.appendList { pair in
                    pair.append(bytes: announcement.hash.bytes)
                    pair.append(uint: announcement.number)
                }
            }
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try MessageReader(message: "NewBlockHashes", encoded: encoded)
        announcements = []
        while !reader.isAtEnd {
            let field = "announcement \(announcements.count)"
            var pair = try reader.list(field)
            try pair.expectCount(2, field, "hash, number")
            let hash = try pair.hash(field + " hash")
            let number = try pair.uint64(field + " number")
            announcements.append(Announcement(hash: hash, number: number))
        }
    }
}

/// Transactions (eth 0x02): transactions pushed to a peer.
///
/// Encoding: `rlp([tx, …])`, each in its network form.
public struct TransactionsMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.transactions
    /// The transactions.
    public var transactions: [Transaction]

    /// Creates the message.
    public init(transactions: [Transaction]) { self.transactions = transactions }

    public var encoded: [UInt8] {
        var writer = RLPWriter()
        writer.appendList { list in for transaction in transactions { list.append(networkTransaction: transaction) } }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var outer = RLPReader(encoded)
        var reader = MessageReader(message: "Transactions", reader: outer)
        transactions = try reader.transactions("transactions")
        outer = reader.reader
        do throws(RLPError) { try outer.expectEnd() } catch { throw .malformedField(message: "Transactions", field: "Transactions", error) }
    }
}

/// NewPooledTransactionHashes (eth 0x08, eth/68 form): transactions the sender has in its pool,
/// announced by type, encoded size and hash (EIP-5793).
///
/// Encoding: `rlp([types, [size, …], [hash, …]])`, where `types` is a byte string with one byte per
/// transaction; the three lists must have equal length.
public struct NewPooledTransactionHashesMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.newPooledTransactionHashes
    /// The transaction types, one byte each.
    public var types: [UInt8]
    /// The size of each transaction's network encoding (for typed ones, without the outer string header).
    public var sizes: [UInt32]
    /// The transaction hashes.
    public var hashes: [Hash32]

    /// Creates the message; the three arrays must have equal length.
    public init(types: [UInt8], sizes: [UInt32], hashes: [Hash32]) {
        precondition(types.count == sizes.count && sizes.count == hashes.count, "announcement lists differ in length")
        self.types = types
        self.sizes = sizes
        self.hashes = hashes
    }

    /// Announces transactions: type, size of the EIP-2718 encoding, and hash of each.
    /// - Parameter transactions: the transactions.
    public init(announcing transactions: [Transaction]) {
        self.init(types: transactions.map { $0.type.rawValue }, sizes: transactions.map { UInt32($0.encoded.count) },
                  hashes: transactions.map(\.hash))
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: hashes.count * 40 + 8)
        writer.appendList { list in
            list.append(bytes: types)
            list.appendList { items in for size in sizes { items.append(uint: UInt64(size)) } }
            list.append(hashes: hashes)
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try MessageReader(message: "NewPooledTransactionHashes", encoded: encoded)
        try reader.expectCount(3, "NewPooledTransactionHashes", "types, sizes, hashes")
        types = Array(try reader.read("types") { (reader) throws(RLPError) in try reader.readBytes() })
        var sizeReader = try reader.list("sizes")
        sizes = []
        while !sizeReader.isAtEnd {
            let field = "sizes item \(sizes.count)"
            let value = try sizeReader.read(field) { (reader) throws(RLPError) in try reader.readIntegerBytes(maximumByteCount: 4) }
            sizes.append(value.reduce(0) { $0 << 8 | UInt32($1) })
        }
        hashes = try reader.hashes("hashes")
        guard types.count == sizes.count, sizes.count == hashes.count else {
            throw .mismatchedAnnouncement(types: types.count, sizes: sizes.count, hashes: hashes.count)
        }
    }
}
