import Primitives
import Storage
import Trie

/// The mutable world state a block executes against: accounts, code, storage, and the
/// per-transaction bookkeeping of the EVM (warm sets, transient storage, logs, self-destructs).
///
/// Every change goes through a journal of small revertible entries (`Journal.swift`), so
/// `snapshot()` / `revert(to:)` give nested call frames their all-or-nothing semantics.
///
/// Lifecycle: `beginTransaction()`, then any number of reads, writes, snapshots and reverts, then
/// `finalizeTransaction()` (EIP-6780 destruction, EIP-161 empty-account deletion, original storage
/// values rolled forward); after a block, `commit()` computes the state root (and, given a batch,
/// the trie nodes and code to persist).
///
/// Layout: one dictionary of accounts keyed by `Address` and one flat dictionary of storage slots
/// keyed by `StorageSlotKey` (address, key), so an access costs a hash lookup and no allocation.
/// Accounts and slots not yet cached are read from the committed tries in `store` (the state trie
/// at `stateRoot`, each account's storage trie at its `storageRoot`, code under "c" ‖ hash); a
/// fresh state over an empty `MemoryStore` (state tests) gets its pre-state from
/// `insertAccount(_:nonce:balance:code:storage:)`.
///
/// Invariants: values read from the store are cached unjournaled (a revert never needs to drop
/// them); a read failure is remembered in `databaseError` and reported by `commit()`, as
/// go-ethereum's `StateDB.dbErr` is, because the EVM's host calls cannot throw. Not thread-safe:
/// one block executes on one thread.
public final class WorldState {
    @usableFromInline var accounts: [Address: AccountRecord] = [:]
    @usableFromInline var storage: [StorageSlotKey: StorageSlot] = [:]
    @usableFromInline var transientStorage: [StorageSlotKey: UInt256] = [:]
    @usableFromInline var warmAddresses: Set<Address> = []
    @usableFromInline var warmSlots: Set<StorageSlotKey> = []
    @usableFromInline var journal = Journal()
    /// Accounts created by CREATE/CREATE2 (or a creation transaction) in this transaction (EIP-6780).
    @usableFromInline var createdInTransaction: Set<Address> = []
    /// Accounts marked by SELFDESTRUCT for deletion at the end of this transaction.
    @usableFromInline var selfDestructed: Set<Address> = []
    /// Accounts whose fields changed since the last commit (their trie leaves must be rewritten).
    @usableFromInline var dirtyAccounts: Set<Address> = []
    /// Accounts whose storage changed since the last commit (their storage roots must be recomputed).
    @usableFromInline var dirtyStorage: Set<Address> = []
    /// Accounts deleted since the last commit whose whole storage must go.
    @usableFromInline var wipedStorage: Set<Address> = []

    /// Slots written since the last commit (a superset: a slot written back to its value is harmless).
    @usableFromInline var dirtySlots: Set<StorageSlotKey> = []

    /// The logs emitted so far in the current transaction, in order.
    public internal(set) var logs: [Log] = []
    /// Where trie nodes and code are read from (and written to by `commit()`).
    public let store: any KeyValueStore
    /// The state root as of the last commit (or the root the state was opened at).
    public internal(set) var stateRoot: Hash32
    /// The state trie at `stateRoot`, kept open between commits.
    @usableFromInline var accountTrie: SecureTrie
    /// The first store read failure, if any; `commit()` throws it.
    public internal(set) var databaseError: StateError?

    /// Opens the state at a committed root.
    /// - Parameters:
    ///   - store: the key-value store holding trie nodes and code (`LevelDBStore` for the node,
    ///     `MemoryStore` for tests).
    ///   - root: the state root to open; the empty root (the default) for a fresh state.
    public init(store: any KeyValueStore, root: Hash32 = Account.emptyStorageRoot) {
        self.store = store
        self.stateRoot = root
        self.accountTrie = SecureTrie(store: store, root: root)
    }

    // MARK: Loading

    /// The cached record of `address`, loading it from the database on first use.
    @usableFromInline
    func record(_ address: Address) -> AccountRecord {
        if let cached = accounts[address] { return cached }
        if stateRoot == Account.emptyStorageRoot { return .absent }
        let loaded: AccountRecord
        do {
            if let account = try readCommittedAccount(address) {
                loaded = AccountRecord(account: account, code: nil, exists: true)
            } else {
                loaded = .absent
            }
        } catch {
            if databaseError == nil { databaseError = error }
            loaded = .absent
        }
        accounts[address] = loaded
        return loaded
    }

    /// Makes sure `address` exists, creating an empty account (journaled) if it does not.
    @usableFromInline
    func materialize(_ address: Address) {
        let current = record(address)
        if current.exists { return }
        journal.append(.accountReplaced(address, previous: accounts[address]))
        accounts[address] = AccountRecord(account: Account(), code: [], exists: true)
        dirtyAccounts.insert(address)
    }

    // MARK: Pre-state

    /// Inserts an account as a block's pre-state or a genesis allocation: not journaled, not
    /// touched, and not undone by `revert(to:)`.
    /// - Parameters:
    ///   - address: the account address.
    ///   - nonce: its nonce.
    ///   - balance: its balance in wei.
    ///   - code: its code.
    ///   - storage: its nonzero storage slots (zero values are ignored).
    public func insertAccount(_ address: Address, nonce: UInt64, balance: UInt256, code: [UInt8],
                              storage: [UInt256: UInt256] = [:]) {
        let account = Account(nonce: nonce, balance: balance, codeHash: Keccak256.hash(code))
        accounts[address] = AccountRecord(account: account, code: code, exists: true)
        dirtyAccounts.insert(address)
        for (key, value) in storage where !value.isZero {
            let slotKey = StorageSlotKey(address: address, key: key)
            self.storage[slotKey] = StorageSlot(value)
            dirtySlots.insert(slotKey)
        }
        if !storage.isEmpty { dirtyStorage.insert(address) }
    }

    // MARK: Reading accounts

    /// Whether an account exists at `address` (possibly empty in the EIP-161 sense).
    /// - Parameter address: the account address.
    /// - Returns: true if the state trie has (or will have) a leaf for it.
    public func exists(_ address: Address) -> Bool { record(address).exists }

    /// Every address the state holds in memory: the pre-state and every account read or written
    /// since it was opened (existing or not), for dumps and tests such as the differential fuzzer's
    /// post-state comparison.
    public var cachedAddresses: [Address] { Array(accounts.keys) }

    /// Whether `address` is absent or empty (EIP-161: zero nonce, zero balance, no code).
    /// - Parameter address: the account address.
    /// - Returns: true if no account exists or it is empty.
    public func isEmptyOrAbsent(_ address: Address) -> Bool {
        let current = record(address)
        return !current.exists || current.account.isEmpty
    }

    /// The account at `address` with its storage root as of the last commit.
    /// - Parameter address: the account address.
    /// - Returns: the account, or nil if none exists.
    public func account(at address: Address) -> Account? {
        let current = record(address)
        return current.exists ? current.account : nil
    }

    /// The nonce of `address`; zero if no account exists.
    /// - Parameter address: the account address.
    /// - Returns: the nonce.
    public func nonce(of address: Address) -> UInt64 { record(address).account.nonce }

    /// The balance of `address`; zero if no account exists.
    /// - Parameter address: the account address.
    /// - Returns: the balance in wei.
    public func balance(of address: Address) -> UInt256 { record(address).account.balance }

    /// The code hash of `address`: `Hash32.emptyKeccak` for an account without code, and also for
    /// a missing account (EXTCODEHASH's zero for missing accounts is the host's business).
    /// - Parameter address: the account address.
    /// - Returns: keccak256 of the code.
    public func codeHash(of address: Address) -> Hash32 { record(address).account.codeHash }

    /// The code of `address`; empty if none.
    /// - Parameter address: the account address.
    /// - Returns: the code.
    public func code(of address: Address) -> [UInt8] {
        let current = record(address)
        if let code = current.code { return code }
        if current.account.codeHash == .emptyKeccak { return [] }
        do {
            let code = try readCode(hash: current.account.codeHash)
            accounts[address]!.code = code
            return code
        } catch {
            if databaseError == nil { databaseError = error }
            return []
        }
    }

    // MARK: Writing accounts

    /// Adds wei to a balance, creating the account if needed. A zero amount still touches the
    /// account (EIP-161), as a zero-value transfer does.
    /// - Parameters:
    ///   - amount: the wei to add; the caller guarantees no overflow past 2^256 − 1.
    ///   - address: the account to credit.
    public func addBalance(_ amount: UInt256, to address: Address) {
        materialize(address)
        let previous = accounts[address]!.account.balance
        journal.append(.balanceChanged(address, previous: previous))
        accounts[address]!.account.balance = previous &+ amount
        dirtyAccounts.insert(address)
    }

    /// Subtracts wei from a balance.
    /// - Parameters:
    ///   - amount: the wei to take.
    ///   - address: the account to debit.
    /// - Precondition: the balance covers `amount` (the caller checked it).
    public func subtractBalance(_ amount: UInt256, from address: Address) {
        materialize(address)
        let previous = accounts[address]!.account.balance
        precondition(previous >= amount, "balance \(previous) of \(address) below \(amount)")
        journal.append(.balanceChanged(address, previous: previous))
        accounts[address]!.account.balance = previous &- amount
        dirtyAccounts.insert(address)
    }

    /// Sets a nonce, creating the account if needed.
    /// - Parameters:
    ///   - nonce: the new nonce.
    ///   - address: the account.
    public func setNonce(_ nonce: UInt64, of address: Address) {
        materialize(address)
        journal.append(.nonceChanged(address, previous: accounts[address]!.account.nonce))
        accounts[address]!.account.nonce = nonce
        dirtyAccounts.insert(address)
    }

    /// Sets an account's code (the code deposit of a CREATE), creating the account if needed.
    /// - Parameters:
    ///   - code: the runtime code.
    ///   - address: the account.
    public func setCode(_ code: [UInt8], of address: Address) {
        materialize(address)
        let current = accounts[address]!
        journal.append(.codeChanged(address, previousCode: current.code, previousHash: current.account.codeHash))
        accounts[address]!.code = code
        accounts[address]!.account.codeHash = Keccak256.hash(code)
        dirtyAccounts.insert(address)
    }

    /// Marks an account touched without changing it (EIP-161): if it is empty at the end of the
    /// transaction, it is deleted. Touching a missing account does nothing.
    /// - Parameter address: the account.
    public func touch(_ address: Address) {
        journal.append(.touched(address))
    }

    /// Replaces whatever is at `address` with a fresh contract account for CREATE/CREATE2: zero
    /// nonce, no code, no storage, and the previous balance kept (wei sent to an address before
    /// its contract is created stays there). Records the address as created in this transaction
    /// (EIP-6780).
    /// - Parameter address: the new contract's address.
    public func createContract(at address: Address) {
        let previous = record(address)
        journal.append(.accountReplaced(address, previous: accounts[address]))
        let balance = previous.exists ? previous.account.balance : .zero
        accounts[address] = AccountRecord(account: Account(balance: balance), code: [], exists: true)
        dirtyAccounts.insert(address)
        if createdInTransaction.insert(address).inserted {
            journal.append(.contractCreated(address))
        }
    }

    /// Whether the account at `address` has committed storage (EIP-7610 treats creating over it
    /// as a collision).
    /// - Parameter address: the account.
    /// - Returns: true if its storage root is not the empty root or it holds a nonzero cached slot.
    public func hasStorage(_ address: Address) -> Bool {
        let current = record(address)
        guard current.exists else { return false }
        guard dirtyStorage.contains(address) else {
            return current.account.storageRoot != Account.emptyStorageRoot
        }
        // Rare (CREATE onto an address whose storage changed since the last commit): scan.
        for (slot, value) in storage where slot.address == address && !value.current.isZero { return true }
        return false
    }

    // MARK: Snapshots

    /// Marks the current point of the journal.
    /// - Returns: an id to pass to `revert(to:)`; ids of nested snapshots increase.
    @inlinable public func snapshot() -> Int { journal.entries.count }

    /// Undoes every change made since `snapshot`, innermost first.
    /// - Parameter snapshot: an id from `snapshot()` in this transaction.
    public func revert(to snapshot: Int) {
        precondition(snapshot <= journal.entries.count, "revert to \(snapshot) past journal end \(journal.entries.count)")
        while journal.entries.count > snapshot {
            undo(journal.entries.removeLast())
        }
    }
}
