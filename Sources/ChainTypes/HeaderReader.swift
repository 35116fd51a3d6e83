import Primitives

/// Read access to stored headers, which a consensus engine needs to walk back from a block (Clique
/// snapshots, the recent-signer rule). `ChainStore` conforms.
public protocol HeaderReader: AnyObject {
    /// The header with this hash, canonical or not.
    /// - Parameter hash: the block hash.
    /// - Returns: the header, or nil if it is not stored.
    func header(hash: Hash32) -> Header?

    /// The canonical header at this height.
    /// - Parameter number: the block number.
    /// - Returns: the header, or nil above the head.
    func canonicalHeader(number: UInt64) -> Header?
}

/// A node's headers as a consensus engine's RPC namespace reads them (geth's
/// `consensus.ChainHeaderReader`): stored headers plus the head. Each call is consistent on its
/// own; a node answers them under its lock.
public protocol ChainHeaderReader: HeaderReader, Sendable {
    /// The head block's header.
    var currentHeader: Header { get }
}

extension ChainHeaderReader {
    /// The header a block tag names: the head for latest, pending, safe and finalized (every sealed
    /// PoA block is final), block 0 for earliest.
    /// - Parameter tag: the block.
    /// - Returns: the header, or nil if no such block is stored.
    public func header(at tag: BlockTag) -> Header? {
        switch tag {
        case .latest, .pending, .safe, .finalized: return currentHeader
        case .earliest: return canonicalHeader(number: 0)
        case .number(let number): return canonicalHeader(number: number)
        case .hash(let hash): return header(hash: hash)
        }
    }
}
