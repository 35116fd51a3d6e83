/// How far a catching-up node has to go (eth_syncing's startingBlock and highestBlock).
public struct SyncProgress: Equatable, Sendable {
    /// The head when catching up began.
    public let startingBlock: UInt64
    /// The highest head a heavier peer has shown.
    public let highestBlock: UInt64

    /// Creates a progress record.
    /// - Parameters:
    ///   - startingBlock: the head when catching up began.
    ///   - highestBlock: the highest head a heavier peer has shown.
    public init(startingBlock: UInt64, highestBlock: UInt64) {
        self.startingBlock = startingBlock
        self.highestBlock = highestBlock
    }
}
