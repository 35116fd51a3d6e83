import ChainTypes
import EVM
import Execution
import Primitives
import State

/// What geth's `stateOverride` sets for one account before a call (`OverrideAccount`): each field
/// nil leaves the account's value as it is.
public struct AccountOverride: Sendable, Equatable {
    /// The nonce.
    public var nonce: UInt64?
    /// The code.
    public var code: [UInt8]?
    /// The balance.
    public var balance: UInt256?
    /// The whole storage (`state`): every slot not listed reads zero.
    public var state: [UInt256: UInt256]?
    /// Single slots (`stateDiff`); the others keep their values.
    public var stateDiff: [UInt256: UInt256]?
    /// Moves the precompile at this account to another address (`movePrecompileToAddress`).
    public var movePrecompileTo: Address?

    /// Creates an override.
    /// - Parameters:
    ///   - nonce: the nonce.
    ///   - code: the code.
    ///   - balance: the balance.
    ///   - state: the whole storage.
    ///   - stateDiff: single slots.
    ///   - movePrecompileTo: where the precompile at this account moves.
    public init(nonce: UInt64? = nil, code: [UInt8]? = nil, balance: UInt256? = nil, state: [UInt256: UInt256]? = nil,
                stateDiff: [UInt256: UInt256]? = nil, movePrecompileTo: Address? = nil) {
        self.nonce = nonce; self.code = code; self.balance = balance; self.state = state; self.stateDiff = stateDiff
        self.movePrecompileTo = movePrecompileTo
    }
}

/// geth's `blockOverrides` for a single call: the block environment fields the call sees instead
/// of the block's own. `beaconRoot` and `withdrawals` are refused, as geth refuses them outside
/// eth_simulateV1.
public struct BlockOverrides: Sendable, Equatable {
    /// NUMBER.
    public var number: UInt64?
    /// DIFFICULTY: accepted and without effect, as geth treats it after the merge (opcode 0x44
    /// reads PREVRANDAO here).
    public var difficulty: UInt256?
    /// TIMESTAMP.
    public var time: UInt64?
    /// GASLIMIT, and the most gas the call may have.
    public var gasLimit: UInt64?
    /// COINBASE (`feeRecipient`).
    public var feeRecipient: Address?
    /// PREVRANDAO.
    public var prevRandao: Hash32?
    /// BASEFEE (seen only by a call that names a fee; without one the base fee is zero, as geth's).
    public var baseFeePerGas: UInt256?
    /// BLOBBASEFEE.
    public var blobBaseFee: UInt256?
    /// Given, and refused: geth's `block override "beaconRoot" is not supported for this RPC method`.
    public var beaconRoot: Hash32?
    /// Given, and refused: geth's `block override "withdrawals" is not supported for this RPC method`.
    public var hasWithdrawals = false

    /// Creates overrides that change nothing.
    public init() {}
}

/// The overrides of one call: accounts (applied in address order, as geth applies them) and the
/// block environment. They apply to a throwaway state; the chain never sees them.
public struct CallOverrides: Sendable, Equatable {
    /// The account overrides by address.
    public var accounts: [Address: AccountOverride]
    /// The block overrides, if any.
    public var block: BlockOverrides?

    /// Creates overrides.
    /// - Parameters:
    ///   - accounts: the account overrides.
    ///   - block: the block overrides.
    public init(accounts: [Address: AccountOverride] = [:], block: BlockOverrides? = nil) {
        self.accounts = accounts; self.block = block
    }

    /// No overrides.
    public static let none = CallOverrides()

    /// Applies the block overrides to an environment.
    /// - Parameters:
    ///   - environment: the call's environment, changed in place.
    ///   - header: the block the call runs on: a number override of its number + 1 also makes its
    ///     hash BLOCKHASH-visible, so a contract cannot tell the simulated next block by a zero
    ///     BLOCKHASH (geth's fix in debug_traceCall, go-ethereum#32175).
    /// - Throws: `NodeError.invalidCall` with geth's message for `beaconRoot` and `withdrawals`.
    func applyBlock(to environment: inout BlockEnvironment, header: Header) throws(NodeError) {
        guard let block else { return }
        if block.beaconRoot != nil {
            throw .invalidCall(reason: "block override \"beaconRoot\" is not supported for this RPC method")
        }
        if block.hasWithdrawals {
            throw .invalidCall(reason: "block override \"withdrawals\" is not supported for this RPC method")
        }
        if let number = block.number {
            if number == header.number + 1 { environment.blockHashes?[header.number] = header.hash }
            environment.number = number
        }
        if let time = block.time { environment.timestamp = time }
        if let gasLimit = block.gasLimit { environment.gasLimit = gasLimit }
        if let feeRecipient = block.feeRecipient { environment.coinbase = feeRecipient }
        if let prevRandao = block.prevRandao { environment.prevRandao = prevRandao }
        if let baseFee = block.baseFeePerGas { environment.baseFee = baseFee }
        if let blobBaseFee = block.blobBaseFee { environment.blobBaseFee = blobBaseFee }
    }

    /// Applies the account overrides to a state and the precompile set, by geth's rules: accounts
    /// in address order; a moved precompile leaves its address (which then holds what the state
    /// holds there) and answers at the new one; an account's own precompile is gone once it is
    /// overridden; `state` and `stateDiff` together are refused.
    /// - Parameters:
    ///   - state: the throwaway state.
    ///   - precompiles: the precompiles the call sees, changed in place.
    /// - Throws: `NodeError.invalidCall` with geth's messages.
    func applyAccounts(to state: WorldState, precompiles: inout PrecompileRegistry) throws(NodeError) {
        guard !accounts.isEmpty else { return }
        var moved: Set<Address> = []
        var registry = precompiles
        for address in accounts.keys.sorted() {
            let account = accounts[address]!
            if moved.contains(address) {
                throw .invalidCall(reason: "account \(address.checksummed) has already been overridden by a precompile")
            }
            let precompile = precompiles.precompile(at: address)
            if let destination = account.movePrecompileTo {
                guard let precompile else { throw .invalidCall(reason: "account \(address.checksummed) is not a precompile") }
                if accounts[destination] != nil {
                    throw .invalidCall(reason: "account \(destination.checksummed) is already overridden")
                }
                registry.register(precompile, at: destination)
                moved.insert(destination)
            }
            if precompile != nil { registry = registry.removing(address) }
            if account.nonce != nil || account.code != nil || account.balance != nil {
                state.overrideAccount(address, nonce: account.nonce, balance: account.balance, code: account.code)
            }
            if account.state != nil && account.stateDiff != nil {
                throw .invalidCall(reason: "account \(address.checksummed) has both 'state' and 'stateDiff'")
            }
            if let slots = account.state { state.replaceStorage(of: address, with: slots) }
            if let slots = account.stateDiff { state.patchStorage(of: address, with: slots) }
        }
        precompiles = registry
    }
}

extension PrecompileRegistry {
    /// This registry without the precompile at `address`.
    func removing(_ address: Address) -> PrecompileRegistry {
        var registry = PrecompileRegistry()
        for other in addresses where other != address {
            if let precompile = precompile(at: other) { registry.register(precompile, at: other) }
        }
        return registry
    }
}
