import EVM
import Primitives

/// A transaction as execution sees it: already decoded, its sender already recovered.
///
/// Types: legacy (with EIP-155), EIP-2930 (access list) and EIP-1559 (fee caps). EIP-4844 blob
/// transactions are out of scope (DESIGN.md §2) and rejected.
public struct ExecutionTransaction: Sendable, Equatable {
    /// The envelope type (EIP-2718).
    public enum Kind: UInt8, Sendable {
        /// Type 0: one gas price.
        case legacy = 0
        /// Type 1, EIP-2930: a gas price and an access list.
        case accessList = 1
        /// Type 2, EIP-1559: fee caps and an access list.
        case dynamicFee = 2
        /// Type 3, EIP-4844: blob transactions; not supported here.
        case blob = 3
    }

    /// The envelope type.
    public var kind: Kind
    /// The sender's nonce this transaction consumes.
    public var nonce: UInt64
    /// The gas price of legacy and EIP-2930 transactions; for EIP-1559 it is ignored.
    public var gasPrice: UInt256
    /// EIP-1559 fee cap: the most paid per gas, base fee included.
    public var maxFeePerGas: UInt256
    /// EIP-1559 tip cap: the most paid per gas to the coinbase.
    public var maxPriorityFeePerGas: UInt256
    /// The gas the sender buys.
    public var gasLimit: UInt64
    /// The recipient; nil creates a contract.
    public var to: Address?
    /// Wei sent along.
    public var value: UInt256
    /// Call data, or init code for a creation.
    public var data: [UInt8]
    /// EIP-2930 addresses and slots to pre-warm.
    public var accessList: [AccessListEntry]
    /// The sender (recovered from the signature, or given directly).
    public var sender: Address

    /// Creates a transaction. For legacy and EIP-2930 transactions `gasPrice` serves as both
    /// fee caps; pass `maxFeePerGas`/`maxPriorityFeePerGas` only with `kind: .dynamicFee`.
    /// - Parameters:
    ///   - kind: the envelope type.
    ///   - nonce: the nonce.
    ///   - gasPrice: the gas price (legacy, EIP-2930).
    ///   - maxFeePerGas: the fee cap (EIP-1559).
    ///   - maxPriorityFeePerGas: the tip cap (EIP-1559).
    ///   - gasLimit: the gas limit.
    ///   - to: the recipient, nil to create.
    ///   - value: wei sent.
    ///   - data: call data or init code.
    ///   - accessList: the access list.
    ///   - sender: the sender.
    public init(kind: Kind = .legacy, nonce: UInt64, gasPrice: UInt256 = .zero, maxFeePerGas: UInt256? = nil,
                maxPriorityFeePerGas: UInt256? = nil, gasLimit: UInt64, to: Address?, value: UInt256 = .zero,
                data: [UInt8] = [], accessList: [AccessListEntry] = [], sender: Address) {
        self.kind = kind; self.nonce = nonce; self.gasPrice = gasPrice
        self.maxFeePerGas = maxFeePerGas ?? gasPrice
        self.maxPriorityFeePerGas = maxPriorityFeePerGas ?? gasPrice
        self.gasLimit = gasLimit; self.to = to; self.value = value; self.data = data
        self.accessList = accessList; self.sender = sender
    }

    /// Whether the transaction creates a contract.
    public var isCreation: Bool { to == nil }

    /// The price per gas actually paid in a block with `baseFee` (EIP-1559):
    /// min(maxFeePerGas, baseFee + maxPriorityFeePerGas); the gas price for older types.
    /// - Parameter baseFee: the block's base fee; the caller checked maxFeePerGas ≥ baseFee.
    /// - Returns: the effective gas price.
    public func effectiveGasPrice(baseFee: UInt256) -> UInt256 {
        guard kind == .dynamicFee else { return gasPrice }
        let (withTip, overflow) = baseFee.addingReportingOverflow(maxPriorityFeePerGas)
        return overflow ? maxFeePerGas : min(maxFeePerGas, withTip)
    }
}
