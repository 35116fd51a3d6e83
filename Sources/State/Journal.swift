import Primitives

// The journal of small revertible entries, after go-ethereum's core/state/journal.go: every state
// change appends one entry holding just what is needed to undo it, a snapshot is the journal's
// length, and reverting pops entries back to that length, undoing each. Nested snapshots nest for
// free. At the end of a transaction the surviving entries also say which accounts were touched
// (EIP-161) and which storage slots changed (to roll "original" values forward, EIP-2200).

/// One undoable state change.
@usableFromInline
enum JournalEntry: Sendable {
    /// An account came into existence or was replaced by a new contract; holds the record before.
    indirect case accountReplaced(Address, previous: AccountRecord?)
    /// A balance changed (also a zero-value transfer, which touches the account).
    case balanceChanged(Address, previous: UInt256)
    /// A nonce changed.
    case nonceChanged(Address, previous: UInt64)
    /// Code was set (CREATE's code deposit).
    indirect case codeChanged(Address, previousCode: [UInt8]?, previousHash: Hash32)
    /// A persistent storage slot changed; `previous` is its current value before.
    case storageChanged(StorageSlotKey, previous: UInt256)
    /// A transient storage slot changed (EIP-1153).
    case transientStorageChanged(StorageSlotKey, previous: UInt256)
    /// An address became warm (EIP-2929).
    case addressWarmed(Address)
    /// A storage slot became warm (EIP-2929).
    case slotWarmed(StorageSlotKey)
    /// A log was appended.
    case logAdded
    /// A contract was created at the address in this transaction (EIP-6780 bookkeeping).
    case contractCreated(Address)
    /// The account was marked for destruction at the end of the transaction (EIP-6780).
    case selfDestructed(Address)
    /// The account was touched without another change (EIP-161).
    case touched(Address)

    /// The account whose touch this entry records, for EIP-161's end-of-transaction sweep.
    @usableFromInline var touchedAddress: Address? {
        switch self {
        case .accountReplaced(let address, _), .balanceChanged(let address, _), .nonceChanged(let address, _),
             .codeChanged(let address, _, _), .contractCreated(let address), .selfDestructed(let address),
             .touched(let address):
            return address
        case .storageChanged(let slot, _):
            return slot.address
        case .transientStorageChanged, .addressWarmed, .slotWarmed, .logAdded:
            return nil
        }
    }
}

/// The list of undoable changes since the start of the transaction.
@usableFromInline
struct Journal: Sendable {
    @usableFromInline var entries: [JournalEntry] = []

    @usableFromInline init() {}

    /// Records a change.
    @inlinable mutating func append(_ entry: JournalEntry) { entries.append(entry) }
}

extension WorldState {
    /// Undoes one change. Each case restores exactly what its entry saved.
    @usableFromInline
    func undo(_ entry: JournalEntry) {
        switch entry {
        case .accountReplaced(let address, let previous):
            accounts[address] = previous
        case .balanceChanged(let address, let previous):
            accounts[address]!.account.balance = previous
        case .nonceChanged(let address, let previous):
            accounts[address]!.account.nonce = previous
        case .codeChanged(let address, let previousCode, let previousHash):
            accounts[address]!.code = previousCode
            accounts[address]!.account.codeHash = previousHash
        case .storageChanged(let slot, let previous):
            storage[slot]!.current = previous
        case .transientStorageChanged(let slot, let previous):
            if previous.isZero { transientStorage.removeValue(forKey: slot) } else { transientStorage[slot] = previous }
        case .addressWarmed(let address):
            warmAddresses.remove(address)
        case .slotWarmed(let slot):
            warmSlots.remove(slot)
        case .logAdded:
            logs.removeLast()
        case .contractCreated(let address):
            createdInTransaction.remove(address)
        case .selfDestructed(let address):
            selfDestructed.remove(address)
        case .touched:
            break
        }
    }
}
