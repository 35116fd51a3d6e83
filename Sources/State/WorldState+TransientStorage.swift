import Primitives

// Transient storage (EIP-1153): slots that behave like storage within one transaction — journaled,
// so a reverted frame's TSTOREs are undone — and are discarded when the transaction ends.

extension WorldState {
    /// TLOAD: the value of a transient slot (EIP-1153).
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    /// - Returns: the value, zero if not written in this transaction.
    @inlinable
    public func transientStorage(at address: Address, key: UInt256) -> UInt256 {
        transientStorage[StorageSlotKey(address: address, key: key)] ?? .zero
    }

    /// TSTORE: writes a transient slot (EIP-1153), journaled.
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    ///   - value: the new value.
    public func setTransientStorage(at address: Address, key: UInt256, value: UInt256) {
        let slotKey = StorageSlotKey(address: address, key: key)
        let previous = transientStorage[slotKey] ?? .zero
        journal.append(.transientStorageChanged(slotKey, previous: previous))
        if value.isZero { transientStorage.removeValue(forKey: slotKey) } else { transientStorage[slotKey] = value }
    }
}
