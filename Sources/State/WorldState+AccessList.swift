import Primitives

// Warm and cold access (EIP-2929): the sets of addresses and slots accessed in this transaction.
// Both are journaled, so accesses made inside a reverted frame become cold again, and both start
// each transaction pre-warmed with the sender, the recipient, the precompiles, the coinbase
// (EIP-3651) and the transaction's access list (EIP-2930).

extension WorldState {
    /// Marks an address accessed (EIP-2929).
    /// - Parameter address: the account.
    /// - Returns: true if it was already warm; false if this access was cold.
    @inlinable @discardableResult
    public func accessAddress(_ address: Address) -> Bool {
        if warmAddresses.insert(address).inserted {
            journal.append(.addressWarmed(address))
            return false
        }
        return true
    }

    /// Marks a storage slot accessed (EIP-2929).
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    /// - Returns: true if it was already warm; false if this access was cold.
    @inlinable @discardableResult
    public func accessStorage(at address: Address, key: UInt256) -> Bool {
        let slotKey = StorageSlotKey(address: address, key: key)
        if warmSlots.insert(slotKey).inserted {
            journal.append(.slotWarmed(slotKey))
            return false
        }
        return true
    }

    /// Whether an address is warm in this transaction.
    /// - Parameter address: the account.
    /// - Returns: true if accessed or pre-warmed.
    public func isWarm(_ address: Address) -> Bool { warmAddresses.contains(address) }

    /// Whether a storage slot is warm in this transaction.
    /// - Parameters:
    ///   - address: the owning account.
    ///   - key: the slot key.
    /// - Returns: true if accessed or pre-warmed.
    public func isWarm(_ address: Address, key: UInt256) -> Bool {
        warmSlots.contains(StorageSlotKey(address: address, key: key))
    }
}
