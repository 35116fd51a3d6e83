import Chain
import ChainTypes
import JSONRPC
import Primitives

/// geth's raw-data `debug_` methods: a block, header, transaction or receipts in their consensus
/// RLP encodings. Tools fetch blocks with `debug_getRawBlock` (geth's debug API), and the
/// full header keeps the Clique seal that JSON views of a dev chain trim.
public struct RawDataHandler: Sendable {
    /// The node.
    public let node: Node

    /// Creates the handler.
    /// - Parameter node: the node.
    public init(node: Node) { self.node = node }

    /// Adds `debug_getRawBlock`, `debug_getRawHeader`, `debug_getRawTransaction` and `debug_getRawReceipts`.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let node = self.node
        /// The block a number, tag or hash names, or geth's "block #N not found" / "block 0x… not found".
        /// The block is required, as in geth (the state methods' missing-means-latest does not apply).
        @Sendable func record(_ parameters: RPCParameters) throws -> BlockRecord {
            try parameters.expectAtMost(1)
            let tag = try node.resolve(parameters.required(0, BlockArgument.numberOrHash))
            guard let record = try node.block(tag) else {
                if case .number(let number) = tag { throw RPCError.server("block #\(number) not found") }
                if case .hash(let hash) = tag { throw RPCError.server("block \(hash) not found") }
                throw RPCError.server("block \(tag) not found")
            }
            return record
        }
        methods.register("debug_getRawBlock") { parameters in
            Quantity.data(try record(parameters).block.encoded)
        }
        methods.register("debug_getRawHeader") { parameters in
            Quantity.data(try record(parameters).header.encoded)
        }
        methods.register("debug_getRawReceipts") { parameters in
            let block = try record(parameters)
            let receipts = try node.receipts(of: .hash(block.hash)) ?? []
            return .array(receipts.map { Quantity.data($0.receipt.encoded) })
        }
        methods.register("debug_getRawTransaction") { parameters in
            try parameters.expectAtMost(1)
            let hash = try parameters.required(0, HexArgument.hash)
            guard let found = try node.transaction(hash: hash) else { return .string("0x") }
            return Quantity.data(found.transaction.encoded)
        }
    }
}
