import Chain
import ChainTypes
import EVM
import JSONRPC
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
    /// A transaction object; `blockHash`, `blockNumber`, `blockTimestamp` (geth since v1.17.0, #33709;
    /// required by the execution-apis `TransactionInfo`) and `transactionIndex` are null while
    /// pending, and a mined dynamic-fee transaction's `gasPrice` is the price it paid.
    /// - Parameter record: the transaction with its sender and place.
    /// - Returns: the JSON object.
    public static func transaction(_ record: TransactionRecord) -> JSON {
        let transaction = record.transaction
        var members: [(String, JSON)] = []
        members.append(("blockHash", record.blockHash.map { Quantity.json($0) } ?? .null))
        members.append(("blockNumber", record.blockNumber.map { Quantity.json($0) } ?? .null))
        members.append(("blockTimestamp", record.blockTimestamp.map { Quantity.json($0) } ?? .null))
        members.append(("from", Quantity.json(record.sender)))
        members.append(("gas", Quantity.json(transaction.gasLimit)))
        members.append(("gasPrice", Quantity.json(record.effectiveGasPrice)))
        if transaction.type == .dynamicFee {
            members.append(("maxFeePerGas", Quantity.json(transaction.maxFeePerGas)))
            members.append(("maxPriorityFeePerGas", Quantity.json(transaction.maxPriorityFeePerGas)))
        }
        members.append(("hash", Quantity.json(record.hash)))
        members.append(("input", Quantity.data(transaction.data)))
        members.append(("nonce", Quantity.json(transaction.nonce)))
        members.append(("to", transaction.to.map { Quantity.json($0) } ?? .null))
        members.append(("transactionIndex", record.index.map { Quantity.json(UInt64($0)) } ?? .null))
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

    /// A log object, in geth's `types.Log` field order.
    /// - Parameter record: the log with its position.
    /// - Returns: the JSON object.
    public static func log(_ record: LogRecord) -> JSON {
        .object([
            ("address", Quantity.json(record.log.address)),
            ("topics", .array(record.log.topics.map { Quantity.json($0) })),
            ("data", Quantity.data(record.log.data)),
            ("blockNumber", Quantity.json(record.blockNumber)),
            ("transactionHash", Quantity.json(record.transactionHash)),
            ("transactionIndex", Quantity.json(UInt64(record.transactionIndex))),
            ("blockHash", Quantity.json(record.blockHash)),
            ("logIndex", Quantity.json(UInt64(record.logIndex))),
            ("removed", .bool(record.isRemoved)),
        ])
    }

    /// A receipt object, keys sorted as geth's map-based `MarshalReceipt` writes them.
    /// - Parameter record: the receipt with its derived fields.
    /// - Returns: the JSON object.
    public static func receipt(_ record: ReceiptRecord) -> JSON {
        .object([
            ("blockHash", Quantity.json(record.blockHash)),
            ("blockNumber", Quantity.json(record.blockNumber)),
            ("contractAddress", record.contractAddress.map { Quantity.json($0) } ?? .null),
            ("cumulativeGasUsed", Quantity.json(record.receipt.cumulativeGasUsed)),
            ("effectiveGasPrice", Quantity.json(record.effectiveGasPrice)),
            ("from", Quantity.json(record.from)),
            ("gasUsed", Quantity.json(record.gasUsed)),
            ("logs", .array(record.logs.map(log))),
            ("logsBloom", Quantity.data(record.receipt.logsBloom.bytes)),
            ("status", Quantity.json(UInt64(record.receipt.status.rawValue))),
            ("to", record.to.map { Quantity.json($0) } ?? .null),
            ("transactionHash", Quantity.json(record.transactionHash)),
            ("transactionIndex", Quantity.json(UInt64(record.transactionIndex))),
            ("type", Quantity.json(UInt64(record.receipt.type.rawValue))),
        ])
    }

    /// A block object, keys sorted as geth's map-based `RPCMarshalBlock` writes them.
    /// - Parameters:
    ///   - record: the block with its hash, senders, total difficulty and size.
    ///   - fullTransactions: full transaction objects (true) or hashes (false).
    ///   - extraDataLimit: the most `extraData` bytes to show, or nil for all.
    /// - Returns: the JSON object.
    public static func block(_ record: BlockRecord, fullTransactions: Bool, extraDataLimit: Int? = nil) -> JSON {
        let header = record.header
        let transactions: [JSON] = fullTransactions
            ? record.transactionRecords.map(transaction) : record.transactionHashes.map { Quantity.json($0) }
        var members: [(String, JSON)] = []
        if let baseFee = header.baseFeePerGas { members.append(("baseFeePerGas", Quantity.json(baseFee))) }
        members += [
            ("difficulty", Quantity.json(header.difficulty)),
            ("extraData", Quantity.data(header.extraData.prefix(extraDataLimit ?? Int.max))),
            ("gasLimit", Quantity.json(header.gasLimit)),
            ("gasUsed", Quantity.json(header.gasUsed)),
            ("hash", Quantity.json(record.hash)),
            ("logsBloom", Quantity.data(header.logsBloom.bytes)),
            ("miner", Quantity.json(header.coinbase)),
            ("mixHash", Quantity.json(header.mixHash)),
            ("nonce", Quantity.data(nonceBytes(header.nonce))),
            ("number", Quantity.json(header.number)),
            ("parentHash", Quantity.json(header.parentHash)),
            ("receiptsRoot", Quantity.json(header.receiptsRoot)),
            ("sha3Uncles", Quantity.json(header.ommersHash)),
            ("size", Quantity.json(UInt64(record.size))),
            ("stateRoot", Quantity.json(header.stateRoot)),
            ("timestamp", Quantity.json(header.timestamp)),
            ("totalDifficulty", Quantity.json(record.totalDifficulty)),
            ("transactions", .array(transactions)),
            ("transactionsRoot", Quantity.json(header.transactionsRoot)),
            ("uncles", .array([])),
        ]
        return .object(members)
    }

    /// A fee history object (`{oldestBlock, reward?, baseFeePerGas, gasUsedRatio}`).
    /// - Parameters:
    ///   - history: the node's fee history.
    ///   - includesRewards: whether percentiles were asked for.
    /// - Returns: the JSON object.
    public static func feeHistory(_ history: FeeHistory, includesRewards: Bool) -> JSON {
        var members: [(String, JSON)] = [("oldestBlock", Quantity.json(history.oldestBlock))]
        if includesRewards { members.append(("reward", .array(history.reward.map { .array($0.map { Quantity.json($0) }) }))) }
        members.append(("baseFeePerGas", .array(history.baseFeePerGas.map { Quantity.json($0) })))
        members.append(("gasUsedRatio", .array(history.gasUsedRatio.map(float))))
        return .object(members)
    }

    /// A header object, geth's `RPCMarshalHeader` fields, sorted: for `eth_subscribe("newHeads")`
    /// as it is, and with the total difficulty for `eth_getHeaderByNumber`/`ByHash` (geth's
    /// `rpcMarshalHeader` adds it, as its blocks carry it), so that a header is its block object
    /// without `size`, `transactions` and `uncles`.
    /// - Parameters:
    ///   - header: the header.
    ///   - hash: its hash.
    ///   - totalDifficulty: the total difficulty up to this block, or nil to leave it out.
    ///   - extraDataLimit: the most `extraData` bytes to show, or nil for all.
    /// - Returns: the JSON object.
    public static func header(_ header: Header, hash: Hash32, totalDifficulty: UInt256? = nil, extraDataLimit: Int? = nil) -> JSON {
        var members: [(String, JSON)] = []
        if let baseFee = header.baseFeePerGas { members.append(("baseFeePerGas", Quantity.json(baseFee))) }
        members += [
            ("difficulty", Quantity.json(header.difficulty)),
            ("extraData", Quantity.data(header.extraData.prefix(extraDataLimit ?? Int.max))),
            ("gasLimit", Quantity.json(header.gasLimit)),
            ("gasUsed", Quantity.json(header.gasUsed)),
            ("hash", Quantity.json(hash)),
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
        ]
        if let totalDifficulty { members.append(("totalDifficulty", Quantity.json(totalDifficulty))) }
        members.append(("transactionsRoot", Quantity.json(header.transactionsRoot)))
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
