import Primitives

/// An account of a genesis `alloc`: balance, nonce, code and storage, as go-ethereum's
/// `types.Account` reads them from genesis.json.
public struct GenesisAccount: Hashable, Sendable {
    /// The balance in wei.
    public var balance: UInt256
    /// The account nonce (1 for contracts by EIP-161 convention, if the file says so; default 0).
    public var nonce: UInt64
    /// The contract code (empty for an externally owned account).
    public var code: [UInt8]
    /// Storage slots and their values; zero values are not stored.
    public var storage: [UInt256: UInt256]

    /// Creates a genesis account.
    /// - Parameters:
    ///   - balance: wei.
    ///   - nonce: the nonce.
    ///   - code: the code.
    ///   - storage: slot → value.
    public init(balance: UInt256, nonce: UInt64 = 0, code: [UInt8] = [], storage: [UInt256: UInt256] = [:]) {
        self.balance = balance
        self.nonce = nonce
        self.code = code
        self.storage = storage
    }
}
