import Primitives
import Storage
import Testing
import Trie

/// Known answers and behaviours. Sources are named per test.
@Suite struct TrieBehaviourTests {
    /// Yellow Paper appendix D / go-ethereum `types.EmptyRootHash`.
    @Test func emptyRootIsKeccakOfEmptyString() {
        #expect(MerklePatriciaTrie.emptyRoot.description == "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
        #expect(MerklePatriciaTrie(store: InMemoryStore()).rootHash() == MerklePatriciaTrie.emptyRoot)
    }

    /// go-ethereum `ethtrie/encoding_test.go` and `trie/encoding_test.go` (hexToCompact cases).
    static let hexPrefixVectors: [([UInt8], Bool, [UInt8])] = [
        ([], false, [0x00]),
        ([], true, [0x20]),
        ([1, 2, 3, 4, 5], false, [0x11, 0x23, 0x45]),
        ([0, 1, 2, 3, 4, 5], false, [0x00, 0x01, 0x23, 0x45]),
        ([15, 1, 12, 11, 8], true, [0x3f, 0x1c, 0xb8]),
        ([0, 15, 1, 12, 11, 8], true, [0x20, 0x0f, 0x1c, 0xb8]),
    ]

    @Test(arguments: hexPrefixVectors)
    func hexPrefixEncoding(_ nibbles: [UInt8], _ isLeaf: Bool, _ compact: [UInt8]) throws {
        #expect(HexPrefix.encode(nibbles[...], isLeaf: isLeaf) == compact)
        let decoded = try #require(HexPrefix.decode(compact[...]))
        #expect(decoded.nibbles == nibbles)
        #expect(decoded.isLeaf == isLeaf)
    }

    @Test func hexPrefixRejectsBadFlag() {
        #expect(HexPrefix.decode([0x40][...]) == nil)
        #expect(HexPrefix.decode([0x01][...]) == nil)  // even path with a non-zero padding nibble
        #expect(HexPrefix.decode([][...]) == nil)
    }

    /// go-ethereum `trie/proof_test.go` TestOneElementProof: the trie {"k": "v"} is one leaf node
    /// c4 82 20 6b 76 with hash 0x6675ca08… (dump in lukepark327/ethash-executable-geth docs/voidProof).
    @Test func oneElementProof() throws {
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        try trie.insert(Array("v".utf8), forKey: Array("k".utf8))
        #expect(trie.rootHash().description == "0x6675ca087d4e4344aa1348e54d5b39e1657b57287eb207107a04ffae79e88215")
        let proof = try trie.prove(Array("k".utf8))
        #expect(proof == [[0xc4, 0x82, 0x20, 0x6b, 0x76]])
        #expect(try MerklePatriciaTrie.verifyProof(root: trie.rootHash(), key: Array("k".utf8), proof: proof) == Array("v".utf8))
        #expect(try MerklePatriciaTrie.verifyProof(root: trie.rootHash(), key: Array("x".utf8), proof: proof) == nil)
    }

    @Test func emptyTrieProvesAbsence() throws {
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        let proof = try trie.prove([1, 2, 3])
        #expect(proof.isEmpty)
        #expect(try MerklePatriciaTrie.verifyProof(root: MerklePatriciaTrie.emptyRoot, key: [1, 2, 3], proof: proof) == nil)
    }

    @Test func proofWithoutRootNodeNamesTheRoot() throws {
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        try trie.insert([1], forKey: [1])
        let root = trie.rootHash()
        #expect(throws: TrieError.proofNodeMissing(hash: root)) {
            try MerklePatriciaTrie.verifyProof(root: root, key: [1], proof: [])
        }
    }

    @Test func missingRootNodeIsNamed() throws {
        let root = Keccak256.hash(Array("never committed".utf8))
        let trie = MerklePatriciaTrie(store: InMemoryStore(), root: root)
        #expect(throws: TrieError.missingNode(hash: root)) { try trie.get([1]) }
        #expect(throws: TrieError.missingNode(hash: root)) { try trie.insert([1], forKey: [1]) }
    }

    @Test func corruptNodeIsReportedWithItsHash() throws {
        let store = InMemoryStore()
        let trie = MerklePatriciaTrie(store: store)
        for index in 0 ..< 50 { try trie.insert(Array(repeating: UInt8(index), count: 40), forKey: [UInt8(index)]) }
        let root = try TrieTestSupport.commit(trie, to: store)
        store.corrupt(root.bytes, with: [0xc3, 0x80, 0x80, 0x80])  // a 3-item list is no trie node
        do {
            _ = try MerklePatriciaTrie(store: store, root: root).get([1])
            Issue.record("expected a malformed node")
        } catch {
            #expect(error == .malformedNode(hash: root, reason: "node is a list of 3 items, expected 2 or 17"))
        }
    }

    /// A stored leaf whose path is one nibble (hex-prefix 0x31) spells no whole-byte key: iteration
    /// reports the node instead of crashing, and lookups simply miss.
    @Test func oddKeyPathInStoreIsMalformed() throws {
        let store = InMemoryStore()
        let leaf: [UInt8] = [0xc2, 0x31, 0x76]  // [HP([1], leaf), "v"]
        let root = Keccak256.hash(leaf)
        try store.put(leaf, forKey: root.bytes)
        let trie = MerklePatriciaTrie(store: store, root: root)
        #expect(try trie.get([0x10]) == nil)
        #expect(throws: TrieError.malformedNode(hash: root, reason: "a value sits at a path of 1 nibbles, expected whole bytes")) {
            try trie.forEach { _, _ in true }
        }
    }

    @Test func insertingEmptyValueDeletes() throws {
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        try trie.insert([9], forKey: [1, 2])
        try trie.insert([], forKey: [1, 2])
        #expect(try trie.get([1, 2]) == nil)
        #expect(trie.rootHash() == MerklePatriciaTrie.emptyRoot)
    }

    @Test func keyThatIsPrefixOfAnotherKeepsBothValues() throws {
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        try trie.insert([1], forKey: [0xab])
        try trie.insert([2], forKey: [0xab, 0xcd])
        try trie.insert([3], forKey: [])
        #expect(try trie.get([0xab]) == [1])
        #expect(try trie.get([0xab, 0xcd]) == [2])
        #expect(try trie.get([]) == [3])
        #expect(try trie.get([0xab, 0xce]) == nil)
        #expect(try TrieTestSupport.contents(of: trie).map(\.0) == [[], [0xab], [0xab, 0xcd]])
    }

    @Test func reopenedTrieLoadsOnlyThePathItReads() throws {
        let store = InMemoryStore()
        let trie = SecureTrie(store: store)
        for index in 0 ..< 2000 { try trie.insert(Array(repeating: 7, count: 40), forKey: [UInt8(index >> 8), UInt8(index & 0xff)]) }
        var batch = WriteBatch()
        let root = trie.commit(into: &batch)
        try store.write(batch)
        #expect(store.count > 2000)

        let reopened = SecureTrie(store: store, root: root)
        let readsBefore = store.readCount
        #expect(try reopened.get([0, 5]) == Array(repeating: 7, count: 40))
        let firstReads = store.readCount - readsBefore
        #expect(firstReads >= 2 && firstReads <= 6, "\(firstReads) nodes read for one key")
        // A second read of the same key is served from the loaded nodes.
        #expect(try reopened.get([0, 5]) == Array(repeating: 7, count: 40))
        #expect(store.readCount - readsBefore == firstReads)
    }

    @Test func commitWithoutChangesAddsNothing() throws {
        let store = InMemoryStore()
        let trie = MerklePatriciaTrie(store: store)
        for index in 0 ..< 100 { try trie.insert(Array(repeating: UInt8(index), count: 33), forKey: [UInt8(index)]) }
        let first = try TrieTestSupport.commit(trie, to: store)
        var batch = WriteBatch()
        #expect(trie.commit(into: &batch) == first)
        #expect(batch.isEmpty)
        // One update writes only its path: the leaf (embedded or not) and its ancestors.
        try trie.insert([1, 2, 3], forKey: [5])
        var update = WriteBatch()
        _ = trie.commit(into: &update)
        #expect(update.operations.count >= 1 && update.operations.count <= 3)
    }

    @Test func smallRootIsStoredUnderItsHash() throws {
        let store = InMemoryStore()
        let trie = MerklePatriciaTrie(store: store)
        try trie.insert(Array("v".utf8), forKey: Array("k".utf8))
        let root = try TrieTestSupport.commit(trie, to: store)
        #expect(try store.get(root.bytes) == [0xc4, 0x82, 0x20, 0x6b, 0x76])
        #expect(try MerklePatriciaTrie(store: store, root: root).get(Array("k".utf8)) == Array("v".utf8))
    }
}
