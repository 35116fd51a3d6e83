import ChainTypes
/// The bounds of the transaction pool: go-ethereum's legacypool defaults (`core/txpool/legacypool`
/// `DefaultConfig`).
///
/// Space is counted in *slots* of 32 KiB of encoded transaction (a transfer takes one, the largest
/// transaction four), as geth counts it, so that a few large transactions cannot fill the memory
/// that many small ones would. The pool holds at most `globalSlots + globalQueue` slots;
/// executable (pending) transactions beyond `globalSlots` are cut from the senders with the most
/// above `accountSlots`; transactions waiting behind a nonce gap (queued) are limited to
/// `accountQueue` per sender and `globalQueue` in all.
public struct TransactionPoolLimits: Hashable, Sendable {
    /// Executable transactions a sender keeps however full the pool is (geth's AccountSlots).
    package var accountSlots: Int
    /// Executable slots in all (geth's GlobalSlots: 4096 + 1024).
    package var globalSlots: Int
    /// Queued transactions per sender (geth's AccountQueue).
    package var accountQueue: Int
    /// Queued transactions in all (geth's GlobalQueue).
    package var globalQueue: Int
    /// The largest encoded transaction accepted, in bytes (geth's txMaxSize: 4 slots).
    package var maximumTransactionSize: Int
    /// How much a replacement must raise both the fee cap and the tip, in percent.
    package var priceBumpPercent: UInt64

    /// The size of one slot in bytes (geth's txSlotSize).
    public static let slotSize = 32 * 1024

    /// Creates limits.
    /// - Parameters:
    ///   - accountSlots: executable transactions a sender keeps (default 16).
    ///   - globalSlots: executable slots in all (default 5120).
    ///   - accountQueue: queued transactions per sender (default 64).
    ///   - globalQueue: queued transactions in all (default 1024).
    ///   - maximumTransactionSize: size limit in bytes (default 131072).
    ///   - priceBumpPercent: replacement bump (default 10).
    public init(accountSlots: Int = 16, globalSlots: Int = 4096 + 1024, accountQueue: Int = 64, globalQueue: Int = 1024,
                maximumTransactionSize: Int = 4 * TransactionPoolLimits.slotSize, priceBumpPercent: UInt64 = 10) {
        self.accountSlots = accountSlots; self.globalSlots = globalSlots
        self.accountQueue = accountQueue; self.globalQueue = globalQueue
        self.maximumTransactionSize = maximumTransactionSize; self.priceBumpPercent = priceBumpPercent
    }

    /// The most slots the pool holds: `globalSlots + globalQueue` (6144 by default).
    public var capacity: Int { globalSlots + globalQueue }

    /// The slots a transaction of this encoded size takes (geth's `numSlots`).
    /// - Parameter size: the encoded size in bytes.
    /// - Returns: ⌈size / 32 KiB⌉.
    public static func slots(forSize size: Int) -> Int { (size + slotSize - 1) / slotSize }
}
