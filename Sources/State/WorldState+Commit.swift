import Primitives
import Storage
import Trie

// Committing the state to tries, and reading committed state back.
//
// Layout in the key-value store (go-ethereum's hash scheme): trie nodes under their keccak256
// hash; code under "c" ‖ keccak256(code). The state trie is a secure trie (keys hashed) from
// address to RLP([nonce, balance, storageRoot, codeHash]); each account's storage trie is a secure
// trie from the 32-byte big-endian slot key to RLP(minimal big-endian value), zero values absent.
//
// Only what changed since the last commit is rewritten: storage tries of accounts with written
// slots, and the state-trie leaves of accounts that changed.
//
// Each key written into a secure trie also leaves its preimage, "secure-key-" ‖ keccak256(key) →
// key (go-ethereum's preimage store), so that a state can be listed by address and slot
// (`dumpAccounts()`, anvil_dumpState) although the tries hold only hashed keys.

extension WorldState {
    /// The store key of code with the given hash: "c" ‖ hash.
    /// - Parameter codeHash: keccak256 of the code.
    /// - Returns: the key.
    public static func codeKey(_ codeHash: Hash32) -> [UInt8] { [UInt8(ascii: "c")] + codeHash.bytes }

    /// The store key of a secure-trie key's preimage: "secure-key-" ‖ keccak256(key), as go-ethereum's.
    /// - Parameter hashedKey: keccak256 of an address or a 32-byte slot key.
    /// - Returns: the key.
    public static func preimageKey(_ hashedKey: Hash32) -> [UInt8] { preimagePrefix + hashedKey.bytes }

    /// "secure-key-".
    static let preimagePrefix = Array("secure-key-".utf8)

    /// Computes the state root and adds every new trie node and code to `batch`. The batch must be
    /// written to `store` before this state reads further or commits again.
    /// - Parameter batch: the batch that receives the trie nodes and code.
    /// - Returns: the new state root.
    /// - Throws: `StateError` if an earlier read failed or a trie node is missing.
    @discardableResult
    public func commit(into batch: inout WriteBatch) throws(StateError) -> Hash32 {
        if let databaseError { throw databaseError }
        var slotsByAccount: [Address: [StorageSlotKey]] = [:]
        for slot in dirtySlots { slotsByAccount[slot.address, default: []].append(slot) }
        do {
            for (address, slots) in slotsByAccount {
                guard let current = accounts[address], current.exists else { continue }
                let trie = SecureTrie(store: store, root: current.account.storageRoot)
                for slot in slots {
                    let value = storage[slot]?.current ?? .zero
                    if value.isZero {
                        try trie.delete(slot.key.bigEndianBytes)
                    } else {
                        let keyBytes = slot.key.bigEndianBytes
                        try trie.insert(RLP.encode(bytes: value.minimalBigEndianBytes), forKey: keyBytes)
                        batch.put(keyBytes, forKey: Self.preimageKey(Keccak256.hash(keyBytes)))
                    }
                }
                accounts[address]!.account.storageRoot = trie.commit(into: &batch)
                dirtyAccounts.insert(address)
            }
            for address in dirtyAccounts {
                let current = accounts[address] ?? .absent
                if current.exists {
                    try accountTrie.insert(current.account.rlpBytes, forKey: address.bytes)
                    batch.put(address.bytes, forKey: Self.preimageKey(Keccak256.hash(address.bytes)))
                    if let code = current.code, !code.isEmpty {
                        batch.put(code, forKey: Self.codeKey(current.account.codeHash))
                    }
                } else {
                    try accountTrie.delete(address.bytes)
                }
            }
        } catch {
            throw .trie(error)
        }
        stateRoot = accountTrie.commit(into: &batch)
        dirtySlots.removeAll(keepingCapacity: true)
        dirtyStorage.removeAll(keepingCapacity: true)
        dirtyAccounts.removeAll(keepingCapacity: true)
        wipedStorage.removeAll(keepingCapacity: true)
        return stateRoot
    }

    /// Computes the state root and writes the new trie nodes and code to `store`.
    /// - Returns: the new state root.
    /// - Throws: `StateError` if an earlier read failed, a trie node is missing, or the write fails.
    @discardableResult
    public func commit() throws(StateError) -> Hash32 {
        var batch = WriteBatch()
        let root = try commit(into: &batch)
        do { try store.write(batch) } catch { throw .storage(error) }
        return root
    }

    // MARK: Reading committed state

    /// Reads and decodes the account leaf for `address` from the state trie.
    func readCommittedAccount(_ address: Address) throws(StateError) -> Account? {
        let encoded: [UInt8]?
        do { encoded = try accountTrie.get(address.bytes) } catch { throw .trie(error) }
        guard let encoded else { return nil }
        let item: RLPItem
        do { item = try RLP.decode(encoded) } catch { throw .corrupt("account \(address): \(error)") }
        guard let fields = item.listValue, fields.count == 4,
              let nonceBytes = fields[0].bytesValue, nonceBytes.count <= 8,
              let balanceBytes = fields[1].bytesValue, balanceBytes.count <= 32,
              let rootBytes = fields[2].bytesValue, rootBytes.count == 32,
              let codeHashBytes = fields[3].bytesValue, codeHashBytes.count == 32 else {
            throw .corrupt("account \(address) is not RLP([nonce, balance, storageRoot, codeHash])")
        }
        var nonce: UInt64 = 0
        for byte in nonceBytes { nonce = nonce << 8 | UInt64(byte) }
        return Account(nonce: nonce, balance: UInt256(bigEndianBytes: balanceBytes),
                       storageRoot: Hash32(rootBytes), codeHash: Hash32(codeHashBytes))
    }

    /// Reads one slot from the storage trie at `storageRoot`.
    func readCommittedStorage(storageRoot: Hash32, key: UInt256) throws(StateError) -> UInt256 {
        let trie = SecureTrie(store: store, root: storageRoot)
        let encoded: [UInt8]?
        do { encoded = try trie.get(key.bigEndianBytes) } catch { throw .trie(error) }
        guard let encoded else { return .zero }
        let item: RLPItem
        do { item = try RLP.decode(encoded) } catch { throw .corrupt("storage slot \(key): \(error)") }
        guard let bytes = item.bytesValue, bytes.count <= 32 else {
            throw .corrupt("storage slot \(key) is not an RLP string of at most 32 bytes")
        }
        return UInt256(bigEndianBytes: bytes)
    }

    /// Reads code by hash from the store.
    func readCode(hash codeHash: Hash32) throws(StateError) -> [UInt8] {
        let code: [UInt8]?
        do { code = try store.get(Self.codeKey(codeHash)) } catch { throw .storage(error) }
        guard let code else { throw .missingCode(codeHash) }
        return code
    }
}
