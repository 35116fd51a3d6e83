import Chain
import EVM
import Primitives

/// What the RPC layer needs from a node: the chain, state at a block, execution, the transaction
/// pool, the dev conveniences and Clique's voting.
///
/// The RPC layer works only through this protocol, so it can serve the dev node (`Chain`'s node
/// facade conforms in `NodeBackend+DevNode.swift` once it lands) or a test double. State is
/// addressed by block number after the RPC layer has resolved tags, hashes and EIP-1898 objects
/// against `block(number:)`/`block(hash:)`. Failures are `NodeBackendError`s, which
/// `RPCError(_:)` maps to JSON-RPC codes in one place.
public protocol NodeBackend: AnyObject, Sendable {
    // MARK: Chain

    /// The EIP-155 chain id.
    var chainId: UInt64 { get }
    /// The head block's number.
    func headBlockNumber() async -> UInt64
    /// The canonical block with this number, or nil past the head.
    /// - Parameter number: the block number.
    func block(number: UInt64) async -> Block?
    /// The block with this hash, or nil if unknown.
    /// - Parameter hash: the block hash.
    func block(hash: Hash32) async -> Block?
    /// The receipts of a block's transactions, in order, or nil if the block is unknown.
    /// - Parameter hash: the block hash.
    func receipts(ofBlock hash: Hash32) async -> [Receipt]?
    /// Where a mined transaction is, or nil if it is not in a canonical block.
    /// - Parameter hash: the transaction hash.
    func transactionLocation(hash: Hash32) async -> TransactionLocation?
    /// A transaction waiting in the pool, or nil.
    /// - Parameter hash: the transaction hash.
    func pendingTransaction(hash: Hash32) async -> Transaction?
    /// The sender of a transaction (recovered from its signature, or the impersonated account).
    /// - Parameter transaction: the transaction.
    func sender(of transaction: Transaction) async -> Address?

    // MARK: State

    /// An account's balance after the given block.
    /// - Parameters:
    ///   - address: the account.
    ///   - number: the block number.
    /// - Throws: `NodeBackendError.headerNotFound` or `.stateUnavailable`.
    func balance(of address: Address, atBlock number: UInt64) async throws(NodeBackendError) -> UInt256
    /// An account's nonce after the given block.
    /// - Parameters:
    ///   - address: the account.
    ///   - number: the block number.
    /// - Throws: `NodeBackendError.headerNotFound` or `.stateUnavailable`.
    func nonce(of address: Address, atBlock number: UInt64) async throws(NodeBackendError) -> UInt64
    /// An account's code after the given block.
    /// - Parameters:
    ///   - address: the account.
    ///   - number: the block number.
    /// - Throws: `NodeBackendError.headerNotFound` or `.stateUnavailable`.
    func code(of address: Address, atBlock number: UInt64) async throws(NodeBackendError) -> [UInt8]
    /// A storage slot's value after the given block.
    /// - Parameters:
    ///   - address: the account.
    ///   - slot: the slot.
    ///   - number: the block number.
    /// - Throws: `NodeBackendError.headerNotFound` or `.stateUnavailable`.
    func storage(of address: Address, slot: UInt256, atBlock number: UInt64) async throws(NodeBackendError) -> UInt256

    // MARK: Execution

    /// Runs a call on top of the given block's state without changing anything.
    /// - Parameters:
    ///   - request: the call.
    ///   - number: the block whose state the call sees (it runs in a block after it).
    ///   - tracer: observes the execution, or nil.
    /// - Returns: how the call ended; a revert is an outcome, not an error.
    /// - Throws: `NodeBackendError.rejected` if the call could not start (e.g. insufficient funds).
    func call(_ request: CallRequest, atBlock number: UInt64, tracer: (any Tracer)?) async throws(NodeBackendError) -> CallOutcome
    /// The smallest gas limit with which the call succeeds.
    /// - Parameters:
    ///   - request: the call.
    ///   - number: the block whose state the call sees.
    /// - Throws: `NodeBackendError.reverted` / `.executionFailed` if it fails at any gas limit.
    func estimateGas(_ request: CallRequest, atBlock number: UInt64) async throws(NodeBackendError) -> UInt64
    /// Re-executes a mined transaction (after its block's earlier transactions) under a tracer.
    /// - Parameters:
    ///   - hash: the transaction hash.
    ///   - tracer: observes the execution.
    /// - Returns: how the transaction ended.
    /// - Throws: `NodeBackendError.notFound` for an unknown transaction.
    func traceTransaction(hash: Hash32, tracer: any Tracer) async throws(NodeBackendError) -> CallOutcome

    // MARK: Transactions

    /// Validates a signed transaction and adds it to the pool (mining it at once under automine).
    /// - Parameter transaction: the signed transaction.
    /// - Returns: its hash.
    /// - Throws: `NodeBackendError.rejected` with geth's message ("nonce too low", …).
    func submit(_ transaction: Transaction) async throws(NodeBackendError) -> Hash32
    /// Fills in, signs (with a dev key, or as an impersonated account) and submits a transaction.
    /// - Parameter request: the transaction fields; `from` is required.
    /// - Returns: its hash.
    /// - Throws: `NodeBackendError.rejected` (e.g. "unknown account") with geth's message.
    func sendTransaction(_ request: CallRequest) async throws(NodeBackendError) -> Hash32
    /// The accounts the node can sign for.
    func accounts() async -> [Address]
    /// The block beneficiary (the Clique signer on this chain).
    func coinbase() async -> Address
    /// The suggested legacy gas price (base fee plus tip).
    func gasPrice() async -> UInt256
    /// The suggested EIP-1559 tip.
    func maxPriorityFeePerGas() async -> UInt256

    // MARK: Dev conveniences (anvil / Hardhat)

    /// Mines blocks now, with or without pending transactions.
    /// - Parameters:
    ///   - count: how many blocks.
    ///   - interval: seconds between their timestamps, or nil for the default.
    ///   - timestamp: the first block's timestamp, or nil for the clock.
    /// - Throws: `NodeBackendError.invalidArgument` for a timestamp not after the head's.
    func mine(count: UInt64, interval: UInt64?, timestamp: UInt64?) async throws(NodeBackendError)
    /// Records the current state and chain head.
    /// - Returns: the snapshot id (ids start at 1 and increase).
    func snapshot() async -> UInt64
    /// Returns to a snapshot, dropping it and every later one.
    /// - Parameter id: the snapshot id.
    /// - Returns: whether the snapshot existed.
    func revert(to id: UInt64) async -> Bool
    /// Moves the clock forward for the blocks to come.
    /// - Parameter seconds: how far.
    /// - Returns: the total offset in seconds.
    func increaseTime(by seconds: UInt64) async -> UInt64
    /// Fixes the next block's timestamp.
    /// - Parameter timestamp: seconds since the epoch.
    /// - Throws: `NodeBackendError.invalidArgument` if it is not after the head's.
    func setNextBlockTimestamp(_ timestamp: UInt64) async throws(NodeBackendError)
    /// Turns mining on every transaction on or off.
    /// - Parameter isEnabled: whether to mine each transaction at once.
    func setAutomine(_ isEnabled: Bool) async
    /// Whether transactions are mined as they arrive.
    func isAutomineEnabled() async -> Bool
    /// Sets an account's balance.
    /// - Parameters:
    ///   - balance: the new balance in wei.
    ///   - address: the account.
    func setBalance(_ balance: UInt256, of address: Address) async
    /// Sets an account's code.
    /// - Parameters:
    ///   - code: the new code.
    ///   - address: the account.
    func setCode(_ code: [UInt8], of address: Address) async
    /// Sets an account's nonce.
    /// - Parameters:
    ///   - nonce: the new nonce.
    ///   - address: the account.
    func setNonce(_ nonce: UInt64, of address: Address) async
    /// Sets a storage slot.
    /// - Parameters:
    ///   - value: the new value.
    ///   - slot: the slot.
    ///   - address: the account.
    func setStorage(_ value: UInt256, at slot: UInt256, of address: Address) async
    /// Lets `eth_sendTransaction` send from an account without its key.
    /// - Parameter address: the account.
    func impersonate(_ address: Address) async
    /// Ends impersonation of an account.
    /// - Parameter address: the account.
    func stopImpersonating(_ address: Address) async

    // MARK: Clique

    /// The authorized signers after the given block.
    /// - Parameter number: the block number.
    /// - Throws: `NodeBackendError.headerNotFound`.
    func cliqueSigners(atBlock number: UInt64) async throws(NodeBackendError) -> [Address]
    /// The Clique voting snapshot after the given block.
    /// - Parameter number: the block number.
    /// - Throws: `NodeBackendError.headerNotFound`.
    func cliqueSnapshot(atBlock number: UInt64) async throws(NodeBackendError) -> CliqueSnapshot
    /// Makes this node's signer vote to add (`authorize`) or remove a signer in the blocks it seals.
    /// - Parameters:
    ///   - address: the candidate.
    ///   - authorize: true to add, false to remove.
    func cliquePropose(_ address: Address, authorize: Bool) async
    /// Withdraws a pending proposal.
    /// - Parameter address: the candidate.
    func cliqueDiscard(_ address: Address) async
    /// The pending proposals: candidate to add (true) or remove (false).
    func cliqueProposals() async -> [Address: Bool]
}

extension NodeBackend {
    /// Nothing waits in the pool unless the node says so.
    public func pendingTransaction(hash: Hash32) async -> Transaction? { nil }

    /// Recovers the sender from the signature.
    public func sender(of transaction: Transaction) async -> Address? {
        try? transaction.recoverSender(chainId: transaction.chainId ?? chainId)
    }
}

/// Where a mined transaction is.
public struct TransactionLocation: Sendable, Hashable {
    /// The block's hash.
    public var blockHash: Hash32
    /// The block's number.
    public var blockNumber: UInt64
    /// The transaction's index in the block.
    public var index: Int

    /// Creates a location.
    /// - Parameters:
    ///   - blockHash: the block's hash.
    ///   - blockNumber: the block's number.
    ///   - index: the index in the block.
    public init(blockHash: Hash32, blockNumber: UInt64, index: Int) {
        self.blockHash = blockHash; self.blockNumber = blockNumber; self.index = index
    }
}

/// How a call or traced transaction ended.
public struct CallOutcome: Sendable {
    /// The EVM status.
    public var status: StatusCode
    /// Return data, or revert data.
    public var output: [UInt8]
    /// Gas used (after refunds).
    public var gasUsed: UInt64

    /// Creates an outcome.
    /// - Parameters:
    ///   - status: the EVM status.
    ///   - output: the return or revert data.
    ///   - gasUsed: gas used.
    public init(status: StatusCode, output: [UInt8], gasUsed: UInt64) {
        self.status = status; self.output = output; self.gasUsed = gasUsed
    }
}

/// A Clique voting snapshot (geth `consensus/clique.Snapshot`).
public struct CliqueSnapshot: Sendable, Equatable {
    /// One signer's vote.
    public struct Vote: Sendable, Equatable {
        /// Who voted.
        public var signer: Address
        /// The block the vote was cast in.
        public var block: UInt64
        /// The candidate.
        public var address: Address
        /// True to add, false to remove.
        public var authorize: Bool

        /// Creates a vote.
        /// - Parameters:
        ///   - signer: who voted.
        ///   - block: the block.
        ///   - address: the candidate.
        ///   - authorize: add or remove.
        public init(signer: Address, block: UInt64, address: Address, authorize: Bool) {
            self.signer = signer; self.block = block; self.address = address; self.authorize = authorize
        }
    }

    /// The block the snapshot is at.
    public var number: UInt64
    /// That block's hash.
    public var hash: Hash32
    /// The authorized signers, sorted.
    public var signers: [Address]
    /// Recent signers by block number (a signer may sign once per floor(N/2)+1 blocks).
    public var recents: [UInt64: Address]
    /// Votes cast since the last checkpoint.
    public var votes: [Vote]

    /// Creates a snapshot.
    /// - Parameters:
    ///   - number: the block number.
    ///   - hash: the block hash.
    ///   - signers: the signers.
    ///   - recents: recent signers by block.
    ///   - votes: open votes.
    public init(number: UInt64, hash: Hash32, signers: [Address], recents: [UInt64: Address], votes: [Vote]) {
        self.number = number; self.hash = hash; self.signers = signers; self.recents = recents; self.votes = votes
    }
}
