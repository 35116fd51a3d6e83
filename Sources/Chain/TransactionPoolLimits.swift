/// The bounds of the transaction pool, after go-ethereum's legacypool defaults (AccountSlots +
/// AccountQueue per sender, GlobalSlots + GlobalQueue in all, 128 KiB per transaction, 10% price bump).
public struct TransactionPoolLimits: Hashable, Sendable {
    /// The most transactions one sender may have pooled (pending and queued together).
    public var perAccount: Int
    /// The most transactions the pool holds.
    public var total: Int
    /// The largest encoded transaction accepted, in bytes (geth's txMaxSize: 4 × 32 KiB).
    public var maximumTransactionSize: Int
    /// How much a replacement must raise both the fee cap and the tip, in percent.
    public var priceBumpPercent: UInt64

    /// Creates limits.
    /// - Parameters:
    ///   - perAccount: per-sender limit (default 80: geth's 16 slots + 64 queued).
    ///   - total: pool limit (default 6144: geth's 5120 slots + 1024 queued).
    ///   - maximumTransactionSize: size limit in bytes (default 131072).
    ///   - priceBumpPercent: replacement bump (default 10).
    public init(perAccount: Int = 80, total: Int = 6144, maximumTransactionSize: Int = 131_072,
                priceBumpPercent: UInt64 = 10) {
        self.perAccount = perAccount; self.total = total
        self.maximumTransactionSize = maximumTransactionSize; self.priceBumpPercent = priceBumpPercent
    }
}
