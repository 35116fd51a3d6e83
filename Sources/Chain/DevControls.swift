import Primitives
import Signatures

/// The node's accounts and dev conveniences, as anvil and Hardhat have them: the unlocked keys
/// eth_sendTransaction signs with, impersonated senders, automine and interval mining, the dev
/// clock (evm_increaseTime, evm_setNextBlockTimestamp, anvil_setBlockTimestampInterval), the next
/// block's base fee and gas limit when a dev method fixed them, the log switch and evm_snapshot's
/// saved states. One named part of the node instead of loose properties; read and changed under
/// the node's lock.
struct DevControls {
    /// Unlocked keys by address (eth_sendTransaction, eth_sign).
    var keys: [Address: PrivateKey] = [:]
    /// The unlocked accounts in the order eth_accounts lists them.
    var accountOrder: [Address] = []
    /// Senders accepted without a key (anvil_impersonateAccount).
    var impersonated: Set<Address> = []
    /// Seal a block as soon as transactions arrive (evm_setAutomine).
    var isAutomine: Bool
    /// Accept every sender of eth_sendTransaction without a key (anvil_autoImpersonateAccount).
    var isAutoImpersonating = false
    /// Interval mining (anvil's `--block-time`): seconds between blocks, nil when off.
    var blockTime: UInt64?
    /// When the interval sealer seals next, in seconds since the epoch on the wall clock.
    var nextIntervalSeal: Double = 0
    /// The next block's base fee, when fixed (anvil_setNextBlockBaseFeePerGas); used up by that block.
    var nextBaseFee: UInt256?
    /// The gas limit of every later block, when fixed (evm_setBlockGasLimit).
    var blockGasLimit: UInt64?
    /// Seconds between block timestamps, when fixed (anvil_setBlockTimestampInterval).
    var timestampInterval: UInt64?
    /// Whether the node's log lines are written (anvil_setLoggingEnabled).
    var isLoggingEnabled = true
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
