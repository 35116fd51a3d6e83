import EVM
import Primitives
import Testing

// Jumps (Yellow Paper §9.4.3), stack bounds, out of gas, REVERT (EIP-140), RETURNDATACOPY bounds
// (EIP-211) and undefined opcodes.

@Test func jumpToJumpdest() {
    // PUSH1 4, JUMP, STOP, (4) JUMPDEST, STOP: 3 + 8 + 1 = 12.
    let result = run("6004 56 00 5b 00")
    #expect(result.status == .success)
    #expect(result.gasUsed() == 12)
}

@Test func jumpToNonJumpdestIsBadJumpDestination() {
    let result = run("6003 56 00 00")
    #expect(result.status == .badJumpDestination)
    #expect(result.gasLeft == 0)
}

@Test func jumpIntoPushDataIsBadJumpDestination() {
    // Byte 4 is 0x5b, but it is PUSH1's immediate.
    let result = run("6004 56 60 5b 00")
    #expect(result.status == .badJumpDestination)
}

@Test func jumpPastTheEndIsBadJumpDestination() {
    let result = run("61ffff 56")
    #expect(result.status == .badJumpDestination)
}

@Test func jumpiNotTakenFallsThrough() {
    // PUSH1 0, PUSH1 9 (an invalid target: never checked), JUMPI, PUSH1 7, returnTop: 3+3+10+3.
    let result = run("6000 6009 57 6007" + returnTop)
    #expect(result.outputWord == 7)
    #expect(result.gasUsed() == 19 + returnTopGas)
}

@Test func jumpiTakenJumps() {
    // PUSH1 1, PUSH1 6, JUMPI, INVALID, (6) JUMPDEST, STOP: 3 + 3 + 10 + 1.
    let result = run("6001 6006 57 fe 5b 00")
    #expect(result.status == .success)
    #expect(result.gasUsed() == 17)
}

@Test func addWithOneItemIsStackUnderflow() {
    let result = run("6001 01")
    #expect(result.status == .stackUnderflow)
    #expect(result.gasLeft == 0)
}

@Test func dupOnFullStackIsStackOverflow() {
    let result = run([UInt8](repeating: 0x5f, count: 1024) + [0x80])
    #expect(result.status == .stackOverflow)
}

@Test func outOfGasOnBaseCost() {
    // PUSH1, PUSH1, ADD needs 9 gas; 8 is one short.
    let result = run("6001 6001 01", gas: 8)
    #expect(result.status == .outOfGas)
    #expect(result.gasLeft == 0)
}

@Test func exactGasSucceeds() {
    let result = run("6001 6001 01", gas: 9)
    #expect(result.status == .success)
    #expect(result.gasLeft == 0)
}

@Test func runningOffTheEndStops() {
    // PUSH2 with one immediate byte missing: the missing byte reads as zero, then execution stops.
    let result = run("61 01")
    #expect(result.status == .success)
    #expect(result.gasUsed() == 3)
}

@Test func revertReturnsRemainingGasAndData() {
    // PUSH1 0x42, PUSH1 0, MSTORE (3+3+3+3), PUSH1 32, PUSH1 0, REVERT (3+3+0) = 18.
    let result = run("6042 6000 52 6020 6000 fd")
    #expect(result.status == .revert)
    #expect(result.gasLeft == 100_000 - 18)
    #expect(result.output == [UInt8](repeating: 0, count: 31) + [0x42])
    #expect(result.gasRefund == 0)
}

@Test func revertDropsRefund() {
    // A refund earned by clearing a slot is not reported by a reverting frame.
    let host = MockHost()
    host.setOriginal(contractAddress, 0, 1)
    let result = run("6000 6000 55 6000 6000 fd", host: host)
    #expect(result.status == .revert)
    #expect(result.gasRefund == 0)
}

@Test func returndatacopyWithoutReturnDataIsInvalidMemoryAccess() {
    // RETURNDATACOPY of 1 byte when the return-data buffer is empty (EIP-211).
    let result = run("6001 6000 6000 3e")
    #expect(result.status == .invalidMemoryAccess)
    #expect(result.gasLeft == 0)
}

@Test func returndatacopyPastTheEndOfCallOutputIsInvalidMemoryAccess() {
    // A CALL returns two bytes; copying three from offset 0 fails.
    let host = MockHost()
    host.callResult = CallResult(status: .success, gasLeft: 0, output: [1, 2])
    let call = "6000 6000 6000 6000 6000 6000 6000 f1"
    #expect(run(call + "6002 6000 6000 3e 00", host: host).status == .success)
    #expect(run(call + "6003 6000 6000 3e 00", host: host).status == .invalidMemoryAccess)
}

@Test func invalidOpcodeConsumesAllGas() {
    let result = run("fe")
    #expect(result.status == .invalidInstruction)
    #expect(result.gasLeft == 0)
}

@Test func undefinedOpcodeIsUndefinedInstruction() {
    let result = run("0c")
    #expect(result.status == .undefinedInstruction)
    #expect(result.gasLeft == 0)
}
