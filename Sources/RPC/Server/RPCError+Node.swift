import Chain
import ChainTypes
import JSONRPC
import NIOPosix
import Primitives

extension RPCError {
    /// The JSON-RPC error for anything a method of this server threw, mapped here once for every
    /// handler (`JSONRPCDispatcher.mapError`): `RPCError` as it is, `NodeError` by `init(_:)`,
    /// anything else -32603 with its description.
    /// - Parameter error: the error.
    public init(mapping error: any Error) {
        if let error = error as? NodeError {
            self.init(error)
        } else {
            self.init(unexpected: error)
        }
    }

    /// The JSON-RPC error for a node failure: the one place the node's errors get their codes.
    ///
    /// Refusals and failures are -32000 with the node's message (geth's phrases: "nonce too low",
    /// "insufficient funds for gas * price + value", "already known", "header not found", …);
    /// a revert is 3 with the revert data; a bad argument the node caught is -32602; an eth_getLogs
    /// query over the result limit is -32005 (Infura's "limit exceeded").
    /// - Parameter error: the node's error.
    public init(_ error: NodeError) {
        switch error {
        case .executionReverted(let data):
            self = .executionReverted(data)
        case .unknownBlock:
            self = .server("header not found")
        case .unknownAccount:
            self = .server("unknown account")
        case .invalidTransaction(let transactionError):
            self = .server(transactionError.description)
        case .executionFailed(let reason):
            self = .server(reason)
        case .invalidArgument(let message):
            self = .invalidParams(message)
        case .chain(let chainError):
            self = .internalError(chainError.description)
        case .noConsensusEngine:
            self = .internalError(error.description)
        case .tooManyLogs(let limit, let range):
            // Infura's code and data for the same refusal: the limit and a range that fits.
            self = RPCError(code: -32005, message: error.description,
                            data: .object([("from", Quantity.json(range.lowerBound)), ("limit", .integer(limit)),
                                           ("to", Quantity.json(range.upperBound))]))
        case .rejected, .gasRequiredExceedsAllowance, .invalidCall, .unknownSnapshot, .timestampNotAfterParent,
             .notASigner, .unknownTransaction:
            self = .server(error.description)
        }
    }
}

/// Threads on which a sender waits for a block being sealed by another (see `automineAfterSend`).
/// Sixteen are plenty: each only waits for the sealer in progress, then seals or returns.
private let sealingWaitThreads: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 16)
    pool.start()
    return pool
}()

/// Mines what a send just pooled (automine; nothing with automine off) before the reply goes out,
/// so the receipt exists when the client asks. When no other request is sealing, which is always
/// the case for a client that sends one transaction at a time, the block is sealed right here,
/// without a thread hop. Otherwise another request is sealing a block that may not hold this
/// transaction: the wait for it happens on a thread that may block, never on the event loop or
/// cooperative thread running this task, and then every transaction that arrived meanwhile is
/// sealed into one block (the node's group commit, `Node.automine(waiting:)`).
/// - Parameter node: the node.
/// - Throws: `RPCError` if sealing fails.
func automineAfterSend(_ node: Node) async throws {
    if try node.automine(waiting: false) { return }
    let outcome: Result<Bool, NodeError>
    do {
        outcome = try await sealingWaitThreads.runIfActive { () -> Result<Bool, NodeError> in
            do throws(NodeError) { return .success(try node.automine(waiting: true)) } catch { return .failure(error) }
        }
    } catch {
        throw RPCError.internalError("the sealing wait threads are shut down: \(error)")
    }
    if case .failure(let error) = outcome { throw error }
}

extension Node {
    /// The block a selection names, checked as geth checks it: an unknown hash is
    /// "header for hash not found", a non-canonical one with `requireCanonical` is
    /// "hash is not currently canonical".
    /// - Parameter selection: the selection.
    /// - Returns: the tag to pass to the node.
    /// - Throws: `RPCError` -32000.
    func resolve(_ selection: BlockArgument.Selection) throws -> BlockTag {
        guard case .hash(let hash) = selection.tag else { return selection.tag }
        guard let record = (try block(.hash(hash))) else {
            throw RPCError.server("header for hash not found")
        }
        if selection.requireCanonical, (try block(.number(record.number)))?.hash != hash {
            throw RPCError.server("hash is not currently canonical")
        }
        return selection.tag
    }
}

extension RPCParameters {
    /// Decodes the block selection at `index`; an absent one means "latest" (as anvil allows).
    /// - Parameter index: the position.
    /// - Returns: the selection.
    /// - Throws: `RPCError` -32602 for an undecodable selection.
    package func blockSelection(_ index: Int) throws(RPCError) -> BlockArgument.Selection {
        try optional(index, BlockArgument.numberOrHash) ?? BlockArgument.Selection(.latest)
    }
}
