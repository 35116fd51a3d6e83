import Primitives

/// An account as the state trie stores it (Yellow Paper §4.1): the value under keccak256(address)
/// is RLP([nonce, balance, storageRoot, codeHash]).
///
/// Code and storage live beside the account: code by its hash, storage in the account's own
/// storage trie whose root is `storageRoot`.
public struct Account: Sendable, Equatable {
    /// The number of transactions sent (EOA) or contracts created (contract account).
    public var nonce: UInt64
    /// The balance in wei.
    public var balance: UInt256
    /// The root of the account's storage trie; `Account.emptyStorageRoot` when it has no storage.
    public var storageRoot: Hash32
    /// keccak256 of the account's code; `Hash32.emptyKeccak` when it has none.
    public var codeHash: Hash32

    /// The root of an empty trie: keccak256(RLP("")) = keccak256(0x80).
    public static let emptyStorageRoot = Keccak256.hash([0x80])

    /// Creates an account.
    /// - Parameters:
    ///   - nonce: the nonce (default 0).
    ///   - balance: the balance in wei (default 0).
    ///   - storageRoot: the storage trie root (default empty).
    ///   - codeHash: the code hash (default: no code).
    public init(nonce: UInt64 = 0, balance: UInt256 = .zero, storageRoot: Hash32 = Account.emptyStorageRoot,
                codeHash: Hash32 = .emptyKeccak) {
        self.nonce = nonce; self.balance = balance; self.storageRoot = storageRoot; self.codeHash = codeHash
    }

    /// Whether the account is empty in the EIP-161 sense: zero nonce, zero balance and no code.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && codeHash == .emptyKeccak }

    /// The account's RLP encoding, RLP([nonce, balance, storageRoot, codeHash]), as the state trie
    /// stores it.
    public var rlpBytes: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 110)
        let list = writer.beginList()
        writer.append(uint: nonce)
        writer.append(bytes: balance.minimalBigEndianBytes)
        writer.append(bytes: storageRoot.bytes)
        writer.append(bytes: codeHash.bytes)
        writer.endList(list)
        return writer.finish()
    }
}
