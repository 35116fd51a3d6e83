import EVM
import Primitives
import Testing

// Block and transaction values: EIP-4844 BLOBHASH (zero past the end of the list), EIP-7516
// BLOBBASEFEE, BLOCKHASH's 256-block window, and the context opcodes.

let blobHash0 = Hash32(words: 0x0100_0000_0000_0000, 0, 0, 1)
let blobHash1 = Hash32(words: 0x0100_0000_0000_0000, 0, 0, 2)

func blobHost() -> MockHost {
    let host = MockHost()
    host.context.blobHashes = [blobHash0, blobHash1]
    host.context.blobBaseFee = 0x1234
    return host
}

@Test func blobhashReadsIndexedHash() {
    // PUSH1 1, BLOBHASH: 3 + 3.
    let result = run("6001 49" + returnTop, host: blobHost())
    #expect(result.outputWord == UInt256(blobHash1))
    #expect(result.gasUsed() == 6 + returnTopGas)
}

@Test func blobhashPastTheEndIsZero() {
    let result = run("6002 49" + returnTop, host: blobHost())
    #expect(result.outputWord == .zero)
    #expect(result.gasUsed() == 6 + returnTopGas)
}

@Test func blobhashOfHugeIndexIsZero() {
    let result = run("7f" + String(repeating: "ff", count: 32) + "49" + returnTop, host: blobHost())
    #expect(result.outputWord == .zero)
}

@Test func blobbasefeeReadsContext() {
    // BLOBBASEFEE: 2.
    let result = run("4a" + returnTop, host: blobHost())
    #expect(result.outputWord == 0x1234)
    #expect(result.gasUsed() == 2 + returnTopGas)
}

@Test func blockhashOfRecentBlock() {
    // NUMBER is 1000 in the MockHost; block 999 is in range. PUSH2 + BLOCKHASH: 3 + 20.
    let host = MockHost()
    host.blockHashes[999] = Hash32(words: 9, 9, 9, 9)
    let result = run("6103e7 40" + returnTop, host: host)
    #expect(result.outputWord == UInt256(Hash32(words: 9, 9, 9, 9)))
    #expect(result.gasUsed() == 23 + returnTopGas)
}

@Test func blockhashOutsideWindowIsZero() {
    // Block 743 is 257 blocks back; the current block 1000 has no hash yet.
    let host = MockHost()
    host.blockHashes[743] = Hash32(words: 1, 1, 1, 1)
    host.blockHashes[1000] = Hash32(words: 2, 2, 2, 2)
    #expect(run("6102e7 40" + returnTop, host: host).outputWord == .zero)
    #expect(run("6103e8 40" + returnTop, host: host).outputWord == .zero)
}

@Test func contextOpcodesReadTransactionContext() {
    let host = MockHost()
    #expect(run("3a" + returnTop, host: host).outputWord == 7)  // GASPRICE
    #expect(run("43" + returnTop, host: host).outputWord == 1000)  // NUMBER
    #expect(run("46" + returnTop, host: host).outputWord == 1)  // CHAINID
    #expect(run("48" + returnTop, host: host).outputWord == 10)  // BASEFEE
    #expect(run("41" + returnTop, host: host).outputWord == 0xc0ffee)  // COINBASE
    #expect(run("33" + returnTop, host: host).outputWord == 0xca11)  // CALLER
    #expect(run("30" + returnTop, host: host).outputWord == 0xc0de)  // ADDRESS
}

@Test func selfbalanceCostsFive() {
    // EIP-1884: SELFBALANCE 5, no access charge.
    let host = MockHost()
    host.balances[contractAddress] = 99
    let result = run("47" + returnTop, host: host)
    #expect(result.outputWord == 99)
    #expect(result.gasUsed() == 5 + returnTopGas)
}

@Test func gasOpcodeReportsGasAfterItsOwnCost() {
    // GAS costs 2, so it pushes 100000 − 2.
    let result = run("5a" + returnTop)
    #expect(result.outputWord == UInt256(UInt64(100_000 - 2)))
}
