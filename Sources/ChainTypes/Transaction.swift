import Primitives
import EVM

/// A transaction of one of the three types this chain accepts: legacy (with or without EIP-155
/// replay protection), EIP-2930 access-list, and EIP-1559 dynamic-fee.
///
/// The fields are the union of the three types, laid out as go-ethereum's `core/types` exposes them
/// (`GasTipCap`, `GasFeeCap`): a legacy or access-list transaction has one gas price, which is both
/// its `maxPriorityFeePerGas` and its `maxFeePerGas`. Build transactions with `legacy(…)`,
/// `accessList(…)` or `dynamicFee(…)`, which keep that invariant, or decode them with
/// `init(encoded:)`.
///
/// Invariants: `chainId` is nil only for a legacy transaction without EIP-155 protection (v = 27/28);
/// a legacy transaction has an empty access list; for legacy and access-list transactions
/// `maxPriorityFeePerGas == maxFeePerGas`. The signature is stored as decoded and checked only when
/// the sender is recovered.
///
/// The encodings (EIP-2718) are explained in `Transaction+RLP.swift`; the signing hashes in
/// `Transaction+Signing.swift`.
public struct Transaction: Hashable, Sendable {
    /// The EIP-2718 type.
    public let type: TransactionType
    /// The chain the transaction is signed for; nil only for a pre-EIP-155 legacy transaction.
    public let chainId: UInt64?
    /// The sender's nonce.
    public let nonce: UInt64
    /// The tip per gas the sender offers the block's coinbase (EIP-1559); the gas price for the older types.
    public let maxPriorityFeePerGas: UInt256
    /// The most the sender pays per gas, base fee included (EIP-1559); the gas price for the older types.
    public let maxFeePerGas: UInt256
    /// The most gas the transaction may use.
    public let gasLimit: UInt64
    /// The recipient, or nil for a contract creation.
    public let to: Address?
    /// The wei sent with the call or endowed to the new contract.
    public let value: UInt256
    /// The call data, or the init code of a contract creation.
    public let data: [UInt8]
    /// The EIP-2930 access list; empty for legacy transactions.
    public let accessList: [AccessListEntry]
    /// The signature, or nil for a transaction not yet signed.
    public let signature: TransactionSignature?

    init(type: TransactionType, chainId: UInt64?, nonce: UInt64, maxPriorityFeePerGas: UInt256,
         maxFeePerGas: UInt256, gasLimit: UInt64, to: Address?, value: UInt256, data: [UInt8],
         accessList: [AccessListEntry], signature: TransactionSignature?) {
        self.type = type
        self.chainId = chainId
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
        self.signature = signature
    }

    /// Makes an unsigned legacy transaction.
    /// - Parameters:
    ///   - chainId: the chain to sign for (EIP-155), or nil for an unprotected pre-EIP-155 transaction.
    ///   - nonce: the sender's nonce.
    ///   - gasPrice: wei per gas.
    ///   - gasLimit: the most gas the transaction may use.
    ///   - to: the recipient, or nil to create a contract.
    ///   - value: wei to send.
    ///   - data: call data or init code.
    /// - Returns: the transaction, without a signature.
    public static func legacy(chainId: UInt64?, nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64,
                              to: Address?, value: UInt256, data: [UInt8] = []) -> Transaction {
        Transaction(type: .legacy, chainId: chainId, nonce: nonce, maxPriorityFeePerGas: gasPrice,
                    maxFeePerGas: gasPrice, gasLimit: gasLimit, to: to, value: value, data: data,
                    accessList: [], signature: nil)
    }

    /// Makes an unsigned EIP-2930 access-list transaction.
    /// - Parameters:
    ///   - chainId: the chain to sign for.
    ///   - nonce: the sender's nonce.
    ///   - gasPrice: wei per gas.
    ///   - gasLimit: the most gas the transaction may use.
    ///   - to: the recipient, or nil to create a contract.
    ///   - value: wei to send.
    ///   - data: call data or init code.
    ///   - accessList: the addresses and slots to pre-warm.
    /// - Returns: the transaction, without a signature.
    public static func accessList(chainId: UInt64, nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64,
                                  to: Address?, value: UInt256, data: [UInt8] = [],
                                  accessList: [AccessListEntry] = []) -> Transaction {
        Transaction(type: .accessList, chainId: chainId, nonce: nonce, maxPriorityFeePerGas: gasPrice,
                    maxFeePerGas: gasPrice, gasLimit: gasLimit, to: to, value: value, data: data,
                    accessList: accessList, signature: nil)
    }

    /// Makes an unsigned EIP-1559 dynamic-fee transaction.
    /// - Parameters:
    ///   - chainId: the chain to sign for.
    ///   - nonce: the sender's nonce.
    ///   - maxPriorityFeePerGas: the tip per gas offered to the coinbase.
    ///   - maxFeePerGas: the most paid per gas, base fee included.
    ///   - gasLimit: the most gas the transaction may use.
    ///   - to: the recipient, or nil to create a contract.
    ///   - value: wei to send.
    ///   - data: call data or init code.
    ///   - accessList: the addresses and slots to pre-warm.
    /// - Returns: the transaction, without a signature.
    public static func dynamicFee(chainId: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256,
                                  maxFeePerGas: UInt256, gasLimit: UInt64, to: Address?, value: UInt256,
                                  data: [UInt8] = [], accessList: [AccessListEntry] = []) -> Transaction {
        Transaction(type: .dynamicFee, chainId: chainId, nonce: nonce, maxPriorityFeePerGas: maxPriorityFeePerGas,
                    maxFeePerGas: maxFeePerGas, gasLimit: gasLimit, to: to, value: value, data: data,
                    accessList: accessList, signature: nil)
    }

    /// The same transaction carrying the given signature (replacing any it had).
    /// - Parameter signature: the signature over `signingHash`.
    /// - Returns: the signed transaction.
    public func withSignature(_ signature: TransactionSignature) -> Transaction {
        Transaction(type: type, chainId: chainId, nonce: nonce, maxPriorityFeePerGas: maxPriorityFeePerGas,
                    maxFeePerGas: maxFeePerGas, gasLimit: gasLimit, to: to, value: value, data: data,
                    accessList: accessList, signature: signature)
    }

    /// The gas price of a legacy or access-list transaction; for a dynamic-fee transaction its fee
    /// cap, the most it can pay per gas (use `effectiveGasPrice(baseFee:)` for what it does pay).
    public var gasPrice: UInt256 { maxFeePerGas }

    /// Whether the transaction creates a contract (it has no recipient).
    public var isContractCreation: Bool { to == nil }

    /// The legacy v value: 27/28 without a chain id, chainId·2 + 35/36 with one (EIP-155); for
    /// typed transactions the y-parity itself. Nil when unsigned.
    public var v: UInt256? {
        guard let signature else { return nil }
        guard type == .legacy else { return UInt256(UInt64(signature.yParity)) }
        guard let chainId else { return UInt256(27 + UInt64(signature.yParity)) }
        // chainId·2 + 35 + parity can exceed 64 bits, so compute it in 256.
        return UInt256(chainId) &* 2 &+ UInt256(35 + UInt64(signature.yParity))
    }

    /// The price per gas the sender pays in a block with the given base fee (EIP-1559):
    /// min(maxFeePerGas, baseFee + maxPriorityFeePerGas); the gas price for the older types.
    ///
    /// A transaction whose fee cap is below the base fee cannot be included; this function does not
    /// check that (see `effectivePriorityFee(baseFee:)`).
    /// - Parameter baseFee: the block's base fee per gas.
    /// - Returns: wei per gas.
    public func effectiveGasPrice(baseFee: UInt256) -> UInt256 {
        guard type == .dynamicFee else { return maxFeePerGas }
        let (sum, overflow) = baseFee.addingReportingOverflow(maxPriorityFeePerGas)
        return overflow ? maxFeePerGas : min(maxFeePerGas, sum)
    }

    /// The tip per gas the coinbase receives in a block with the given base fee (EIP-1559):
    /// min(maxPriorityFeePerGas, maxFeePerGas − baseFee).
    /// - Parameter baseFee: the block's base fee per gas.
    /// - Returns: wei per gas, or nil if the fee cap is below the base fee (the transaction cannot be included).
    public func effectivePriorityFee(baseFee: UInt256) -> UInt256? {
        guard maxFeePerGas >= baseFee else { return nil }
        return min(maxPriorityFeePerGas, maxFeePerGas &- baseFee)
    }
}
