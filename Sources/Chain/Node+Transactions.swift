import ChainTypes
import EVM
import Primitives
import Signatures
import State

// Transactions in: eth_sendRawTransaction, eth_sendTransaction (unlocked and impersonated accounts).

extension Node {
    /// The tip this node suggests when nothing better is known: 1 gwei, as anvil suggests.
    package static let defaultPriorityFee = UInt256(1_000_000_000)

    /// Decodes, checks and pools a signed transaction (eth_sendRawTransaction); with automine on,
    /// it is in a block when this returns (see `automine(waiting:)`).
    /// - Parameters:
    ///   - encoded: the EIP-2718 encoding.
    ///   - mining: false only pools it; the caller then runs `automine(waiting:)` itself (the RPC
    ///     server does, to choose the thread that may wait).
    /// - Returns: the transaction hash.
    /// - Throws: `NodeError.rejected` with geth's message ("nonce too low: next nonce 5, tx nonce 3",
    ///   "transaction type not supported", "invalid sender", "only replay-protected (EIP-155)
    ///   transactions allowed over RPC", …), `.invalidTransaction` for undecodable bytes, `.chain` if
    ///   automining fails.
    @discardableResult
    public func sendRawTransaction(_ encoded: [UInt8], mining: Bool = true) throws(NodeError) -> Hash32 {
        let transaction: Transaction
        do throws(TransactionError) { transaction = try Transaction(encoded: encoded) } catch {
            if case .unsupportedType(let type) = error { throw .rejected(.unsupportedType(type)) }
            throw .invalidTransaction(error)
        }
        return try submit(transaction, mining: mining)
    }

    /// Checks and pools a signed transaction (the decoded form of `sendRawTransaction`).
    /// - Parameters:
    ///   - transaction: the signed transaction.
    ///   - mining: as in `sendRawTransaction`.
    /// - Returns: its hash.
    /// - Throws: as `sendRawTransaction`.
    @discardableResult
    public func submit(_ transaction: Transaction, mining: Bool = true) throws(NodeError) -> Hash32 {
        if transaction.type == .legacy && transaction.chainId == nil && !configuration.allowsUnprotectedTransactions {
            throw .rejected(.unprotectedTransaction)
        }
        let pooled: PooledTransaction
        do throws(TransactionError) { pooled = try PooledTransaction(signed: transaction, chainId: chainId) } catch {
            throw .rejected(.invalidSender(reason: error.description))
        }
        let hash = try locked { () throws(NodeError) -> Hash32 in try addLocked(pooled) }
        if mining { try automine(waiting: true) }
        return hash
    }

    /// Pools a transaction whose sender is known (lock held); the caller then runs
    /// `automine(waiting:)` outside the lock.
    func addLocked(_ pooled: PooledTransaction) throws(NodeError) -> Hash32 {
        let state = pendingState()
        do throws(TransactionPoolError) {
            try pool.add(pooled, state: state, baseFee: nextBaseFeeLocked(), blockGasLimit: nextGasLimit())
        } catch {
            throw .rejected(error)
        }
        pendingFeed.send(pooled.hash)
        return pooled.hash
    }

    /// Fills in, signs and pools a transaction from an unlocked or impersonated account
    /// (eth_sendTransaction). Missing fields: nonce = the pending nonce; gas = `estimateGas`;
    /// fees = EIP-1559 with tip `maxPriorityFeePerGas()` and fee cap 2 × next base fee + tip, unless
    /// `gasPrice` is given (legacy, or EIP-2930 with an access list).
    /// - Parameters:
    ///   - request: the request; `from` is required.
    ///   - mining: as in `sendRawTransaction`.
    /// - Returns: the transaction hash.
    /// - Throws: `NodeError.unknownAccount`, `.invalidArgument` without `from`, any estimate or pool error.
    @discardableResult
    public func sendTransaction(_ request: CallRequest, mining: Bool = true) throws(NodeError) -> Hash32 {
        guard let from = request.from else { throw .invalidArgument("missing from: eth_sendTransaction needs a sender") }
        let hash = try locked { () throws(NodeError) -> Hash32 in
            let key = dev.keys[from]
            guard key != nil || dev.impersonated.contains(from) || dev.isAutoImpersonating else { throw .unknownAccount(from) }
            let state = pendingState()
            let nonce = request.nonce ?? pool.pendingNonce(of: from, stateNonce: state.nonce(of: from))
            let nextBaseFee = nextBaseFeeLocked()
            var filled = request
            let gas: UInt64
            if let requested = request.gas {
                gas = requested
            } else {
                filled.nonce = nonce
                gas = try estimateGasLocked(filled, at: .pending)
            }
            let transaction: Transaction
            if let gasPrice = request.gasPrice, request.maxFeePerGas == nil && request.type != .dynamicFee {
                if let accessList = request.accessList, !accessList.isEmpty || request.type == .accessList {
                    transaction = .accessList(chainId: chainId, nonce: nonce, gasPrice: gasPrice, gasLimit: gas,
                                              to: request.to, value: request.value ?? .zero, data: request.data,
                                              accessList: accessList)
                } else {
                    transaction = .legacy(chainId: chainId, nonce: nonce, gasPrice: gasPrice, gasLimit: gas, to: request.to,
                                          value: request.value ?? .zero, data: request.data)
                }
            } else {
                let tip = request.maxPriorityFeePerGas ?? min(Self.defaultPriorityFee, request.maxFeePerGas ?? .max)
                let feeCap = request.maxFeePerGas ?? (nextBaseFee &* 2 &+ tip)
                transaction = .dynamicFee(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: feeCap,
                                          gasLimit: gas, to: request.to, value: request.value ?? .zero, data: request.data,
                                          accessList: request.accessList ?? [])
            }
            let signed: Transaction
            if let key {
                signed = transaction.signed(with: key)
            } else {
                // Impersonation: no key, so a placeholder signature that makes the hash unique per sender
                // (r = the sender's address); the sender is recorded beside it and never recovered.
                signed = transaction.withSignature(TransactionSignature(yParity: 0, r: UInt256(from.word), s: .one))
            }
            return try addLocked(PooledTransaction(transaction: signed, hash: signed.hash, sender: from))
        }
        if mining { try automine(waiting: true) }
        return hash
    }
}
