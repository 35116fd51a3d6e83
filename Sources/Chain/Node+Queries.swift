import ChainTypes
import EVM
import Execution
import Primitives
import State

// Reads: blocks, transactions, receipts, account state at a block, logs (eth_get*).

extension Node {
    /// The block a tag names, with its transactions (eth_getBlockByNumber / eth_getBlockByHash).
    /// - Parameter tag: the block; `pending` returns the head.
    /// - Returns: the block, or nil if no such block is stored.
    /// - Throws: `NodeError.chain` if the stored records are corrupt.
    public func block(_ tag: BlockTag) throws(NodeError) -> BlockRecord? {
        try locked { () throws(NodeError) -> BlockRecord? in
            guard let (_, hash) = resolveHeader(tag) else { return nil }
            do throws(ChainError) { return try chain.block(hash: hash) } catch { throw .chain(error) }
        }
    }

    /// A transaction by hash, mined (with its position) or pending (eth_getTransactionByHash).
    /// - Parameter hash: the transaction hash.
    /// - Returns: the record, or nil if unknown.
    /// - Throws: `NodeError.chain` if the stored records are corrupt.
    public func transaction(hash: Hash32) throws(NodeError) -> TransactionRecord? {
        try locked { () throws(NodeError) -> TransactionRecord? in
            if let location = chain.transactionLocation(hash) {
                let record: BlockRecord?
                do throws(ChainError) { record = try chain.block(hash: location.blockHash) } catch { throw .chain(error) }
                guard let record, location.index < record.block.transactions.count else { return nil }
                return record.transactionRecords[location.index]
            }
            if let pooled = pool.transaction(hash: hash) {
                return TransactionRecord(transaction: pooled.transaction, hash: hash, sender: pooled.sender, blockHash: nil,
                                         blockNumber: nil, index: nil, baseFeePerGas: nil)
            }
            return nil
        }
    }

    /// A mined transaction's receipt with its derived fields (eth_getTransactionReceipt).
    /// - Parameter hash: the transaction hash.
    /// - Returns: the receipt, or nil if the transaction is not in a canonical block.
    /// - Throws: `NodeError.chain` if the stored records are corrupt.
    public func receipt(hash: Hash32) throws(NodeError) -> ReceiptRecord? {
        try locked { () throws(NodeError) -> ReceiptRecord? in
            guard let location = chain.transactionLocation(hash) else { return nil }
            return try receiptRecords(blockHash: location.blockHash)?[location.index]
        }
    }

    /// All receipts of a block (eth_getBlockReceipts).
    /// - Parameter tag: the block.
    /// - Returns: the receipts in order, or nil if no such block.
    /// - Throws: `NodeError.chain` if the stored records are corrupt.
    public func receipts(of tag: BlockTag) throws(NodeError) -> [ReceiptRecord]? {
        try locked { () throws(NodeError) -> [ReceiptRecord]? in
            guard let (_, hash) = resolveHeader(tag) else { return nil }
            return try receiptRecords(blockHash: hash)
        }
    }

    /// The receipts of a stored block with their derived fields (lock held); recent blocks' are
    /// kept, so polling for one receipt does not rebuild every receipt of its block each time.
    func receiptRecords(blockHash: Hash32) throws(NodeError) -> [ReceiptRecord]? {
        if let cached = recentReceipts[blockHash] { return cached }
        let record: BlockRecord?
        let receipts: [Receipt]?
        do throws(ChainError) {
            record = try chain.block(hash: blockHash)
            receipts = try chain.receipts(blockHash: blockHash)
        } catch {
            throw .chain(error)
        }
        guard let record, let receipts, receipts.count == record.block.transactions.count else { return nil }
        let logs = Self.logRecords(of: record, receipts: receipts)
        var logStart = 0
        var previousGas: UInt64 = 0
        var result: [ReceiptRecord] = []
        for (index, receipt) in receipts.enumerated() {
            let transaction = record.block.transactions[index]
            let sender = record.senders[index]
            // geth's receipts name the address of every creation, successful or not (core.MakeReceipt).
            let contract = transaction.to == nil ? ContractAddress.create(sender: sender, nonce: transaction.nonce) : nil
            result.append(ReceiptRecord(
                receipt: receipt, transactionHash: record.transactionHashes[index], transactionIndex: index,
                blockHash: record.hash, blockNumber: record.number, from: sender, to: transaction.to,
                contractAddress: contract, gasUsed: receipt.cumulativeGasUsed - previousGas,
                effectiveGasPrice: transaction.effectiveGasPrice(baseFee: record.header.baseFeePerGas ?? .zero),
                logs: Array(logs[logStart ..< logStart + receipt.logs.count])))
            logStart += receipt.logs.count
            previousGas = receipt.cumulativeGasUsed
        }
        recentReceipts.insert(result, for: blockHash)
        return result
    }

    /// An account's balance at a block (eth_getBalance).
    /// - Parameters:
    ///   - address: the account.
    ///   - tag: the block.
    /// - Returns: the balance in wei.
    /// - Throws: `NodeError.unknownBlock`.
    public func balance(of address: Address, at tag: BlockTag = .latest) throws(NodeError) -> UInt256 {
        try locked { () throws(NodeError) -> UInt256 in try readState(at: tag).balance(of: address) }
    }

    /// An account's nonce at a block; with `.pending`, the next nonce counting pooled transactions
    /// (eth_getTransactionCount).
    /// - Parameters:
    ///   - address: the account.
    ///   - tag: the block.
    /// - Returns: the nonce.
    /// - Throws: `NodeError.unknownBlock`.
    public func nonce(of address: Address, at tag: BlockTag = .latest) throws(NodeError) -> UInt64 {
        try locked { () throws(NodeError) -> UInt64 in
            let stateNonce = try readState(at: tag).nonce(of: address)
            return tag == .pending ? pool.pendingNonce(of: address, stateNonce: stateNonce) : stateNonce
        }
    }

    /// An account's code at a block (eth_getCode).
    /// - Parameters:
    ///   - address: the account.
    ///   - tag: the block.
    /// - Returns: the code, empty for none.
    /// - Throws: `NodeError.unknownBlock`.
    public func code(of address: Address, at tag: BlockTag = .latest) throws(NodeError) -> [UInt8] {
        try locked { () throws(NodeError) -> [UInt8] in try readState(at: tag).code(of: address) }
    }

    /// A storage slot at a block (eth_getStorageAt).
    /// - Parameters:
    ///   - address: the account.
    ///   - key: the slot.
    ///   - tag: the block.
    /// - Returns: the value, zero if unset.
    /// - Throws: `NodeError.unknownBlock`.
    public func storage(of address: Address, key: UInt256, at tag: BlockTag = .latest) throws(NodeError) -> UInt256 {
        try locked { () throws(NodeError) -> UInt256 in try readState(at: tag).storage(at: address, key: key) }
    }

    /// The pool's executable transactions (txpool_content "pending").
    public var pendingTransactions: [TransactionRecord] {
        locked {
            let state = pendingState()
            return pool.pending(stateNonce: { state.nonce(of: $0) }).joined().map {
                TransactionRecord(transaction: $0.transaction, hash: $0.hash, sender: $0.sender, blockHash: nil,
                                  blockNumber: nil, index: nil, baseFeePerGas: nil)
            }
        }
    }

    /// The pool's transactions waiting behind a nonce gap (txpool_content "queued").
    public var queuedTransactions: [TransactionRecord] {
        locked {
            let state = pendingState()
            return pool.queued(stateNonce: { state.nonce(of: $0) }).joined().map {
                TransactionRecord(transaction: $0.transaction, hash: $0.hash, sender: $0.sender, blockHash: nil,
                                  blockNumber: nil, index: nil, baseFeePerGas: nil)
            }
        }
    }

    /// The most blocks one `logs(matching:)` query may scan.
    package static let maximumLogRange: UInt64 = 100_000

    /// The most logs one `logs(matching:)` query may return (Infura's eth_getLogs limit): the scan
    /// runs under the node lock, so a query that matches more stops there instead of holding the
    /// lock and the memory for all of them.
    package static let maximumLogResults = 10_000

    /// The logs matching a filter (eth_getLogs), skipping blocks whose bloom rules them out.
    /// - Parameter filter: the range (or block hash), addresses and topics.
    /// - Returns: the logs in chain order.
    /// - Throws: `NodeError.unknownBlock` for an unknown hash, `.invalidArgument` for a reversed or
    ///   too-wide range, `.tooManyLogs` when more than `maximumLogResults` logs match (naming the
    ///   blocks whose logs fit).
    public func logs(matching filter: LogFilter) throws(NodeError) -> [LogRecord] {
        try locked { () throws(NodeError) -> [LogRecord] in
            var hashes: [Hash32] = []
            if let blockHash = filter.blockHash {
                guard chain.header(hash: blockHash) != nil else { throw .unknownBlock(blockHash.description) }
                hashes = [blockHash]
            } else {
                guard let from = resolveHeader(filter.fromBlock)?.header.number else { throw .unknownBlock(filter.fromBlock.description) }
                let to = resolveHeader(filter.toBlock)?.header.number ?? chain.head.number
                guard from <= to else { throw .invalidArgument("invalid block range params: fromBlock \(from) is after toBlock \(to)") }
                guard to - from < Self.maximumLogRange else {
                    throw .invalidArgument("query exceeds max block range \(Self.maximumLogRange): \(from) to \(to)")
                }
                for number in from ... to {
                    guard let hash = chain.canonicalHash(number: number) else { continue }
                    if let header = chain.header(hash: hash), !filter.mayMatch(header.logsBloom) { continue }
                    hashes.append(hash)
                }
            }
            var result: [LogRecord] = []
            for hash in hashes {
                guard let header = chain.header(hash: hash), !header.logsBloom.isEmpty else { continue }
                do throws(ChainError) {
                    guard let record = try chain.block(hash: hash), let receipts = try chain.receipts(blockHash: hash) else { continue }
                    result += Self.logRecords(of: record, receipts: receipts).filter { filter.matches($0.log) }
                } catch {
                    throw .chain(error)
                }
                if result.count > Self.maximumLogResults {
                    // The blocks before this one fit, unless this is the first block with matches.
                    let first = result[0].blockNumber
                    throw .tooManyLogs(limit: Self.maximumLogResults, fittingRange: first ... max(first, header.number &- 1))
                }
            }
            return result
        }
    }
}
