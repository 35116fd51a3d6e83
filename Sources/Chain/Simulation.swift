import ChainTypes
import EVM
import Primitives
import State

// eth_simulateV1 (execution-apis `src/eth/execute.yaml`; go-ethereum `internal/ethapi/simulate.go`):
// what a simulation is asked to do, and what it produced. `Simulator.swift` runs it.

/// One block of a simulation (the spec's `BlockStateCalls` item): its header fields, the state
/// changes made before its calls, and the calls, run in order, each on the state the previous left.
public struct SimulatedBlockRequest: Sendable, Equatable {
    /// Header fields to set; number and time default to the previous block's + 1 and + 12.
    /// `beaconRoot` and `withdrawals` are accepted and ignored: this chain's blocks carry neither.
    public var blockOverrides: BlockOverrides?
    /// Account changes applied before the first call (`stateOverrides`, with `movePrecompileToAddress`).
    public var stateOverrides: [Address: AccountOverride]
    /// The calls.
    public var calls: [CallRequest]

    /// Creates a block request.
    /// - Parameters:
    ///   - blockOverrides: header fields to set.
    ///   - stateOverrides: account changes before the calls.
    ///   - calls: the calls.
    public init(blockOverrides: BlockOverrides? = nil, stateOverrides: [Address: AccountOverride] = [:],
                calls: [CallRequest] = []) {
        self.blockOverrides = blockOverrides; self.stateOverrides = stateOverrides; self.calls = calls
    }
}

/// An eth_simulateV1 payload (`EthSimulatePayload`).
public struct SimulationRequest: Sendable, Equatable {
    /// The blocks, in order.
    public var blocks: [SimulatedBlockRequest]
    /// Whether ETH transfers show as ERC-7528 `Transfer` logs from 0xeeee…eeee.
    public var traceTransfers: Bool
    /// Whether calls are checked as a block's transactions are (nonce, funds, base fee); without it
    /// the base fee is zero unless overridden and a call without fees runs free, as eth_call does.
    public var validation: Bool
    /// Whether blocks list full transaction objects (else hashes).
    public var returnFullTransactions: Bool

    /// Creates a request.
    /// - Parameters:
    ///   - blocks: the blocks.
    ///   - traceTransfers: log ETH transfers.
    ///   - validation: check calls as transactions.
    ///   - returnFullTransactions: full transaction objects.
    public init(blocks: [SimulatedBlockRequest], traceTransfers: Bool = false, validation: Bool = false,
                returnFullTransactions: Bool = false) {
        self.blocks = blocks; self.traceTransfers = traceTransfers; self.validation = validation
        self.returnFullTransactions = returnFullTransactions
    }
}

/// What one simulated call did (the spec's `CallResultSuccess` / `CallResultFailure`).
public struct SimulatedCall: Sendable {
    /// How the top-level frame ended.
    public var status: StatusCode
    /// The return data, or the revert data.
    public var returnData: [UInt8]
    /// Gas used after refunds (what the receipt counts).
    public var gasUsed: UInt64
    /// Gas used before refunds (`maxUsedGas`).
    public var maxUsedGas: UInt64
    /// The logs, with their positions; ETH transfers among them with `traceTransfers`. Empty when the call failed.
    public var logs: [LogRecord]

    /// Whether the call ran to completion.
    public var isSuccess: Bool { status == .success }
}

/// One simulated block: the block as it would be (header with roots, bloom and gas used; unsigned
/// transactions built from the calls) and each call's result.
public struct SimulatedBlock: Sendable {
    /// The block with its hash, senders, transaction hashes, total difficulty and size.
    public var record: BlockRecord
    /// One result per call, in order.
    public var calls: [SimulatedCall]
}
