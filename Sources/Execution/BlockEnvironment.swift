import Primitives

/// The block a transaction executes in: what COINBASE, NUMBER, TIMESTAMP, GASLIMIT, PREVRANDAO,
/// CHAINID, BASEFEE, BLOBBASEFEE and BLOCKHASH read, and what fee rules check against.
public struct BlockEnvironment: Sendable {
    /// The beneficiary of priority fees (COINBASE).
    public var coinbase: Address
    /// The block number.
    public var number: UInt64
    /// The block timestamp in seconds.
    public var timestamp: UInt64
    /// The block gas limit; no transaction may ask for more (GASLIMIT).
    public var gasLimit: UInt64
    /// The EIP-1559 base fee per gas, burnt (BASEFEE, EIP-3198).
    public var baseFee: UInt256
    /// PREVRANDAO (EIP-4399).
    public var prevRandao: Hash32
    /// The chain id (CHAINID, EIP-1344; EIP-155 replay protection).
    public var chainId: UInt64
    /// The blob base fee (BLOBBASEFEE, EIP-7516); blobs are out of scope, so only read by the opcode.
    public var blobBaseFee: UInt256
    /// Hashes of earlier blocks by number, for BLOCKHASH; nil uses the state-test convention
    /// keccak256 of the decimal block number (go-ethereum's `vmTestBlockHash`).
    public var blockHashes: [UInt64: Hash32]?

    /// Creates a block environment.
    /// - Parameters:
    ///   - coinbase: the fee beneficiary.
    ///   - number: the block number.
    ///   - timestamp: the block timestamp.
    ///   - gasLimit: the block gas limit.
    ///   - baseFee: the base fee per gas.
    ///   - prevRandao: the PREVRANDAO value.
    ///   - chainId: the chain id (default 1, mainnet, as state tests use).
    ///   - blobBaseFee: the blob base fee (default 1, the EIP-4844 minimum).
    ///   - blockHashes: known hashes of earlier blocks, or nil for the state-test convention.
    public init(coinbase: Address, number: UInt64, timestamp: UInt64, gasLimit: UInt64, baseFee: UInt256,
                prevRandao: Hash32, chainId: UInt64 = 1, blobBaseFee: UInt256 = 1,
                blockHashes: [UInt64: Hash32]? = nil) {
        self.coinbase = coinbase; self.number = number; self.timestamp = timestamp; self.gasLimit = gasLimit
        self.baseFee = baseFee; self.prevRandao = prevRandao; self.chainId = chainId
        self.blobBaseFee = blobBaseFee; self.blockHashes = blockHashes
    }

    /// BLOCKHASH: the hash of one of the 256 blocks before this one, zero otherwise.
    /// - Parameter requested: the block number asked for.
    /// - Returns: its hash, or zero outside [number − 256, number − 1].
    public func blockHash(number requested: UInt64) -> Hash32 {
        guard requested < number, number - requested <= 256 else { return .zero }
        if let blockHashes { return blockHashes[requested] ?? .zero }
        return Keccak256.hash(Array(String(requested).utf8))
    }
}
