import ChainTypes
import Primitives
import State

// anvil's state methods: anvil_dumpState / anvil_loadState (and `--dump-state`, `--load-state`,
// `--state`), anvil_reset.

extension Node {
    /// Every account of the state the next block builds on (dev changes included), with the head
    /// it belongs to (anvil_dumpState, `--dump-state`).
    /// - Returns: the dump.
    /// - Throws: `NodeError.chain` if the state cannot be read, among others when it was written
    ///   by a version that did not record key preimages (an older data directory).
    public func dumpState() throws(NodeError) -> StateDump {
        try locked { () throws(NodeError) in
            let accounts: [Address: DumpedAccount]
            do throws(StateError) {
                accounts = try WorldState(store: chain.store, root: chain.pendingStateRoot).dumpAccounts()
            } catch {
                throw .chain(.state(error))
            }
            let head = chain.head
            return StateDump(accounts: accounts, blockNumber: head.number, timestamp: head.timestamp, gasLimit: head.gasLimit,
                             baseFee: head.baseFeePerGas ?? .zero, beneficiary: head.coinbase, difficulty: head.difficulty,
                             prevrandao: head.mixHash)
        }
    }

    /// Merges accounts into the state the next block builds on, as anvil's `load_state` does: each
    /// account's balance and code are replaced (empty code removes code), its nonce becomes the
    /// larger of the current and the loaded one, and the loaded slots are written over the
    /// account's storage (other slots stay). One atomic change, as anvil_setBalance is; the head
    /// block does not move (anvil would move its head to the dump's block number).
    /// - Parameter accounts: the accounts by address.
    /// - Throws: `NodeError.chain` if the store fails.
    public func loadState(_ accounts: [Address: DumpedAccount]) throws(NodeError) {
        try modifyHeadState { state in
            for address in accounts.keys.sorted() {
                let account = accounts[address]!
                let current = state.balance(of: address)
                if account.balance > current { state.addBalance(account.balance &- current, to: address) } else {
                    state.subtractBalance(current &- account.balance, from: address)
                }
                state.setNonce(max(state.nonce(of: address), account.nonce), of: address)
                state.setCode(account.code, of: address)
                for key in account.storage.keys.sorted() {
                    state.setStorage(at: address, key: key, value: account.storage[key]!)
                }
            }
        }
    }

    /// Returns the chain to block 0 and the genesis state (anvil_reset without forking): later
    /// blocks stop being canonical (their records stay, as after evm_revert), the pool is emptied,
    /// evm_snapshot ids are dropped, and the dev clock, the next block's base fee and the gas limit
    /// set by evm_setBlockGasLimit go back to the node's configuration. Unlocked and impersonated
    /// accounts, automine, interval mining, a timestamp interval and the log switch stay.
    /// - Throws: `NodeError.chain` if the store fails.
    public func reset() throws(NodeError) {
        try locked { () throws(NodeError) in
            do throws(ChainError) {
                try chain.rewind(to: chain.genesisHash)
            } catch {
                throw .chain(error)
            }
            cachedState = nil
            pool = TransactionPool(limits: pool.limits)
            dev.snapshots = [:]
            dev.nextSnapshotId = 1
            dev.timeOffset = 0
            dev.nextTimestamp = nil
            dev.nextBaseFee = nil
            dev.blockGasLimit = nil
            rebuildRecentHashes()
            log("reset to block 0 (anvil_reset)")
        }
    }
}
