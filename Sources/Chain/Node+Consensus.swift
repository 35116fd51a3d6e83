import ChainTypes
import Consensus
import JSONRPC
import Primitives

// What the node answers through its consensus engine: who sealed a block, and the node's headers as
// the engine's own RPC namespace reads them (`ConsensusEngine.registerMethods`).

extension Node: ChainHeaderReader {
    /// The address that sealed a block.
    /// - Parameter tag: the block.
    /// - Returns: the signer; for block 0, which has no seal, the zero address.
    /// - Throws: `NodeError.unknownBlock`, or `.chain(.consensus)` if the seal does not recover.
    public func author(of tag: BlockTag) throws(NodeError) -> Address {
        try locked { () throws(NodeError) -> Address in
            guard let (header, _) = resolveHeader(tag) else { throw .unknownBlock(tag.description) }
            if header.number == 0 { return .zero }
            do throws(ConsensusError) { return try engine.author(of: header) } catch { throw .chain(.consensus(error)) }
        }
    }

    /// Adds the consensus engine's RPC namespace (`clique_*` for Clique) to a method table.
    /// - Parameter methods: the table.
    public func registerConsensusMethods(on methods: inout RPCMethods) {
        engine.registerMethods(on: &methods, chain: self)
    }

    /// The head block's header (`ChainHeaderReader`), read under the node's lock.
    public var currentHeader: Header { locked { chain.head } }

    /// A stored header by hash (`HeaderReader`), read under the node's lock.
    public func header(hash: Hash32) -> Header? { locked { chain.header(hash: hash) } }

    /// The canonical header at a height (`HeaderReader`), read under the node's lock.
    public func canonicalHeader(number: UInt64) -> Header? { locked { chain.canonicalHeader(number: number) } }
}
