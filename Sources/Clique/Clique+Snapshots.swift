import ChainTypes
import Primitives
import Storage

extension Clique {
    /// The snapshot after block `number` with hash `hash`, rebuilt from the nearest known one.
    ///
    /// Walks back from the block through `parents` and then `headerLookup` until it meets a
    /// snapshot in the memory cache, one persisted in `store` (at multiples of
    /// `checkpointInterval`), or the genesis block (whose extra data lists the first signers);
    /// then replays the headers in between. The result is cached, and every snapshot at a multiple
    /// of `checkpointInterval` met on the way, as well as the genesis snapshot, is persisted.
    /// - Parameters:
    ///   - number: the block number.
    ///   - hash: the block hash.
    ///   - parents: headers not yet in the chain store, oldest first, ending with the block
    ///     itself (a batch being imported); may be empty.
    ///   - headerLookup: reads a header of the canonical store by hash and number, or nil if absent.
    /// - Returns: the snapshot at that block.
    /// - Throws: `CliqueError.unknownAncestor` if a header on the way is missing, `.storage` if a
    ///   store fails, or the error of a header that does not apply.
    public func snapshot(at number: UInt64, hash: Hash32, parents: [Header] = [],
                         headerLookup: (_ hash: Hash32, _ number: UInt64) throws(StorageError) -> Header?)
        throws(CliqueError) -> Snapshot {
        var pending: [Header] = []
        var parents = parents[...]
        var number = number
        var hash = hash
        var base: Snapshot
        while true {
            if let cached = snapshotCache[hash] {
                base = cached
                break
            }
            if number % Self.checkpointInterval == 0, let store, let stored = try Snapshot.load(hash: hash, from: store) {
                base = stored
                break
            }
            let header: Header
            if let last = parents.last {
                guard last.number == number, last.hash == hash else {
                    throw .unknownAncestor(number: number &+ 1, parentHash: hash)
                }
                header = last
                parents.removeLast()
            } else {
                let found: Header?
                do throws(StorageError) { found = try headerLookup(hash, number) } catch { throw .storage(error) }
                guard let found, found.number == number else {
                    throw .unknownAncestor(number: number &+ 1, parentHash: hash)
                }
                header = found
            }
            if number == 0 {
                base = try Snapshot(checkpoint: header, epoch: config.epoch)
                if let store { try base.store(in: store) }
                break
            }
            pending.append(header)
            number -= 1
            hash = header.parentHash
        }
        var snapshot = base
        for header in pending.reversed() {
            try snapshot.apply(header, signer: signer(of: header))
            if snapshot.number % Self.checkpointInterval == 0, let store { try snapshot.store(in: store) }
        }
        snapshotCache.insert(snapshot, for: snapshot.hash)
        return snapshot
    }

    /// Remembers a snapshot (for example the one after a block this node just sealed and
    /// applied), and persists it if its block is a multiple of `checkpointInterval`.
    /// - Parameter snapshot: the snapshot.
    /// - Throws: `CliqueError.storage` if the store fails.
    package func remember(_ snapshot: Snapshot) throws(CliqueError) {
        snapshotCache.insert(snapshot, for: snapshot.hash)
        if snapshot.number % Self.checkpointInterval == 0, let store { try snapshot.store(in: store) }
    }
}
