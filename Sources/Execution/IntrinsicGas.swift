import EVM
import Primitives

/// The gas a transaction costs before its first opcode (Yellow Paper §6.2, g₀).
public enum IntrinsicGas {
    /// Every transaction.
    public static let transaction: UInt64 = 21000
    /// A contract creation's surcharge (EIP-2, Homestead).
    public static let creation: UInt64 = 32000
    /// Per zero byte of data.
    public static let zeroDataByte: UInt64 = 4
    /// Per nonzero byte of data (EIP-2028).
    public static let nonzeroDataByte: UInt64 = 16
    /// Per access-list address (EIP-2930).
    public static let accessListAddress: UInt64 = 2400
    /// Per access-list storage key (EIP-2930).
    public static let accessListStorageKey: UInt64 = 1900
    /// Per 32-byte word of init code in a creation (EIP-3860).
    public static let initCodeWord: UInt64 = 2
    /// The largest init code a creation may carry (EIP-3860): twice EIP-170's code limit.
    public static let maxInitCodeSize = 49152

    /// The intrinsic gas of a transaction.
    /// - Parameter transaction: the transaction.
    /// - Returns: 21000 (+32000 and 2 per init-code word for a creation), plus 4 per zero and 16
    ///   per nonzero data byte, plus 2400 per access-list address and 1900 per key.
    public static func of(_ transaction: ExecutionTransaction) -> UInt64 {
        of(data: transaction.data, isCreation: transaction.isCreation, accessList: transaction.accessList)
    }

    /// The intrinsic gas of a transaction's parts, for callers that have not built an
    /// `ExecutionTransaction` (stateless validation of a signed transaction in the chain).
    /// - Parameters:
    ///   - data: call data, or init code for a creation.
    ///   - isCreation: whether the transaction creates a contract.
    ///   - accessList: the EIP-2930 access list.
    /// - Returns: the intrinsic gas, as `of(_:)` describes.
    public static func of(data: [UInt8], isCreation: Bool, accessList: [AccessListEntry]) -> UInt64 {
        var gas = isCreation ? Self.transaction + creation : Self.transaction
        var zeros: UInt64 = 0
        for byte in data where byte == 0 { zeros += 1 }
        let nonzeros = UInt64(data.count) - zeros
        gas += zeros * zeroDataByte + nonzeros * nonzeroDataByte
        for entry in accessList {
            gas += accessListAddress + UInt64(entry.storageKeys.count) * accessListStorageKey
        }
        if isCreation {
            gas += initCodeWord * ((UInt64(data.count) + 31) / 32)
        }
        return gas
    }
}
