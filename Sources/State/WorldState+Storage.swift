import Primitives

extension WorldState {
    /// A persistent storage slot with its original (transaction-start) and current values.
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    /// - Returns: the slot; both values zero if never written.
    @inlinable
    public func storageSlot(at address: Address, key: UInt256) -> StorageSlot {
        let slotKey = StorageSlotKey(address: address, key: key)
        if let slot = storage[slotKey] { return slot }
        return loadSlot(slotKey)
    }

    /// The current value of a storage slot (SLOAD).
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    /// - Returns: the value, zero if never written.
    @inlinable
    public func storage(at address: Address, key: UInt256) -> UInt256 {
        storageSlot(at: address, key: key).current
    }

    /// Writes a storage slot (SSTORE), journaled.
    /// - Parameters:
    ///   - address: the owning account; it must exist.
    ///   - key: the slot key.
    ///   - value: the new value.
    /// - Returns: the slot as it was before the write (original and previous current value), from
    ///   which the EVM prices the write (EIP-2200, EIP-2929, EIP-3529).
    @discardableResult
    public func setStorage(at address: Address, key: UInt256, value: UInt256) -> StorageSlot {
        let slotKey = StorageSlotKey(address: address, key: key)
        let before = storage[slotKey] ?? loadSlot(slotKey)
        if storage[slotKey] == nil { storage[slotKey] = before }
        journal.append(.storageChanged(slotKey, previous: before.current))
        storage[slotKey]!.current = value
        dirtyStorage.insert(address)
        dirtySlots.insert(slotKey)
        return before
    }

    /// Reads a slot not yet cached: from the database if the account has committed storage, and
    /// caches it so the original value stays known for the rest of the transaction.
    @usableFromInline
    func loadSlot(_ slotKey: StorageSlotKey) -> StorageSlot {
        let owner = record(slotKey.address)
        guard owner.exists, owner.account.storageRoot != Account.emptyStorageRoot,
              !wipedStorage.contains(slotKey.address) else { return StorageSlot(.zero) }
        var value = UInt256.zero
        do {
            value = try readCommittedStorage(storageRoot: owner.account.storageRoot, key: slotKey.key)
        } catch {
            if databaseError == nil { databaseError = error }
        }
        let slot = StorageSlot(value)
        storage[slotKey] = slot
        return slot
    }

    /// Every cached nonzero storage slot of `address`, for dumps and tests.
    /// - Parameter address: the owning account.
    /// - Returns: key → current value for each nonzero slot held in memory.
    public func cachedStorage(of address: Address) -> [UInt256: UInt256] {
        var result: [UInt256: UInt256] = [:]
        for (slot, value) in storage where slot.address == address && !value.current.isZero {
            result[slot.key] = value.current
        }
        return result
    }
}
