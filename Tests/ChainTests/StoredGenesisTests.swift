import Chain
import ChainTypes
import Foundation
import Primitives
import Storage
import Testing

/// `ChainStore.storedGenesisHeader(in:)`: how `goldengrain node --dev` finds the genesis time a
/// data directory was created with, so a restarted dev node resumes its chain (issue 11).
@Suite struct StoredGenesisTests {
    @Test func anEmptyStoreHasNoGenesis() throws {
        #expect(try ChainStore.storedGenesisHeader(in: MemoryStore()) == nil)
    }

    @Test func theStoredGenesisCarriesItsTimestampAndHash() throws {
        let store = MemoryStore()
        var genesis = NodeTestSupport.devGenesis
        genesis.timestamp = 1_767_225_600
        let chain = try ChainStore(store: store, genesis: genesis)
        let stored = try #require(try ChainStore.storedGenesisHeader(in: store))
        #expect(stored.number == 0)
        #expect(stored.timestamp == 1_767_225_600)
        #expect(stored.hash == chain.genesisHash)
    }

    /// The timestamp is part of block 0: the same file with another timestamp is another chain,
    /// and taking the stored timestamp opens the stored chain again.
    @Test func reopeningNeedsTheStoredTimestamp() throws {
        let directory = NodeTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var genesis = NodeTestSupport.devGenesis
        genesis.timestamp = 1_767_225_600
        let original: Hash32
        do {
            let store = try LevelDBStore(path: directory)
            defer { store.close() }
            original = try ChainStore(store: store, genesis: genesis).genesisHash
        }
        let store = try LevelDBStore(path: directory)
        defer { store.close() }
        var later = NodeTestSupport.devGenesis
        later.timestamp = 1_767_225_601
        let laterHash = later.header(stateRoot: try #require(try ChainStore.storedGenesisHeader(in: store)).stateRoot).hash
        #expect(throws: ChainError.genesisMismatch(stored: original, expected: laterHash)) {
            _ = try ChainStore(store: store, genesis: later)
        }
        later.timestamp = try #require(try ChainStore.storedGenesisHeader(in: store)).timestamp
        #expect(try ChainStore(store: store, genesis: later).genesisHash == original)
    }
}
