// The static facts of every Cancun opcode, one row each: mnemonic, base gas, stack items consumed
// and produced (geth core/vm/jump_table.go and evmone instructions_traits.hpp keep the same facts).
// The dispatch loop reads a packed copy of these rows (`InstructionTraits`) to check stack bounds
// and charge base gas before it calls the opcode's function; dynamic gas (memory, copies, cold
// access, …) is charged inside the opcode function. Undefined opcodes have no row name and reach
// the loop's `default:` branch, which halts with `undefinedInstruction`.

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

    /// One row per opcode byte, indexed by the byte.
    public static let rows: [Instruction] = {
        var rows = [Instruction](repeating: .undefined, count: 256)
        func row(_ opcode: UInt8, _ name: String, _ gas: Int64, _ stackIn: Int, _ stackOut: Int) {
            rows[Int(opcode)] = Instruction(name, baseGas: gas, stackIn: stackIn, stackOut: stackOut)
        }
        // 0x00s: stop and arithmetic (Yellow Paper appendix H.2).
        row(0x00, "STOP", GasCost.zero, 0, 0)
        row(0x01, "ADD", GasCost.veryLow, 2, 1)
        row(0x02, "MUL", GasCost.low, 2, 1)
        row(0x03, "SUB", GasCost.veryLow, 2, 1)
        row(0x04, "DIV", GasCost.low, 2, 1)
        row(0x05, "SDIV", GasCost.low, 2, 1)
        row(0x06, "MOD", GasCost.low, 2, 1)
        row(0x07, "SMOD", GasCost.low, 2, 1)
        row(0x08, "ADDMOD", GasCost.mid, 3, 1)
        row(0x09, "MULMOD", GasCost.mid, 3, 1)
        row(0x0a, "EXP", GasCost.high, 2, 1)
        row(0x0b, "SIGNEXTEND", GasCost.low, 2, 1)
        // 0x10s: comparison and bitwise logic.
        row(0x10, "LT", GasCost.veryLow, 2, 1)
        row(0x11, "GT", GasCost.veryLow, 2, 1)
        row(0x12, "SLT", GasCost.veryLow, 2, 1)
        row(0x13, "SGT", GasCost.veryLow, 2, 1)
        row(0x14, "EQ", GasCost.veryLow, 2, 1)
        row(0x15, "ISZERO", GasCost.veryLow, 1, 1)
        row(0x16, "AND", GasCost.veryLow, 2, 1)
        row(0x17, "OR", GasCost.veryLow, 2, 1)
        row(0x18, "XOR", GasCost.veryLow, 2, 1)
        row(0x19, "NOT", GasCost.veryLow, 1, 1)
        row(0x1a, "BYTE", GasCost.veryLow, 2, 1)
        row(0x1b, "SHL", GasCost.veryLow, 2, 1)  // EIP-145
        row(0x1c, "SHR", GasCost.veryLow, 2, 1)  // EIP-145
        row(0x1d, "SAR", GasCost.veryLow, 2, 1)  // EIP-145
        // 0x20: KECCAK256.
        row(0x20, "KECCAK256", GasCost.keccak256, 2, 1)
        // 0x30s: environmental information.
        row(0x30, "ADDRESS", GasCost.base, 0, 1)
        row(0x31, "BALANCE", GasCost.warmAccess, 1, 1)  // EIP-2929: warm cost here, cold surcharge dynamic
        row(0x32, "ORIGIN", GasCost.base, 0, 1)
        row(0x33, "CALLER", GasCost.base, 0, 1)
        row(0x34, "CALLVALUE", GasCost.base, 0, 1)
        row(0x35, "CALLDATALOAD", GasCost.veryLow, 1, 1)
        row(0x36, "CALLDATASIZE", GasCost.base, 0, 1)
        row(0x37, "CALLDATACOPY", GasCost.veryLow, 3, 0)
        row(0x38, "CODESIZE", GasCost.base, 0, 1)
        row(0x39, "CODECOPY", GasCost.veryLow, 3, 0)
        row(0x3a, "GASPRICE", GasCost.base, 0, 1)
        row(0x3b, "EXTCODESIZE", GasCost.warmAccess, 1, 1)  // EIP-2929
        row(0x3c, "EXTCODECOPY", GasCost.warmAccess, 4, 0)  // EIP-2929
        row(0x3d, "RETURNDATASIZE", GasCost.base, 0, 1)  // EIP-211
        row(0x3e, "RETURNDATACOPY", GasCost.veryLow, 3, 0)  // EIP-211
        row(0x3f, "EXTCODEHASH", GasCost.warmAccess, 1, 1)  // EIP-1052, EIP-2929
        // 0x40s: block information.
        row(0x40, "BLOCKHASH", GasCost.blockHash, 1, 1)
        row(0x41, "COINBASE", GasCost.base, 0, 1)
        row(0x42, "TIMESTAMP", GasCost.base, 0, 1)
        row(0x43, "NUMBER", GasCost.base, 0, 1)
        row(0x44, "PREVRANDAO", GasCost.base, 0, 1)  // EIP-4399
        row(0x45, "GASLIMIT", GasCost.base, 0, 1)
        row(0x46, "CHAINID", GasCost.base, 0, 1)  // EIP-1344
        row(0x47, "SELFBALANCE", GasCost.low, 0, 1)  // EIP-1884
        row(0x48, "BASEFEE", GasCost.base, 0, 1)  // EIP-3198
        row(0x49, "BLOBHASH", GasCost.veryLow, 1, 1)  // EIP-4844
        row(0x4a, "BLOBBASEFEE", GasCost.base, 0, 1)  // EIP-7516
        // 0x50s: stack, memory, storage and flow.
        row(0x50, "POP", GasCost.base, 1, 0)
        row(0x51, "MLOAD", GasCost.veryLow, 1, 1)
        row(0x52, "MSTORE", GasCost.veryLow, 2, 0)
        row(0x53, "MSTORE8", GasCost.veryLow, 2, 0)
        row(0x54, "SLOAD", GasCost.warmAccess, 1, 1)  // EIP-2929
        row(0x55, "SSTORE", GasCost.zero, 2, 0)  // EIP-2200/2929/3529: all dynamic
        row(0x56, "JUMP", GasCost.mid, 1, 0)
        row(0x57, "JUMPI", GasCost.high, 2, 0)
        row(0x58, "PC", GasCost.base, 0, 1)
        row(0x59, "MSIZE", GasCost.base, 0, 1)
        row(0x5a, "GAS", GasCost.base, 0, 1)
        row(0x5b, "JUMPDEST", GasCost.jumpdest, 0, 0)
        row(0x5c, "TLOAD", GasCost.transientAccess, 1, 1)  // EIP-1153
        row(0x5d, "TSTORE", GasCost.transientAccess, 2, 0)  // EIP-1153
        row(0x5e, "MCOPY", GasCost.veryLow, 3, 0)  // EIP-5656
        row(0x5f, "PUSH0", GasCost.base, 0, 1)  // EIP-3855
        for n in 1...32 { row(UInt8(0x5f + n), "PUSH\(n)", GasCost.veryLow, 0, 1) }
        for n in 1...16 { row(UInt8(0x7f + n), "DUP\(n)", GasCost.veryLow, n, n + 1) }
        for n in 1...16 { row(UInt8(0x8f + n), "SWAP\(n)", GasCost.veryLow, n + 1, n + 1) }
        for n in 0...4 { row(UInt8(0xa0 + n), "LOG\(n)", GasCost.log * Int64(1 + n), 2 + n, 0) }
        // 0xf0s: system operations.
        row(0xf0, "CREATE", GasCost.create, 3, 1)
        row(0xf1, "CALL", GasCost.warmAccess, 7, 1)  // EIP-2929
        row(0xf2, "CALLCODE", GasCost.warmAccess, 7, 1)  // EIP-2929
        row(0xf3, "RETURN", GasCost.zero, 2, 0)
        row(0xf4, "DELEGATECALL", GasCost.warmAccess, 6, 1)  // EIP-7, EIP-2929
        row(0xf5, "CREATE2", GasCost.create, 4, 1)  // EIP-1014
        row(0xfa, "STATICCALL", GasCost.warmAccess, 6, 1)  // EIP-214, EIP-2929
        row(0xfd, "REVERT", GasCost.zero, 2, 0)  // EIP-140
        row(0xfe, "INVALID", GasCost.zero, 0, 0)  // EIP-141
        row(0xff, "SELFDESTRUCT", GasCost.selfDestruct, 1, 0)  // EIP-150, EIP-6780
        return rows
    }()

    /// The mnemonic of an opcode, or `"opcode 0x.. not defined"` style text for undefined bytes.
    /// - Parameter opcode: the opcode byte.
    /// - Returns: the mnemonic, e.g. `"PUSH1"`.
    public static func name(of opcode: UInt8) -> String {
        rows[Int(opcode)].name ?? "0x" + String(opcode, radix: 16)
    }

    /// The packed rows the dispatch loop reads. Allocated once and never freed, so the loop can
    /// hold a plain pointer to it (no array bounds or reference-count traffic per opcode).
    @usableFromInline nonisolated(unsafe)
    static let traits: UnsafePointer<InstructionTraits> = {
        let table = UnsafeMutablePointer<InstructionTraits>.allocate(capacity: 256)
        for (index, row) in rows.enumerated() {
            let growth = row.stackOut - row.stackIn
            let minimum = 32 * row.stackIn, maximum = 32 * (stackLimit - max(0, growth))
            table.advanced(by: index).initialize(to: InstructionTraits(
                baseGas: row.baseGas, minimumByteHeight: Int32(minimum), byteHeightRange: UInt32(maximum - minimum)))
        }
        return UnsafePointer(table)
    }()
}
