import Testing
import EVM
import Primitives

/// `PrecompileRegistry.cancun()`: which addresses it fills (DESIGN.md §2: Cancun without the KZG
/// precompile 0x0a, plus P256VERIFY at 0x100 per EIP-7951).
@Suite struct PrecompileRegistryTests {
    @Test func cancunRegistersOneThroughNineAndP256Verify() {
        let expected = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0x100].map { Address(precompileNumber: UInt32($0)) }
        #expect(PrecompileRegistry.cancun().addresses == expected)
    }

    @Test func pointEvaluationIsAbsent() {
        #expect(PrecompileRegistry.cancun().precompile(at: Address(precompileNumber: 0x0a)) == nil)
    }

    @Test func precompileNumberFillsTheLowBytes() throws {
        #expect(Address(precompileNumber: 0x100) == (try Address(hex: "0x0000000000000000000000000000000000000100")))
        #expect(Address(precompileNumber: 1).bytes == [UInt8](repeating: 0, count: 19) + [1])
    }
}
