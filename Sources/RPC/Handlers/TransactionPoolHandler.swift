import Chain
import ChainTypes
import JSONRPC
import Primitives

/// The `txpool_` namespace as geth serves it (`internal/ethapi` `TxPoolAPI`): `txpool_status`,
/// `txpool_content`, `txpool_contentFrom` and `txpool_inspect`.
///
/// *Pending* transactions are executable now (every nonce from the sender's state nonce up to theirs
/// is pooled); *queued* ones wait behind a nonce gap. geth builds these results from Go maps, which
/// its JSON encoder writes with keys sorted as strings, so the same is done here: `pending` before
/// `queued`, senders by their EIP-55 checksummed text (which geth uses as the key), and nonces as
/// decimal strings in string order ("10" before "9").
public struct TransactionPoolHandler: Sendable {
    /// The node.
    public let node: Node

    /// Creates the handler.
    /// - Parameter node: the node.
    public init(node: Node) { self.node = node }

    /// Adds the `txpool_` methods.
    /// - Parameter methods: the table to add to.
    public func register(on methods: inout RPCMethods) {
        let node = self.node
        methods.register("txpool_status") { parameters in
            try parameters.expectAtMost(0)
            let (pending, queued) = (node.pendingTransactions, node.queuedTransactions)
            return .object([("pending", Quantity.json(UInt64(pending.count))), ("queued", Quantity.json(UInt64(queued.count)))])
        }
        methods.register("txpool_content") { parameters in
            try parameters.expectAtMost(0)
            return .object([("pending", Self.bySender(node.pendingTransactions, ChainJSON.transaction)),
                            ("queued", Self.bySender(node.queuedTransactions, ChainJSON.transaction))])
        }
        methods.register("txpool_contentFrom") { parameters in
            try parameters.expectAtMost(1)
            let address = try parameters.required(0, HexArgument.address)
            return .object([("pending", Self.byNonce(node.pendingTransactions.filter { $0.sender == address }, ChainJSON.transaction)),
                            ("queued", Self.byNonce(node.queuedTransactions.filter { $0.sender == address }, ChainJSON.transaction))])
        }
        methods.register("txpool_inspect") { parameters in
            try parameters.expectAtMost(0)
            return .object([("pending", Self.bySender(node.pendingTransactions, Self.summary)),
                            ("queued", Self.bySender(node.queuedTransactions, Self.summary))])
        }
    }

    /// `{sender: {nonce: value}}` with both levels in Go's sorted-key order.
    static func bySender(_ records: [TransactionRecord], _ render: (TransactionRecord) -> JSON) -> JSON {
        var groups: [String: [TransactionRecord]] = [:]
        for record in records { groups[record.sender.checksummed, default: []].append(record) }
        return .object(groups.keys.sorted(by: goStringOrder).map { sender in (sender, byNonce(groups[sender]!, render)) })
    }

    /// `{nonce: value}` keyed by the decimal nonce, in Go's sorted-key order.
    static func byNonce(_ records: [TransactionRecord], _ render: (TransactionRecord) -> JSON) -> JSON {
        let keyed = records.map { (String($0.transaction.nonce), $0) }.sorted { goStringOrder($0.0, $1.0) }
        return .object(keyed.map { ($0.0, render($0.1)) })
    }

    /// Go compares strings byte by byte (so upper case sorts before lower case, "10" before "9").
    static func goStringOrder(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// geth's inspect line: "<to>: <value> wei + <gas> gas × <gas price> wei", or "contract
    /// creation: …"; the price is the fee cap for an EIP-1559 transaction (geth's `tx.GasPrice()`).
    static func summary(_ record: TransactionRecord) -> JSON {
        let transaction = record.transaction
        let target = transaction.to.map(\.checksummed) ?? "contract creation"
        return .string("\(target): \(transaction.value) wei + \(transaction.gasLimit) gas × \(transaction.maxFeePerGas) wei")
    }
}
