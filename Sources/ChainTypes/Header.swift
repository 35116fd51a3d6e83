import Primitives

/// A block header with the London fields (Yellow Paper §4.3, EIP-1559 base fee).
///
/// Encoding: `rlp([parentHash, ommersHash, coinbase, stateRoot, transactionsRoot, receiptsRoot,
/// logsBloom, difficulty, number, gasLimit, gasUsed, timestamp, extraData, mixHash, nonce,
/// baseFeePerGas])`, where `nonce` is an 8-byte string and the rest are hashes, a 20-byte address, a
/// 256-byte bloom and canonical integers. Headers from before London have 15 fields and no base
/// fee; they decode with `baseFeePerGas == nil` and re-encode identically. Later fields
/// (withdrawalsRoot, blob gas, beacon root) are not part of this chain's headers.
///
/// Clique (EIP-225) uses the fields as follows: `extraData` = 32-byte vanity ‖ signer list (on
/// checkpoint blocks) ‖ 65-byte seal; `difficulty` 2 in turn and 1 out of turn; `nonce` and
/// `coinbase` carry votes; `mixHash` and `ommersHash` are fixed.
public struct Header: Hashable, Sendable {
    /// keccak256(rlp([])): the ommers hash of every block of this chain, which has no ommers.
    public static let emptyOmmersHash = Keccak256.hash([0xc0])

    /// The hash of the parent block's header.
    public var parentHash: Hash32
    /// keccak256 of the RLP list of ommer headers; always `emptyOmmersHash` here.
    public var ommersHash: Hash32
    /// The beneficiary of fees; in Clique, the address voted on (or zero).
    public var coinbase: Address
    /// The root of the state trie after the block.
    public var stateRoot: Hash32
    /// The root of the trie of the block's transactions, keyed by rlp(index).
    public var transactionsRoot: Hash32
    /// The root of the trie of the block's receipts, keyed by rlp(index).
    public var receiptsRoot: Hash32
    /// The union of the receipts' bloom filters.
    public var logsBloom: Bloom
    /// The difficulty; in Clique 2 for an in-turn signer and 1 otherwise.
    public var difficulty: UInt256
    /// The block number.
    public var number: UInt64
    /// The most gas the block's transactions may use together.
    public var gasLimit: UInt64
    /// The gas the block's transactions used.
    public var gasUsed: UInt64
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64
    /// Free bytes; in Clique, vanity ‖ signers ‖ seal (EIP-225).
    public var extraData: [UInt8]
    /// The proof-of-work mix hash; zero in Clique.
    public var mixHash: Hash32
    /// The 8-byte nonce, as a big-endian integer; in Clique 0xffffffffffffffff votes to add and 0 to drop.
    public var nonce: UInt64
    /// The base fee per gas (EIP-1559); nil only for a header from before London.
    public var baseFeePerGas: UInt256?

    /// Creates a header.
    /// - Parameters:
    ///   - parentHash: the parent header's hash.
    ///   - ommersHash: keccak256 of the ommers list (default: the empty list's).
    ///   - coinbase: the beneficiary.
    ///   - stateRoot: the post-state root.
    ///   - transactionsRoot: the transactions trie root.
    ///   - receiptsRoot: the receipts trie root.
    ///   - logsBloom: the union of the receipts' blooms.
    ///   - difficulty: the difficulty.
    ///   - number: the block number.
    ///   - gasLimit: the block gas limit.
    ///   - gasUsed: the gas used.
    ///   - timestamp: seconds since the Unix epoch.
    ///   - extraData: the extra data.
    ///   - mixHash: the mix hash.
    ///   - nonce: the 8-byte nonce.
    ///   - baseFeePerGas: the EIP-1559 base fee, or nil before London.
    public init(parentHash: Hash32, ommersHash: Hash32 = Header.emptyOmmersHash, coinbase: Address,
                stateRoot: Hash32, transactionsRoot: Hash32, receiptsRoot: Hash32, logsBloom: Bloom,
                difficulty: UInt256, number: UInt64, gasLimit: UInt64, gasUsed: UInt64, timestamp: UInt64,
                extraData: [UInt8], mixHash: Hash32, nonce: UInt64, baseFeePerGas: UInt256?) {
        self.parentHash = parentHash
        self.ommersHash = ommersHash
        self.coinbase = coinbase
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.logsBloom = logsBloom
        self.difficulty = difficulty
        self.number = number
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.timestamp = timestamp
        self.extraData = extraData
        self.mixHash = mixHash
        self.nonce = nonce
        self.baseFeePerGas = baseFeePerGas
    }

    /// The block hash: keccak256 of `encoded`.
    public var hash: Hash32 { Keccak256.hash(encoded) }

    /// The header's RLP encoding (15 fields before London, 16 with a base fee).
    public var encoded: [UInt8] { encode(extraData: extraData[...]) }

    /// The hash a Clique signer signs (EIP-225): keccak256 of the header's RLP with the last 65
    /// bytes of `extraData` (the seal) removed. A header whose extra data is shorter than 65 bytes
    /// has no seal; the hash then covers an empty extra data.
    public var sealHash: Hash32 {
        Keccak256.hash(encode(extraData: extraData.dropLast(65)))
    }

    private func encode(extraData: ArraySlice<UInt8>) -> [UInt8] {
        var writer = RLPWriter(reservingCapacity: 600)
        writer.appendList { list in
            list.append(bytes: parentHash.bytes)
            list.append(bytes: ommersHash.bytes)
            list.append(bytes: coinbase.bytes)
            list.append(bytes: stateRoot.bytes)
            list.append(bytes: transactionsRoot.bytes)
            list.append(bytes: receiptsRoot.bytes)
            list.append(bytes: logsBloom.bytes)
            list.append(uint256: difficulty)
            list.append(uint: number)
            list.append(uint: gasLimit)
            list.append(uint: gasUsed)
            list.append(uint: timestamp)
            list.append(bytes: extraData)
            list.append(bytes: mixHash.bytes)
            list.append(bytes: withUnsafeBytes(of: nonce.bigEndian) { Array($0) })
            if let baseFeePerGas { list.append(uint256: baseFeePerGas) }
        }
        return writer.finish()
    }

    /// Decodes a header strictly (15 or 16 fields, exact lengths, canonical integers, nothing after it).
    /// - Parameter encoded: the header's RLP.
    /// - Throws: `BlockError.malformedField` naming the field, or `.wrongFieldCount`.
    public init(encoded: [UInt8]) throws(BlockError) {
        var reader = RLPReader(encoded)
        self = try Header.read(from: &reader)
        do throws(RLPError) { try reader.expectEnd() } catch { throw .malformedField(structure: "header", field: "header", error) }
    }

    /// Reads one header's RLP list.
    static func read(from reader: inout RLPReader) throws(BlockError) -> Header {
        let structure = "header"
        var fields = try readField(structure, structure, { (reader) throws(RLPError) in try reader.enterList() }, from: &reader)
        if case .success(let count) = fields.countItems(), count != 15 && count != 16 {
            throw .wrongFieldCount(structure: structure, expected: "15 (before London) or 16", actual: count)
        }
        func hash(_ name: String) throws(BlockError) -> Hash32 {
            try readField(structure, name, { (reader) throws(RLPError) in try reader.readHash32() }, from: &fields)
        }
        func integer(_ name: String) throws(BlockError) -> UInt64 {
            try readField(structure, name, { (reader) throws(RLPError) in try reader.readUInt64() }, from: &fields)
        }
        let parentHash = try hash("parentHash")
        let ommersHash = try hash("ommersHash")
        let coinbase = Address(try readField(structure, "coinbase", { (reader) throws(RLPError) in try reader.readBytes(exactly: 20) }, from: &fields))
        let stateRoot = try hash("stateRoot")
        let transactionsRoot = try hash("transactionsRoot")
        let receiptsRoot = try hash("receiptsRoot")
        let bloom = try readField(structure, "logsBloom", { (reader) throws(RLPError) in try reader.readBytes(exactly: Bloom.byteCount) }, from: &fields)
        let difficulty = try readField(structure, "difficulty", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
        let number = try integer("number")
        let gasLimit = try integer("gasLimit")
        let gasUsed = try integer("gasUsed")
        let timestamp = try integer("timestamp")
        let extraData = try readField(structure, "extraData", { (reader) throws(RLPError) in try reader.readBytes() }, from: &fields)
        let mixHash = try hash("mixHash")
        let nonceBytes = try readField(structure, "nonce", { (reader) throws(RLPError) in try reader.readBytes(exactly: 8) }, from: &fields)
        var baseFee: UInt256? = nil
        if !fields.isAtEnd {
            baseFee = try readField(structure, "baseFeePerGas", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
        }
        // The count check above is skipped when a later item is malformed (so that the error names
        // the first bad field); anything after the last field is refused here.
        do throws(RLPError) { try fields.expectEnd() } catch { throw .malformedField(structure: structure, field: structure, error) }
        return Header(parentHash: parentHash, ommersHash: ommersHash, coinbase: coinbase, stateRoot: stateRoot,
                      transactionsRoot: transactionsRoot, receiptsRoot: receiptsRoot, logsBloom: Bloom(bytes: bloom),
                      difficulty: difficulty, number: number, gasLimit: gasLimit, gasUsed: gasUsed,
                      timestamp: timestamp, extraData: Array(extraData), mixHash: mixHash,
                      nonce: nonceBytes.reduce(0) { $0 << 8 | UInt64($1) }, baseFeePerGas: baseFee)
    }
}
