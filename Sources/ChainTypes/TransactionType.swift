/// The EIP-2718 transaction types this chain accepts.
///
/// A typed transaction is `type ‖ payload`, where `type` is one byte in 0x00…0x7f; a legacy
/// transaction is a bare RLP list, whose first byte is ≥ 0xc0, so the two never collide. Receipts
/// carry the type of the transaction they belong to in the same envelope.
///
/// Blob transactions (EIP-4844, type 3) and set-code transactions (EIP-7702, type 4) are out of
/// scope (DESIGN.md §2): decoding them fails with `TransactionError.unsupportedType`.
public enum TransactionType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The original transaction with a gas price, optionally replay-protected by EIP-155.
    case legacy = 0
    /// EIP-2930: chain id, gas price and an access list of pre-warmed addresses and slots.
    case accessList = 1
    /// EIP-1559: chain id, priority fee and fee cap instead of a gas price, and an access list.
    case dynamicFee = 2

    /// The name and EIP of the type, for messages.
    public var description: String {
        switch self {
        case .legacy: return "legacy"
        case .accessList: return "access-list (EIP-2930)"
        case .dynamicFee: return "dynamic-fee (EIP-1559)"
        }
    }
}
