import Primitives
import State
import Storage
import Testing

/// A few fixed addresses.
private let alice = Address(high: 0, middle: 0, low: 0xa11ce)
private let bob = Address(high: 0, middle: 0, low: 0xb0b)
private let carol = Address(high: 0, middle: 0, low: 0xca401)

private func freshState() -> WorldState { WorldState(store: MemoryStore()) }

@Test func emptyStateRootIsKeccakOfEmptyRLPString() throws {
    let state = freshState()
    #expect(try state.commit() == Hash32(hex: "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"))
}

@Test func twoAccountRootMatchesEthereumTests() throws {
    // Pre-state of GeneralStateTests/stTransactionTest/HighGasPriceParis.json, whose transaction
    // is rejected, so its expected post root is the pre-state root.
    let state = freshState()
    state.insertAccount(try Address(hex: "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), nonce: 0,
                        balance: 0x3b9aca00, code: [])
    state.insertAccount(try Address(hex: "0xd0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"), nonce: 0, balance: 0x0a, code: [])
    #expect(try state.commit() == Hash32(hex: "0xecd1cea72bd1224b1d7a28a577170c00dd480b26b5b0f353e3d4ad2bb542cc09"))
}

@Test func codeAndStorageRootMatchesEthereumTests() throws {
    // Pre-state of GeneralStateTests/stSpecialTest/eoaEmptyParis.json (rejected transaction).
    let state = freshState()
    func address(_ low: UInt32) -> Address { Address(high: 0, middle: 0, low: low) }
    state.insertAccount(address(0xbad1), nonce: 0, balance: 1, code: [])
    state.insertAccount(address(0xbad2), nonce: 1, balance: 0, code: [])
    state.insertAccount(address(0xbad3), nonce: 1, balance: 1, code: [])
    state.insertAccount(address(0xbad4), nonce: 0, balance: 0x0a, code: [], storage: [0xdead: 0xbeef])
    state.insertAccount(address(0xc0de), nonce: 1, balance: 0, code: try Array(hex:
        "0x32806000558031603155803b603b55803f603f55600181013f61013f5561bad13f61bad15561bad23f61bad25561bad33f61bad35561bad43f61bad45561bad53f61bad55560008080805a94600435905af1505a900360f1555a60008080808061dead5af1505a900360ff5500"))
    state.insertAccount(address(0xdead), nonce: 1, balance: 0x2710, code: [0x32, 0xff])
    state.insertAccount(try Address(hex: "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), nonce: 0,
                        balance: 0x3b9aca00, code: [])
    #expect(try state.commit() == Hash32(hex: "0xc601c9ea84c29e00a812de5a2d544aa64473d4a1d2bc4821ea5bd3f16ee3ad98"))
}

@Test func nestedRevertUndoesOnlyTheInnerChanges() {
    let state = freshState()
    state.insertAccount(alice, nonce: 1, balance: 100, code: [])
    state.beginTransaction()
    let outer = state.snapshot()
    state.subtractBalance(10, from: alice)
    state.setStorage(at: alice, key: 1, value: 7)
    let inner = state.snapshot()
    state.setNonce(5, of: alice)
    state.addBalance(3, to: bob)
    state.setStorage(at: alice, key: 1, value: 8)
    state.revert(to: inner)
    #expect(state.nonce(of: alice) == 1)
    #expect(state.balance(of: alice) == 90)
    #expect(state.storage(at: alice, key: 1) == 7)
    #expect(!state.exists(bob))
    state.revert(to: outer)
    #expect(state.balance(of: alice) == 100)
    #expect(state.storage(at: alice, key: 1) == 0)
}

@Test func originalStorageValueIsTheTransactionStartValue() {
    let state = freshState()
    state.insertAccount(alice, nonce: 1, balance: 0, code: [0x00], storage: [1: 10])
    state.beginTransaction()
    let before = state.setStorage(at: alice, key: 1, value: 11)
    #expect(before == StorageSlot(10))
    state.setStorage(at: alice, key: 1, value: 12)
    #expect(state.storageSlot(at: alice, key: 1).original == 10)
    #expect(state.storageSlot(at: alice, key: 1).current == 12)
    state.finalizeTransaction()
    state.beginTransaction()
    #expect(state.storageSlot(at: alice, key: 1).original == 12)
}

@Test func transientStorageRevertsWithFrameAndClearsPerTransaction() {
    let state = freshState()
    state.beginTransaction()
    state.setTransientStorage(at: alice, key: 1, value: 5)
    let snapshot = state.snapshot()
    state.setTransientStorage(at: alice, key: 1, value: 6)
    state.revert(to: snapshot)
    #expect(state.transientStorage(at: alice, key: 1) == 5)
    state.finalizeTransaction()
    state.beginTransaction()
    #expect(state.transientStorage(at: alice, key: 1) == 0)
}

@Test func warmAddressesAndSlotsAreJournaled() {
    let state = freshState()
    state.beginTransaction()
    #expect(state.accessAddress(alice) == false)
    #expect(state.accessAddress(alice) == true)
    let snapshot = state.snapshot()
    #expect(state.accessStorage(at: alice, key: 3) == false)
    #expect(state.accessAddress(bob) == false)
    state.revert(to: snapshot)
    #expect(state.isWarm(alice))
    #expect(!state.isWarm(bob))
    #expect(!state.isWarm(alice, key: 3))
}

@Test func touchedEmptyAccountIsDeletedAtTransactionEnd() throws {
    let state = freshState()
    state.insertAccount(alice, nonce: 0, balance: 0, code: [])
    state.insertAccount(bob, nonce: 0, balance: 0, code: [])
    let preRoot = try state.commit()
    state.beginTransaction()
    state.addBalance(0, to: alice)  // a zero-value transfer touches (EIP-161)
    state.finalizeTransaction()
    #expect(!state.exists(alice))
    #expect(state.exists(bob))
    #expect(try state.commit() != preRoot)
}

@Test func revertedTouchKeepsEmptyAccount() {
    let state = freshState()
    state.insertAccount(alice, nonce: 0, balance: 0, code: [])
    state.beginTransaction()
    let snapshot = state.snapshot()
    state.touch(alice)
    state.revert(to: snapshot)
    state.finalizeTransaction()
    #expect(state.exists(alice))
}

@Test func selfDestructedContractCreatedInTransactionIsDeleted() {
    let state = freshState()
    state.beginTransaction()
    state.createContract(at: carol)
    state.setNonce(1, of: carol)
    state.setStorage(at: carol, key: 1, value: 1)
    #expect(state.isCreatedInTransaction(carol))
    #expect(state.markSelfDestructed(carol))
    #expect(!state.markSelfDestructed(carol))
    state.finalizeTransaction()
    #expect(!state.exists(carol))
    #expect(state.storage(at: carol, key: 1) == 0)
}

@Test func createContractKeepsBalanceSentBeforehand() {
    let state = freshState()
    state.insertAccount(carol, nonce: 0, balance: 42, code: [])
    state.beginTransaction()
    state.createContract(at: carol)
    #expect(state.balance(of: carol) == 42)
    #expect(state.nonce(of: carol) == 0)
}

@Test func logsAreJournaled() {
    let state = freshState()
    state.beginTransaction()
    state.addLog(Log(address: alice, topics: [], data: [1]))
    let snapshot = state.snapshot()
    state.addLog(Log(address: bob, topics: [], data: [2]))
    state.revert(to: snapshot)
    #expect(state.logs == [Log(address: alice, topics: [], data: [1])])
}

@Test func emptyLogsHashIsKeccakOfEmptyList() throws {
    #expect(Log.hash(of: []) == (try Hash32(hex: "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")))
}

@Test func committedStateReopensFromStore() throws {
    let store = MemoryStore()
    let state = WorldState(store: store)
    state.insertAccount(alice, nonce: 3, balance: 1000, code: [0x60, 0x00], storage: [7: 9])
    let root = try state.commit()
    let reopened = WorldState(store: store, root: root)
    #expect(reopened.nonce(of: alice) == 3)
    #expect(reopened.balance(of: alice) == 1000)
    #expect(reopened.code(of: alice) == [0x60, 0x00])
    #expect(reopened.storage(at: alice, key: 7) == 9)
    #expect(reopened.storage(at: alice, key: 8) == 0)
    #expect(!reopened.exists(bob))
    #expect(reopened.databaseError == nil)
}

@Test func incrementalCommitEqualsFreshBuild() throws {
    let state = freshState()
    state.insertAccount(alice, nonce: 1, balance: 5, code: [0x00], storage: [1: 1, 2: 2])
    state.insertAccount(bob, nonce: 0, balance: 7, code: [])
    try state.commit()
    state.beginTransaction()
    state.setStorage(at: alice, key: 1, value: 0)
    state.setStorage(at: alice, key: 3, value: 3)
    state.addBalance(1, to: bob)
    state.finalizeTransaction()
    let incremental = try state.commit()

    let fresh = freshState()
    fresh.insertAccount(alice, nonce: 1, balance: 5, code: [0x00], storage: [2: 2, 3: 3])
    fresh.insertAccount(bob, nonce: 0, balance: 8, code: [])
    #expect(try fresh.commit() == incremental)
}

@Test func commitIntoBatchIncludesCode() throws {
    let state = freshState()
    state.insertAccount(alice, nonce: 1, balance: 0, code: [0x60, 0x01])
    var batch = WriteBatch()
    try state.commit(into: &batch)
    let codeKey = WorldState.codeKey(Keccak256.hash([0x60, 0x01]))
    #expect(batch.operations.contains(.put(key: codeKey, value: [0x60, 0x01])))
}

@Test func dumpListsEveryAccountAndSlotByPreimage() throws {
    let state = freshState()
    state.insertAccount(alice, nonce: 3, balance: 1_000, code: [])
    state.insertAccount(bob, nonce: 1, balance: 0, code: [0x60, 0x00], storage: [1: 0xBEEF, UInt256(1) << 200: 7])
    try state.commit()
    state.beginTransaction()
    _ = state.setStorage(at: bob, key: 1, value: 0)
    state.finalizeTransaction()
    try state.commit()
    let reopened = WorldState(store: state.store, root: state.stateRoot)
    #expect(try reopened.dumpAccounts() == [
        alice: DumpedAccount(nonce: 3, balance: 1_000, code: [], storage: [:]),
        bob: DumpedAccount(nonce: 1, balance: 0, code: [0x60, 0x00], storage: [UInt256(1) << 200: 7]),
    ])
}

@Test func dumpNamesAKeyWithoutPreimage() throws {
    let store = MemoryStore()
    let state = WorldState(store: store)
    state.insertAccount(alice, nonce: 1, balance: 1, code: [])
    var batch = WriteBatch()
    let root = try state.commit(into: &batch)
    var withoutPreimages = WriteBatch()
    for case .put(let key, let value) in batch.operations where !key.starts(with: Array("secure-key-".utf8)) {
        withoutPreimages.put(value, forKey: key)
    }
    try store.write(withoutPreimages)
    #expect {
        _ = try WorldState(store: store, root: root).dumpAccounts()
    } throws: { error in
        "\(error)".contains("no preimage for the account key \(Keccak256.hash(alice.bytes))")
    }
}
