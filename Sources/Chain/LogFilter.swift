import ChainTypes
import Primitives
import State

/// An eth_getLogs / eth_newFilter / `logs` subscription criterion.
///
/// A log matches when its address is one of `addresses` (any address if empty) and, for each
/// position i of `topics`, either `topics[i]` is nil (a wildcard) or the log's topic i is one of
/// the set (OR within a position, AND across positions). Either a block range or one block hash.
public struct LogFilter: Hashable, Sendable {
    /// The first block (default latest).
    public var fromBlock: BlockTag
    /// The last block (default latest).
    public var toBlock: BlockTag
    /// One block by hash (EIP-234); when set, the range is ignored.
    public var blockHash: Hash32?
    /// The emitting contracts; empty matches any.
    public var addresses: [Address]
    /// Topic criteria by position; nil is a wildcard.
    public var topics: [[Hash32]?]

    /// Creates a filter.
    /// - Parameters:
    ///   - fromBlock: the first block.
    ///   - toBlock: the last block.
    ///   - blockHash: one block by hash instead of a range.
    ///   - addresses: the emitting contracts.
    ///   - topics: the topic criteria.
    public init(fromBlock: BlockTag = .latest, toBlock: BlockTag = .latest, blockHash: Hash32? = nil,
                addresses: [Address] = [], topics: [[Hash32]?] = []) {
        self.fromBlock = fromBlock; self.toBlock = toBlock; self.blockHash = blockHash
        self.addresses = addresses; self.topics = topics
    }

    /// Whether a log meets the address and topic criteria.
    /// - Parameter log: the log.
    /// - Returns: true on a match.
    public func matches(_ log: Log) -> Bool {
        if !addresses.isEmpty && !addresses.contains(log.address) { return false }
        if topics.count > log.topics.count {
            // A trailing wildcard still requires the log to have that many topics, as geth does.
            return false
        }
        for (position, criterion) in topics.enumerated() {
            guard let criterion, !criterion.isEmpty else { continue }
            if !criterion.contains(log.topics[position]) { return false }
        }
        return true
    }

    /// Whether a block's bloom may hold a match (false means it cannot).
    /// - Parameter bloom: the block's logs bloom.
    /// - Returns: false if some criterion certainly misses.
    package func mayMatch(_ bloom: Bloom) -> Bool {
        if !addresses.isEmpty && !addresses.contains(where: { bloom.mayContain($0.bytes) }) { return false }
        for criterion in topics {
            guard let criterion, !criterion.isEmpty else { continue }
            if !criterion.contains(where: { bloom.mayContain($0.bytes) }) { return false }
        }
        return true
    }
}
