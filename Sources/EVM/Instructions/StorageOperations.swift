import Primitives

// Storage operations: SLOAD 0x54 and SSTORE 0x55 (Yellow Paper appendix H.2, priced by EIP-2200
// as amended by EIP-2929 and EIP-3529), TLOAD 0x5c and TSTORE 0x5d (EIP-1153).
//
// SSTORE pricing: the host performs the write and reports a `StorageStatus` (EVMC's names for
// EIP-2200's cases, from original/current/new values); the table below turns that status into gas
// and a refund-counter change. Writing first and charging after is safe: if the charge fails the
// frame fails and the host reverts its writes.

/// SLOAD, SSTORE, TLOAD, TSTORE.
@usableFromInline
enum StorageOperations {
    /// EIP-2929: the surcharge on top of the warm cost for a cold slot.
    @usableFromInline static let coldSlotSurcharge = GasCost.coldStorageAccess - GasCost.warmAccess

    /// SSTORE gas (excluding the cold surcharge) and refund-counter change for each status, for
    /// Cancun: EIP-2200's rules with EIP-2929's SLOAD_GAS = 100 and SSTORE_RESET = 2900, and
    /// EIP-3529's SSTORE_CLEARS_SCHEDULE = 4800.
    @inlinable @inline(__always)
    static func storeCost(_ status: StorageStatus) -> (gas: Int64, refund: Int64) {
        let warm = GasCost.warmAccess, clear = GasCost.storageClearRefund
        switch status {
        case .assigned: return (warm, 0)  // no-op or dirty write
        case .added: return (GasCost.storageSet, 0)  // 0 → 0 → Z
        case .deleted: return (GasCost.storageReset, clear)  // X → X → 0
        case .modified: return (GasCost.storageReset, 0)  // X → X → Z
        case .deletedAdded: return (warm, -clear)  // X → 0 → Z: take back the clear refund
        case .modifiedDeleted: return (warm, clear)  // X → Y → 0
        case .deletedRestored: return (warm, -clear + GasCost.storageReset - warm)  // X → 0 → X
        case .addedDeleted: return (warm, GasCost.storageSet - warm)  // 0 → Y → 0
        case .modifiedRestored: return (warm, GasCost.storageReset - warm)  // X → Y → X
        }
    }

    /// SLOAD: storage slot μs[0] of the executing account; 2100 gas when the slot is cold (EIP-2929).
    @inlinable
    static func sload<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        let key = state.stack[0]
        let account = state.message.recipient
        if host.accessStorage(at: account, key: key) == .cold {
            guard state.charge(coldSlotSurcharge) else { return .outOfGas }
        }
        state.stack[0] = host.storage(at: account, key: key)
        return .success
    }

    /// SSTORE: writes μs[1] to storage slot μs[0] of the executing account.
    /// Fails in a static frame (EIP-214), and when 2300 gas or less is left (EIP-2200's sentry).
    @inlinable
    static func sstore<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        if state.message.isStatic { return .staticModeViolation }
        if state.gasLeft <= GasCost.storageSentry { return .outOfGas }
        let key = state.stack.pop(), value = state.stack.pop()
        let account = state.message.recipient
        var gas: Int64 = 0
        if host.accessStorage(at: account, key: key) == .cold { gas = GasCost.coldStorageAccess }
        let (storeGas, refund) = storeCost(host.setStorage(at: account, key: key, value: value))
        guard state.charge(gas &+ storeGas) else { return .outOfGas }
        state.gasRefund &+= refund
        return .success
    }

    /// TLOAD (EIP-1153): transient slot μs[0] of the executing account.
    @inlinable
    static func tload<H: Host>(_ state: inout ExecutionState, host: H) {
        state.stack[0] = host.transientStorage(at: state.message.recipient, key: state.stack[0])
    }

    /// TSTORE (EIP-1153): writes μs[1] to transient slot μs[0]; fails in a static frame.
    @inlinable
    static func tstore<H: Host>(_ state: inout ExecutionState, host: H) -> StatusCode {
        if state.message.isStatic { return .staticModeViolation }
        let key = state.stack.pop(), value = state.stack.pop()
        host.setTransientStorage(at: state.message.recipient, key: key, value: value)
        return .success
    }
}
