import EVM
import Primitives
import Testing

// EIP-3855 (PUSH0) test cases, as the EIP lists them; evmone's evm_eip3855_push0_test.cpp is the model.

@Test func push0CostsTwoGas() {
    // EIP-3855: "5F – successful execution, stack consist of a single item, set to zero", 2 gas.
    let result = run("5f")
    #expect(result.status == .success)
    #expect(result.gasUsed() == 2)
}

@Test func push0PushesZero() {
    // PUSH0 (2) + returnTop (15) = 17.
    let result = run("5f" + returnTop)
    #expect(result.status == .success)
    #expect(result.output == [UInt8](repeating: 0, count: 32))
    #expect(result.gasUsed() == 2 + returnTopGas)
}

@Test func push0FillsStackTo1024() {
    // EIP-3855: "5F5F..5F (1024 times) – successful execution", 1024 × 2 gas.
    let result = run([UInt8](repeating: 0x5f, count: 1024))
    #expect(result.status == .success)
    #expect(result.gasUsed() == 2048)
}

@Test func push0StackOverflow() {
    // EIP-3855: "5F5F..5F (1025 times) – execution results in a stack overflow"; all gas is lost.
    let result = run([UInt8](repeating: 0x5f, count: 1025))
    #expect(result.status == .stackOverflow)
    #expect(result.gasLeft == 0)
}
