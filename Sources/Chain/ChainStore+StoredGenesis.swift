import ChainTypes
import Primitives
import Storage

extension ChainStore {
    /// The genesis header a store already holds: block 0 of the chain written there, read without
    /// a `Genesis` (a node started on an existing data directory keeps that chain's block 0, as
    /// geth reads its stored genesis; `goldengrain node --dev` adopts its timestamp).
    /// - Parameter store: the key-value store.
    /// - Returns: the stored block 0 header, or nil if the store holds no chain yet.
    /// - Throws: `ChainError.storage` if the store cannot be read, `.corrupt` if the canonical
    ///   hash at height 0 has no header or the header does not decode.
    public static func storedGenesisHeader(in store: any KeyValueStore) throws(ChainError) -> Header? {
        let hashBytes: [UInt8]?
        do { hashBytes = try store.get(ChainStoreSchema.canonicalKey(0)) } catch { throw .storage(error) }
        guard let hashBytes else { return nil }
        let hash = Hash32(hashBytes)
        let headerBytes: [UInt8]?
        do { headerBytes = try store.get(ChainStoreSchema.headerKey(0, hash)) } catch { throw .storage(error) }
        guard let headerBytes else { throw .corrupt(key: "h0", reason: "the genesis block \(hash) has no header") }
        do {
            return try Header(encoded: headerBytes)
        } catch {
            throw .corrupt(key: "h0", reason: "the genesis header does not decode: \(error)")
        }
    }
}
