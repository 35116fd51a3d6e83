import Primitives
import EVM

// The encodings of a transaction (EIP-2718 envelope), explained once:
//
// | type | encoding                                                                                       |
// |------|------------------------------------------------------------------------------------------------|
// | 0    | rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])                                      |
// | 1    | 0x01 ‖ rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s])     |
// | 2    | 0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,       |
// |      |             accessList, yParity, r, s])                                                         |
//
// `to` is the empty string for a contract creation, otherwise exactly 20 bytes. `accessList` is
// [[address, [storageKey, …]], …] (EIP-2930). Integers are canonical RLP integers: nonce, gasLimit and
// chainId fit in 64 bits, the others in 256. A legacy v is 27/28, or chainId·2 + 35/36 (EIP-155).
//
// This form (the "raw transaction" of eth_sendRawTransaction) is what the transaction hash and the
// transactions trie use. Inside a block body a typed transaction is wrapped once more as an RLP byte
// string, so that the body stays a list of RLP items (EIP-2718); a legacy one is its list as is.
// An unsigned transaction encodes v, r and s as zero, as go-ethereum does.

extension Transaction {
    /// The names of the RLP fields of each type, in order.
    static func fieldNames(of type: TransactionType) -> [String] {
        switch type {
        case .legacy:
            return ["nonce", "gasPrice", "gasLimit", "to", "value", "data", "v", "r", "s"]
        case .accessList:
            return ["chainId", "nonce", "gasPrice", "gasLimit", "to", "value", "data", "accessList", "yParity", "r", "s"]
        case .dynamicFee:
            return ["chainId", "nonce", "maxPriorityFeePerGas", "maxFeePerGas", "gasLimit", "to", "value", "data",
                    "accessList", "yParity", "r", "s"]
        }
    }

    // MARK: Encoding

    /// The EIP-2718 encoding: `type ‖ rlp(fields)` for typed transactions, `rlp(fields)` for legacy
    /// ones. This is the raw transaction that eth_sendRawTransaction takes and `hash` hashes.
    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: data.count + 160)
        if type != .legacy { writer.append(encoded: [type.rawValue]) }
        writer.appendList { list in
            appendFields(to: &list, signature: signature ?? .zero, forSigning: false)
        }
        return writer.finish()
    }

    /// The transaction hash: keccak256 of `encoded`.
    public var hash: Hash32 { Keccak256.hash(encoded) }

    /// Appends the transaction as an item of a block body: a legacy transaction as its RLP list,
    /// a typed one as an RLP byte string holding its EIP-2718 encoding.
    /// - Parameter writer: the writer to append to.
    func appendAsBlockItem(to writer: inout RLPWriter) {
        if type == .legacy {
            writer.append(encoded: encoded)
        } else {
            writer.append(bytes: encoded)
        }
    }

    /// Writes the fields of the RLP list. For signing, a typed transaction omits its signature and a
    /// legacy one writes [chainId, 0, 0] in its place (EIP-155) or nothing (pre-EIP-155).
    func appendFields(to list: inout RLPWriter, signature: TransactionSignature, forSigning: Bool) {
        if type != .legacy { list.append(uint: chainId ?? 0) }
        list.append(uint: nonce)
        if type == .dynamicFee { list.append(uint256: maxPriorityFeePerGas) }
        list.append(uint256: maxFeePerGas)
        list.append(uint: gasLimit)
        list.append(bytes: to?.bytes ?? [])
        list.append(uint256: value)
        list.append(bytes: data)
        if type != .legacy {
            list.appendList { entries in
                for entry in accessList {
                    entries.appendList { tuple in
                        tuple.append(bytes: entry.address.bytes)
                        tuple.appendList { keys in
                            for key in entry.storageKeys { keys.append(bytes: key.bigEndianBytes) }
                        }
                    }
                }
            }
        }
        if forSigning {
            if type == .legacy, let chainId {
                list.append(uint: chainId)
                list.append(uint: 0)
                list.append(uint: 0)
            }
            return
        }
        if type == .legacy {
            list.append(uint256: self.signature == nil ? .zero : (v ?? .zero))
        } else {
            list.append(uint: UInt64(signature.yParity))
        }
        list.append(uint256: signature.r)
        list.append(uint256: signature.s)
    }

    // MARK: Decoding

    /// Decodes a raw transaction in its EIP-2718 encoding, strictly: canonical RLP only, the exact
    /// number of fields, 20-byte addresses, 32-byte storage keys, integers within their widths, and
    /// nothing after the transaction.
    ///
    /// The signature is not checked here; `recoverSender(chainId:)` does that.
    /// - Parameter encoded: the raw transaction.
    /// - Throws: `TransactionError.emptyInput`, `.invalidEnvelope`, `.unsupportedType` (types 3 and up,
    ///   blob transactions included), `.malformedField` naming the field, `.wrongFieldCount`,
    ///   `.invalidAddressLength`, `.invalidStorageKeyLength`, `.invalidV` or `.invalidYParity`.
    public init(encoded: [UInt8]) throws(TransactionError) {
        self = try Transaction.decode(encoded[...])
    }

    /// Decodes the EIP-2718 form from a slice.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(TransactionError) -> Transaction {
        guard let first = bytes.first else { throw .emptyInput }
        switch first {
        case 0xc0...:
            return try decodeFields(bytes, type: .legacy)
        case 0x80 ..< 0xc0:
            throw .invalidEnvelope(firstByte: first)
        default:
            guard let type = TransactionType(rawValue: first), type != .legacy else { throw .unsupportedType(first) }
            return try decodeFields(bytes.dropFirst(), type: type)
        }
    }

    /// Decodes one item of a block body: a legacy transaction's list, or a byte string holding a
    /// typed transaction (EIP-2718).
    static func decode(blockItem item: ArraySlice<UInt8>) throws(TransactionError) -> Transaction {
        var reader = RLPReader(item)
        let isList: Bool
        do throws(RLPError) { isList = try reader.nextItemIsList() } catch { throw .malformedField(field: "transaction", error) }
        if isList { return try decodeFields(item, type: .legacy) }
        let payload: ArraySlice<UInt8>
        do throws(RLPError) { payload = try reader.readBytes() } catch { throw .malformedField(field: "transaction", error) }
        guard let first = payload.first else { throw .emptyInput }
        // Inside a block a legacy transaction is never wrapped in a string.
        guard first < 0x80 else { throw .invalidEnvelope(firstByte: first) }
        return try decode(payload)
    }

    /// Decodes the RLP list of fields of a transaction of a known type.
    private static func decodeFields(_ bytes: ArraySlice<UInt8>, type: TransactionType) throws(TransactionError) -> Transaction {
        let names = fieldNames(of: type)
        var outer = RLPReader(bytes)
        var fields: RLPReader
        do throws(RLPError) {
            fields = try outer.enterList()
            try outer.expectEnd()
        } catch {
            throw .malformedField(field: "transaction", error)
        }
        switch fields.countItems() {
        case .failure(let failure):
            throw .malformedField(field: failure.index < names.count ? names[failure.index] : "field \(failure.index)",
                                  failure.error)
        case .success(let count):
            guard count == names.count else { throw .wrongFieldCount(type: type, expected: names.count, actual: count) }
        }

        var chainId: UInt64? = nil
        if type != .legacy {
            chainId = try read("chainId", { (reader) throws(RLPError) in try reader.readUInt64() }, from: &fields)
        }
        let nonce = try read("nonce", { (reader) throws(RLPError) in try reader.readUInt64() }, from: &fields)
        let maxPriorityFeePerGas: UInt256
        let maxFeePerGas: UInt256
        if type == .dynamicFee {
            maxPriorityFeePerGas = try read("maxPriorityFeePerGas", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            maxFeePerGas = try read("maxFeePerGas", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
        } else {
            maxFeePerGas = try read("gasPrice", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            maxPriorityFeePerGas = maxFeePerGas
        }
        let gasLimit = try read("gasLimit", { (reader) throws(RLPError) in try reader.readUInt64() }, from: &fields)
        let recipient = try read("to", { (reader) throws(RLPError) in try reader.readBytes() }, from: &fields)
        let to: Address?
        switch recipient.count {
        case 0: to = nil
        case 20: to = Address(recipient)
        default: throw .invalidAddressLength(field: "to", length: recipient.count)
        }
        let value = try read("value", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
        let data = Array(try read("data", { (reader) throws(RLPError) in try reader.readBytes() }, from: &fields))
        var accessList: [AccessListEntry] = []
        if type != .legacy { accessList = try decodeAccessList(from: &fields) }

        let signature: TransactionSignature
        if type == .legacy {
            let v = try read("v", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            let r = try read("r", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            let s = try read("s", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            let (parity, legacyChainId) = try legacyParityAndChainId(v: v)
            chainId = legacyChainId
            signature = TransactionSignature(yParity: parity, r: r, s: s)
        } else {
            let parity = try read("yParity", { (reader) throws(RLPError) in try reader.readUInt64() }, from: &fields)
            guard parity <= 1 else { throw .invalidYParity(parity) }
            let r = try read("r", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            let s = try read("s", { (reader) throws(RLPError) in try reader.readUInt256() }, from: &fields)
            signature = TransactionSignature(yParity: UInt8(parity), r: r, s: s)
        }
        return Transaction(type: type, chainId: chainId, nonce: nonce, maxPriorityFeePerGas: maxPriorityFeePerGas,
                           maxFeePerGas: maxFeePerGas, gasLimit: gasLimit, to: to, value: value, data: data,
                           accessList: accessList, signature: signature)
    }

    /// Splits a legacy v into the y-parity and the EIP-155 chain id (nil for v = 27/28).
    private static func legacyParityAndChainId(v: UInt256) throws(TransactionError) -> (UInt8, UInt64?) {
        if v == 27 || v == 28 { return (UInt8(v.low64 - 27), nil) }
        guard v >= 35 else { throw .invalidV(v) }
        let offset = v &- 35
        let chainId = offset >> 1
        guard let chainId64 = chainId.uint64IfFits else { throw .invalidV(v) }
        return (UInt8(offset.low64 & 1), chainId64)
    }

    /// Decodes [[address, [key, …]], …].
    private static func decodeAccessList(from fields: inout RLPReader) throws(TransactionError) -> [AccessListEntry] {
        var list = try read("accessList", { (reader) throws(RLPError) in try reader.enterList() }, from: &fields)
        var entries: [AccessListEntry] = []
        while !list.isAtEnd {
            var tuple = try read("accessList entry", { (reader) throws(RLPError) in try reader.enterList() }, from: &list)
            let address = try read("accessList address", { (reader) throws(RLPError) in try reader.readBytes() }, from: &tuple)
            guard address.count == 20 else { throw .invalidAddressLength(field: "accessList address", length: address.count) }
            var keys = try read("accessList storageKeys", { (reader) throws(RLPError) in try reader.enterList() }, from: &tuple)
            var storageKeys: [UInt256] = []
            while !keys.isAtEnd {
                let key = try read("accessList storage key", { (reader) throws(RLPError) in try reader.readBytes() }, from: &keys)
                guard key.count == 32 else { throw .invalidStorageKeyLength(length: key.count) }
                storageKeys.append(UInt256(bigEndianBytes: key))
            }
            do throws(RLPError) { try tuple.expectEnd() } catch { throw .malformedField(field: "accessList entry", error) }
            entries.append(AccessListEntry(address: Address(address), storageKeys: storageKeys))
        }
        return entries
    }

    /// Runs one read, labelling any RLP error with the field's name.
    private static func read<T>(_ field: String, _ body: (inout RLPReader) throws(RLPError) -> T,
                                from reader: inout RLPReader) throws(TransactionError) -> T {
        do throws(RLPError) {
            return try body(&reader)
        } catch {
            throw .malformedField(field: field, error)
        }
    }
}

extension TransactionSignature {
    /// The all-zero signature an unsigned transaction is encoded with.
    static let zero = TransactionSignature(yParity: 0, r: .zero, s: .zero)
}
