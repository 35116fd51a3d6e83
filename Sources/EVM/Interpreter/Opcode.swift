// Every opcode the Cancun revision defines, by byte: the one list the instruction table, the
// dispatch loop, code analysis and the tracers name opcodes from (geth core/vm/opcodes.go, evmone
// MAP_OPCODES). Case names are the Yellow Paper mnemonics in lower case, so `mnemonic` is the case
// name upper-cased; 0x20 is KECCAK256 (the Yellow Paper's SHA3), 0x44 PREVRANDAO (EIP-4399).
//
// A byte that is not a case here is undefined in Cancun: the table has no row for it and the
// dispatch loop halts with `undefinedInstruction`. `OpcodeDispatchTests` runs every case and
// every other byte through the interpreter to check that the two lists agree.
//
// The dispatch loop switches on the raw byte with `case Opcode.add.rawValue:` patterns, not on an
// `Opcode` value: converting a byte to an `Opcode?` first would cost a call or a table load per
// opcode, while constant raw values compile to the same jump tables as literals.

/// An opcode defined in Cancun, with its byte as raw value.
public enum Opcode: UInt8, CaseIterable, Sendable {
    // 0x00s: stop and arithmetic (Yellow Paper appendix H.2).
    case stop = 0x00, add, mul, sub, div, sdiv, mod, smod, addmod, mulmod, exp, signextend
    // 0x10s: comparison and bitwise logic; SHL, SHR, SAR from EIP-145.
    case lt = 0x10, gt, slt, sgt, eq, iszero, and, or, xor, not, byte, shl, shr, sar
    // 0x20: KECCAK256.
    case keccak256 = 0x20
    // 0x30s: environmental information; RETURNDATASIZE/RETURNDATACOPY from EIP-211, EXTCODEHASH from EIP-1052.
    case address = 0x30, balance, origin, caller, callvalue, calldataload, calldatasize, calldatacopy, codesize,
         codecopy, gasprice, extcodesize, extcodecopy, returndatasize, returndatacopy, extcodehash
    // 0x40s: block information; PREVRANDAO (EIP-4399), CHAINID (EIP-1344), SELFBALANCE (EIP-1884),
    // BASEFEE (EIP-3198), BLOBHASH (EIP-4844), BLOBBASEFEE (EIP-7516).
    case blockhash = 0x40, coinbase, timestamp, number, prevrandao, gaslimit, chainid, selfbalance, basefee,
         blobhash, blobbasefee
    // 0x50s: stack, memory, storage and flow; TLOAD/TSTORE (EIP-1153), MCOPY (EIP-5656), PUSH0 (EIP-3855).
    case pop = 0x50, mload, mstore, mstore8, sload, sstore, jump, jumpi, pc, msize, gas, jumpdest, tload, tstore,
         mcopy, push0
    // 0x60–0x7f: PUSH1–PUSH32.
    case push1 = 0x60, push2, push3, push4, push5, push6, push7, push8, push9, push10, push11, push12, push13,
         push14, push15, push16, push17, push18, push19, push20, push21, push22, push23, push24, push25, push26,
         push27, push28, push29, push30, push31, push32
    // 0x80s: DUP1–DUP16.
    case dup1 = 0x80, dup2, dup3, dup4, dup5, dup6, dup7, dup8, dup9, dup10, dup11, dup12, dup13, dup14, dup15,
         dup16
    // 0x90s: SWAP1–SWAP16.
    case swap1 = 0x90, swap2, swap3, swap4, swap5, swap6, swap7, swap8, swap9, swap10, swap11, swap12, swap13,
         swap14, swap15, swap16
    // 0xa0s: LOG0–LOG4.
    case log0 = 0xa0, log1, log2, log3, log4
    // 0xf0s: system operations; DELEGATECALL (EIP-7), CREATE2 (EIP-1014), STATICCALL (EIP-214),
    // REVERT (EIP-140), INVALID (EIP-141), SELFDESTRUCT as EIP-6780 limits it.
    case create = 0xf0, call, callcode, `return`, delegatecall, create2
    case staticcall = 0xfa
    case revert = 0xfd, invalid, selfdestruct

    /// The mnemonic as the Yellow Paper, EIP-3155 traces and geth's struct logs spell it (`PUSH1`,
    /// `KECCAK256`). Spelled out from the case name through reflection on every call, which is slow;
    /// per-step code (tracers) reads the copy in `InstructionTable.rows` or `name(of:)` instead.
    public var mnemonic: String { String(describing: self).uppercased() }

    /// For PUSH1–PUSH32, how many immediate bytes follow the opcode; 0 for every other opcode.
    @inlinable public var immediateSize: Int {
        rawValue >= Opcode.push1.rawValue && rawValue <= Opcode.push32.rawValue
            ? Int(rawValue &- Opcode.push0.rawValue) : 0
    }
}
