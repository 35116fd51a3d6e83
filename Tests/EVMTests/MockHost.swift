import EVM
import Primitives

/// An in-memory `Host` for interpreter unit tests: storage with original values (so SSTORE gets
/// EIP-2200's status from original/current/new), balances, code, warm sets, transient storage,
/// and a record of every nested call, log and self-destruct. Nested calls do not run code: they
/// return `callResult` (or `callResultFor`'s answer).
final class MockHost: Host {
    struct SlotKey: Hashable { var address: Address; var key: UInt256 }

    var storageValues: [SlotKey: UInt256] = [:]
    var originalValues: [SlotKey: UInt256] = [:]
    var transientValues: [SlotKey: UInt256] = [:]
    var balances: [Address: UInt256] = [:]
    var codes: [Address: [UInt8]] = [:]
    var existingAccounts: Set<Address> = []
    var warmAccounts: Set<Address> = []
    var warmSlots: Set<SlotKey> = []
    var blockHashes: [UInt64: Hash32] = [:]
    var context = TransactionContext(gasPrice: 7, origin: Address(high: 0, middle: 0, low: 0x0_0011),
                                     coinbase: Address(high: 0, middle: 0, low: 0xc0ffee), number: 1000,
                                     timestamp: 1_700_000_000, gasLimit: 30_000_000, prevRandao: .zero,
                                     chainId: 1, baseFee: 10)

    /// What `call` answers; by default success with no gas left over.
    var callResult = CallResult(status: .success, gasLeft: 0)
    /// When set, computes the answer from the message instead.
    var callResultFor: ((Message) -> CallResult)?
    private(set) var calls: [Message] = []
    private(set) var logs: [(address: Address, topics: [Hash32], data: [UInt8])] = []
    private(set) var selfDestructs: [(address: Address, beneficiary: Address)] = []

    /// Sets a slot's value both as the transaction-start (original) and current value.
    func setOriginal(_ address: Address, _ key: UInt256, _ value: UInt256) {
        originalValues[SlotKey(address: address, key: key)] = value
        storageValues[SlotKey(address: address, key: key)] = value
    }

    func accountExists(_ address: Address) -> Bool {
        existingAccounts.contains(address) || !(balances[address] ?? .zero).isZero || !(codes[address] ?? []).isEmpty
    }

    func storage(at address: Address, key: UInt256) -> UInt256 {
        storageValues[SlotKey(address: address, key: key)] ?? .zero
    }

    /// EIP-2200's cases in EVMC's naming, from original, current and new values.
    func setStorage(at address: Address, key: UInt256, value: UInt256) -> StorageStatus {
        let slot = SlotKey(address: address, key: key)
        let original = originalValues[slot] ?? .zero
        let current = storageValues[slot] ?? .zero
        storageValues[slot] = value
        if current == value { return .assigned }
        if original == current {
            if original.isZero { return .added }
            return value.isZero ? .deleted : .modified
        }
        if !original.isZero {
            if current.isZero { return value == original ? .deletedRestored : .deletedAdded }
            if value.isZero { return .modifiedDeleted }
            if value == original { return .modifiedRestored }
        } else if value.isZero {
            return .addedDeleted
        }
        return .assigned
    }

    func balance(of address: Address) -> UInt256 { balances[address] ?? .zero }
    func codeSize(of address: Address) -> Int { codes[address]?.count ?? 0 }
    func codeHash(of address: Address) -> Hash32 {
        accountExists(address) ? Keccak256.hash(codes[address] ?? []) : .zero
    }
    func code(of address: Address) -> [UInt8] { codes[address] ?? [] }

    func selfDestruct(_ address: Address, beneficiary: Address) -> Bool {
        selfDestructs.append((address, beneficiary))
        return true
    }

    func call(_ message: Message) -> CallResult {
        calls.append(message)
        return callResultFor?(message) ?? callResult
    }

    var transactionContext: TransactionContext { context }
    func blockHash(number: UInt64) -> Hash32 { blockHashes[number] ?? .zero }

    func emitLog(address: Address, topics: [Hash32], data: [UInt8]) {
        logs.append((address, topics, data))
    }

    func accessAccount(_ address: Address) -> AccessStatus {
        warmAccounts.insert(address).inserted ? .cold : .warm
    }

    func accessStorage(at address: Address, key: UInt256) -> AccessStatus {
        warmSlots.insert(SlotKey(address: address, key: key)).inserted ? .cold : .warm
    }

    func transientStorage(at address: Address, key: UInt256) -> UInt256 {
        transientValues[SlotKey(address: address, key: key)] ?? .zero
    }

    func setTransientStorage(at address: Address, key: UInt256, value: UInt256) {
        transientValues[SlotKey(address: address, key: key)] = value
    }
}
