import ChainTypes
import EVM
import Primitives

/// A transaction request as eth_call, eth_estimateGas and eth_sendTransaction take it: every field
/// optional, filled in by the node as geth does (sender zero, gas = block gas limit for calls,
/// value zero, fees zero for calls, nonce from the pool for sends).
///
/// With `gasPrice` the request is legacy; with `maxFeePerGas` or `maxPriorityFeePerGas` it is
/// EIP-1559 (the default for eth_sendTransaction); with neither, a call runs with a zero gas price
/// and a zero base fee (geth's `eth_call` rule), so unfunded accounts can call.
public struct CallRequest: Hashable, Sendable {
    /// The sender (`from`); zero when absent.
    public var from: Address?
    /// The recipient; nil creates a contract.
    public var to: Address?
    /// The gas limit.
    public var gas: UInt64?
    /// A legacy gas price.
    public var gasPrice: UInt256?
    /// The EIP-1559 fee cap.
    public var maxFeePerGas: UInt256?
    /// The EIP-1559 tip cap.
    public var maxPriorityFeePerGas: UInt256?
    /// The wei sent.
    public var value: UInt256?
    /// Call data or init code (`data` or `input`).
    public var data: [UInt8]
    /// The EIP-2930 access list.
    public var accessList: [AccessListEntry]?
    /// The nonce (eth_sendTransaction only; calls use the state's).
    public var nonce: UInt64?
    /// An explicit EIP-2718 type (0, 1 or 2).
    public var type: TransactionType?

    /// Creates a request.
    /// - Parameters:
    ///   - from: the sender.
    ///   - to: the recipient, nil to create.
    ///   - gas: the gas limit.
    ///   - gasPrice: a legacy gas price.
    ///   - maxFeePerGas: the EIP-1559 fee cap.
    ///   - maxPriorityFeePerGas: the EIP-1559 tip.
    ///   - value: the wei sent.
    ///   - data: the call data.
    ///   - accessList: the access list.
    ///   - nonce: the nonce.
    ///   - type: the transaction type.
    public init(from: Address? = nil, to: Address? = nil, gas: UInt64? = nil, gasPrice: UInt256? = nil,
                maxFeePerGas: UInt256? = nil, maxPriorityFeePerGas: UInt256? = nil, value: UInt256? = nil,
                data: [UInt8] = [], accessList: [AccessListEntry]? = nil, nonce: UInt64? = nil,
                type: TransactionType? = nil) {
        self.from = from; self.to = to; self.gas = gas; self.gasPrice = gasPrice; self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas; self.value = value; self.data = data
        self.accessList = accessList; self.nonce = nonce; self.type = type
    }
}
