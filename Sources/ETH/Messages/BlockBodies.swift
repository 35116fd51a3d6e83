import Primitives
import ChainTypes

/// A validator withdrawal (EIP-4895), as block bodies after Shanghai carry them.
///
/// Encoding: `rlp([index, validatorIndex, address, amount])`, amount in gwei. GoldenGrain blocks
/// never hold withdrawals; the type exists so that a body from a peer decodes in full.
public struct Withdrawal: Hashable, Sendable {
    /// The withdrawal's sequence number.
    public var index: UInt64
    /// The validator's index.
    public var validatorIndex: UInt64
    /// The recipient.
    public var address: Address
    /// The amount in gwei.
    public var amount: UInt64

    /// Creates a withdrawal.
    public init(index: UInt64, validatorIndex: UInt64, address: Address, amount: UInt64) {
        self.index = index
        self.validatorIndex = validatorIndex
        self.address = address
        self.amount = amount
    }
}

/// A block body: what a block holds besides its header (go-ethereum v1.13.15 eth `BlockBody`).
///
/// Encoding: `rlp([[tx, …], [uncle header, …]])`, followed by `[withdrawal, …]` only when the block
/// has a withdrawals list (Shanghai on a beacon chain; `withdrawals == nil` leaves it out, as
/// go-ethereum's `rlp:"optional"` does). GoldenGrain bodies are `[[tx, …], []]`: no uncles (EIP-225)
/// and no withdrawals, exactly the body of `Block`'s own encoding.
public struct BlockBody: Hashable, Sendable {
    /// The transactions.
    public var transactions: [Transaction]
    /// The uncle headers (always empty on a Clique chain).
    public var uncles: [Header]
    /// The withdrawals, or nil when the body has no withdrawals list.
    public var withdrawals: [Withdrawal]?

    /// Creates a body.
    public init(transactions: [Transaction], uncles: [Header] = [], withdrawals: [Withdrawal]? = nil) {
        self.transactions = transactions
        self.uncles = uncles
        self.withdrawals = withdrawals
    }

    /// The body of a GoldenGrain block: its transactions, no uncles, no withdrawals.
    /// - Parameter block: the block.
    public init(block: Block) {
        self.init(transactions: block.transactions)
    }

    func append(to writer: inout RLPWriter) {
        writer.appendList { body in
            body.appendList { list in for transaction in transactions { list.append(networkTransaction: transaction) } }
            body.appendList { list in for uncle in uncles { list.append(encoded: uncle.encoded) } }
            if let withdrawals {
                body.appendList { list in
                    for withdrawal in withdrawals {
                        list.appendList { item in
                            item.append(uint: withdrawal.index)
                            item.append(uint: withdrawal.validatorIndex)
                            item.append(bytes: withdrawal.address.bytes)
                            item.append(uint: withdrawal.amount)
                        }
                    }
                }
            }
        }
    }

    /// The body's RLP encoding.
    public var encoded: [UInt8] {
        var writer = RLPWriter()
        append(to: &writer)
        return writer.finish()
    }

    static func read(from outer: inout MessageReader, field: String) throws(ETHMessageError) -> BlockBody {
        var reader = try outer.list(field)
        let count = try reader.count(field)
        guard count == 2 || count == 3 else {
            throw .wrongFieldCount(message: reader.message, field: field, expected: "2 (transactions, uncles) or 3 (with withdrawals)", actual: count)
        }
        let transactions = try reader.transactions(field + " transactions")
        let uncles = try reader.headers(field + " uncles")
        var withdrawals: [Withdrawal]? = nil
        if !reader.isAtEnd {
            var list = try reader.list(field + " withdrawals")
            var items: [Withdrawal] = []
            while !list.isAtEnd {
                let name = "\(field) withdrawal \(items.count)"
                var item = try list.list(name)
                try item.expectCount(4, name, "index, validatorIndex, address, amount")
                let index = try item.uint64(name + " index")
                let validator = try item.uint64(name + " validatorIndex")
                let address = try item.read(name + " address") { (reader) throws(RLPError) in try reader.readBytes(exactly: 20) }
                let amount = try item.uint64(name + " amount")
                items.append(Withdrawal(index: index, validatorIndex: validator, address: Address(address), amount: amount))
            }
            withdrawals = items
        }
        return BlockBody(transactions: transactions, uncles: uncles, withdrawals: withdrawals)
    }
}

/// GetBlockBodies (eth 0x05): asks for the bodies of blocks by hash.
///
/// Encoding: `rlp([requestId, [hash, …]])`.
public struct GetBlockBodiesMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.getBlockBodies
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
        (requestId, hashes) = try decodeHashRequest("GetBlockBodies", encoded)
    }
}

/// BlockBodies (eth 0x06): the reply to GetBlockBodies, bodies in the order asked (unknown ones left out).
///
/// Encoding: `rlp([requestId, [body, …]])`.
public struct BlockBodiesMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.blockBodies
    /// The request id of the GetBlockBodies answered.
    public var requestId: UInt64
    /// The bodies.
    public var bodies: [BlockBody]

    /// Creates the reply.
    public init(requestId: UInt64, bodies: [BlockBody]) {
        self.requestId = requestId
        self.bodies = bodies
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter()
        writer.appendRequest(id: requestId) { list in
            list.appendList { items in for body in bodies { body.append(to: &items) } }
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try requestReader("BlockBodies", encoded)
        requestId = try reader.uint64("requestId")
        var list = try reader.list("bodies")
        bodies = []
        while !list.isAtEnd { bodies.append(try BlockBody.read(from: &list, field: "body \(bodies.count)")) }
    }
}

/// NewBlock (eth 0x07): a whole new block pushed to a peer, with its total difficulty.
///
/// Encoding: `rlp([block, totalDifficulty])`, the block as `Block.encoded`.
public struct NewBlockMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.newBlock
    /// The block.
    public var block: Block
    /// The total difficulty including this block.
    public var totalDifficulty: UInt256

    /// Creates the message.
    public init(block: Block, totalDifficulty: UInt256) {
        self.block = block
        self.totalDifficulty = totalDifficulty
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter()
        writer.appendList { list in
            list.append(encoded: block.encoded)
            list.append(uint256: totalDifficulty)
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try MessageReader(message: "NewBlock", encoded: encoded)
        try reader.expectCount(2, "NewBlock", "block, td")
        let raw = try reader.raw("block")
        do throws(BlockError) {
            block = try Block(encoded: Array(raw))
        } catch {
            throw .invalidBlockData(message: "NewBlock", field: "block", error)
        }
        totalDifficulty = try reader.uint256("td")
    }
}

// MARK: Hash-list requests

func encodeHashRequest(_ requestId: UInt64, _ hashes: [Hash32]) -> [UInt8] {
    var writer = RLPWriter(reservingCapacity: hashes.count * 33 + 12)
    writer.appendRequest(id: requestId) { list in list.append(hashes: hashes) }
    return writer.finish()
}

func decodeHashRequest(_ message: String, _ encoded: [UInt8]) throws(ETHMessageError) -> (UInt64, [Hash32]) {
    var reader = try requestReader(message, encoded)
    let id = try reader.uint64("requestId")
    return (id, try reader.hashes("hashes"))
}
