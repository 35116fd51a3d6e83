import EVM
import Primitives
import Testing

// EIP-5656 (MCOPY) test cases as the EIP lists them: each MCOPY costs 6 gas there (3 base + 3 for
// one word copied; memory already covers the regions). Each program below first writes the EIP's
// "pre" memory with PUSH32 + PUSH1 + MSTORE, then runs PUSH1 len, PUSH1 src, PUSH1 dst, MCOPY
// (9 + 6 = 15), then returns the memory with PUSH1 size, PUSH1 0, RETURN (6).

let sequence32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

@Test func mcopyFromOffset32ToOffset0() {
    // EIP-5656: MCOPY 0 32 32. pre 0x00…00 ‖ 0x000102…1f, post 0x000102…1f ‖ 0x000102…1f.
    // Setup: 3 + 3 + 3 + memory for 2 words (3·2 + 4/512 = 6) = 15. Total 15 + 15 + 6 = 36.
    let result = run("7f" + sequence32 + "6020 52" + "6020 6020 6000 5e" + "6040 6000 f3")
    #expect(result.status == .success)
    #expect(result.output == bytes(sequence32 + sequence32))
    #expect(result.gasUsed() == 36)
}

@Test func mcopyOntoItself() {
    // EIP-5656: MCOPY 0 0 32. pre 0x0101…01, post unchanged.
    // Setup: 3 + 3 + 3 + 3 (one word) = 12. Total 12 + 15 + 6 = 33.
    let ones = String(repeating: "01", count: 32)
    let result = run("7f" + ones + "6000 52" + "6020 6000 6000 5e" + "6020 6000 f3")
    #expect(result.status == .success)
    #expect(result.output == bytes(ones))
    #expect(result.gasUsed() == 33)
}

@Test func mcopyOverlappingBackward() {
    // EIP-5656: MCOPY 0 1 8. pre 0x0001020304050607 08 00…, post 0x0102030405060708 08 00….
    let pre = "000102030405060708" + String(repeating: "00", count: 23)
    let post = "010203040506070808" + String(repeating: "00", count: 23)
    let result = run("7f" + pre + "6000 52" + "6008 6001 6000 5e" + "6020 6000 f3")
    #expect(result.status == .success)
    #expect(result.output == bytes(post))
    #expect(result.gasUsed() == 33)
}

@Test func mcopyOverlappingForward() {
    // EIP-5656: MCOPY 1 0 8. pre 0x0001020304050607 08 00…, post 0x0000010203040506 07 00….
    let pre = "000102030405060708" + String(repeating: "00", count: 23)
    let post = "000001020304050607" + String(repeating: "00", count: 23)
    let result = run("7f" + pre + "6000 52" + "6008 6000 6001 5e" + "6020 6000 f3")
    #expect(result.status == .success)
    #expect(result.output == bytes(post))
    #expect(result.gasUsed() == 33)
}

@Test func mcopyExpandsMemoryToCoverDestination() {
    // MCOPY 32 0 32 on empty memory: 3 pushes (9) + base 3 + copy 3 + memory for 2 words (6) = 21.
    let result = run("6020 6000 6020 5e")
    #expect(result.status == .success)
    #expect(result.gasUsed() == 21)
}

@Test func mcopyZeroLengthIgnoresHugeDestination() {
    // execution-spec-tests "zero_length_out_of_bounds_destination": MCOPY 2^256−1 0 0 touches no
    // memory: PUSH1, PUSH1, PUSH32 (9) + base 3 = 12, and MSIZE stays 0.
    let result = run("6000 6000 7f" + String(repeating: "ff", count: 32) + "5e 59" + returnTop)
    #expect(result.status == .success)
    #expect(result.outputWord == .zero)
    #expect(result.gasUsed() == 12 + 2 + returnTopGas)
}
