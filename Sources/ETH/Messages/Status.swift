import Primitives

/// Status (eth 0x00): the first eth message of each side, saying which chain it follows.
///
/// Encoding: `rlp([version, networkId, totalDifficulty, head, genesis, forkId])`. A peer with another
/// network id, genesis or an incompatible fork id is disconnected.
public struct StatusMessage: ETHMessage, Hashable {
    public static let code = ETHProtocol.MessageCode.status
    /// The eth protocol version (68).
    public var version: UInt64
    /// The network id (GoldenGrain uses the chain id).
    public var networkId: UInt64
    /// The total difficulty of the head block.
    public var totalDifficulty: UInt256
    /// The head block's hash.
    public var head: Hash32
    /// The genesis block's hash.
    public var genesis: Hash32
    /// The EIP-2124 fork id at the head.
    public var forkID: ForkID

    /// Creates a Status.
    public init(version: UInt64 = UInt64(ETHProtocol.version), networkId: UInt64, totalDifficulty: UInt256, head: Hash32,
                genesis: Hash32, forkID: ForkID) {
        self.version = version
        self.networkId = networkId
        self.totalDifficulty = totalDifficulty
        self.head = head
        self.genesis = genesis
        self.forkID = forkID
    }

    public var encoded: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 100)
        writer.appendList { list in
            list.append(uint: version)
            list.append(uint: networkId)
            list.append(uint256: totalDifficulty)
            list.append(bytes: head.bytes)
            list.append(bytes: genesis.bytes)
            forkID.append(to: &list)
        }
        return writer.finish()
    }

    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = try MessageReader(message: "Status", encoded: encoded)
        try reader.expectCount(6, "Status", "version, networkid, td, blockhash, genesis, forkid")
        version = try reader.uint64("version")
        networkId = try reader.uint64("networkid")
        totalDifficulty = try reader.uint256("td")
        head = try reader.hash("blockhash")
        genesis = try reader.hash("genesis")
        forkID = try ForkID.read(from: &reader, field: "forkid")
    }
}
