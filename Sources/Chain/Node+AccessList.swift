import ChainTypes
import EVM
import Execution
import Primitives
import State

// eth_createAccessList: the EIP-2930 access list a transaction would use.

/// What eth_createAccessList reports: the list, the gas the call used with it, and how the call
/// ended (a revert or halt is reported beside the list, not thrown, as geth does).
public struct AccessListOutcome: Sendable, Equatable {
    /// The accounts and slots touched, accounts in address order, slots ascending.
    public var accessList: [AccessListEntry]
    /// The gas the call used with that list attached (intrinsic gas, list included; after refunds).
    public var gasUsed: UInt64
    /// How the last run ended.
    public var status: StatusCode
    /// The return or revert data of the last run.
    public var output: [UInt8]

    /// Creates an outcome.
    /// - Parameters:
    ///   - accessList: the list.
    ///   - gasUsed: the gas used with it.
    ///   - status: how the call ended.
    ///   - output: return or revert data.
    public init(accessList: [AccessListEntry], gasUsed: UInt64, status: StatusCode, output: [UInt8]) {
        self.accessList = accessList; self.gasUsed = gasUsed; self.status = status; self.output = output
    }
}

extension Node {
    /// The most runs `createAccessList` makes before giving up; each run can only grow the list, so
    /// this bounds a call whose path keeps changing with the gas it is given.
    package static let maximumAccessListRuns = 64

    /// Builds the access list a transaction would use (eth_createAccessList), as geth does: run the
    /// call with an `AccessListTracer`, attach the list it collected, and run again until a run
    /// adds nothing; the gas reported is the last run's, with the list attached.
    ///
    /// The call runs as `call(_:at:)` does (eth_call's defaults: zero gas price without fee fields,
    /// gas = the request's or the block gas limit); the sender, the recipient (or the address a
    /// creation would get) and the precompiles are left out unless their slots are touched.
    /// - Parameters:
    ///   - request: the transaction; a given `accessList` seeds the result.
    ///   - tag: the block whose state it runs on (eth_createAccessList's default is pending: the head).
    /// - Returns: the list, the gas used, and how the call ended.
    /// - Throws: `NodeError.unknownBlock`; `.invalidCall` with geth's "failed to apply transaction:
    ///   <hash> err: <reason>" when the transaction is invalid before execution; `.executionFailed`
    ///   if the list does not settle within `maximumAccessListRuns` runs.
    public func createAccessList(_ request: CallRequest, at tag: BlockTag = .pending) throws(NodeError) -> AccessListOutcome {
        try locked { () throws(NodeError) -> AccessListOutcome in
            let (root, header) = try stateRoot(at: tag)
            let sender = request.from ?? .zero
            let nonce = WorldState(store: chain.store, root: root).nonce(of: sender)
            let recipient = request.to ?? ContractAddress.create(sender: sender, nonce: nonce)
            let excluded = Set([sender, recipient] + configuration.precompiles.addresses)
            var previous = AccessListTracer(accessList: request.accessList ?? [], excluding: excluded)
            for _ in 0 ..< Self.maximumAccessListRuns {
                let accessList = previous.accessList
                var attached = request
                attached.accessList = accessList
                let tracer = AccessListTracer(accessList: accessList, excluding: excluded)
                let outcome: TransactionOutcome
                do throws(TransactionValidationError) {
                    outcome = try executeCall(attached, root: root, header: header, gas: nil, tracer: tracer)
                } catch {
                    let hash = Self.unsignedLegacyHash(request, nonce: nonce, gasLimit: min(request.gas ?? header.gasLimit, header.gasLimit))
                    throw .invalidCall(reason: "failed to apply transaction: \(hash) err: \(error)")
                }
                if tracer.hasSameEntries(as: previous) {
                    return AccessListOutcome(accessList: accessList, gasUsed: outcome.gasUsed, status: outcome.status,
                                             output: outcome.output)
                }
                previous = tracer
            }
            throw .executionFailed(reason: "access list did not settle after \(Self.maximumAccessListRuns) runs")
        }
    }

    /// The hash geth names in "failed to apply transaction": the request as an unsigned legacy
    /// transaction (its `ToTransaction(LegacyTxType).Hash()`), fee cap as the gas price.
    static func unsignedLegacyHash(_ request: CallRequest, nonce: UInt64, gasLimit: UInt64) -> Hash32 {
        Transaction.legacy(chainId: nil, nonce: request.nonce ?? nonce,
                           gasPrice: request.gasPrice ?? request.maxFeePerGas ?? .zero, gasLimit: gasLimit,
                           to: request.to, value: request.value ?? .zero, data: request.data).hash
    }
}
