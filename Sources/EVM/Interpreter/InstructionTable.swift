// The static facts of every Cancun opcode, one row each: mnemonic, base gas, stack items consumed
// and produced (geth core/vm/jump_table.go and evmone instructions_traits.hpp keep the same facts).
// The rows come from one exhaustive switch over `Opcode`, so an opcode cannot be added without its
// row. The dispatch loop reads a packed copy of these rows (`InstructionTraits`) to check stack
// bounds and charge base gas before it calls the opcode's function; dynamic gas (memory, copies,
// cold access, …) is charged inside the opcode function. Bytes that are no `Opcode` have no row
// name and reach the loop's `default:` branch, which halts with `undefinedInstruction`.

/// One opcode's static facts: the table row that sits beside its function.
public struct Instruction: Sendable {
    /// The mnemonic (`PUSH1`, `SSTORE`), or `nil` for an opcode undefined in Cancun.
    public let name: String?
    /// Gas charged by the dispatch loop before the opcode runs.
    public let baseGas: Int64
    /// Stack items the opcode reads (it needs at least this many).
    public let stackIn: Int
    /// Stack items the opcode leaves in their place.
    public let stackOut: Int

    /// Creates a row.
    /// - Parameters:
    ///   - name: the mnemonic, or `nil` when undefined.
    ///   - baseGas: the static gas.
    ///   - stackIn: items consumed.
    ///   - stackOut: items produced.
    public init(_ name: String?, baseGas: Int64, stackIn: Int, stackOut: Int) {
        self.name = name; self.baseGas = baseGas; self.stackIn = stackIn; self.stackOut = stackOut
    }

    /// The row of an opcode that Cancun does not define.
    public static let undefined = Instruction(nil, baseGas: 0, stackIn: 0, stackOut: 0)
}

/// What the dispatch loop checks before each opcode, packed into 16 bytes per opcode.
@usableFromInline
struct InstructionTraits {
    /// Base gas, charged before the opcode runs.
    @usableFromInline let baseGas: Int64
    /// Fewer stack bytes than this (32 per item) is a stack underflow.
    @usableFromInline let minimumByteHeight: Int32
    /// The maximum byte height (more is a stack overflow: 32 × (1024 minus the net growth, if
    /// positive)) minus `minimumByteHeight`, so that one unsigned comparison checks both bounds.
    @usableFromInline let byteHeightRange: UInt32
}

/// The Cancun instruction table.
public enum InstructionTable {
    /// The maximum EVM stack height (Yellow Paper §9.1).
    public static let stackLimit = 1024

    /// One row per opcode byte, indexed by the byte; `Instruction.undefined` where no `Opcode` is.
    /// Built on first use (tracers, tests); the dispatch loop reads `traits`, which never waits
    /// for the mnemonics to be spelled out.
    public static let rows: [Instruction] = {
        var rows = [Instruction](repeating: .undefined, count: 256)
        for opcode in Opcode.allCases {
            let facts = staticFacts(of: opcode)
            rows[Int(opcode.rawValue)] = Instruction(opcode.mnemonic, baseGas: facts.baseGas, stackIn: facts.stackIn,
                                                     stackOut: facts.stackOut)
        }
        return rows
    }()

    /// An opcode's row.
    /// - Parameter opcode: the opcode.
    /// - Returns: its mnemonic, base gas and stack items in and out.
    public static func instruction(_ opcode: Opcode) -> Instruction { rows[Int(opcode.rawValue)] }

    /// The base gas and stack items of each opcode (Yellow Paper appendix H, amended by the EIPs
    /// named per line).
    private static func staticFacts(of opcode: Opcode) -> (baseGas: Int64, stackIn: Int, stackOut: Int) {
        switch opcode {
        // 0x00s: stop and arithmetic.
        case .stop: return (GasCost.zero, 0, 0)
        case .add, .sub: return (GasCost.veryLow, 2, 1)
        case .mul, .div, .sdiv, .mod, .smod, .signextend: return (GasCost.low, 2, 1)
        case .addmod, .mulmod: return (GasCost.mid, 3, 1)
        case .exp: return (GasCost.high, 2, 1)  // plus EIP-160's 50 per exponent byte, dynamic
        // 0x10s: comparison and bitwise logic.
        case .lt, .gt, .slt, .sgt, .eq, .and, .or, .xor, .byte: return (GasCost.veryLow, 2, 1)
        case .shl, .shr, .sar: return (GasCost.veryLow, 2, 1)  // EIP-145
        case .iszero, .not: return (GasCost.veryLow, 1, 1)
        // 0x20: KECCAK256.
        case .keccak256: return (GasCost.keccak256, 2, 1)
        // 0x30s: environmental information.
        case .address, .origin, .caller, .callvalue, .calldatasize, .codesize, .gasprice: return (GasCost.base, 0, 1)
        case .balance: return (GasCost.warmAccess, 1, 1)  // EIP-2929: warm cost here, cold surcharge dynamic
        case .calldataload: return (GasCost.veryLow, 1, 1)
        case .calldatacopy, .codecopy: return (GasCost.veryLow, 3, 0)
        case .extcodesize: return (GasCost.warmAccess, 1, 1)  // EIP-2929
        case .extcodecopy: return (GasCost.warmAccess, 4, 0)  // EIP-2929
        case .returndatasize: return (GasCost.base, 0, 1)  // EIP-211
        case .returndatacopy: return (GasCost.veryLow, 3, 0)  // EIP-211
        case .extcodehash: return (GasCost.warmAccess, 1, 1)  // EIP-1052, EIP-2929
        // 0x40s: block information.
        case .blockhash: return (GasCost.blockHash, 1, 1)
        case .coinbase, .timestamp, .number, .gaslimit: return (GasCost.base, 0, 1)
        case .prevrandao: return (GasCost.base, 0, 1)  // EIP-4399
        case .chainid: return (GasCost.base, 0, 1)  // EIP-1344
        case .selfbalance: return (GasCost.low, 0, 1)  // EIP-1884
        case .basefee: return (GasCost.base, 0, 1)  // EIP-3198
        case .blobhash: return (GasCost.veryLow, 1, 1)  // EIP-4844
        case .blobbasefee: return (GasCost.base, 0, 1)  // EIP-7516
        // 0x50s: stack, memory, storage and flow.
        case .pop: return (GasCost.base, 1, 0)
        case .mload: return (GasCost.veryLow, 1, 1)
        case .mstore, .mstore8: return (GasCost.veryLow, 2, 0)
        case .sload: return (GasCost.warmAccess, 1, 1)  // EIP-2929
        case .sstore: return (GasCost.zero, 2, 0)  // EIP-2200/2929/3529: all dynamic
        case .jump: return (GasCost.mid, 1, 0)
        case .jumpi: return (GasCost.high, 2, 0)
        case .pc, .msize, .gas: return (GasCost.base, 0, 1)
        case .jumpdest: return (GasCost.jumpdest, 0, 0)
        case .tload: return (GasCost.transientAccess, 1, 1)  // EIP-1153
        case .tstore: return (GasCost.transientAccess, 2, 0)  // EIP-1153
        case .mcopy: return (GasCost.veryLow, 3, 0)  // EIP-5656
        case .push0: return (GasCost.base, 0, 1)  // EIP-3855
        // 0x60–0x9f: PUSHn, DUPn (reads n items, leaves n + 1), SWAPn (reads and leaves n + 1).
        case .push1, .push2, .push3, .push4, .push5, .push6, .push7, .push8, .push9, .push10, .push11, .push12,
             .push13, .push14, .push15, .push16, .push17, .push18, .push19, .push20, .push21, .push22, .push23,
             .push24, .push25, .push26, .push27, .push28, .push29, .push30, .push31, .push32:
            return (GasCost.veryLow, 0, 1)
        case .dup1, .dup2, .dup3, .dup4, .dup5, .dup6, .dup7, .dup8, .dup9, .dup10, .dup11, .dup12, .dup13, .dup14,
             .dup15, .dup16:
            let n = Int(opcode.rawValue - Opcode.dup1.rawValue) + 1
            return (GasCost.veryLow, n, n + 1)
        case .swap1, .swap2, .swap3, .swap4, .swap5, .swap6, .swap7, .swap8, .swap9, .swap10, .swap11, .swap12,
             .swap13, .swap14, .swap15, .swap16:
            let n = Int(opcode.rawValue - Opcode.swap1.rawValue) + 1
            return (GasCost.veryLow, n + 1, n + 1)
        // 0xa0s: LOGn charges G_log plus G_logtopic per topic up front, and reads 2 + n items.
        case .log0, .log1, .log2, .log3, .log4:
            let n = Int(opcode.rawValue - Opcode.log0.rawValue)
            return (GasCost.log * Int64(1 + n), 2 + n, 0)
        // 0xf0s: system operations.
        case .create: return (GasCost.create, 3, 1)
        case .call, .callcode: return (GasCost.warmAccess, 7, 1)  // EIP-2929
        case .return: return (GasCost.zero, 2, 0)
        case .delegatecall: return (GasCost.warmAccess, 6, 1)  // EIP-7, EIP-2929
        case .create2: return (GasCost.create, 4, 1)  // EIP-1014
        case .staticcall: return (GasCost.warmAccess, 6, 1)  // EIP-214, EIP-2929
        case .revert: return (GasCost.zero, 2, 0)  // EIP-140
        case .invalid: return (GasCost.zero, 0, 0)  // EIP-141
        case .selfdestruct: return (GasCost.selfDestruct, 1, 0)  // EIP-150, EIP-6780
        }
    }

    /// The mnemonic of an opcode, or its byte in hex (`"0xc"`) for a byte Cancun leaves undefined.
    /// - Parameter opcode: the opcode byte.
    /// - Returns: the mnemonic, e.g. `"PUSH1"`.
    public static func name(of opcode: UInt8) -> String {
        rows[Int(opcode)].name ?? "0x" + String(opcode, radix: 16)
    }

    /// The packed rows the dispatch loop reads, from the same facts as `rows` but without the
    /// mnemonics. Allocated once and never freed, so the loop can hold a plain pointer to it (no
    /// array bounds or reference-count traffic per opcode).
    @usableFromInline nonisolated(unsafe)
    static let traits: UnsafePointer<InstructionTraits> = {
        let table = UnsafeMutablePointer<InstructionTraits>.allocate(capacity: 256)
        func pack(_ baseGas: Int64, _ stackIn: Int, _ stackOut: Int) -> InstructionTraits {
            let growth = stackOut - stackIn
            let minimum = 32 * stackIn, maximum = 32 * (stackLimit - max(0, growth))
            return InstructionTraits(baseGas: baseGas, minimumByteHeight: Int32(minimum),
                                     byteHeightRange: UInt32(maximum - minimum))
        }
        table.initialize(repeating: pack(0, 0, 0), count: 256)  // undefined bytes: no gas, no stack
        for opcode in Opcode.allCases {
            let facts = staticFacts(of: opcode)
            table[Int(opcode.rawValue)] = pack(facts.baseGas, facts.stackIn, facts.stackOut)
        }
        return UnsafePointer(table)
    }()
}
