import Primitives
import Storage
import Trie

/// A block: a header and its transactions. Blocks of this proof-of-authority chain never have
/// ommers (EIP-225), and carry no withdrawals.
///
/// Encoding: `rlp([header, [transaction, …], []])`, where each legacy transaction is its RLP list and
/// each typed one an RLP byte string holding its EIP-2718 encoding.
public struct Block: Hashable, Sendable {
    /// The header.
    public var header: Header
    /// The transactions, in execution order.
    public var transactions: [Transaction]

    /// Creates a block.
    /// - Parameters:
    ///   - header: the header.
    ///   - transactions: the transactions.
    public init(header: Header, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    /// The block hash (the header's).
    public var hash: Hash32 { header.hash }

    /// The block's RLP encoding.
    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 600 + transactions.count * 120)
        writer.appendList { list in
            list.append(encoded: header.encoded)
            list.appendList { body in
                for transaction in transactions { transaction.appendAsBlockItem(to: &body) }
            }
            list.appendList { _ in }
        }
        return writer.finish()
    }

    /// Decodes a block strictly.
    /// - Parameter encoded: the block's RLP.
    /// - Throws: `BlockError.malformedField`, `.wrongFieldCount`, `.nonEmptyOmmers` or `.invalidTransaction`.
    public init(encoded: [UInt8]) throws(BlockError) {
        var reader = RLPReader(encoded)
        var fields = try readField("block", "block", { (reader) throws(RLPError) in try reader.enterList() }, from: &reader)
        do throws(RLPError) { try reader.expectEnd() } catch { throw .malformedField(structure: "block", field: "block", error) }
        if case .success(let count) = fields.countItems(), count != 3 {
            throw .wrongFieldCount(structure: "block", expected: "3 (header, transactions, ommers)", actual: count)
        }
        let header = try Header.read(from: &fields)
        var transactionReader = try readField("block", "transactions", { (reader) throws(RLPError) in try reader.enterList() }, from: &fields)
        var transactions: [Transaction] = []
        while !transactionReader.isAtEnd {
            let item = try readField("block", "transaction \(transactions.count)", { (reader) throws(RLPError) in try reader.readRawItem() },
                                     from: &transactionReader)
            do throws(TransactionError) {
                transactions.append(try Transaction.decode(blockItem: item))
            } catch {
                throw .invalidTransaction(index: transactions.count, error)
            }
        }
        let ommers = try readField("block", "ommers", { (reader) throws(RLPError) in try reader.enterList() }, from: &fields)
        switch ommers.countItems() {
        case .failure(let failure): throw .malformedField(structure: "block", field: "ommers", failure.error)
        case .success(let count): if count != 0 { throw .nonEmptyOmmers(count: count) }
        }
        // Nothing may follow the ommers (the count check above is skipped when an item is malformed).
        do throws(RLPError) { try fields.expectEnd() } catch { throw .malformedField(structure: "block", field: "block", error) }
        self.init(header: header, transactions: transactions)
    }

    /// The transactions root: the trie of each transaction's EIP-2718 encoding under key rlp(index).
    /// - Parameter transactions: the transactions, in order.
    /// - Returns: the root; `MerklePatriciaTrie.emptyRoot` for none.
    public static func transactionsRoot(of transactions: [Transaction]) -> Hash32 {
        orderedTrieRoot(transactions.map(\.encoded))
    }

    /// The receipts root: the trie of each receipt's EIP-2718 encoding under key rlp(index).
    /// - Parameter receipts: the receipts, in order.
    /// - Returns: the root; `MerklePatriciaTrie.emptyRoot` for none.
    public static func receiptsRoot(of receipts: [Receipt]) -> Hash32 {
        orderedTrieRoot(receipts.map(\.encoded))
    }

    /// The root of a trie holding `values[i]` under key rlp(i) (go-ethereum `DeriveSha`).
    private static func orderedTrieRoot(_ values: [[UInt8]]) -> Hash32 {
        let trie = MerklePatriciaTrie(store: MemoryStore())
        for (index, value) in values.enumerated() {
            do throws(TrieError) {
                try trie.insert(value, forKey: RLP.encode(uint: UInt64(index)))
            } catch {
                preconditionFailure("inserting into an in-memory trie failed: \(error)")
            }
        }
        return trie.rootHash()
    }
}
