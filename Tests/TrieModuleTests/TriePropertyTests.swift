import Primitives
import Storage
import Testing
import Trie

/// Seeded property tests (evmone `long_list_random` style). Each failure message names the seed
/// and the offending key so the case replays exactly.
@Suite struct TriePropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 0xdead_beef, 0x601d_6a41]

    /// Random clustered keys with random values; later duplicates overwrite earlier ones.
    static func entries(seed: UInt64, count: Int) -> [([UInt8], [UInt8])] {
        var generator = TrieSplitMix64(seed: seed)
        return (0 ..< count).map { _ in (generator.clusteredKey(), generator.value()) }
    }

    /// The final value of each key after applying `entries` in order.
    static func finalContents(_ entries: [([UInt8], [UInt8])]) -> [[UInt8]: [UInt8]] {
        var map: [[UInt8]: [UInt8]] = [:]
        for (key, value) in entries { map[key] = value }
        return map
    }

    @Test(arguments: seeds)
    func rootIsIndependentOfInsertionOrder(seed: UInt64) throws {
        let contents = Self.finalContents(Self.entries(seed: seed, count: 300))
        var generator = TrieSplitMix64(seed: seed ^ 0xffff)
        let sorted = contents.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let shuffled = sorted.shuffled(using: &generator)
        let first = MerklePatriciaTrie(store: InMemoryStore())
        let second = MerklePatriciaTrie(store: InMemoryStore())
        for (key, value) in sorted { try first.insert(value, forKey: key) }
        for (key, value) in shuffled { try second.insert(value, forKey: key) }
        #expect(first.rootHash() == second.rootHash(), "seed \(seed), \(contents.count) keys")
    }

    @Test(arguments: seeds)
    func insertThenDeleteAllGivesEmptyRoot(seed: UInt64) throws {
        let contents = Self.finalContents(Self.entries(seed: seed, count: 200))
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        for (key, value) in contents { try trie.insert(value, forKey: key) }
        _ = trie.rootHash()  // cached hashes must be invalidated by the deletions
        var generator = TrieSplitMix64(seed: seed ^ 0xabc)
        for key in contents.keys.shuffled(using: &generator) {
            try trie.delete(key)
            #expect(try trie.get(key) == nil, "seed \(seed): key \(Hex.encode(key)) still present")
        }
        #expect(trie.rootHash() == MerklePatriciaTrie.emptyRoot, "seed \(seed)")
    }

    /// Deleting half the keys gives the root of a trie built from the other half only: deletions
    /// leave the trie in the one canonical shape.
    @Test(arguments: seeds)
    func deletionMatchesFreshTrie(seed: UInt64) throws {
        let contents = Self.finalContents(Self.entries(seed: seed, count: 200))
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        for (key, value) in contents { try trie.insert(value, forKey: key) }
        var generator = TrieSplitMix64(seed: seed ^ 0x123)
        let reference = MerklePatriciaTrie(store: InMemoryStore())
        for (key, value) in contents {
            if generator.next() & 1 == 0 {
                try trie.insert([], forKey: key)  // empty value = delete
            } else {
                try reference.insert(value, forKey: key)
            }
        }
        #expect(trie.rootHash() == reference.rootHash(), "seed \(seed)")
    }

    @Test(arguments: seeds)
    func proofsVerifyAndDetectTampering(seed: UInt64) throws {
        let contents = Self.finalContents(Self.entries(seed: seed, count: 150))
        let store = InMemoryStore()
        let built = MerklePatriciaTrie(store: store)
        for (key, value) in contents { try built.insert(value, forKey: key) }
        let root = try TrieTestSupport.commit(built, to: store)
        var generator = TrieSplitMix64(seed: seed ^ 0x77)
        // Prove from the in-memory trie and from one reopened from the store (nodes load lazily).
        for trie in [built, MerklePatriciaTrie(store: store, root: root)] {
            for (key, value) in contents.prefix(40) {
                let proof = try trie.prove(key)
                #expect(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof) == value,
                        "seed \(seed): key \(Hex.encode(key))")
                try expectTamperingDetected(root: root, key: key, proof: proof, generator: &generator, seed: seed)
            }
            for _ in 0 ..< 40 {
                let key = generator.clusteredKey() + [0x42]  // 0x42 is outside the key alphabet: absent
                let proof = try trie.prove(key)
                #expect(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof) == nil,
                        "seed \(seed): absent key \(Hex.encode(key))")
                try expectTamperingDetected(root: root, key: key, proof: proof, generator: &generator, seed: seed)
            }
        }
    }

    /// Flipping any bit of any proof node makes verification throw.
    private func expectTamperingDetected(root: Hash32, key: [UInt8], proof: [[UInt8]],
                                         generator: inout TrieSplitMix64, seed: UInt64) throws {
        guard !proof.isEmpty else { return }
        var tampered = proof
        let node = Int(generator.next() % UInt64(proof.count))
        let byte = Int(generator.next() % UInt64(proof[node].count))
        tampered[node][byte] ^= 1 << UInt8(generator.next() % 8)
        #expect(throws: TrieError.self, "seed \(seed): key \(Hex.encode(key)), node \(node) byte \(byte)") {
            try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: tampered)
        }
    }

    @Test(arguments: seeds)
    func reopenedTrieHasSameValuesAndRoot(seed: UInt64) throws {
        let entries = Self.entries(seed: seed, count: 300)
        let store = InMemoryStore()
        let trie = MerklePatriciaTrie(store: store)
        // Two commits: the second writes only what changed after the first.
        for (key, value) in entries.prefix(150) { try trie.insert(value, forKey: key) }
        try TrieTestSupport.commit(trie, to: store)
        for (key, value) in entries.dropFirst(150) { try trie.insert(value, forKey: key) }
        let root = try TrieTestSupport.commit(trie, to: store)
        #expect(root == trie.rootHash())

        let reopened = MerklePatriciaTrie(store: store, root: root)
        #expect(reopened.rootHash() == root)
        let contents = Self.finalContents(entries)
        for (key, value) in contents {
            #expect(try reopened.get(key) == value, "seed \(seed): key \(Hex.encode(key))")
        }
        let listed = try TrieTestSupport.contents(of: reopened)
        #expect(listed.map(\.0) == contents.keys.sorted { $0.lexicographicallyPrecedes($1) })

        // Changing both the same way keeps them equal (updates on lazily loaded nodes).
        let other = MerklePatriciaTrie(store: store, root: root)
        var generator = TrieSplitMix64(seed: seed ^ 0x5)
        for key in contents.keys.shuffled(using: &generator).prefix(100) {
            let value = generator.next() & 1 == 0 ? [] : generator.value()
            try trie.insert(value, forKey: key)
            try other.insert(value, forKey: key)
        }
        #expect(trie.rootHash() == other.rootHash(), "seed \(seed)")
    }

    @Test(arguments: seeds)
    func secureTrieMatchesHashedKeys(seed: UInt64) throws {
        let contents = Self.finalContents(Self.entries(seed: seed, count: 100))
        let secure = SecureTrie(store: InMemoryStore())
        let plain = MerklePatriciaTrie(store: InMemoryStore())
        for (key, value) in contents {
            try secure.insert(value, forKey: key)
            try plain.insert(value, forKey: Keccak256.hash(key).bytes)
        }
        #expect(secure.rootHash() == plain.rootHash())
        for (key, value) in contents.prefix(20) {
            #expect(try secure.get(key) == value)
            #expect(try SecureTrie.verifyProof(root: secure.rootHash(), key: key, proof: secure.prove(key)) == value)
        }
    }
}
