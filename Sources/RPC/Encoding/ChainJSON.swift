import Chain
import EVM
import Primitives
import State

/// JSON for transactions, receipts, logs and blocks, field for field as go-ethereum returns them
/// (`internal/ethapi` `RPCTransaction`, `MarshalReceipt`, `RPCMarshalBlock`; `core/types.Log`).
///
/// Struct-backed objects (transactions, logs) keep geth's struct order; map-backed ones (blocks,
/// receipts) come out with their keys sorted, as Go's encoder writes maps. Omitted-when-empty
/// fields follow geth: legacy transactions have no `accessList`, `yParity`, `maxFeePerGas` or
/// `maxPriorityFeePerGas`; `chainId` is present unless a legacy transaction is unprotected.
public enum ChainJSON {
    /// Where a transaction sits, for `blockHash`/`blockNumber`/`transactionIndex` (nil: pending).
    public struct Inclusion: Sendable {
        /// The block's hash.
        public var blockHash: Hash32
        /// The block's number.
        public var blockNumber: UInt64
        /// The block's base fee, for the effective gas price of dynamic-fee transactions.
        public var baseFee: UInt256?
        /// The transaction's index in the block.
        public var index: Int

        /// Creates an inclusion.
        /// - Parameters:
        ///   - blockHash: the block hash.
        ///   - blockNumber: the block number.
        ///   - baseFee: the block's base fee.
        ///   - index: the index in the block.
        public init(blockHash: Hash32, blockNumber: UInt64, baseFee: UInt256?, index: Int) {
            self.blockHash = blockHash; self.blockNumber = blockNumber; self.baseFee = baseFee; self.index = index
        }
    }

    /// A transaction object.
    /// - Parameters:
    ///   - transaction: the transaction.
    ///   - sender: its sender.
    ///   - inclusion: where it was mined, or nil for a pending one.
    /// - Returns: the JSON object.
    public static func transaction(_ transaction: Transaction, sender: Address, inclusion: Inclusion?) -> JSON {
        var members: [(String, JSON)] = []
        members.append(("blockHash", inclusion.map { Quantity.json($0.blockHash) } ?? .null))
        members.append(("blockNumber", inclusion.map { Quantity.json($0.blockNumber) } ?? .null))
        members.append(("from", Quantity.json(sender)))
        members.append(("gas", Quantity.json(transaction.gasLimit)))
        var gasPrice = transaction.maxFeePerGas
        if transaction.type == .dynamicFee, let baseFee = inclusion?.baseFee {
            gasPrice = transaction.effectiveGasPrice(baseFee: baseFee)
        }
        members.append(("gasPrice", Quantity.json(gasPrice)))
        if transaction.type == .dynamicFee {
            members.append(("maxFeePerGas", Quantity.json(transaction.maxFeePerGas)))
            members.append(("maxPriorityFeePerGas", Quantity.json(transaction.maxPriorityFeePerGas)))
        }
        members.append(("hash", Quantity.json(transaction.hash)))
        members.append(("input", Quantity.data(transaction.data)))
        members.append(("nonce", Quantity.json(transaction.nonce)))
        members.append(("to", transaction.to.map { Quantity.json($0) } ?? .null))
        members.append(("transactionIndex", inclusion.map { Quantity.json(UInt64($0.index)) } ?? .null))
        members.append(("value", Quantity.json(transaction.value)))
        members.append(("type", Quantity.json(UInt64(transaction.type.rawValue))))
        if transaction.type != .legacy {
            members.append(("accessList", accessList(transaction.accessList)))
        }
        if let chainId = transaction.chainId {
            members.append(("chainId", Quantity.json(chainId)))
        }
        let signature = transaction.signature ?? TransactionSignature(yParity: 0, r: .zero, s: .zero)
        members.append(("v", Quantity.json(transaction.v ?? .zero)))
        members.append(("r", Quantity.json(signature.r)))
        members.append(("s", Quantity.json(signature.s)))
        if transaction.type != .legacy {
            members.append(("yParity", Quantity.json(UInt64(signature.yParity))))
        }
        return .object(members)
    }

    /// An EIP-2930 access list: `[{"address":…,"storageKeys":[…]}]`.
    /// - Parameter entries: the entries.
    /// - Returns: the JSON array.
    public static func accessList(_ entries: [AccessListEntry]) -> JSON {
        .array(entries.map { entry in
            .object([("address", Quantity.json(entry.address)),
                     ("storageKeys", .array(entry.storageKeys.map { Quantity.json($0.hash32) }))])
        })
    }

    /// A log object.
    /// - Parameters:
    ///   - log: the log.
    ///   - blockHash: the block's hash.
    ///   - blockNumber: the block's number.
    ///   - transactionHash: the emitting transaction's hash.
    ///   - transactionIndex: its index in the block.
    ///   - logIndex: the log's index in the block.
    /// - Returns: the JSON object.
    public static func log(_ log: Log, blockHash: Hash32, blockNumber: UInt64, transactionHash: Hash32,
                           transactionIndex: Int, logIndex: Int) -> JSON {
        .object([
            ("address", Quantity.json(log.address)),
            ("topics", .array(log.topics.map { Quantity.json($0) })),
            ("data", Quantity.data(log.data)),
            ("blockNumber", Quantity.json(blockNumber)),
            ("transactionHash", Quantity.json(transactionHash)),
            ("transactionIndex", Quantity.json(UInt64(transactionIndex))),
            ("blockHash", Quantity.json(blockHash)),
            ("logIndex", Quantity.json(UInt64(logIndex))),
            ("removed", .bool(false)),
        ])
    }

    /// A receipt object.
    /// - Parameters:
    ///   - receipt: the receipt.
    ///   - transaction: its transaction.
    ///   - sender: the transaction's sender.
    ///   - inclusion: where it was mined.
    ///   - previousCumulativeGasUsed: the cumulative gas of the transaction before it (0 for the first).
    ///   - firstLogIndex: the block-wide index of its first log.
    /// - Returns: the JSON object.
    public static func receipt(_ receipt: Receipt, transaction: Transaction, sender: Address, inclusion: Inclusion,
                               previousCumulativeGasUsed: UInt64, firstLogIndex: Int) -> JSON {
        let hash = transaction.hash
        let contractAddress: JSON = transaction.to == nil
            ? Quantity.json(ContractAddress.create(sender: sender, nonce: transaction.nonce)) : .null
        let logs = receipt.logs.enumerated().map { offset, entry in
            log(entry, blockHash: inclusion.blockHash, blockNumber: inclusion.blockNumber, transactionHash: hash,
                transactionIndex: inclusion.index, logIndex: firstLogIndex + offset)
        }
        return .object([
            ("blockHash", Quantity.json(inclusion.blockHash)),
            ("blockNumber", Quantity.json(inclusion.blockNumber)),
            ("contractAddress", contractAddress),
            ("cumulativeGasUsed", Quantity.json(receipt.cumulativeGasUsed)),
            ("effectiveGasPrice", Quantity.json(transaction.effectiveGasPrice(baseFee: inclusion.baseFee ?? .zero))),
            ("from", Quantity.json(sender)),
            ("gasUsed", Quantity.json(receipt.cumulativeGasUsed - previousCumulativeGasUsed)),
            ("logs", .array(logs)),
            ("logsBloom", Quantity.data(receipt.logsBloom.bytes)),
            ("status", Quantity.json(UInt64(receipt.status.rawValue))),
            ("to", transaction.to.map { Quantity.json($0) } ?? .null),
            ("transactionHash", Quantity.json(hash)),
            ("transactionIndex", Quantity.json(UInt64(inclusion.index))),
            ("type", Quantity.json(UInt64(transaction.type.rawValue))),
        ])
    }

    /// A block object.
    /// - Parameters:
    ///   - block: the block.
    ///   - totalDifficulty: the sum of difficulties up to and including it.
    ///   - transactions: the transactions as hashes or full objects, already encoded.
    /// - Returns: the JSON object, keys sorted as geth writes them.
    public static func block(_ block: Block, totalDifficulty: UInt256, transactions: [JSON]) -> JSON {
        let header = block.header
        var members: [(String, JSON)] = []
        if let baseFee = header.baseFeePerGas { members.append(("baseFeePerGas", Quantity.json(baseFee))) }
        members += [
            ("difficulty", Quantity.json(header.difficulty)),
            ("extraData", Quantity.data(header.extraData)),
            ("gasLimit", Quantity.json(header.gasLimit)),
            ("gasUsed", Quantity.json(header.gasUsed)),
            ("hash", Quantity.json(block.hash)),
            ("logsBloom", Quantity.data(header.logsBloom.bytes)),
            ("miner", Quantity.json(header.coinbase)),
            ("mixHash", Quantity.json(header.mixHash)),
            ("nonce", Quantity.data(nonceBytes(header.nonce))),
            ("number", Quantity.json(header.number)),
            ("parentHash", Quantity.json(header.parentHash)),
            ("receiptsRoot", Quantity.json(header.receiptsRoot)),
            ("sha3Uncles", Quantity.json(header.ommersHash)),
            ("size", Quantity.json(UInt64(block.encoded.count))),
            ("stateRoot", Quantity.json(header.stateRoot)),
            ("timestamp", Quantity.json(header.timestamp)),
            ("totalDifficulty", Quantity.json(totalDifficulty)),
            ("transactions", .array(transactions)),
            ("transactionsRoot", Quantity.json(header.transactionsRoot)),
            ("uncles", .array([])),
        ]
        return .object(members)
    }

    /// A header object for `eth_subscribe("newHeads")`, geth's `RPCMarshalHeader` fields, sorted.
    /// - Parameter header: the header.
    /// - Returns: the JSON object.
    public static func header(_ header: Header) -> JSON {
        var members: [(String, JSON)] = []
        if let baseFee = header.baseFeePerGas { members.append(("baseFeePerGas", Quantity.json(baseFee))) }
        members += [
            ("difficulty", Quantity.json(header.difficulty)),
            ("extraData", Quantity.data(header.extraData)),
            ("gasLimit", Quantity.json(header.gasLimit)),
            ("gasUsed", Quantity.json(header.gasUsed)),
            ("hash", Quantity.json(header.hash)),
            ("logsBloom", Quantity.data(header.logsBloom.bytes)),
            ("miner", Quantity.json(header.coinbase)),
            ("mixHash", Quantity.json(header.mixHash)),
            ("nonce", Quantity.data(nonceBytes(header.nonce))),
            ("number", Quantity.json(header.number)),
            ("parentHash", Quantity.json(header.parentHash)),
            ("receiptsRoot", Quantity.json(header.receiptsRoot)),
            ("sha3Uncles", Quantity.json(header.ommersHash)),
            ("stateRoot", Quantity.json(header.stateRoot)),
            ("timestamp", Quantity.json(header.timestamp)),
            ("transactionsRoot", Quantity.json(header.transactionsRoot)),
        ]
        return .object(members)
    }

    static func nonceBytes(_ nonce: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: nonce >> (56 - 8 * $0)) }
    }

    /// A float as Go's encoding/json writes it: shortest round-trip digits, fixed notation
    /// (exponent notation only below 1e-6 or from 1e21), "0" for zero.
    /// - Parameter value: the float.
    /// - Returns: the JSON number.
    public static func float(_ value: Double) -> JSON {
        if value == 0 { return .number("0") }
        let magnitude = abs(value)
        var text = "\(value)"
        if magnitude >= 1e-6 && magnitude < 1e21 {
            if let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                let exponent = Int(text[text.index(after: exponentIndex)...]) ?? 0
                var mantissa = String(text[..<exponentIndex])
                let negative = mantissa.hasPrefix("-")
                if negative { mantissa.removeFirst() }
                let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
                let integerDigits = String(parts[0])
                let fractionDigits = parts.count > 1 ? String(parts[1]) : ""
                var digits = integerDigits + fractionDigits
                var pointPosition = integerDigits.count + exponent
                if pointPosition <= 0 {
                    digits = String(repeating: "0", count: -pointPosition + 1) + digits
                    pointPosition = 1
                }
                if digits.count < pointPosition { digits += String(repeating: "0", count: pointPosition - digits.count) }
                let whole = digits.prefix(pointPosition)
                var fraction = String(digits.dropFirst(pointPosition))
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text = (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
            } else if text.hasSuffix(".0") {
                text.removeLast(2)
            }
        } else if text.hasSuffix("e-0\(text.last!)"), text.count >= 4 {
            // Go's encoder cleans "e-07" up to "e-7".
            let last = text.removeLast()
            text.removeLast()
            text.append(last)
        }
        return .number(text)
    }
}
