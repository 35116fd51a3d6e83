import Primitives
import Signatures

/// A key that sends EIP-1559 transactions through an `RPCClient`: it fills in the chain id, the
/// nonce, the fees and the gas limit, signs locally and submits the raw transaction.
///
/// - Nonces: the first send reads `eth_getTransactionCount(address, "pending")`; later sends count
///   up locally, so concurrent sends from one wallet get consecutive nonces. A send the node refuses
///   makes the wallet read the count again next time.
/// - Fees: tip = `eth_maxPriorityFeePerGas`; fee cap = 2 × the latest base fee + tip (what ethers
///   and web3.py do), so the transaction stays valid while the base fee doubles.
/// - Gas: `eth_estimateGas` unless given. A transaction that would revert fails here, before it is
///   sent, with the node's revert data (`RPCClientError.revert`).
public actor Wallet {
    /// The signing key.
    public nonisolated let key: PrivateKey
    /// The key's address.
    public nonisolated let address: Address
    /// The node.
    public nonisolated let client: RPCClient
    var cachedChainId: UInt64?
    var nextNonce: UInt64?

    /// Creates a wallet.
    /// - Parameters:
    ///   - key: the sender's key.
    ///   - client: the node.
    ///   - chainId: the chain id, if known (else read once with `eth_chainId`).
    public init(key: PrivateKey, client: RPCClient, chainId: UInt64? = nil) {
        self.key = key
        self.address = key.address
        self.client = client
        self.cachedChainId = chainId
    }

    /// The chain id (read once).
    /// - Returns: the chain id.
    /// - Throws: `RPCClientError`.
    public func chainId() async throws(RPCClientError) -> UInt64 {
        if let cachedChainId { return cachedChainId }
        let id = try await client.chainId()
        cachedChainId = id
        return id
    }

    /// Builds and signs a transaction without sending it (the nonce is reserved).
    /// - Parameters:
    ///   - to: the recipient, nil to create a contract.
    ///   - value: wei to send.
    ///   - data: call data or init code.
    ///   - gasLimit: the gas limit, or nil to estimate.
    /// - Returns: the signed transaction.
    /// - Throws: `RPCClientError`, including a code-3 error if the estimate reverts.
    public func sign(to: Address?, value: UInt256 = .zero, data: [UInt8] = [],
                     gasLimit: UInt64? = nil) async throws(RPCClientError) -> SignedTransaction {
        let chainId = try await chainId()
        let gas: UInt64
        if let gasLimit {
            gas = gasLimit
        } else {
            gas = try await client.estimateGas(CallRequest(from: address, to: to, value: value, data: data))
        }
        let tip = try await client.maxPriorityFeePerGas()
        let baseFee = try await client.baseFee()
        let nonce = try await reserveNonce()
        let transaction = EIP1559Transaction(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip,
                                             maxFeePerGas: baseFee &+ baseFee &+ tip, gasLimit: gas, to: to,
                                             value: value, data: data)
        return transaction.signed(with: key)
    }

    /// Signs and submits a transaction.
    /// - Parameters:
    ///   - to: the recipient, nil to create a contract.
    ///   - value: wei to send.
    ///   - data: call data or init code.
    ///   - gasLimit: the gas limit, or nil to estimate.
    /// - Returns: the transaction hash.
    /// - Throws: `RPCClientError` (a revert during estimation carries the revert data).
    public func send(to: Address?, value: UInt256 = .zero, data: [UInt8] = [],
                     gasLimit: UInt64? = nil) async throws(RPCClientError) -> Hash32 {
        let signed = try await sign(to: to, value: value, data: data, gasLimit: gasLimit)
        do {
            return try await client.sendRawTransaction(signed.raw)
        } catch {
            nextNonce = nil  // the node did not take it: ask again next time
            throw error
        }
    }

    /// Sends a transaction and waits for its receipt.
    /// - Parameters:
    ///   - to: the recipient, nil to create a contract.
    ///   - value: wei to send.
    ///   - data: call data or init code.
    ///   - gasLimit: the gas limit, or nil to estimate.
    ///   - timeout: how long to wait for the receipt.
    /// - Returns: the receipt of a successful transaction.
    /// - Throws: `RPCClientError.transactionReverted` (with the reason replayed at the parent block)
    ///   if it was mined but failed, or any error of `send`.
    public func sendAndWait(to: Address?, value: UInt256 = .zero, data: [UInt8] = [], gasLimit: UInt64? = nil,
                            timeout: Duration = .seconds(120)) async throws(RPCClientError) -> TransactionReceipt {
        let hash = try await send(to: to, value: value, data: data, gasLimit: gasLimit)
        let receipt = try await client.waitForReceipt(hash, timeout: timeout)
        guard receipt.isSuccess else {
            throw .transactionReverted(hash: hash, gasUsed: receipt.gasUsed,
                                       reason: await replayRevert(to: to, value: value, data: data, receipt: receipt))
        }
        return receipt
    }

    /// Deploys a contract.
    /// - Parameters:
    ///   - bytecode: the init code.
    ///   - constructorArguments: the encoded constructor arguments appended to it.
    ///   - value: wei sent to the constructor.
    /// - Returns: the new contract's address and the receipt.
    /// - Throws: as `sendAndWait`, or `.invalidResponse` if the receipt names no contract.
    public func deploy(bytecode: [UInt8], constructorArguments: [UInt8] = [],
                       value: UInt256 = .zero) async throws(RPCClientError) -> (address: Address, receipt: TransactionReceipt) {
        let receipt = try await sendAndWait(to: nil, value: value, data: bytecode + constructorArguments)
        guard let address = receipt.contractAddress else {
            throw .invalidResponse(method: "eth_getTransactionReceipt", reason: "a creation receipt without contractAddress")
        }
        return (address, receipt)
    }

    func reserveNonce() async throws(RPCClientError) -> UInt64 {
        let nonce: UInt64
        if let nextNonce {
            nonce = nextNonce
        } else {
            nonce = try await client.getTransactionCount(address, block: .pending)
        }
        nextNonce = nonce + 1
        return nonce
    }

    /// Why a mined transaction failed: the same call replayed on the parent block's state. Exact when
    /// the transaction was first in its block (as with automine); otherwise a best effort.
    func replayRevert(to: Address?, value: UInt256, data: [UInt8], receipt: TransactionReceipt) async -> ABIRevertReason? {
        let parent: BlockTag = receipt.blockNumber > 0 ? .number(receipt.blockNumber - 1) : .earliest
        do {
            _ = try await client.call(CallRequest(from: address, to: to, value: value, data: data, gas: receipt.gasUsed * 2),
                                      block: parent)
            return nil
        } catch {
            return error.revert
        }
    }
}
