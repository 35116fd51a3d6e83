import EVM
import Primitives
import Testing

// The CALL family and CREATE family as the interpreter prices them: EIP-150's 63/64 rule, the
// 2300 stipend and 9000 value cost (Yellow Paper appendix G), EIP-161's new-account cost, EIP-2929
// cold access, EIP-3860's init-code word cost and size limit, and CREATE2's hashing cost
// (EIP-1014). The MockHost records the Message it receives, so these tests check exactly what the
// callee would get.

let target = "00000000000000000000000000000000000000aa"
let targetAddress = Address(high: 0, middle: 0, low: 0xaa)
let maxGas = "7f" + String(repeating: "ff", count: 32)

/// CALL with all-zero memory regions: PUSH1 0 ×4 (retSize, retOffset, argsSize, argsOffset),
/// PUSH1 value, PUSH20 target, PUSH32 2^256−1 (gas). Seven pushes: 21 gas.
func callProgram(opcode: String = "f1", value: String = "00") -> String {
    "6000 6000 6000 6000 60\(value) 73\(target) \(maxGas) \(opcode)"
}

@Test func callWithValueAddsStipendAndForwards63of64() {
    // 100000 − 21 (pushes) − 100 (warm CALL) − 9000 (value) = 90879 left.
    // EIP-150 cap: 90879 − ⌊90879/64⌋ = 90879 − 1419 = 89460; the callee gets 89460 + 2300.
    // The host hands back no gas, so the caller keeps 1419.
    let host = MockHost()
    host.existingAccounts.insert(targetAddress)
    _ = host.accessAccount(targetAddress)
    let result = run(callProgram(value: "01"), host: host)
    #expect(result.status == .success)
    #expect(host.calls.count == 1)
    #expect(host.calls[0].gas == 89460 + 2300)
    #expect(host.calls[0].value == 1)
    #expect(host.calls[0].kind == .call)
    #expect(host.calls[0].recipient == targetAddress)
    #expect(host.calls[0].sender == contractAddress)
    #expect(host.calls[0].depth == 1)
    #expect(result.gasLeft == 1419)
}

@Test func callWithValueToColdMissingAccountPaysAccessAndNewAccount() {
    // 100000 − 21 − 100 − 2500 (cold) − 9000 − 25000 (EIP-161 new account) = 63379;
    // cap 63379 − 990 = 62389; callee gets 62389 + 2300; caller keeps 990.
    let host = MockHost()
    let result = run(callProgram(value: "01"), host: host)
    #expect(host.calls[0].gas == 62389 + 2300)
    #expect(result.gasLeft == 990)
}

@Test func callWithoutValueHasNoStipend() {
    // 100000 − 21 − 100 = 99879; cap 99879 − 1560 = 98319.
    let host = MockHost()
    _ = host.accessAccount(targetAddress)
    _ = run(callProgram(), host: host)
    #expect(host.calls[0].gas == 98319)
    #expect(host.calls[0].value == .zero)
}

@Test func callForwardsRequestedGasBelowTheCap() {
    // PUSH2 0x1000 as the gas: the callee gets exactly 4096.
    let host = MockHost()
    _ = host.accessAccount(targetAddress)
    _ = run("6000 6000 6000 6000 6000 73\(target) 611000 f1", host: host)
    #expect(host.calls[0].gas == 4096)
}

@Test func callReturnsUnusedGasAndPushesSuccess() {
    // The callee hands back 1000; the caller ends with 1560 (kept) + 1000, minus returnTop.
    let host = MockHost()
    _ = host.accessAccount(targetAddress)
    host.callResult = CallResult(status: .success, gasLeft: 1000)
    let result = run(callProgram() + returnTop, host: host)
    #expect(result.outputWord == 1)
    #expect(result.gasLeft == 1560 + 1000 - returnTopGas)
}

@Test func failedCallPushesZero() {
    let host = MockHost()
    host.callResult = CallResult(status: .revert, gasLeft: 0, output: [9])
    let result = run(callProgram() + "3d 50" + returnTop, host: host)
    #expect(result.outputWord == .zero)
}

@Test func callCopiesOutputIntoResultRegion() {
    // retOffset 0, retSize 2; the callee returns 3 bytes: only 2 are copied; RETURNDATASIZE is 3.
    let host = MockHost()
    host.callResult = CallResult(status: .success, gasLeft: 0, output: [0xaa, 0xbb, 0xcc])
    let result = run("6002 6000 6000 6000 6000 6000 6000 f1 50 3d 6020 52 6040 6000 f3", host: host)
    #expect(Array(result.output[0..<3]) == [0xaa, 0xbb, 0x00])
    #expect(result.output[63] == 3)
}

@Test func delegatecallKeepsSenderAndValue() {
    let host = MockHost()
    _ = run("6000 6000 6000 6000 73\(target) 6000 f4", host: host, value: 77)
    #expect(host.calls[0].kind == .delegateCall)
    #expect(host.calls[0].sender == callerAddress)
    #expect(host.calls[0].recipient == contractAddress)
    #expect(host.calls[0].codeAddress == targetAddress)
    #expect(host.calls[0].value == 77)
}

@Test func staticcallMakesStaticFrame() {
    let host = MockHost()
    _ = run("6000 6000 6000 6000 73\(target) 6000 fa", host: host)
    #expect(host.calls[0].isStatic)
    #expect(host.calls[0].kind == .call)
    #expect(host.calls[0].recipient == targetAddress)
}

@Test func failedToStartValueCallGivesGasAndStipendBack() {
    // The host returns all the message's gas (depth limit): the caller regains the 2300 stipend
    // too, as geth and evmone do. 90879 − 89460 + (89460 + 2300) = 93179.
    let host = MockHost()
    host.existingAccounts.insert(targetAddress)
    _ = host.accessAccount(targetAddress)
    host.callResultFor = { CallResult(status: .callDepthExceeded, gasLeft: $0.gas) }
    let result = run(callProgram(value: "01"), host: host)
    #expect(result.gasLeft == 93179)
}

@Test func create2ChargesInitCodeAndHashingWords() {
    // PUSH1 salt 5, PUSH1 size 64, PUSH1 offset 0, PUSH1 value 0 (12), CREATE2 32000,
    // memory for 2 words 6, EIP-3860 init code 2·2 = 4, EIP-1014 hashing 6·2 = 12: 32034.
    // 100000 − 32034 = 67966; all but 1/64 (1061) goes to the init code: 66905.
    let host = MockHost()
    let created = Address(high: 0, middle: 0, low: 0xbeef)
    host.callResult = CallResult(status: .success, gasLeft: 0, createAddress: created)
    let result = run("6005 6040 6000 6000 f5" + returnTop, host: host)
    #expect(host.calls[0].kind == .create2)
    #expect(host.calls[0].gas == 66905)
    #expect(host.calls[0].salt == 5)
    #expect(host.calls[0].input.count == 64)
    #expect(host.calls[0].sender == contractAddress)
    #expect(result.outputWord == 0xbeef)
    #expect(result.gasLeft == 1061 - returnTopGasNoExpansion)
}

@Test func createChargesInitCodeWords() {
    // PUSH1 size 33, PUSH1 0, PUSH1 0 (9), CREATE 32000, memory 2 words 6, init code 2·2 = 4: 32019.
    // 100000 − 32019 = 67981; 67981 − 1062 = 66919 to the init code.
    let host = MockHost()
    _ = run("6021 6000 6000 f0", host: host)
    #expect(host.calls[0].kind == .create)
    #expect(host.calls[0].gas == 66919)
    #expect(host.calls[0].input.count == 33)
}

@Test func createAtInitCodeLimitRuns() {
    // EIP-3860: 49152 bytes is allowed.
    let host = MockHost()
    let result = run("61c000 6000 6000 f0", gas: 1_000_000, host: host)
    #expect(result.status == .success)
    #expect(host.calls.count == 1)
    #expect(host.calls[0].input.count == 49152)
}

@Test func createAboveInitCodeLimitAbortsFrame() {
    // EIP-3860: 49153 bytes is an exceptional abort: all gas consumed, no create attempted.
    let host = MockHost()
    let result = run("61c001 6000 6000 f0", gas: 1_000_000, host: host)
    #expect(result.status == .outOfGas)
    #expect(result.gasLeft == 0)
    #expect(host.calls.isEmpty)
}

@Test func create2AboveInitCodeLimitAbortsFrame() {
    let host = MockHost()
    let result = run("6000 61c001 6000 6000 f5", gas: 1_000_000, host: host)
    #expect(result.status == .outOfGas)
    #expect(host.calls.isEmpty)
}

@Test func failedCreatePushesZeroAndKeepsRevertData() {
    let host = MockHost()
    host.callResult = CallResult(status: .revert, gasLeft: 0, output: [1, 2, 3, 4])
    let result = run("6000 6000 6000 f0 3d" + returnTop, host: host)
    #expect(result.outputWord == 4)  // RETURNDATASIZE after a reverted create: its revert data
}

@Test func selfdestructToColdMissingBeneficiaryWithBalance() {
    // EIP-2929/EIP-161: PUSH20 (3) + 5000 + 2600 (cold) + 25000 (new account, balance > 0) = 32603.
    let host = MockHost()
    host.balances[contractAddress] = 10
    let result = run("73\(target) ff", host: host)
    #expect(result.status == .success)
    #expect(result.gasUsed() == 32603)
    #expect(host.selfDestructs.count == 1)
    #expect(host.selfDestructs[0].beneficiary == targetAddress)
}

@Test func selfdestructToWarmBeneficiaryWithoutBalance() {
    // 3 + 5000; no refund since EIP-3529.
    let host = MockHost()
    _ = host.accessAccount(targetAddress)
    let result = run("73\(target) ff", host: host)
    #expect(result.gasUsed() == 5003)
    #expect(result.gasRefund == 0)
}

@Test func logPassesTopicsAndData() {
    // MSTORE8 0xab at 0 (12), PUSH1 topic 7, PUSH1 size 1, PUSH1 offset 0 (9), LOG1 375·2 + 8·1.
    let host = MockHost()
    let result = run("60ab 6000 53 6007 6001 6000 a1", host: host)
    #expect(result.gasUsed() == 12 + 9 + 758)
    #expect(host.logs.count == 1)
    #expect(host.logs[0].address == contractAddress)
    #expect(host.logs[0].topics == [UInt256(7).hash32])
    #expect(host.logs[0].data == [0xab])
}
