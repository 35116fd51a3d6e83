import EVM
import Primitives
import Testing

// SSTORE pricing: EIP-3529's test-case table (London and later), each row's code, used gas,
// refund and original value. The EIP's numbers assume the slot is already warm, so the host
// pre-warms slot 0. Then EIP-2200's sentry and EIP-2929's cold surcharges.

struct StorageCase: Sendable, CustomStringConvertible {
    let code: String, usedGas: Int64, refund: Int64, original: UInt64
    var description: String { "\(code) original \(original)" }
}

@Test(arguments: [
    StorageCase(code: "60006000556000600055", usedGas: 212, refund: 0, original: 0),
    StorageCase(code: "60006000556001600055", usedGas: 20112, refund: 0, original: 0),
    StorageCase(code: "60016000556000600055", usedGas: 20112, refund: 19900, original: 0),
    StorageCase(code: "60016000556002600055", usedGas: 20112, refund: 0, original: 0),
    StorageCase(code: "60016000556001600055", usedGas: 20112, refund: 0, original: 0),
    StorageCase(code: "60006000556000600055", usedGas: 3012, refund: 4800, original: 1),
    StorageCase(code: "60006000556001600055", usedGas: 3012, refund: 2800, original: 1),
    StorageCase(code: "60006000556002600055", usedGas: 3012, refund: 0, original: 1),
    StorageCase(code: "60026000556000600055", usedGas: 3012, refund: 4800, original: 1),
    StorageCase(code: "60026000556003600055", usedGas: 3012, refund: 0, original: 1),
    StorageCase(code: "60026000556001600055", usedGas: 3012, refund: 2800, original: 1),
    StorageCase(code: "60026000556002600055", usedGas: 3012, refund: 0, original: 1),
    StorageCase(code: "60016000556000600055", usedGas: 3012, refund: 4800, original: 1),
    StorageCase(code: "60016000556002600055", usedGas: 3012, refund: 0, original: 1),
    StorageCase(code: "60016000556001600055", usedGas: 212, refund: 0, original: 1),
    StorageCase(code: "600160005560006000556001600055", usedGas: 40118, refund: 19900, original: 0),
    StorageCase(code: "600060005560016000556000600055", usedGas: 5918, refund: 7600, original: 1),
])
func sstoreMatchesEIP3529Table(_ testCase: StorageCase) {
    let host = MockHost()
    host.setOriginal(contractAddress, 0, UInt256(testCase.original))
    _ = host.accessStorage(at: contractAddress, key: 0)  // warm, as in the EIP's table
    let result = run(testCase.code, host: host)
    #expect(result.status == .success)
    #expect(result.gasUsed() == testCase.usedGas)
    #expect(result.gasRefund == testCase.refund)
}

@Test func sstoreWithOnly2300GasLeftRunsOutOfGas() {
    // EIP-2200: "If gasleft is less than or equal to 2300, fail with out of gas", even for a
    // no-op write. Two PUSH1 (6) leave 2300 of 2306.
    let host = MockHost()
    _ = host.accessStorage(at: contractAddress, key: 0)
    let result = run("6000 6000 55", gas: 2306, host: host)
    #expect(result.status == .outOfGas)
    #expect(result.gasLeft == 0)
}

@Test func sstoreWith2301GasLeftPassesTheSentry() {
    // One more gas: the sentry passes and the warm no-op costs 100; 6 + 100 = 106 used.
    let host = MockHost()
    _ = host.accessStorage(at: contractAddress, key: 0)
    let result = run("6000 6000 55", gas: 2307, host: host)
    #expect(result.status == .success)
    #expect(result.gasUsed(from: 2307) == 106)
}

@Test func sstoreToColdSlotAddsColdSloadCost() {
    // EIP-2929: a cold slot adds COLD_SLOAD_COST (2100) to the EIP-2200 cost: 6 + 2100 + 20000.
    let result = run("6001 6000 55")
    #expect(result.gasUsed() == 22106)
}

@Test func sstoreInStaticFrameIsViolation() {
    let result = run("6001 6000 55", isStatic: true)
    #expect(result.status == .staticModeViolation)
    #expect(result.gasLeft == 0)
}

@Test func sloadColdThenWarm() {
    // EIP-2929: first SLOAD of a slot 2100, then 100: 3 + 2100 + 3 + 100 = 2206.
    let host = MockHost()
    host.setOriginal(contractAddress, 5, 42)
    let result = run("6005 54 6005 54" + returnTop, host: host)
    #expect(result.outputWord == 42)
    #expect(result.gasUsed() == 2206 + returnTopGas)
}

@Test func balanceColdThenWarm() {
    // EIP-2929: BALANCE of a cold account 2600, then 100: 3 + 2600 + 3 + 100 = 2706.
    let host = MockHost()
    let account = "00000000000000000000000000000000000000aa"
    host.balances[Address(high: 0, middle: 0, low: 0xaa)] = 1234
    let result = run("73" + account + "31 73" + account + "31" + returnTop, host: host)
    #expect(result.outputWord == 1234)
    #expect(result.gasUsed() == 2706 + returnTopGas)
}

@Test func extcodesizeOfWarmAccountCostsWarmRead() {
    // An account warmed before the frame (access list, EIP-2930) costs 100: 3 + 100.
    let host = MockHost()
    let account = Address(high: 0, middle: 0, low: 0xbb)
    host.codes[account] = [0x00, 0x00, 0x00]
    _ = host.accessAccount(account)
    let result = run("73 00000000000000000000000000000000000000bb 3b" + returnTop, host: host)
    #expect(result.outputWord == 3)
    #expect(result.gasUsed() == 103 + returnTopGas)
}
