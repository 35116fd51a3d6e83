import EVM
import Primitives
import Testing

// The one opcode list (`Opcode`) against the instruction table and both dispatch switches, byte by
// byte, as evmone checks its MAP_OPCODES against the instruction traits: every defined opcode has a
// row and reaches an opcode function, every other byte has no row and halts as undefined. The
// expected list is Cancun's from the Yellow Paper appendix H.2 and the EIPs since (geth
// core/vm/opcodes.go spells the same mnemonics), written out here rather than read from the code.

/// Cancun's defined opcodes by first byte, each run of consecutive bytes as one line.
private let cancunMnemonics: [(first: UInt8, names: String)] = [
    (0x00, "STOP ADD MUL SUB DIV SDIV MOD SMOD ADDMOD MULMOD EXP SIGNEXTEND"),
    (0x10, "LT GT SLT SGT EQ ISZERO AND OR XOR NOT BYTE SHL SHR SAR"),
    (0x20, "KECCAK256"),
    (0x30, "ADDRESS BALANCE ORIGIN CALLER CALLVALUE CALLDATALOAD CALLDATASIZE CALLDATACOPY CODESIZE CODECOPY "
        + "GASPRICE EXTCODESIZE EXTCODECOPY RETURNDATASIZE RETURNDATACOPY EXTCODEHASH"),
    (0x40, "BLOCKHASH COINBASE TIMESTAMP NUMBER PREVRANDAO GASLIMIT CHAINID SELFBALANCE BASEFEE BLOBHASH BLOBBASEFEE"),
    (0x50, "POP MLOAD MSTORE MSTORE8 SLOAD SSTORE JUMP JUMPI PC MSIZE GAS JUMPDEST TLOAD TSTORE MCOPY PUSH0"),
    (0x60, (1...32).map { "PUSH\($0)" }.joined(separator: " ")),
    (0x80, (1...16).map { "DUP\($0)" }.joined(separator: " ")),
    (0x90, (1...16).map { "SWAP\($0)" }.joined(separator: " ")),
    (0xa0, "LOG0 LOG1 LOG2 LOG3 LOG4"),
    (0xf0, "CREATE CALL CALLCODE RETURN DELEGATECALL CREATE2"),
    (0xfa, "STATICCALL"),
    (0xfd, "REVERT INVALID SELFDESTRUCT"),
]

/// The expected mnemonic of every defined byte.
private let expectedMnemonics: [UInt8: String] = {
    var names: [UInt8: String] = [:]
    for (first, line) in cancunMnemonics {
        for (offset, name) in line.split(separator: " ").enumerated() { names[first + UInt8(offset)] = String(name) }
    }
    return names
}()

/// Every byte that Cancun leaves undefined.
private let undefinedBytes: [UInt8] = (0...255).map(UInt8.init).filter { expectedMnemonics[$0] == nil }

@Test func cancunDefines149Opcodes() {
    #expect(expectedMnemonics.count == 149)
    #expect(Opcode.allCases.count == 149)
    #expect(undefinedBytes.count == 107)
}

@Test func opcodeEnumHasExactlyCancunsBytesAndMnemonics() {
    for byte in 0...255 {
        let byte = UInt8(byte)
        #expect(Opcode(rawValue: byte)?.mnemonic == expectedMnemonics[byte], "byte 0x\(String(byte, radix: 16))")
    }
}

@Test func instructionTableHasARowForEveryOpcodeAndNoOther() {
    for byte in 0...255 {
        let byte = UInt8(byte)
        #expect(InstructionTable.rows[Int(byte)].name == expectedMnemonics[byte], "byte 0x\(String(byte, radix: 16))")
    }
    #expect(InstructionTable.name(of: 0x0c) == "0xc")
    #expect(InstructionTable.name(of: 0x20) == "KECCAK256")
}

/// Runs `opcode` with as many zero words below it as its row says it reads, with gas to spare.
private func runAlone(_ opcode: UInt8, host: MockHost = MockHost()) -> CallResult {
    let stackIn = InstructionTable.rows[Int(opcode)].stackIn
    let code = [UInt8](repeating: Opcode.push0.rawValue, count: stackIn) + [opcode]
    return run(code, gas: 10_000_000, host: host)
}

/// A defined opcode reaches its function: whatever it does with zero arguments, the frame does
/// not halt as undefined (`runStateful`'s `default:` is the only place that says so).
@Test(arguments: Opcode.allCases)
func everyDefinedOpcodeIsDispatched(opcode: Opcode) {
    let result = runAlone(opcode.rawValue)
    #expect(result.status != .undefinedInstruction, "\(opcode.mnemonic) halted as undefined")
}

/// Spot checks that the dispatch reaches the right function, one opcode per family, with gas
/// from the Yellow Paper: PUSH0 ×n (2 each) plus the opcode's cost on zero arguments.
private let spotChecks: [(opcode: Opcode, status: StatusCode, gasUsed: Int64)] = [
    (.stop, .success, 0),
    (.add, .success, 2 * 2 + 3),
    (.exp, .success, 2 * 2 + 10),  // a zero exponent has no bytes (EIP-160)
    (.keccak256, .success, 2 * 2 + 30),  // zero words hashed
    (.address, .success, 2),
    (.sload, .success, 2 + 2100),  // a cold slot: 2100 in all (EIP-2929)
    (.jump, .badJumpDestination, 0),
    (.jumpdest, .success, 1),
    (.push32, .success, 3),
    (.dup16, .success, 16 * 2 + 3),
    (.swap16, .success, 17 * 2 + 3),
    (.log4, .success, 6 * 2 + 375 * 5),
    (.return, .success, 2 * 2),
    (.revert, .revert, 2 * 2),
    (.invalid, .invalidInstruction, 0),
]

@Test(arguments: spotChecks)
func dispatchReachesTheOpcodesFunction(opcode: Opcode, status: StatusCode, gasUsed: Int64) {
    let result = runAlone(opcode.rawValue)
    #expect(result.status == status)
    if status == .success || status == .revert {
        #expect(result.gasUsed(from: 10_000_000) == gasUsed)
    }
}

/// An undefined byte halts the frame with `undefinedInstruction` and consumes all its gas.
@Test(arguments: undefinedBytes)
func everyUndefinedByteHaltsAsUndefined(byte: UInt8) {
    let result = run([Opcode.push0.rawValue, byte], gas: 100_000)
    #expect(result.status == .undefinedInstruction)
    #expect(result.gasLeft == 0)
}

@Test func pushImmediateSizes() {
    #expect(Opcode.push0.immediateSize == 0)
    #expect(Opcode.push1.immediateSize == 1)
    #expect(Opcode.push32.immediateSize == 32)
    #expect(Opcode.dup1.immediateSize == 0)
}
