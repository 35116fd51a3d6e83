import EVM
import Primitives
import Testing

// Memory expansion (Yellow Paper eq. 326): C_mem(a) = 3a + ⌊a²/512⌋ for a active words, charged
// as the difference when memory grows.

@Test func mstoreAtZeroThenAt1000() {
    // PUSH1 0, PUSH1 0, MSTORE: 9 + C_mem(1) = 9 + 3 = 12.
    // PUSH1 0, PUSH2 1000, MSTORE: memory to 1032 bytes = 33 words; C_mem(33) = 99 + ⌊1089/512⌋ = 101;
    // 9 + (101 − 3) = 107. Total 119.
    let result = run("6000 6000 52 6000 6103e8 52")
    #expect(result.status == .success)
    #expect(result.gasUsed() == 119)
}

@Test func msizeIsRoundedUpToWords() {
    // MSTORE8 at 1000 makes memory 1001 bytes, rounded up to 32 words = 1024 bytes.
    // 3 + 3 + 3 + C_mem(32) = 96 + 2 = 98, MSIZE 2, returnTop 12 (memory already covers it).
    let result = run("6001 6103e8 53 59" + returnTop)
    #expect(result.outputWord == 1024)
    #expect(result.gasUsed() == 9 + 98 + 2 + returnTopGasNoExpansion)
}

@Test func mloadReadsBigEndianWord() {
    // MSTORE8 0x42 at 31, then MLOAD 0: the word is 0x42. 3+3+3+3 + 3+3, returnTop without expansion.
    let result = run("6042 601f 53 6000 51" + returnTop)
    #expect(result.outputWord == 0x42)
    #expect(result.gasUsed() == 12 + 6 + returnTopGasNoExpansion)
}

@Test func mloadAtOffsetBeyond64BitsRunsOutOfGas() {
    let result = run("68 010000000000000000 51")
    #expect(result.status == .outOfGas)
    #expect(result.gasLeft == 0)
}

@Test func keccak256OfEmptyInput() {
    // 3 + 3 + 30 = 36; keccak256("") from Hash32.emptyKeccak's known answer.
    let result = run("6000 6000 20" + returnTop)
    #expect(result.outputWord == word("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"))
    #expect(result.gasUsed() == 36 + returnTopGas)
}

@Test func keccak256OfOneZeroWord() {
    // 3 + 3 + 30 + 6·1 + C_mem(1) = 45; keccak256(32 zero bytes), the well-known empty-slot hash.
    let result = run("6020 6000 20" + returnTop)
    #expect(result.outputWord == word("290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563"))
    #expect(result.gasUsed() == 45 + returnTopGasNoExpansion)
}

@Test func calldataloadPadsPastTheEnd() {
    // Call data 0xaabb; CALLDATALOAD 1 reads 0xbb then 31 zeros. 3 + 3.
    let result = run("6001 35" + returnTop, input: [0xaa, 0xbb])
    #expect(result.outputWord == word("bb" + String(repeating: "00", count: 31)))
    #expect(result.gasUsed() == 6 + returnTopGas)
}

@Test func calldatacopyZeroFillsPastTheEnd() {
    // CALLDATACOPY 32 bytes from offset 1 of 0xaabbcc to memory 0: 9 + 3 + 3 (copy) + 3 (memory)
    // = 18, then PUSH1 32 PUSH1 0 RETURN = 6.
    let result = run("6020 6001 6000 37 6020 6000 f3", input: [0xaa, 0xbb, 0xcc])
    #expect(result.output == [0xbb, 0xcc] + [UInt8](repeating: 0, count: 30))
    #expect(result.gasUsed() == 24)
}

@Test func expChargesFiftyPerExponentByte() {
    // EIP-160: PUSH2 0x0100, PUSH1 2, EXP = 3 + 3 + 10 + 50·2; 2^256 wraps to 0.
    let result = run("610100 6002 0a" + returnTop)
    #expect(result.outputWord == .zero)
    #expect(result.gasUsed() == 116 + returnTopGas)
}
