import Primitives
import Storage
import Trie

// Listing a committed state by address and slot (anvil_dumpState, `--dump-state`). The tries hold
// hashed keys only; each key's preimage is in the store under "secure-key-" ‖ hash, written by
// `commit(into:)` (go-ethereum's preimage store, as its `geth dump` needs).

/// One account of a state dump: nonce, balance, code and every nonzero storage slot.
public struct DumpedAccount: Sendable, Equatable {
    /// The nonce.
    public var nonce: UInt64
    /// The balance in wei.
    public var balance: UInt256
    /// The runtime code (empty for an account without code).
    public var code: [UInt8]
    /// The nonzero storage slots by key.
    public var storage: [UInt256: UInt256]

    /// Creates a dumped account.
    /// - Parameters:
    ///   - nonce: the nonce.
    ///   - balance: the balance in wei.
    ///   - code: the runtime code.
    ///   - storage: the nonzero slots.
    public init(nonce: UInt64, balance: UInt256, code: [UInt8], storage: [UInt256: UInt256]) {
        self.nonce = nonce; self.balance = balance; self.code = code; self.storage = storage
    }
}

extension WorldState {
    /// Every account of the committed state at `stateRoot`, with code and storage. Changes not yet
    /// committed are not included.
    /// - Returns: the accounts by address.
    /// - Throws: `StateError.corrupt` naming the hashed key whose preimage is missing (a state
    ///   written by a version that did not record preimages), `.trie`, `.storage` or `.missingCode`.
    public func dumpAccounts() throws(StateError) -> [Address: DumpedAccount] {
        var accounts: [Address: DumpedAccount] = [:]
        var leaves: [([UInt8], [UInt8])] = []
        do {
            try SecureTrie(store: store, root: stateRoot).trie.forEach { key, value in
                leaves.append((key, value))
                return true
            }
        } catch {
            throw .trie(error)
        }
        for (hashedKey, _) in leaves {
            let preimage = try self.preimage(of: Hash32(hashedKey), length: 20, kind: "account")
            let address = Address(preimage)
            guard let account = try readCommittedAccount(address) else {
                throw .corrupt("account key \(Hash32(hashedKey)) has the preimage \(address), whose leaf is absent")
            }
            let code = account.codeHash == .emptyKeccak ? [] : try readCode(hash: account.codeHash)
            var storage: [UInt256: UInt256] = [:]
            if account.storageRoot != Account.emptyStorageRoot {
                var slots: [([UInt8], [UInt8])] = []
                do {
                    try SecureTrie(store: store, root: account.storageRoot).trie.forEach { key, value in
                        slots.append((key, value))
                        return true
                    }
                } catch {
                    throw .trie(error)
                }
                for (hashedSlot, encoded) in slots {
                    let key = UInt256(bigEndianBytes: try self.preimage(of: Hash32(hashedSlot), length: 32, kind: "storage slot of \(address)"))
                    let item: RLPItem
                    do { item = try RLP.decode(encoded) } catch { throw .corrupt("storage slot \(key) of \(address): \(error)") }
                    guard let bytes = item.bytesValue, bytes.count <= 32 else {
                        throw .corrupt("storage slot \(key) of \(address) is not an RLP string of at most 32 bytes")
                    }
                    storage[key] = UInt256(bigEndianBytes: bytes)
                }
            }
            accounts[address] = DumpedAccount(nonce: account.nonce, balance: account.balance, code: code, storage: storage)
        }
        return accounts
    }

    /// The preimage of a hashed trie key, checked to hash back to it.
    private func preimage(of hashedKey: Hash32, length: Int, kind: String) throws(StateError) -> [UInt8] {
        let stored: [UInt8]?
        do { stored = try store.get(Self.preimageKey(hashedKey)) } catch { throw .storage(error) }
        guard let stored else {
            throw .corrupt("no preimage for the \(kind) key \(hashedKey): the state was written before preimages were recorded")
        }
        guard stored.count == length, Keccak256.hash(stored) == hashedKey else {
            throw .corrupt("the preimage stored for the \(kind) key \(hashedKey) does not hash to it")
        }
        return stored
    }
}
