import Testing
import P2P
import Primitives
import Signatures

/// The Kademlia table. Log distances are checked on hand-computed examples and, as go-ethereum's
/// p2p/enode TestID_logdist does with testing/quick, against a slow bit-by-bit count on random pairs.
@Suite struct DiscoveryTableTests {
    static func hash(_ hex: String) -> Hash32 { try! Hash32(hex: hex) }
    static let zero = Hash32.zero

    /// Slow reference: 256 minus the number of leading equal bits, counted one bit at a time.
    static func slowLogDistance(_ a: Hash32, _ b: Hash32) -> Int {
        let x = a.bytes, y = b.bytes
        for bit in 0 ..< 256 {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if x[bit / 8] & mask != y[bit / 8] & mask { return 256 - bit }
        }
        return 0
    }

    static func node(_ key: PrivateKey = .generate()) -> Enode {
        Enode(publicKey: key.publicKey, host: .ipv4([127, 0, 0, 1]), tcpPort: 30303)
    }

    @Test func logDistanceHandExamples() {
        let one = Self.hash("0x" + String(repeating: "0", count: 63) + "1")
        let top = Self.hash("0x8" + String(repeating: "0", count: 63))
        let firstByteOne = Self.hash("0x01" + String(repeating: "0", count: 62))
        let lowFF = Self.hash("0x" + String(repeating: "0", count: 62) + "ff")
        let low0F = Self.hash("0x" + String(repeating: "0", count: 62) + "0f")
        let word2 = Self.hash("0x" + String(repeating: "0", count: 32) + "0001" + String(repeating: "0", count: 28))
        #expect(KademliaTable.logDistance(one, one) == 0)
        #expect(KademliaTable.logDistance(Self.zero, one) == 1)
        #expect(KademliaTable.logDistance(Self.zero, top) == 256)
        // 0x01 in byte 0: bit 7 of 256 → distance 256 − 7 = 249.
        #expect(KademliaTable.logDistance(Self.zero, firstByteOne) == 249)
        // ff ⊕ 0f = f0: 8 bits long.
        #expect(KademliaTable.logDistance(lowFF, low0F) == 8)
        // 0x0001 at bytes 16–17: the set bit is bit 15 of 256 counting from the top of byte 16 → 128 − 15 = 113.
        #expect(KademliaTable.logDistance(word2, Self.zero) == 113)
    }

    @Test func logDistanceMatchesSlowCount() {
        for _ in 0 ..< 300 {
            let a = Keccak256.hash(PrivateKey.generate().bytes)
            var b = Keccak256.hash(PrivateKey.generate().bytes)
            // Share a random prefix so that small distances occur too.
            let shared = Int.random(in: 0 ... 31)
            b = Hash32(a.bytes.prefix(shared) + b.bytes.dropFirst(shared))
            #expect(KademliaTable.logDistance(a, b) == Self.slowLogDistance(a, b))
            #expect(KademliaTable.logDistance(a, b) == KademliaTable.logDistance(b, a))
        }
    }

    @Test func nodesGoToTheBucketOfTheirLogDistance() {
        let selfKey = PrivateKey.generate()
        var table = KademliaTable(selfId: Keccak256.hash(selfKey.publicKey.bytes))
        #expect(table.add(Self.node(selfKey)) == .isSelf)
        for _ in 0 ..< 40 {
            let node = Self.node()
            let distance = Self.slowLogDistance(table.selfId, node.id)
            #expect(table.bucketIndex(for: node.id) == distance - 1)
            let addition = table.add(node)
            if addition == .added { #expect(table.bucket(distance - 1).contains(node)) }
        }
        #expect(table.count <= 40)
    }

    @Test func fullBucketKeepsReplacements() {
        let selfKey = PrivateKey.generate()
        var table = KademliaTable(selfId: Keccak256.hash(selfKey.publicKey.bytes))
        // Half of all ids differ from ours in the first bit: bucket 255.
        var far: [Enode] = []
        while far.count < 17 {
            let node = Self.node()
            if table.bucketIndex(for: node.id) == 255 { far.append(node) }
        }
        for node in far.prefix(16) { #expect(table.add(node) == .added) }
        #expect(table.add(far[16]) == .bucketFull)
        #expect(table.bucket(255).count == 16)
        #expect(!table.contains(far[16]))
        // Seen again: moves to the most recently seen end.
        #expect(table.add(far[0]) == .updated)
        #expect(table.bucket(255).last == far[0])
        // A removed entry is replaced by the waiting node.
        #expect(table.remove(far[3]) == far[16])
        #expect(table.contains(far[16]) && !table.contains(far[3]))
        #expect(table.bucket(255).count == 16)
    }

    @Test func closestIsOrderedByXorDistance() {
        var table = KademliaTable(selfId: Keccak256.hash(PrivateKey.generate().publicKey.bytes))
        for _ in 0 ..< 60 { table.add(Self.node()) }
        let target = Keccak256.hash(PrivateKey.generate().bytes)
        let closest = table.closest(to: target, count: 10)
        #expect(closest.count == 10)
        // Reference: sort by the bytes of id ⊕ target, compared lexicographically.
        func xor(_ id: Hash32) -> [UInt8] { zip(id.bytes, target.bytes).map { $0 ^ $1 } }
        let expected = table.nodes.sorted { xor($0.id).lexicographicallyPrecedes(xor($1.id)) }.prefix(10)
        #expect(closest == Array(expected))
        #expect(table.closest(to: target, count: 1000).count == table.count)
    }
}
