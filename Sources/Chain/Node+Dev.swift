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
    func modifyHeadState(_ change: (WorldState) -> Void) throws(NodeError) {
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

// anvil's block-environment, pool and switch methods (anvil_setNextBlockBaseFeePerGas,
// evm_setBlockGasLimit, anvil_setBlockTimestampInterval, anvil_dropTransaction,
// anvil_autoImpersonateAccount, anvil_setLoggingEnabled).

extension Node {
    /// Fixes the next block's base fee (anvil_setNextBlockBaseFeePerGas). Pool admission, the fee
    /// suggestions and eth_sendTransaction's defaults use it at once; the block after that one
    /// follows EIP-1559's rule from it again. Such a block does not verify on another node, as
    /// with anvil.
    /// - Parameter baseFee: the base fee in wei per gas.
    public func setNextBlockBaseFee(_ baseFee: UInt256) {
        locked { dev.nextBaseFee = baseFee }
    }

    /// The most gas a block may be given (geth's `MaxGasLimit`, 2^63 − 1).
    public static let maximumBlockGasLimit = UInt64(Int64.max)

    /// Fixes the gas limit of every later block (evm_setBlockGasLimit), exactly, as anvil does
    /// (geth would move toward it by parent/1024 per block); pool admission uses it at once.
    /// - Parameter gasLimit: the gas limit.
    /// - Throws: `NodeError.invalidArgument` above `maximumBlockGasLimit`.
    public func setBlockGasLimit(_ gasLimit: UInt64) throws(NodeError) {
        guard gasLimit <= Self.maximumBlockGasLimit else {
            throw .invalidArgument("gas limit \(gasLimit) exceeds the most a block may have (\(Self.maximumBlockGasLimit))")
        }
        locked { dev.blockGasLimit = gasLimit }
    }

    /// The gas limit the next block will have.
    public var nextBlockGasLimit: UInt64 { locked { nextGasLimit() } }

    /// Gives every later block the timestamp of its parent plus `seconds`
    /// (anvil_setBlockTimestampInterval), whatever the clock says; evm_setNextBlockTimestamp still
    /// fixes one block. An interval of 0 steps by one second, because blocks here are strictly
    /// increasing in time (anvil would repeat the parent's timestamp).
    /// - Parameter seconds: the interval.
    /// - Throws: `NodeError.invalidArgument` past `maximumTimestamp`.
    public func setBlockTimestampInterval(_ seconds: UInt64) throws(NodeError) {
        guard seconds <= Self.maximumTimestamp else {
            throw .invalidArgument("interval \(seconds) is past the latest timestamp this node accepts (\(Self.maximumTimestamp))")
        }
        locked { dev.timestampInterval = seconds }
    }

    /// Ends anvil_setBlockTimestampInterval's interval (anvil_removeBlockTimestampInterval); later
    /// blocks take their time from the dev clock again.
    /// - Returns: whether an interval was set.
    @discardableResult
    public func removeBlockTimestampInterval() -> Bool {
        locked {
            defer { dev.timestampInterval = nil }
            return dev.timestampInterval != nil
        }
    }

    /// Removes a transaction from the pool (anvil_dropTransaction), and with a pending (executable)
    /// one the same sender's pending transactions after it, which could no longer be mined (anvil
    /// drops these dependants too); a queued one goes alone.
    /// - Parameter hash: the transaction hash.
    /// - Returns: the hash if the pool held it, else nil.
    public func dropTransaction(hash: Hash32) -> Hash32? {
        locked { () -> Hash32? in
            guard let pooled = pool.transaction(hash: hash) else { return nil }
            let state = pendingState()
            let run = pool.pending(stateNonce: { state.nonce(of: $0) }).first { $0.first?.sender == pooled.sender } ?? []
            if run.contains(where: { $0.hash == hash }) {
                for dependant in run where dependant.transaction.nonce >= pooled.transaction.nonce {
                    pool.remove(hash: dependant.hash)
                }
            } else {
                pool.remove(hash: hash)
            }
            return hash
        }
    }

    /// Empties the pool, pending and queued (anvil_dropAllTransactions).
    public func dropAllTransactions() {
        locked { pool = TransactionPool(limits: pool.limits) }
    }

    /// Lets eth_sendTransaction send from any account without its key while on
    /// (anvil_autoImpersonateAccount), as `impersonate(_:)` does for one account.
    /// - Parameter isOn: the new setting.
    public func setAutoImpersonation(_ isOn: Bool) {
        locked { dev.isAutoImpersonating = isOn }
    }

    /// Whether the node writes its log lines (anvil_setLoggingEnabled; on at start).
    public var isLoggingEnabled: Bool { locked { dev.isLoggingEnabled } }

    /// Turns the node's log lines on or off (anvil_setLoggingEnabled).
    /// - Parameter isOn: the new setting.
    public func setLoggingEnabled(_ isOn: Bool) {
        locked { dev.isLoggingEnabled = isOn }
    }
}

extension Date {
    /// Whole seconds since the Unix epoch, now.
    static var nowSeconds: UInt64 { UInt64(Date().timeIntervalSince1970) }
}
