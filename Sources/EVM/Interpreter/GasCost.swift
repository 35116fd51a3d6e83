// The Cancun gas schedule: the Yellow Paper's appendix G fee names, with every later change named
// by its EIP. Constants are Int64 because the interpreter meters gas as a signed 64-bit counter
// (a negative balance after a charge means "out of gas", as in evmone's baseline interpreter).

/// Gas prices of the Cancun revision (Yellow Paper appendix G, amended by the EIPs named per line).
public enum GasCost {
    /// G_zero: STOP, RETURN, REVERT.
    public static let zero: Int64 = 0
    /// G_jumpdest: JUMPDEST.
    public static let jumpdest: Int64 = 1
    /// G_base: ADDRESS, ORIGIN, CALLER, POP, PC, GAS, PUSH0 (EIP-3855), BLOBBASEFEE (EIP-7516), …
    public static let base: Int64 = 2
    /// G_verylow: ADD, SUB, comparisons, bitwise, PUSHn, DUPn, SWAPn, MLOAD, MSTORE, BLOBHASH (EIP-4844).
    public static let veryLow: Int64 = 3
    /// G_low: MUL, DIV, MOD, SIGNEXTEND, SELFBALANCE.
    public static let low: Int64 = 5
    /// G_mid: ADDMOD, MULMOD, JUMP.
    public static let mid: Int64 = 8
    /// G_high: JUMPI, EXP's base.
    public static let high: Int64 = 10
    /// G_expbyte per byte of the exponent (EIP-160).
    public static let expByte: Int64 = 50
    /// G_keccak256: KECCAK256's base.
    public static let keccak256: Int64 = 30
    /// G_keccak256word per 32-byte word hashed.
    public static let keccak256Word: Int64 = 6
    /// G_copy per word copied by the *COPY opcodes and MCOPY (EIP-5656).
    public static let copyWord: Int64 = 3
    /// G_memory: the linear coefficient of memory cost.
    public static let memoryWord: Int64 = 3
    /// The quadratic divisor of memory cost: C_mem(a) = 3a + a²/512.
    public static let quadraticDivisor: Int64 = 512
    /// G_blockhash.
    public static let blockHash: Int64 = 20
    /// G_log, and G_logtopic per topic.
    public static let log: Int64 = 375
    /// G_logdata per byte of log data.
    public static let logData: Int64 = 8
    /// G_create: CREATE and CREATE2's base.
    public static let create: Int64 = 32000
    /// EIP-3860: per 32-byte word of init code, charged by CREATE and CREATE2.
    public static let initCodeWord: Int64 = 2
    /// EIP-3860: the largest init code CREATE/CREATE2 accept (2 × EIP-170's 24,576).
    public static let maxInitCodeSize: Int = 49152
    /// G_callvalue: a CALL or CALLCODE that transfers value.
    public static let callValue: Int64 = 9000
    /// G_callstipend: given to the callee of a value-bearing call, free to the caller.
    public static let callStipend: Int64 = 2300
    /// G_newaccount: a value-bearing CALL (or SELFDESTRUCT) to an account that does not exist (EIP-161).
    public static let newAccount: Int64 = 25000
    /// G_selfdestruct.
    public static let selfDestruct: Int64 = 5000
    /// EIP-2929: WARM_STORAGE_READ_COST, the base of every account or slot access.
    public static let warmAccess: Int64 = 100
    /// EIP-2929: COLD_ACCOUNT_ACCESS_COST.
    public static let coldAccountAccess: Int64 = 2600
    /// EIP-2929: COLD_SLOAD_COST.
    public static let coldStorageAccess: Int64 = 2100
    /// EIP-2200: SSTORE_SET_GAS, writing a non-zero value to a clean zero slot.
    public static let storageSet: Int64 = 20000
    /// EIP-2200 as amended by EIP-2929: SSTORE_RESET_GAS − COLD_SLOAD_COST = 5000 − 2100.
    public static let storageReset: Int64 = 2900
    /// EIP-3529: SSTORE_CLEARS_SCHEDULE = SSTORE_RESET_GAS + ACCESS_LIST_STORAGE_KEY_COST = 4800.
    public static let storageClearRefund: Int64 = 4800
    /// EIP-2200: an SSTORE fails with out-of-gas when no more than this is left (the call stipend).
    public static let storageSentry: Int64 = 2300
    /// EIP-1153: TLOAD and TSTORE.
    public static let transientAccess: Int64 = 100

    /// The number of 32-byte words needed for `size` bytes, rounded up.
    /// - Parameter size: a byte count, non-negative and far below `Int64.max`.
    /// - Returns: ⌈size / 32⌉.
    @inlinable @inline(__always)
    public static func wordCount(_ size: Int) -> Int64 {
        Int64((size &+ 31) >> 5)
    }

    /// Total memory cost for `words` active words (Yellow Paper eq. 326: C_mem(a) = G_memory·a + ⌊a²/512⌋).
    /// - Parameter words: active memory size in words; at most 2^27 here, so nothing overflows.
    /// - Returns: the cost of that much memory.
    @inlinable @inline(__always)
    public static func memoryCost(words: Int64) -> Int64 {
        memoryWord &* words &+ (words &* words) / quadraticDivisor
    }
}
