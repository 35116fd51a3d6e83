import Primitives
import Signatures

/// The node's accounts and dev conveniences, as anvil and Hardhat have them: the unlocked keys
/// eth_sendTransaction signs with, impersonated senders, automine, the dev clock
/// (evm_increaseTime, evm_setNextBlockTimestamp) and evm_snapshot's saved states. One named part
/// of the node instead of eight loose properties; read and changed under the node's lock.
struct DevControls {
    /// Unlocked keys by address (eth_sendTransaction, eth_sign).
    var keys: [Address: PrivateKey] = [:]
    /// The unlocked accounts in the order eth_accounts lists them.
    var accountOrder: [Address] = []
    /// Senders accepted without a key (anvil_impersonateAccount).
    var impersonated: Set<Address> = []
    /// Seal a block as soon as transactions arrive (evm_setAutomine).
    var isAutomine: Bool
    /// Seconds added to the wall clock for new blocks' timestamps (evm_increaseTime).
    var timeOffset: Int64 = 0
    /// The next block's timestamp, when fixed (evm_setNextBlockTimestamp).
    var nextTimestamp: UInt64?
    /// evm_snapshot's saved states by id.
    var snapshots: [UInt64: NodeSnapshot] = [:]
    /// The id the next evm_snapshot gets.
    var nextSnapshotId: UInt64 = 1

    /// Dev controls with these keys unlocked (in order, duplicates once) and automine on or off.
    init(unlockedKeys: [PrivateKey], isAutomine: Bool) {
        self.isAutomine = isAutomine
        for key in unlockedKeys {
            let address = key.address
            if keys[address] == nil { accountOrder.append(address) }
            keys[address] = key
        }
    }

    /// eth_accounts: the unlocked accounts, then the impersonated ones without a key, ascending.
    var accounts: [Address] { accountOrder + impersonated.sorted().filter { keys[$0] == nil } }
}

/// What evm_snapshot saves: the head, the state the next block builds on, the pool and the clock.
struct NodeSnapshot {
    var headHash: Hash32
    var pendingStateRoot: Hash32
    var pool: TransactionPool
    var timeOffset: Int64
    var nextTimestamp: UInt64?
}
