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
