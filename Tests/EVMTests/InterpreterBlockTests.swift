import EVM
import Primitives
import Testing

// Basic blocks (AnalyzedCode): where they are entered, the base gas and stack bounds charged on
// entry, and that charging per block changes nothing a program can observe: GAS reads the same
// value, a JUMPDEST is paid once whether it is jumped to or run through, and a frame fails at the
// same opcode with the same status as when every opcode is checked.
// Gas figures are the Yellow Paper's (appendix G): PUSH, ADD, POP 3/3/2, JUMP 8, JUMPI 10,
// JUMPDEST 1, GAS 2.

@Test func blocksAreEnteredAtJumpdestsAndAfterJumpi() throws {
    // 0: PUSH1 1, 2: PUSH1 2, 4: ADD, 5: JUMP | 6: JUMPDEST, 7: POP, 8: PUSH1 0, 10: PUSH1 0, 12: JUMPI
    // | 13: ADD, 14: STOP
    let code = AnalyzedCode(bytes("6001 6002 01 56 5b 50 6000 6000 57 01 00"))
    let first = try #require(code.blockFacts(at: 0))
    #expect(first.gas == 3 + 3 + 3 + 8 && first.minimumHeight == 0 && first.maximumHeight == 1024 - 2)
    let second = try #require(code.blockFacts(at: 6))
    // POP needs one item on entry; after it two pushes grow the stack by 1 over the start.
    #expect(second.gas == 1 + 2 + 3 + 3 + 10 && second.minimumHeight == 1 && second.maximumHeight == 1024 - 1)
    let third = try #require(code.blockFacts(at: 13))
    #expect(third.gas == 3 && third.minimumHeight == 2 && third.maximumHeight == 1024)
    for offset in [1, 2, 4, 5, 7, 8, 12, 14] {
        #expect(!code.isBlockStart(offset), "no block starts at \(offset)")
    }
}

@Test func blocksEndAfterOpcodesThatReadGasLeft() {
    // 0: GAS, 1: PUSH1 1, 3: SSTORE, 4: PUSH1 0, 6: POP, 7: STOP
    let code = AnalyzedCode(bytes("5a 6001 55 6000 50 00"))
    #expect(code.isBlockStart(0) && code.isBlockStart(1) && code.isBlockStart(4))
    #expect(code.blockFacts(at: 0)?.gas == 2)
    #expect(code.blockFacts(at: 4)?.gas == 5)
}

@Test func gasReadsTheCounterOfItsOwnOpcode() {
    // GAS, PUSH1 1, POP, then return the top: GAS must see 100,000 − 2 although the rest of the
    // program is charged in blocks.
    let result = run("5a 6001 50 " + returnTop)
    #expect(result.status == .success)
    #expect(result.outputWord == UInt256(100_000 - 2), "GAS pushed \(result.outputWord), expected 99998")
    #expect(result.gasUsed() == 2 + 3 + 2 + returnTopGas)
}

@Test func failingBlockFailsAtTheSameOpcodeAsStepByStep() {
    // PUSH1 ×3, ADD, ADD, ADD (underflows: one item left), STOP.
    let program = "6001 6001 6001 01 01 01 00"
    #expect(run(program).status == .stackUnderflow)
    // With 10 gas the three PUSH1s run (9 gas) and the first ADD runs out of gas before the
    // underflow is reached; with 14 the second ADD does: out of gas, not underflow.
    #expect(run(program, gas: 10).status == .outOfGas)
    #expect(run(program, gas: 14).status == .outOfGas)
    // 15 gas pays every opcode before the underflowing ADD (the stack is checked before the gas):
    // the underflow decides.
    #expect(run(program, gas: 15).status == .stackUnderflow)
}

@Test func jumpdestRunsOutOfGasOnItsOwnCharge() {
    // Three JUMPDESTs, each its own block of 1 gas, then STOP: 2 gas pays two.
    let result = run("5b 5b 5b 00", gas: 2)
    #expect(result.status == .outOfGas)
    #expect(run("5b 5b 5b 00", gas: 3).status == .success)
}

@Test func jumpiFallThroughChargesTheNextBlock() {
    // PUSH1 0, PUSH1 9, JUMPI (not taken), PUSH1 7, then return it: 3 + 3 + 10 + 3 + 15.
    let result = run("6000 6009 57 6007 " + returnTop)
    #expect(result.status == .success)
    #expect(result.outputWord == 7)
    #expect(result.gasUsed() == 3 + 3 + 10 + 3 + returnTopGas)
    // One gas short of the fall-through block: out of gas in it, after the JUMPI's block ran.
    #expect(run("6000 6009 57 6007 " + returnTop, gas: 3 + 3 + 10 + 3 + returnTopGas - 1).status == .outOfGas)
}

@Test func jumpdestInsideARunIsAnEntryForTheRestOfIt() throws {
    // 0: PUSH1 1, 2: JUMPDEST, 3: POP, 4: STOP: one run entered at 0 (all of it) or at 2 (a jump
    // target: JUMPDEST and POP, which needs one item).
    let code = AnalyzedCode(bytes("6001 5b 50 00"))
    let whole = try #require(code.blockFacts(at: 0))
    #expect(whole.gas == 3 + 1 + 2 && whole.minimumHeight == 0 && whole.maximumHeight == 1023)
    let suffix = try #require(code.blockFacts(at: 2))
    #expect(suffix.gas == 1 + 2 && suffix.minimumHeight == 1 && suffix.maximumHeight == 1024)
}

@Test func jumpdestIsPaidOnceWhetherJumpedToOrRunThrough() {
    // A JUMPDEST first: 1 gas in all, so 1 gas is enough.
    let first = run("5b 00", gas: 1)
    #expect(first.status == .success && first.gasLeft == 0, "JUMPDEST STOP with 1 gas: \(first.status), \(first.gasLeft) left")
    // Run through: PUSH1 1, JUMPDEST, POP, PUSH1 7, return it.
    let through = run("6001 5b 50 6007 " + returnTop)
    #expect(through.outputWord == 7 && through.gasUsed() == 3 + 1 + 2 + 3 + returnTopGas)
    // Jumped to: PUSH1 4, JUMP, STOP, 4: JUMPDEST, PUSH1 7, return it.
    let jumped = run("6004 56 00 5b 6007 " + returnTop)
    #expect(jumped.outputWord == 7 && jumped.gasUsed() == 3 + 8 + 1 + 3 + returnTopGas)
    // A loop through the same JUMPDEST three times: counter 3, then 1: JUMPDEST, 2: PUSH1 1,
    // SWAP1, SUB, DUP1, PUSH1 2, JUMPI; each pass 1 + 3 + 3 + 3 + 3 + 3 + 10 = 26.
    let loop = run("6003 5b 6001 90 03 80 6002 57 00")
    #expect(loop.status == .success && loop.gasUsed() == 3 + 3 * 26, "loop used \(loop.gasUsed())")
}
