import Primitives
import Storage

// Persisted form of a snapshot, stored under "clique-snapshot" ‖ block hash (32 bytes):
//
//     rlp([epoch, number, hash,
//          [signer, ...],                              ascending
//          [[block, signer], ...],                     recents, ascending by block
//          [[signer, block, address, authorize], ...], votes, in casting order
//          [[address, authorize, votes], ...]])        tallies, ascending by address
//
// with `authorize` as the integer 1 or 0. go-ethereum stores JSON under "clique-" ‖ hash; RLP
// is used here because Primitives already has a strict codec and the store is ours alone.

extension Snapshot {
    /// The key a snapshot of block `hash` is stored under: "clique-snapshot" ‖ hash.
    /// - Parameter hash: the block hash.
    /// - Returns: the key bytes.
    public static func storageKey(for hash: Hash32) -> [UInt8] {
        Clique.snapshotKeyPrefix + hash.bytes
    }

    /// The snapshot's RLP encoding (see the top of `Snapshot+Storage.swift`).
    public var rlpBytes: [UInt8] {
        var writer = RLPWriter(reservingCapacity: 256)
        writer.appendList { list in
            list.append(uint: epoch)
            list.append(uint: number)
            list.append(bytes: hash.bytes)
            list.appendList { items in
                for signer in signers { items.append(bytes: signer.bytes) }
            }
            list.appendList { items in
                for (block, signer) in recents.sorted(by: { $0.key < $1.key }) {
                    items.appendList { pair in
                        pair.append(uint: block)
                        pair.append(bytes: signer.bytes)
                    }
                }
            }
            list.appendList { items in
                for vote in votes {
                    items.appendList { fields in
                        fields.append(bytes: vote.signer.bytes)
                        fields.append(uint: vote.block)
                        fields.append(bytes: vote.address.bytes)
                        fields.append(uint: vote.authorize ? 1 : 0)
                    }
                }
            }
            list.appendList { items in
                for (address, count) in tally.sorted(by: { $0.key < $1.key }) {
                    items.appendList { fields in
                        fields.append(bytes: address.bytes)
                        fields.append(uint: count.authorize ? 1 : 0)
                        fields.append(uint: UInt64(count.votes))
                    }
                }
            }
        }
        return writer.finish()
    }

    /// Decodes a snapshot from its RLP encoding.
    /// - Parameter rlpBytes: bytes produced by `rlpBytes`.
    /// - Throws: `CliqueError.corruptSnapshot` naming the RLP problem (with a zero hash, as the
    ///   block is not known from the bytes alone).
    public init(rlpBytes: [UInt8]) throws(CliqueError) {
        do throws(RLPError) {
            var reader = RLPReader(rlpBytes)
            var fields = try reader.enterList()
            try reader.expectEnd()
            let epoch = try fields.readUInt64()
            let number = try fields.readUInt64()
            let hash = Hash32(try fields.readBytes(exactly: 32))
            var signerItems = try fields.enterList()
            var signers: [Address] = []
            while !signerItems.isAtEnd { signers.append(Address(try signerItems.readBytes(exactly: 20))) }
            var recentItems = try fields.enterList()
            var recents: [UInt64: Address] = [:]
            while !recentItems.isAtEnd {
                var pair = try recentItems.enterList()
                let block = try pair.readUInt64()
                recents[block] = Address(try pair.readBytes(exactly: 20))
                try pair.expectEnd()
            }
            var voteItems = try fields.enterList()
            var votes: [Vote] = []
            while !voteItems.isAtEnd {
                var vote = try voteItems.enterList()
                let signer = Address(try vote.readBytes(exactly: 20))
                let block = try vote.readUInt64()
                let address = Address(try vote.readBytes(exactly: 20))
                let authorize = try vote.readUInt64() == 1
                try vote.expectEnd()
                votes.append(Vote(signer: signer, block: block, address: address, authorize: authorize))
            }
            var tallyItems = try fields.enterList()
            var tally: [Address: Tally] = [:]
            while !tallyItems.isAtEnd {
                var item = try tallyItems.enterList()
                let address = Address(try item.readBytes(exactly: 20))
                let authorize = try item.readUInt64() == 1
                let count = try item.readUInt64()
                try item.expectEnd()
                tally[address] = Tally(authorize: authorize, votes: Int(count))
            }
            try fields.expectEnd()
            self.init(epoch: epoch, number: number, hash: hash, signers: signers, recents: recents,
                      votes: votes, tally: tally)
        } catch {
            throw .corruptSnapshot(hash: .zero, reason: error.description)
        }
    }

    /// Writes the snapshot under `storageKey(for: hash)`.
    /// - Parameter store: the node's key-value store.
    /// - Throws: `CliqueError.storage` if the store fails.
    public func store(in store: any KeyValueStore) throws(CliqueError) {
        do throws(StorageError) {
            try store.put(rlpBytes, forKey: Self.storageKey(for: hash))
        } catch {
            throw .storage(error)
        }
    }

    /// Reads the snapshot stored for block `hash`, if any.
    /// - Parameters:
    ///   - hash: the block hash.
    ///   - store: the node's key-value store.
    /// - Returns: the snapshot, or nil if none is stored for that block.
    /// - Throws: `CliqueError.storage` if the store fails, `.corruptSnapshot` if the bytes do not
    ///   decode or describe another block.
    public static func load(hash: Hash32, from store: any KeyValueStore) throws(CliqueError) -> Snapshot? {
        let bytes: [UInt8]?
        do throws(StorageError) {
            bytes = try store.get(storageKey(for: hash))
        } catch {
            throw .storage(error)
        }
        guard let bytes else { return nil }
        let snapshot: Snapshot
        do throws(CliqueError) {
            snapshot = try Snapshot(rlpBytes: bytes)
        } catch {
            if case .corruptSnapshot(_, let reason) = error { throw .corruptSnapshot(hash: hash, reason: reason) }
            throw error
        }
        guard snapshot.hash == hash else {
            throw .corruptSnapshot(hash: hash, reason: "it describes block \(snapshot.hash)")
        }
        return snapshot
    }
}
