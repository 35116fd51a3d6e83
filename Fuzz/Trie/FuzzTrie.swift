import FuzzSupport
import Primitives
import Storage
import Trie

// The Merkle Patricia Trie (Trie): the node decoder and the proof verifier on hostile nodes, and the
// trie itself against a dictionary.
//
// First byte even — hostile nodes: a key and up to eight RLP nodes from the input. The nodes are
//   given to `verifyProof` (root = keccak of the first node) and stored by hash in a MemoryStore
//   that a trie is opened on at the same root, so stored nodes are decoded by the trie's own walk.
//   Both walks decode the same nodes along the same path, so when `get` finds a value the proof
//   must prove the same one. Iteration, proofs, inserts and deletes over those nodes may throw
//   (a missing or malformed node) but never trap.
// First byte odd — a model: inserts and deletes of short keys (so keys share prefixes and end
//   inside each other's paths) with values short enough to embed and long enough to hash. The trie
//   must hold what a dictionary holds, its root must not depend on the order of insertion, iteration
//   must give the keys in ascending order, a committed and reopened trie must read the same, and a
//   proof of every key (present or absent) must verify to the dictionary's answer.

@main
enum FuzzTrie {
    static func main() { Fuzz.main(test: fuzzTrie, seeds: trieSeeds) }
}

func fuzzTrie(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = FuzzReader(Fuzz.bytes(data, size))
    if reader.byte() & 1 == 0 {
        hostileNodes(&reader)
    } else {
        model(&reader)
    }
    return 0
}

func hostileNodes(_ reader: inout FuzzReader) {
    let key = reader.chunk()
    let flags = reader.byte()
    var nodes: [[UInt8]] = []
    for _ in 0 ..< Int(flags % 8) + 1 where !reader.isAtEnd { nodes.append(reader.chunk()) }
    guard let first = nodes.first else { return }
    let root = flags & 0x80 != 0 ? MerklePatriciaTrie.emptyRoot : Keccak256.hash(first)

    let proved = Result { () throws(TrieError) in try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: nodes) }
    let store = MemoryStore()
    for node in nodes { try? store.put(node, forKey: Keccak256.hash(node).bytes) }
    let trie = MerklePatriciaTrie(store: store, root: root)
    if case .success(let value) = Result(catching: { () throws(TrieError) in try trie.get(key) }) {
        guard case .success(let provedValue) = proved else {
            Fuzz.check(false, "trie.get found \(describe(value)) but verifyProof threw: \(proved)")
            return
        }
        Fuzz.check(provedValue == value, "trie.get \(describe(value)) != verifyProof \(describe(provedValue))")
    }
    var visited = 0
    _ = try? trie.forEach { _, _ in visited += 1; return visited < 10_000 }
    _ = try? trie.prove(key)
    // Writes over hostile nodes: each on a fresh trie, since a failed update leaves a trie half-changed.
    let writer = MerklePatriciaTrie(store: store, root: root)
    if (try? writer.insert(reader.chunk() + [1], forKey: key)) != nil { _ = writer.rootHash() }
    let deleter = MerklePatriciaTrie(store: store, root: root)
    if (try? deleter.delete(key)) != nil { _ = deleter.rootHash() }
    let other = MerklePatriciaTrie(store: store, root: root)
    if (try? other.delete(reader.chunk())) != nil { _ = other.rootHash() }
}

/// A value for messages: its hex, or "nil" for an absent key.
func describe(_ value: [UInt8]?) -> String { value.map { Fuzz.hex($0) } ?? "nil" }

func model(_ reader: inout FuzzReader) {
    let trie = MerklePatriciaTrie(store: MemoryStore())
    var expected: [[UInt8]: [UInt8]] = [:]
    var touched: [[UInt8]] = []
    var operations = 0
    while !reader.isAtEnd && operations < 64 {
        operations += 1
        let operation = reader.byte()
        // Keys of 0–3 bytes over a small alphabet, so paths collide, share prefixes and end inside others.
        let key = reader.bytes(Int(operation >> 6)).map { $0 & 0x13 }
        touched.append(key)
        do {
            if operation & 0x07 == 0 {
                try trie.delete(key)
                expected[key] = nil
            } else {
                let length = Int(operation & 0x07) == 7 ? 33 + Int(reader.byte() % 40) : Int(operation & 0x07)
                let value = [reader.byte()] + [UInt8](repeating: UInt8(operations), count: length - 1)
                try trie.insert(value, forKey: key)
                expected[key] = value
            }
        } catch {
            Fuzz.check(false, "a trie in memory failed an update: \(error)")
        }
        if operation & 0x20 != 0 {
            // A rootHash between updates exercises the cached references of half-updated paths.
            _ = trie.rootHash()
        }
    }
    let root = trie.rootHash()

    // The same contents inserted in ascending order give the same root.
    let fresh = MerklePatriciaTrie(store: MemoryStore())
    let sortedKeys = expected.keys.sorted { $0.lexicographicallyPrecedes($1) }
    do {
        for key in sortedKeys { try fresh.insert(expected[key]!, forKey: key) }
    } catch {
        Fuzz.check(false, "a fresh trie failed an insert: \(error)")
    }
    Fuzz.check(fresh.rootHash() == root, "the root depends on the order of updates: \(root) vs \(fresh.rootHash())")

    // Iteration gives the keys in ascending order with their values.
    var iterated: [([UInt8], [UInt8])] = []
    do {
        try trie.forEach { key, value in iterated.append((key, value)); return true }
    } catch {
        Fuzz.check(false, "iteration failed: \(error)")
    }
    Fuzz.check(iterated.map(\.0) == sortedKeys, "iteration order: \(iterated.map { Fuzz.hex($0.0) }) vs \(sortedKeys.map { Fuzz.hex($0) })")
    Fuzz.check(iterated.allSatisfy { expected[$0.0] == $0.1 }, "iteration values differ from the dictionary")

    // Committed, reopened, read and proved.
    let store = MemoryStore()
    var batch = WriteBatch()
    let committed = trie.commit(into: &batch)
    Fuzz.check(committed == root, "commit returned \(committed), rootHash \(root)")
    do {
        try store.write(batch)
    } catch {
        Fuzz.check(false, "MemoryStore rejected a batch: \(error)")
    }
    let reopened = MerklePatriciaTrie(store: store, root: root)
    for key in touched + [[0x01], [0x10, 0x02], [0x13, 0x13, 0x13, 0x13]] {
        do {
            let value = try reopened.get(key)
            Fuzz.check(value == expected[key], "reopened get(\(Fuzz.hex(key))) = \(describe(value)), expected \(describe(expected[key]))")
            let inMemory = try trie.get(key)
            Fuzz.check(inMemory == expected[key], "get(\(Fuzz.hex(key))) = \(describe(inMemory)), expected \(describe(expected[key]))")
            let proof = try reopened.prove(key)
            let proved = try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof)
            Fuzz.check(proved == expected[key], "proof of \(Fuzz.hex(key)) proves \(describe(proved)), expected \(describe(expected[key]))")
        } catch {
            Fuzz.check(false, "reading or proving \(Fuzz.hex(key)) in a committed trie failed: \(error)")
        }
    }
}

/// Seeds: proofs from a small trie (hostile-node form) and update sequences (model form).
func trieSeeds() -> [(name: String, bytes: [UInt8])] {
    var seeds: [(name: String, bytes: [UInt8])] = []
    let trie = MerklePatriciaTrie(store: MemoryStore())
    let keys: [[UInt8]] = [[0x01], [0x01, 0x02], [0x01, 0x02, 0x03], [0x10], [0x11, 0x00], [0xff, 0xee, 0xdd]]
    for (index, key) in keys.enumerated() {
        let value = index % 2 == 0 ? [UInt8](repeating: UInt8(index + 1), count: 40) : [UInt8(index + 1)]
        do { try trie.insert(value, forKey: key) } catch { fatalError("seed trie insert failed: \(error)") }
    }
    for (index, key) in (keys + [[0x01, 0x03], [0x20]]).enumerated() {
        guard let proof = try? trie.prove(key) else { fatalError("seed proof failed") }
        var input: [UInt8] = [0]
        FuzzReader.appendChunk(key, to: &input)
        input.append(UInt8(min(proof.count, 8) - 1))
        for node in proof.prefix(8) { FuzzReader.appendChunk(node, to: &input) }
        seeds.append((name: "proof-\(index)", bytes: input))
    }
    seeds.append((name: "empty-root-node", bytes: [0, 0, 0x80, 1, 0x80]))
    seeds.append((name: "model-inserts", bytes: [1, 0x41, 0x01, 0x07, 0x82, 0x01, 0x02, 0x03, 0xc7, 0x01, 0x02, 0x03, 0x05, 0x09,
                                                 0x47, 0x10, 0x20, 0x00, 0x01, 0x26, 0x42, 0x01, 0x08]))
    seeds.append((name: "model-deletes", bytes: [1, 0x45, 0x11, 0x46, 0x12, 0x85, 0x11, 0x13, 0x40, 0x11, 0x80, 0x11, 0x13, 0x07, 0x00]))
    return seeds
}
