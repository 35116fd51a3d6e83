import Primitives

/// What a precompile may read besides its input. Results must depend only on the input and these
/// values (never the wall clock), so every node computes the same answer: the attestation
/// precompile checks certificate validity at `timestamp`, the block's time.
public struct PrecompileContext: Sendable {
    /// The number of the block being executed.
    public var blockNumber: UInt64
    /// The block's timestamp in seconds since the Unix epoch.
    public var timestamp: UInt64
    /// The chain id (EIP-155).
    public var chainId: UInt64

    /// Creates a context.
    /// - Parameters:
    ///   - blockNumber: the number of the block being executed.
    ///   - timestamp: the block's timestamp in seconds since the Unix epoch.
    ///   - chainId: the chain id (EIP-155).
    public init(blockNumber: UInt64, timestamp: UInt64, chainId: UInt64) {
        self.blockNumber = blockNumber
        self.timestamp = timestamp
        self.chainId = chainId
    }
}

/// The outcome of running a precompile on an input it was paid for.
public enum PrecompileOutput: Sendable, Equatable {
    /// The call succeeded with this return data.
    case success([UInt8])
    /// The call failed (malformed input, a point not on the curve, …): the caller loses all the gas
    /// it passed, as in go-ethereum's `RunPrecompiledContract`. The reason is for traces and logs.
    case failure(String)
}

/// A contract implemented natively, at a fixed address.
///
/// The EVM knows precompiles only through this protocol and a `PrecompileRegistry`; GoldenGrain's
/// own precompiles (attestation, inference) live in other modules and are registered by the chain
/// from the genesis configuration.
public protocol Precompile: Sendable {
    /// The gas this input costs, charged before `run`. Return `UInt64.max` for an input whose cost
    /// cannot be represented; the call then runs out of gas.
    /// - Parameter input: the call data.
    /// - Returns: the gas required.
    func requiredGas(input: [UInt8]) -> UInt64

    /// Runs the precompile.
    /// - Parameters:
    ///   - input: the call data.
    ///   - context: the block values the result may depend on.
    /// - Returns: the return data, or a failure that consumes all gas passed to the call.
    func run(input: [UInt8], context: PrecompileContext) -> PrecompileOutput
}

/// Precompiles by address. Lookups happen once per CALL to a precompile address, never per opcode.
///
/// `PrecompileRegistry.cancun()` (Precompiles/PrecompileRegistry+Cancun.swift) fills one with the
/// standard precompiles 0x01–0x09 and P256VERIFY at 0x100.
public struct PrecompileRegistry: Sendable {
    private var byAddress: [Address: any Precompile] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Adds or replaces the precompile at `address`.
    /// - Parameters:
    ///   - precompile: the implementation.
    ///   - address: where contracts call it.
    public mutating func register(_ precompile: any Precompile, at address: Address) {
        byAddress[address] = precompile
    }

    /// The precompile at `address`, if any.
    /// - Parameter address: the called address.
    /// - Returns: the implementation, or `nil` when `address` holds no precompile.
    public func precompile(at address: Address) -> (any Precompile)? {
        byAddress[address]
    }

    /// Every registered address; these are warm from the start of each transaction (EIP-2929).
    public var addresses: [Address] { byAddress.keys.sorted() }
}
