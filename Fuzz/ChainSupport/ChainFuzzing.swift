import ChainTypes
import EVM
import FuzzSupport
import Primitives
import Signatures
import State

/// Chain values built from fuzz input, for the round trips decode(encode(x)) == x of the transaction
/// and block targets, and the sample values their seeds are encoded from.
public enum ChainFuzzing {
    /// A fixed, public test key (keccak256 of a label), so seeds are reproducible.
    public static let key: PrivateKey = {
        do {
            return try PrivateKey(bytes: Keccak256.hash(Array("GoldenGrain fuzz seed key".utf8)).bytes)
        } catch {
            fatalError("the fuzz seed key is not a valid secp256k1 key: \(error)")
        }
    }()

    /// A 256-bit integer from 0–32 input bytes (the count from the next byte).
    public static func uint256(from reader: inout FuzzReader) -> UInt256 {
        UInt256(bigEndianBytes: reader.bytes(Int(reader.byte()) % 33))
    }

    /// A 64-bit integer from 0–8 input bytes.
    public static func uint64(from reader: inout FuzzReader) -> UInt64 {
        reader.uint64(byteCount: Int(reader.byte()) % 9)
    }

    /// An address from 20 input bytes (zero-padded at the end of the input).
    public static func address(from reader: inout FuzzReader) -> Address {
        let bytes = reader.bytes(20)
        return Address(bytes + [UInt8](repeating: 0, count: 20 - bytes.count))
    }

    /// A hash from 32 input bytes (zero-padded at the end of the input).
    public static func hash(from reader: inout FuzzReader) -> Hash32 {
        let bytes = reader.bytes(32)
        return Hash32(bytes + [UInt8](repeating: 0, count: 32 - bytes.count))
    }

    /// A signed transaction of any of the three types. Legacy transactions always carry a signature
    /// (an unsigned one encodes v = 0, which no decoder accepts); typed ones carry either a
    /// signature by `key` or arbitrary r, s and y-parity.
    public static func transaction(from reader: inout FuzzReader) -> Transaction {
        let selector = reader.byte()
        let chainId = uint64(from: &reader)
        let nonce = uint64(from: &reader)
        let price = uint256(from: &reader)
        let tip = uint256(from: &reader)
        let gasLimit = uint64(from: &reader)
        let to: Address? = reader.byte() & 1 == 0 ? address(from: &reader) : nil
        let value = uint256(from: &reader)
        let data = reader.chunk()
        var accessList: [AccessListEntry] = []
        for _ in 0 ..< Int(reader.byte() % 4) {
            let entryAddress = address(from: &reader)
            let keys = (0 ..< Int(reader.byte() % 4)).map { _ in UInt256(hash(from: &reader)) }
            accessList.append(AccessListEntry(address: entryAddress, storageKeys: keys))
        }
        let unsigned: Transaction
        switch selector % 3 {
        case 0:
            unsigned = .legacy(chainId: selector & 0x80 == 0 ? chainId : nil, nonce: nonce, gasPrice: price,
                               gasLimit: gasLimit, to: to, value: value, data: data)
        case 1:
            unsigned = .accessList(chainId: chainId, nonce: nonce, gasPrice: price, gasLimit: gasLimit, to: to,
                                   value: value, data: data, accessList: accessList)
        default:
            unsigned = .dynamicFee(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: price,
                                   gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList)
        }
        if selector & 0x40 != 0 { return unsigned.signed(with: key) }
        return unsigned.withSignature(TransactionSignature(yParity: reader.byte() & 1, r: uint256(from: &reader),
                                                           s: uint256(from: &reader)))
    }

    /// A header, with or without a base fee.
    public static func header(from reader: inout FuzzReader) -> Header {
        let hasBaseFee = reader.byte() & 1 == 0
        return Header(parentHash: hash(from: &reader), ommersHash: hash(from: &reader), coinbase: address(from: &reader),
                      stateRoot: hash(from: &reader), transactionsRoot: hash(from: &reader),
                      receiptsRoot: hash(from: &reader), logsBloom: Bloom(bytes: bloomBytes(from: &reader)),
                      difficulty: uint256(from: &reader), number: uint64(from: &reader), gasLimit: uint64(from: &reader),
                      gasUsed: uint64(from: &reader), timestamp: uint64(from: &reader), extraData: reader.chunk(),
                      mixHash: hash(from: &reader), nonce: reader.uint64(), baseFeePerGas: hasBaseFee ? uint256(from: &reader) : nil)
    }

    /// 256 bloom bytes: a few set bits chosen by the input.
    static func bloomBytes(from reader: inout FuzzReader) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Bloom.byteCount)
        for _ in 0 ..< Int(reader.byte() % 8) { bytes[Int(reader.byte())] |= reader.byte() }
        return bytes
    }

    /// A receipt with a few logs.
    public static func receipt(from reader: inout FuzzReader) -> Receipt {
        let type = TransactionType.allCases[Int(reader.byte()) % TransactionType.allCases.count]
        let status: Receipt.Status = reader.byte() & 1 == 0 ? .success : .failure
        let gas = uint64(from: &reader)
        let logs = (0 ..< Int(reader.byte() % 4)).map { _ in
            Log(address: address(from: &reader), topics: (0 ..< Int(reader.byte() % 5)).map { _ in hash(from: &reader) },
                data: reader.chunk())
        }
        return Receipt(type: type, status: status, cumulativeGasUsed: gas, logs: logs)
    }

    /// Sample signed transactions of every type: transfers, a creation, call data, access lists,
    /// pre-EIP-155 and EIP-155 legacy, and the dev chain's id.
    public static func sampleTransactions() -> [(name: String, transaction: Transaction)] {
        let recipient = Address(high: 0x1234_5678_9abc_def0, middle: 0x0fed_cba9_8765_4321, low: 0xdead_beef)
        let entry = AccessListEntry(address: recipient, storageKeys: [1, UInt256(words: 0, 0, 0, 1 << 63)])
        return [
            ("legacy-pre155", Transaction.legacy(chainId: nil, nonce: 0, gasPrice: 1_000_000_000, gasLimit: 21_000,
                                                 to: recipient, value: 1).signed(with: key)),
            ("legacy-eip155", Transaction.legacy(chainId: 31_337, nonce: 7, gasPrice: 20_000_000_000, gasLimit: 90_000,
                                                 to: recipient, value: 1_000_000_000_000_000_000,
                                                 data: [0xa9, 0x05, 0x9c, 0xbb] + [UInt8](repeating: 0x11, count: 64)).signed(with: key)),
            ("legacy-create", Transaction.legacy(chainId: 1, nonce: 1, gasPrice: 1, gasLimit: 100_000, to: nil, value: 0,
                                                 data: [0x60, 0x00, 0x60, 0x00, 0xf3]).signed(with: key)),
            ("access-list", Transaction.accessList(chainId: 31_337, nonce: 3, gasPrice: 7, gasLimit: 50_000, to: recipient,
                                                   value: 0, data: [1, 2, 3], accessList: [entry]).signed(with: key)),
            ("dynamic-fee", Transaction.dynamicFee(chainId: 31_337, nonce: 9, maxPriorityFeePerGas: 1_000_000_000,
                                                   maxFeePerGas: 30_000_000_000, gasLimit: 21_000, to: recipient,
                                                   value: 5).signed(with: key)),
            ("dynamic-fee-create", Transaction.dynamicFee(chainId: 1, nonce: 0, maxPriorityFeePerGas: 0, maxFeePerGas: .max,
                                                          gasLimit: .max, to: nil, value: .max, data: [UInt8](repeating: 0xfe, count: 300),
                                                          accessList: [entry, AccessListEntry(address: recipient, storageKeys: [])])
                .signed(with: key)),
        ]
    }

    /// A sample header with a Clique extra data (vanity, one signer, seal) and a base fee.
    public static func sampleHeader(number: UInt64, baseFee: UInt256?) -> Header {
        let extra = CliqueExtraData(signers: [key.address], seal: [UInt8](repeating: 0x5a, count: 65)).bytes
        return Header(parentHash: Keccak256.hash([1]), coinbase: Address(high: 0, middle: 0, low: 0),
                      stateRoot: Keccak256.hash([2]), transactionsRoot: Keccak256.hash([3]), receiptsRoot: Keccak256.hash([4]),
                      logsBloom: Bloom(), difficulty: 2, number: number, gasLimit: 30_000_000, gasUsed: 21_000,
                      timestamp: 1_767_225_600, extraData: extra, mixHash: .zero, nonce: 0, baseFeePerGas: baseFee)
    }
}
