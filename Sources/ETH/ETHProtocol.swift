/// The eth wire protocol as GoldenGrain speaks it: version 68 only (devp2p caps/eth.md), the version
/// go-ethereum 1.13 spoke. Message codes are relative to the protocol's offset after the base
/// protocol's 16 reserved codes.
public enum ETHProtocol {
    /// The capability name in Hello.
    public static let name = "eth"
    /// The only version offered and accepted.
    public static let version: UInt = 68
    /// How many message codes the protocol uses (0x00 … 0x10).
    public static let messageCount: UInt = 17
    /// The largest message accepted from a peer (go-ethereum eth `maxMessageSize`): 10 MiB.
    public static let maximumMessageSize = 10 * 1024 * 1024

    /// Message codes of eth/68, relative to the protocol's offset.
    public enum MessageCode: UInt, Sendable, CaseIterable {
        case status = 0x00
        case newBlockHashes = 0x01
        case transactions = 0x02
        case getBlockHeaders = 0x03
        case blockHeaders = 0x04
        case getBlockBodies = 0x05
        case blockBodies = 0x06
        case newBlock = 0x07
        case newPooledTransactionHashes = 0x08
        case getPooledTransactions = 0x09
        case pooledTransactions = 0x0a
        case getReceipts = 0x0f
        case receipts = 0x10
    }
}
