import Primitives

// Call overrides (geth's `stateOverride` on eth_call, eth_estimateGas and debug_traceCall): changes
// made to a throwaway state before a call runs, as if a transaction just before it had made them.
// They are not journaled, so no revert undoes them, and a slot they set has that value as its
// original value too (EIP-2200 prices a later write from it), as geth's `Finalise` after the
// overrides leaves it.

extension WorldState {
    /// Overrides an account's nonce, balance and code (nil leaves a field as it is), creating the
    /// account if it does not exist.
    /// - Parameters:
    ///   - address: the account.
    ///   - nonce: the nonce to give it.
    ///   - balance: the balance to give it.
    ///   - code: the code to give it.
    public func overrideAccount(_ address: Address, nonce: UInt64? = nil, balance: UInt256? = nil, code: [UInt8]? = nil) {
        var current = existingRecordForOverride(address)
        if let nonce { current.account.nonce = nonce }
        if let balance { current.account.balance = balance }
        if let code {
            current.code = code
            current.account.codeHash = Keccak256.hash(code)
        }
        accounts[address] = current
        dirtyAccounts.insert(address)
    }

    /// Replaces an account's whole storage with `slots` (geth's `state` override): every other
    /// slot reads zero afterwards.
    /// - Parameters:
    ///   - address: the account, created if it does not exist.
    ///   - slots: the slots it holds afterwards.
    public func replaceStorage(of address: Address, with slots: [UInt256: UInt256]) {
        var current = existingRecordForOverride(address)
        current.account.storageRoot = Account.emptyStorageRoot
        accounts[address] = current
        dirtyAccounts.insert(address)
        storage = storage.filter { $0.key.address != address }
        for (key, value) in slots { overrideSlot(address, key: key, value: value) }
        dirtyStorage.insert(address)
    }

    /// Sets single slots of an account and keeps the others (geth's `stateDiff` override).
    /// - Parameters:
    ///   - address: the account, created if it does not exist.
    ///   - slots: the slots to set.
    public func patchStorage(of address: Address, with slots: [UInt256: UInt256]) {
        if !record(address).exists {
            accounts[address] = existingRecordForOverride(address)
            dirtyAccounts.insert(address)
        }
        for (key, value) in slots { overrideSlot(address, key: key, value: value) }
        dirtyStorage.insert(address)
    }

    private func overrideSlot(_ address: Address, key: UInt256, value: UInt256) {
        let slotKey = StorageSlotKey(address: address, key: key)
        storage[slotKey] = StorageSlot(value)
        dirtySlots.insert(slotKey)
    }

    private func existingRecordForOverride(_ address: Address) -> AccountRecord {
        let current = record(address)
        if current.exists { return current }
        return AccountRecord(account: Account(), code: [], exists: true)
    }
}
