import Primitives

// The per-transaction lifecycle: what starts fresh with each transaction, and what happens when
// it ends — EIP-6780 destruction of accounts created and self-destructed in the same
// transaction, EIP-161 deletion of touched empty accounts, and the EIP-2200 "original" values
// rolling forward to the values the transaction leaves.

extension WorldState {
    /// Starts a transaction: empties the journal, the warm sets, transient storage (EIP-1153),
    /// the logs and the created/self-destructed sets.
    public func beginTransaction() {
        journal.entries.removeAll(keepingCapacity: true)
        warmAddresses.removeAll(keepingCapacity: true)
        warmSlots.removeAll(keepingCapacity: true)
        transientStorage.removeAll(keepingCapacity: true)
        logs.removeAll(keepingCapacity: true)
        createdInTransaction.removeAll(keepingCapacity: true)
        selfDestructed.removeAll(keepingCapacity: true)
    }

    /// Ends a transaction: deletes the accounts marked by SELFDESTRUCT (EIP-6780: only ones
    /// created in this transaction are ever marked) and every touched account that is empty
    /// (EIP-161), and makes each slot's current value its original value for the next
    /// transaction. The journal is cleared: nothing before this point can be reverted.
    public func finalizeTransaction() {
        var toDelete = selfDestructed
        for entry in journal.entries {
            switch entry {
            case .storageChanged(let slot, _):
                if let value = storage[slot] { storage[slot]!.original = value.current }
            default:
                break
            }
            if let address = entry.touchedAddress, !toDelete.contains(address) {
                let current = record(address)
                if current.exists && current.account.isEmpty { toDelete.insert(address) }
            }
        }
        if !toDelete.isEmpty { delete(toDelete) }
        journal.entries.removeAll(keepingCapacity: true)
        createdInTransaction.removeAll(keepingCapacity: true)
        selfDestructed.removeAll(keepingCapacity: true)
        transientStorage.removeAll(keepingCapacity: true)
    }

    /// Deletes accounts and all their storage (not journaled: called between transactions).
    func delete(_ addresses: Set<Address>) {
        for address in addresses {
            accounts[address] = .absent
            dirtyAccounts.insert(address)
            dirtyStorage.remove(address)
            wipedStorage.insert(address)
        }
        storage = storage.filter { !addresses.contains($0.key.address) }
    }

    /// Whether `address` was created by CREATE/CREATE2 or a creation transaction in the current
    /// transaction (EIP-6780).
    /// - Parameter address: the account.
    /// - Returns: true if created in this transaction.
    public func isCreatedInTransaction(_ address: Address) -> Bool { createdInTransaction.contains(address) }

    /// Whether `address` has been marked by SELFDESTRUCT in this transaction.
    /// - Parameter address: the account.
    /// - Returns: true if marked.
    public func isSelfDestructed(_ address: Address) -> Bool { selfDestructed.contains(address) }

    /// Marks `address` for deletion at the end of the transaction, journaled. Under EIP-6780 the
    /// caller marks only accounts created in this transaction.
    /// - Parameter address: the account.
    /// - Returns: true if it was not already marked.
    @discardableResult
    public func markSelfDestructed(_ address: Address) -> Bool {
        guard selfDestructed.insert(address).inserted else { return false }
        journal.append(.selfDestructed(address))
        return true
    }

    /// Appends a log, journaled: a reverted frame's logs disappear.
    /// - Parameter log: the log record.
    public func addLog(_ log: Log) {
        logs.append(log)
        journal.append(.logAdded)
    }
}
