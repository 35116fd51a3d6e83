import Primitives

/// One storage slot of one account: the key of the world state's flat slot dictionaries
/// (persistent storage, transient storage, warm slots), so a slot costs one hash lookup and no
/// allocation.
public struct StorageSlotKey: Hashable, Sendable {
    /// The account that owns the slot.
    public var address: Address
    /// The slot key within the account's storage.
    public var key: UInt256

    /// Creates a slot key.
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    @inlinable public init(address: Address, key: UInt256) {
        self.address = address; self.key = key
    }
}

/// A persistent storage slot's values. "Original" is the value at the start of the current
/// transaction, which EIP-2200 (net gas metering) prices SSTORE against; "current" is the live value.
public struct StorageSlot: Sendable, Equatable {
    /// The value at the start of the transaction.
    public var original: UInt256
    /// The live value.
    public var current: UInt256

    /// Creates a slot whose original and current values are `value`.
    /// - Parameter value: the value loaded from the pre-state.
    @inlinable public init(_ value: UInt256) {
        original = value; current = value
    }
}
