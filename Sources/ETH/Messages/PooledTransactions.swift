import Primitives
import ChainTypes

/// GetPooledTransactions (eth 0x09): asks for pool transactions by hash.
///
/// Encoding: `rlp([requestId, [hash, …]])`.
public struct GetPooledTransactionsMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.getPooledTransactions
    /// The request id the reply echoes.
    public var requestId: UInt64
    /// The transaction hashes.
    public var hashes: [Hash32]

    /// Creates the request.
    public init(requestId: UInt64, hashes: [Hash32]) {
        self.requestId = requestId
        self.hashes = hashes
    }

    public var encoded: [UInt8] { encodeHashRequest(requestId, hashes) }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        (requestId, hashes) = try decodeHashRequest("GetPooledTransactions", encoded)
    }
}

/// PooledTransactions (eth 0x0a): the reply to GetPooledTransactions, in the order asked (unknown ones left out).
///
/// Encoding: `rlp([requestId, [tx, …]])`, each transaction in its network form.
public struct PooledTransactionsMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.pooledTransactions
    /// The request id of the request answered.
    public var requestId: UInt64
    /// The transactions.
    public var transactions: [Transaction]

    /// Creates the reply.
    public init(requestId: UInt64, transactions: [Transaction]) {
        self.requestId = requestId
        self.transactions = transactions
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter()
        writer.appendRequest(id: requestId) { list in
            list.appendList { items in for transaction in transactions { items.append(networkTransaction: transaction) } }
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try requestReader("PooledTransactions", encoded)
        requestId = try reader.uint64("requestId")
        transactions = try reader.transactions("transactions")
    }
}

/// GetReceipts (eth 0x0f): asks for the receipts of blocks by block hash.
///
/// Encoding: `rlp([requestId, [blockHash, …]])`.
public struct GetReceiptsMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.getReceipts
    /// The request id the reply echoes.
    public var requestId: UInt64
    /// The block hashes.
    public var hashes: [Hash32]

    /// Creates the request.
    public init(requestId: UInt64, hashes: [Hash32]) {
        self.requestId = requestId
        self.hashes = hashes
    }

    public var encoded: [UInt8] { encodeHashRequest(requestId, hashes) }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        (requestId, hashes) = try decodeHashRequest("GetReceipts", encoded)
    }
}

/// Receipts (eth 0x10): the reply to GetReceipts, one list of receipts per block.
///
/// Encoding: `rlp([requestId, [[receipt, …], …]])`, each receipt in its network form (a legacy one as
/// its list, a typed one as a byte string of `type ‖ rlp(fields)`), as go-ethereum 1.13 sends them.
public struct ReceiptsMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.receipts
    /// The request id of the GetReceipts answered.
    public var requestId: UInt64
    /// The receipts of each block, in the order asked.
    public var receipts: [[Receipt]]

    /// Creates the reply.
    public init(requestId: UInt64, receipts: [[Receipt]]) {
        self.requestId = requestId
        self.receipts = receipts
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter()
        writer.appendRequest(id: requestId) { list in
            list.appendList { blocks in
                for block in receipts {
                    blocks.appendList { items in for receipt in block { items.append(encoded: NetworkEncoding.encode(receipt)) } }
                }
            }
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try requestReader("Receipts", encoded)
        requestId = try reader.uint64("requestId")
        var blocks = try reader.list("receipts")
        receipts = []
        while !blocks.isAtEnd {
            let blockIndex = receipts.count
            var items = try blocks.list("receipts \(blockIndex)")
            var block: [Receipt] = []
            while !items.isAtEnd {
                let field = "receipts \(blockIndex) item \(block.count)"
                let raw = try items.raw(field)
                do throws(BlockError) {
                    block.append(try NetworkEncoding.receipt(from: raw))
                } catch {
                    throw .invalidBlockData(message: "Receipts", field: field, error)
                }
            }
            receipts.append(block)
        }
    }
}
