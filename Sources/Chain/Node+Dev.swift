import ChainTypes
import Foundation
import Primitives
import State
import Storage

// The dev conveniences of anvil and Hardhat: snapshots, time travel, state overrides, impersonation.

extension Node {
    /// Saves the head, the head state, the pool and the clock (evm_snapshot).
    /// - Returns: an id for `revert(to:)`; ids increase from 1.
    public func snapshot() -> UInt64 {
        locked {
            let id = dev.nextSnapshotId
            dev.nextSnapshotId += 1
            dev.snapshots[id] = NodeSnapshot(headHash: chain.headHash, pendingStateRoot: chain.pendingStateRoot, pool: pool,
                                             timeOffset: dev.timeOffset, nextTimestamp: dev.nextTimestamp)
            return id
        }
    }

    /// Returns the chain, the head state, the pool and the clock to a snapshot (evm_revert). As in
    /// Hardhat, the id is used up, and so is every id taken after it.
    /// - Parameter id: a snapshot id.
    /// - Throws: `NodeError.unknownSnapshot` for an unknown or used id (evm_revert then answers false),
    ///   `.chain` if the store fails.
    public func revert(to id: UInt64) throws(NodeError) {
        try locked { () throws(NodeError) in
            guard let saved = dev.snapshots[id] else { throw .unknownSnapshot(id) }
            for key in dev.snapshots.keys where key >= id { dev.snapshots[key] = nil }
            do throws(ChainError) {
                try chain.rewind(to: saved.headHash, pendingStateRoot: saved.pendingStateRoot)
            } catch {
                throw .chain(error)
            }
            cachedState = nil
            pool = saved.pool
            dev.timeOffset = saved.timeOffset
            dev.nextTimestamp = saved.nextTimestamp
            rebuildRecentHashes()
        }
    }

    /// Moves the clock forward for the timestamps of future blocks (evm_increaseTime). The offset
    /// saturates at `maximumTimestamp` seconds, so no sequence of calls can overflow it.
    /// - Parameter seconds: the amount to add.
    /// - Returns: the total offset in seconds.
    @discardableResult
    public func increaseTime(by seconds: UInt64) -> Int64 {
        locked {
            // Both terms are at most 2^62 - 1, so the sum cannot overflow Int64.
            let limit = Int64(Self.maximumTimestamp)
            dev.timeOffset = min(dev.timeOffset + min(Int64(clamping: seconds), limit), limit)
            return dev.timeOffset
        }
    }

    /// Fixes the next block's timestamp (evm_setNextBlockTimestamp); later blocks continue from the
    /// wall clock shifted so that time runs on from it, as Hardhat does.
    /// - Parameter timestamp: seconds since the epoch, after the head's timestamp.
    /// - Throws: `NodeError.timestampNotAfterParent`, or `.invalidArgument` past `maximumTimestamp`.
    public func setNextBlockTimestamp(_ timestamp: UInt64) throws(NodeError) {
        try Self.checkTimestamp(timestamp)
        try locked { () throws(NodeError) in
            guard timestamp > chain.head.timestamp else {
                throw .timestampNotAfterParent(timestamp: timestamp, parentTimestamp: chain.head.timestamp)
            }
            dev.nextTimestamp = timestamp
            let now = Int64(Date.nowSeconds)
            dev.timeOffset = Int64(timestamp) - now
        }
    }

    /// Sets an account's balance in the head state (anvil_setBalance / hardhat_setBalance).
    /// - Parameters:
    ///   - balance: the new balance in wei.
    ///   - address: the account.
    /// - Throws: `NodeError.chain` if the store fails.
    public func setBalance(_ balance: UInt256, of address: Address) throws(NodeError) {
        try modifyHeadState { state in
            let current = state.balance(of: address)
            if balance > current { state.addBalance(balance &- current, to: address) } else {
                state.subtractBalance(current &- balance, from: address)
            }
        }
    }

    /// Sets an account's code in the head state (anvil_setCode / hardhat_setCode).
    /// - Parameters:
    ///   - code: the runtime code.
    ///   - address: the account.
    /// - Throws: `NodeError.chain` if the store fails.
    public func setCode(_ code: [UInt8], of address: Address) throws(NodeError) {
        try modifyHeadState { state in state.setCode(code, of: address) }
    }

    /// Sets an account's nonce in the head state (anvil_setNonce / hardhat_setNonce).
    /// - Parameters:
    ///   - nonce: the new nonce.
    ///   - address: the account.
    /// - Throws: `NodeError.chain` if the store fails.
    public func setNonce(_ nonce: UInt64, of address: Address) throws(NodeError) {
        try modifyHeadState { state in state.setNonce(nonce, of: address) }
    }

    /// Sets a storage slot in the head state (anvil_setStorageAt / hardhat_setStorageAt).
    /// - Parameters:
    ///   - value: the value.
    ///   - address: the account.
    ///   - key: the slot.
    /// - Throws: `NodeError.chain` if the store fails.
    public func setStorage(_ value: UInt256, of address: Address, key: UInt256) throws(NodeError) {
        try modifyHeadState { state in state.setStorage(at: address, key: key, value: value) }
    }

    /// Applies a change to the state the next block builds on and persists it atomically.
    private func modifyHeadState(_ change: (WorldState) -> Void) throws(NodeError) {
        try locked { () throws(NodeError) in
            let state = pendingState()
            cachedState = nil
            state.beginTransaction()
            change(state)
            // Dev changes are not a transaction: clear the journal without EIP-161 deletion of the
            // accounts they touch (an account set to zero balance stays, as in anvil).
            state.beginTransaction()
            var batch = WriteBatch()
            do throws(ChainError) {
                let root: Hash32
                do throws(StateError) { root = try state.commit(into: &batch) } catch { throw .state(error) }
                try chain.setPendingStateRoot(root, stateBatch: batch)
            } catch {
                throw .chain(error)
            }
            cachedState = state
        }
    }

    /// Lets transactions from `address` be sent without its key (anvil_impersonateAccount).
    /// - Parameter address: the account.
    public func impersonate(_ address: Address) {
        locked { _ = dev.impersonated.insert(address) }
    }

    /// Ends impersonation of `address` (anvil_stopImpersonatingAccount).
    /// - Parameter address: the account.
    public func stopImpersonating(_ address: Address) {
        locked { _ = dev.impersonated.remove(address) }
    }
}

extension Date {
    /// Whole seconds since the Unix epoch, now.
    static var nowSeconds: UInt64 { UInt64(Date().timeIntervalSince1970) }
}
