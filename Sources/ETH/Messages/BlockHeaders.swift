import Primitives
import ChainTypes

/// Where a header request starts: a block hash or a block number (go-ethereum `HashOrNumber`).
///
/// On the wire it is a 32-byte string for a hash, otherwise a canonical integer of at most 8 bytes.
public enum BlockOrigin: Hashable, Sendable {
    /// Start at the block with this hash.
    case hash(Hash32)
    /// Start at the canonical block with this number.
    case number(UInt64)
}

/// GetBlockHeaders (eth 0x03): asks for up to `amount` headers from `origin`, `skip` blocks apart,
/// descending if `reverse`.
///
/// Encoding: `rlp([requestId, [origin, amount, skip, reverse]])`; `reverse` is 0x01 or 0x80.
public struct GetBlockHeadersMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.getBlockHeaders
    /// The request id the reply echoes.
    public var requestId: UInt64
    /// The first block.
    public var origin: BlockOrigin
    /// The largest number of headers wanted.
    public var amount: UInt64
    /// How many blocks to leave out between two returned headers.
    public var skip: UInt64
    /// Whether to walk towards lower numbers.
    public var reverse: Bool

    /// Creates the request.
    public init(requestId: UInt64, origin: BlockOrigin, amount: UInt64, skip: UInt64 = 0, reverse: Bool = false) {
        self.requestId = requestId
        self.origin = origin
        self.amount = amount
        self.skip = skip
        self.reverse = reverse
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 50)
        writer.appendRequest(id: requestId) { list in
            list.appendList { query in
                switch origin {
                case .hash(let hash): query.append(bytes: hash.bytes)
                case .number(let number): query.append(uint: number)
                }
                query.append(uint: amount)
                query.append(uint: skip)
                query.append(uint: reverse ? 1 : 0)
            }
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try requestReader("GetBlockHeaders", encoded)
        requestId = try reader.uint64("requestId")
        var query = try reader.list("request")
        try query.expectCount(4, "request", "origin, amount, skip, reverse")
        // A 32-byte string is a hash; anything up to 8 bytes is a number (read again, canonically).
        var numberReader = MessageReader(message: "GetBlockHeaders", reader: query.reader)
        let originBytes = try query.read("origin") { (reader) throws(RLPError) in try reader.readBytes() }
        switch originBytes.count {
        case 32: origin = .hash(Hash32(originBytes))
        case 0 ... 8: origin = .number(try numberReader.uint64("origin"))
        default: throw .invalidOrigin(byteCount: originBytes.count)
        }
        amount = try query.uint64("amount")
        skip = try query.uint64("skip")
        let flag = try query.read("reverse") { (reader) throws(RLPError) in try reader.readBytes() }
        switch Array(flag) {
        case []: reverse = false
        case [1]: reverse = true
        default: throw .invalidBoolean(Array(flag))
        }
    }
}

/// Opens `[requestId, body]`, checking it has exactly those two items.
func requestReader(_ message: String, _ encoded: [UInt8]) throws(ETHMessageError) -> MessageReader {
    let reader = try MessageReader(message: message, encoded: encoded)
    try reader.expectCount(2, message, "requestId, body")
    return reader
}

/// BlockHeaders (eth 0x04): the reply to GetBlockHeaders.
///
/// Encoding: `rlp([requestId, [header, …]])`.
public struct BlockHeadersMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.blockHeaders
    /// The request id of the GetBlockHeaders answered.
    public var requestId: UInt64
    /// The headers, in the order asked for.
    public var headers: [Header]

    /// Creates the reply.
    public init(requestId: UInt64, headers: [Header]) {
        self.requestId = requestId
        self.headers = headers
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: headers.count * 600 + 10)
        writer.appendRequest(id: requestId) { list in
            list.appendList { items in for header in headers { items.append(encoded: header.encoded) } }
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try requestReader("BlockHeaders", encoded)
        requestId = try reader.uint64("requestId")
        headers = try reader.headers("headers")
    }
}
