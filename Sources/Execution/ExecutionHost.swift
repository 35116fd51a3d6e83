import EVM
import Primitives
import State

/// The `Host` the interpreter runs against during block execution: EVM semantics over a
/// `WorldState`, with precompiles from a `PrecompileRegistry` and analysed code from a `CodeCache`.
///
/// The split of duties follows `Host.swift`: the interpreter charges every gas cost inside a frame;
/// this host runs nested frames (`ExecutionHost+Call.swift`, `ExecutionHost+Create.swift`) with the
/// depth and balance checks, snapshots and reverts, value transfers, precompile dispatch, and
/// CREATE/CREATE2 address, collision and code-deposit rules. State reads and writes are thin
/// forwards to the `WorldState`, whose journal makes them revertible.
///
/// One host serves one transaction (its `transactionContext` holds the origin and gas price).
public final class ExecutionHost: Host {
    /// The state the transaction executes against.
    public let state: WorldState
    /// The precompiled contracts, by address.
    public let precompiles: PrecompileRegistry
    /// Analysed code by code hash, shared across transactions and blocks.
    public let codeCache: CodeCache
    /// The block this transaction executes in.
    public let block: BlockEnvironment
    /// ORIGIN, GASPRICE and the block values the interpreter reads.
    public let transactionContext: TransactionContext
    /// What precompiles may read besides their input.
    public let precompileContext: PrecompileContext
    /// Observes every frame and opcode (EIP-3155 traces); nil runs the untraced, fully
    /// specialised interpreter.
    public let tracer: (any Tracer)?

    /// Creates a host for one transaction.
    /// - Parameters:
    ///   - state: the world state.
    ///   - precompiles: the precompile registry.
    ///   - codeCache: the shared code cache.
    ///   - block: the block environment.
    ///   - transactionContext: the transaction's context.
    ///   - tracer: a tracer for every frame, or nil (the default) for none.
    public init(state: WorldState, precompiles: PrecompileRegistry, codeCache: CodeCache, block: BlockEnvironment,
                transactionContext: TransactionContext, tracer: (any Tracer)? = nil) {
        self.state = state; self.precompiles = precompiles; self.codeCache = codeCache; self.block = block
        self.transactionContext = transactionContext
        self.precompileContext = PrecompileContext(blockNumber: block.number, timestamp: block.timestamp,
                                                   chainId: block.chainId)
        self.tracer = tracer
    }

    // MARK: Accounts

    /// Whether the account exists and is not empty (EIP-161).
    /// - Parameter address: the account.
    /// - Returns: true for a non-empty account.
    public func accountExists(_ address: Address) -> Bool { !state.isEmptyOrAbsent(address) }

    /// BALANCE / SELFBALANCE.
    /// - Parameter address: the account.
    /// - Returns: its balance.
    public func balance(of address: Address) -> UInt256 { state.balance(of: address) }

    /// EXTCODESIZE.
    /// - Parameter address: the account.
    /// - Returns: its code size.
    public func codeSize(of address: Address) -> Int { state.code(of: address).count }

    /// EXTCODEHASH: zero for a missing or empty account (EIP-1052, EIP-161).
    /// - Parameter address: the account.
    /// - Returns: the code hash or zero.
    public func codeHash(of address: Address) -> Hash32 {
        state.isEmptyOrAbsent(address) ? .zero : state.codeHash(of: address)
    }

    /// EXTCODECOPY, and the code a frame runs.
    /// - Parameter address: the account.
    /// - Returns: its code.
    public func code(of address: Address) -> [UInt8] { state.code(of: address) }

    /// SELFDESTRUCT as EIP-6780 defines it: the whole balance moves to the beneficiary; the
    /// account is deleted at the end of the transaction only if this transaction created it.
    /// A beneficiary equal to a pre-existing self keeps the balance; for an account created in
    /// this transaction, a self beneficiary burns it.
    /// - Parameters:
    ///   - address: the executing account.
    ///   - beneficiary: where the balance goes.
    /// - Returns: whether the account had not already been marked for destruction.
    public func selfDestruct(_ address: Address, beneficiary: Address) -> Bool {
        let balance = state.balance(of: address)
        state.subtractBalance(balance, from: address)
        state.addBalance(balance, to: beneficiary)
        guard state.isCreatedInTransaction(address) else { return true }
        let first = state.markSelfDestructed(address)
        let left = state.balance(of: address)
        if !left.isZero { state.subtractBalance(left, from: address) }
        return first
    }

    // MARK: Storage

    /// SLOAD.
    /// - Parameters:
    ///   - address: the account.
    ///   - key: the slot.
    /// - Returns: the current value.
    public func storage(at address: Address, key: UInt256) -> UInt256 { state.storage(at: address, key: key) }

    /// SSTORE: writes the slot and classifies the write against the slot's original
    /// (transaction-start) and current values, as EVMC's `evmc_storage_status` does (EIP-2200).
    /// - Parameters:
    ///   - address: the account.
    ///   - key: the slot.
    ///   - value: the new value.
    /// - Returns: the kind of write, from which the interpreter prices it.
    public func setStorage(at address: Address, key: UInt256, value: UInt256) -> StorageStatus {
        let slot = state.storageSlot(at: address, key: key)
        let original = slot.original, current = slot.current
        if current == value { return .assigned }
        state.setStorage(at: address, key: key, value: value)
        if original == current {
            if original.isZero { return .added }
            return value.isZero ? .deleted : .modified
        }
        if !original.isZero {
            if current.isZero { return value == original ? .deletedRestored : .deletedAdded }
            if value.isZero { return .modifiedDeleted }
            return value == original ? .modifiedRestored : .assigned
        }
        return value.isZero ? .addedDeleted : .assigned
    }

    /// TLOAD (EIP-1153).
    /// - Parameters:
    ///   - address: the account.
    ///   - key: the slot.
    /// - Returns: the transient value.
    public func transientStorage(at address: Address, key: UInt256) -> UInt256 {
        state.transientStorage(at: address, key: key)
    }

    /// TSTORE (EIP-1153).
    /// - Parameters:
    ///   - address: the account.
    ///   - key: the slot.
    ///   - value: the new value.
    public func setTransientStorage(at address: Address, key: UInt256, value: UInt256) {
        state.setTransientStorage(at: address, key: key, value: value)
    }

    // MARK: Access lists, logs, block

    /// Warms an account (EIP-2929).
    /// - Parameter address: the account.
    /// - Returns: whether it was cold before.
    public func accessAccount(_ address: Address) -> AccessStatus {
        state.accessAddress(address) ? .warm : .cold
    }

    /// Warms a storage slot (EIP-2929).
    /// - Parameters:
    ///   - address: the account.
    ///   - key: the slot.
    /// - Returns: whether it was cold before.
    public func accessStorage(at address: Address, key: UInt256) -> AccessStatus {
        state.accessStorage(at: address, key: key) ? .warm : .cold
    }

    /// LOG0–LOG4: appends a journaled log, and shows it to the tracer (callTracer's `withLog`).
    /// - Parameters:
    ///   - address: the emitting account.
    ///   - topics: the topics.
    ///   - data: the payload.
    public func emitLog(address: Address, topics: [Hash32], data: [UInt8]) {
        state.addLog(Log(address: address, topics: topics, data: data))
        tracer?.logDidEmit(address: address, topics: topics, data: data)
    }

    /// BLOCKHASH.
    /// - Parameter number: the block number asked for.
    /// - Returns: its hash, or zero outside the last 256 blocks.
    public func blockHash(number: UInt64) -> Hash32 { block.blockHash(number: number) }
}
