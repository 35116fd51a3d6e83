import EVM
import Primitives
import Testing

// EIP-145's test cases for SHL, SHR and SAR, in the EIP's own table form: value, shift, result.
// Each program is PUSH32 value, PUSH32 shift, the shift opcode, returnTop: 3 + 3 + 3 + 15 = 24 gas.

let ff = String(repeating: "ff", count: 32)
let high = "8" + String(repeating: "0", count: 63)
let mostlyOnes = "7f" + String(repeating: "ff", count: 31)

func shift(_ opcode: String, value: String, by amount: String) -> CallResult {
    let value32 = String(repeating: "0", count: 64 - value.count) + value
    let amount32 = String(repeating: "0", count: 64 - amount.count) + amount
    return run("7f" + value32 + "7f" + amount32 + opcode + returnTop)
}

@Test(arguments: [
    ("1", "00", "1"), ("1", "01", "2"), ("1", "ff", high), ("1", "0100", "0"), ("1", "0101", "0"),
    (ff, "00", ff), (ff, "01", String(repeating: "ff", count: 31) + "fe"), (ff, "ff", high), (ff, "0100", "0"),
    ("0", "01", "0"), (mostlyOnes, "01", String(repeating: "ff", count: 31) + "fe"),
])
func shlMatchesEIP145(value: String, shift amount: String, expected: String) {
    let result = shift("1b", value: value, by: amount)
    #expect(result.outputWord == word(expected))
    #expect(result.gasUsed() == 24)
}

@Test(arguments: [
    ("1", "00", "1"), ("1", "01", "0"), (high, "01", "4" + String(repeating: "0", count: 63)), (high, "ff", "1"),
    (high, "0100", "0"), (high, "0101", "0"), (ff, "00", ff), (ff, "01", mostlyOnes), (ff, "ff", "1"),
    (ff, "0100", "0"), ("0", "01", "0"),
])
func shrMatchesEIP145(value: String, shift amount: String, expected: String) {
    let result = shift("1c", value: value, by: amount)
    #expect(result.outputWord == word(expected))
    #expect(result.gasUsed() == 24)
}

@Test(arguments: [
    ("1", "00", "1"), ("1", "01", "0"), (high, "01", "c" + String(repeating: "0", count: 63)), (high, "ff", ff),
    (high, "0100", ff), (high, "0101", ff), (ff, "00", ff), (ff, "01", ff), (ff, "ff", ff), (ff, "0100", ff),
    ("0", "01", "0"), ("4" + String(repeating: "0", count: 63), "fe", "1"), (mostlyOnes, "f8", "7f"),
    (mostlyOnes, "fe", "1"), (mostlyOnes, "ff", "0"), (mostlyOnes, "0100", "0"),
])
func sarMatchesEIP145(value: String, shift amount: String, expected: String) {
    let result = shift("1d", value: value, by: amount)
    #expect(result.outputWord == word(expected))
    #expect(result.gasUsed() == 24)
}
