import Primitives

/// The discovery node table (devp2p discv4.md "Kademlia Table"; go-ethereum v1.13 p2p/discover/table.go
/// for the design): nodes sorted into 256 buckets of at most 16 by the logarithmic distance between
/// keccak256 of their node id and keccak256 of ours.
///
/// A value type without I/O: the discovery service decides who enters (only nodes that answered a
/// Ping, i.e. bonded ones) and keeps it behind a lock. Within a bucket, entries are ordered from least
/// to most recently seen. When a bucket is full a new node waits in that bucket's replacement list
/// (at most 10) until an entry is removed for not answering.
public struct KademliaTable: Sendable {
    /// Entries per bucket (k).
    public static let bucketSize = 16
    /// Buckets: one per log distance 1…256.
    public static let bucketCount = 256
    /// Waiting nodes per bucket.
    public static let maximumReplacements = 10

    /// Our own table id, keccak256(our node id).
    public let selfId: Hash32
    private var buckets: [[Enode]]
    private var replacements: [[Enode]]

    /// Creates an empty table.
    /// - Parameter selfId: keccak256 of our node id (`Enode.id`).
    public init(selfId: Hash32) {
        self.selfId = selfId
        buckets = Array(repeating: [], count: Self.bucketCount)
        replacements = Array(repeating: [], count: Self.bucketCount)
    }

    /// The logarithmic distance between two ids: the bit length of a ⊕ b (0 for equal ids, 256 when
    /// the first bits differ). go-ethereum `enode.LogDist`.
    public static func logDistance(_ a: Hash32, _ b: Hash32) -> Int {
        let words = [a.w0 ^ b.w0, a.w1 ^ b.w1, a.w2 ^ b.w2, a.w3 ^ b.w3]
        for (index, word) in words.enumerated() where word != 0 {
            return 256 - index * 64 - word.leadingZeroBitCount
        }
        return 0
    }

    /// Whether `a` is closer to `target` than `b` (XOR metric; go-ethereum `enode.DistCmp` < 0).
    public static func isCloser(_ a: Hash32, than b: Hash32, to target: Hash32) -> Bool {
        Hash32(words: a.w0 ^ target.w0, a.w1 ^ target.w1, a.w2 ^ target.w2, a.w3 ^ target.w3)
            < Hash32(words: b.w0 ^ target.w0, b.w1 ^ target.w1, b.w2 ^ target.w2, b.w3 ^ target.w3)
    }

    /// The bucket a node id belongs in (0…255), nil for our own id.
    public func bucketIndex(for id: Hash32) -> Int? {
        let distance = Self.logDistance(selfId, id)
        return distance == 0 ? nil : distance - 1
    }

    /// The nodes of one bucket, least recently seen first.
    public func bucket(_ index: Int) -> [Enode] { buckets[index] }

    /// The number of nodes in the table.
    public var count: Int { buckets.reduce(0) { $0 + $1.count } }

    /// All nodes in the table.
    public var nodes: [Enode] { buckets.flatMap { $0 } }

    /// Whether a node (by public key) is in the table.
    public func contains(_ node: Enode) -> Bool {
        guard let index = bucketIndex(for: node.id) else { return false }
        return buckets[index].contains { $0.publicKey == node.publicKey }
    }

    /// What `add` did.
    public enum Addition: Equatable, Sendable {
        /// The node is new in the table.
        case added
        /// The node was there; its address and last-seen position were updated.
        case updated
        /// The bucket is full; the node waits in the replacement list.
        case bucketFull
        /// The node is ourselves.
        case isSelf
    }

    /// Adds a node that has proved its endpoint (answered a Ping), or moves it to the most recently
    /// seen end of its bucket.
    /// - Parameter node: the node with its address.
    /// - Returns: what happened.
    @discardableResult
    public mutating func add(_ node: Enode) -> Addition {
        guard let index = bucketIndex(for: node.id) else { return .isSelf }
        if let position = buckets[index].firstIndex(where: { $0.publicKey == node.publicKey }) {
            buckets[index].remove(at: position)
            buckets[index].append(node)
            return .updated
        }
        if buckets[index].count < Self.bucketSize {
            buckets[index].append(node)
            replacements[index].removeAll { $0.publicKey == node.publicKey }
            return .added
        }
        replacements[index].removeAll { $0.publicKey == node.publicKey }
        replacements[index].append(node)
        if replacements[index].count > Self.maximumReplacements { replacements[index].removeFirst() }
        return .bucketFull
    }

    /// Removes a node (it stopped answering); the most recent replacement takes its place.
    /// - Parameter node: the node.
    /// - Returns: the replacement moved into the bucket, if any.
    @discardableResult
    public mutating func remove(_ node: Enode) -> Enode? {
        guard let index = bucketIndex(for: node.id),
              let position = buckets[index].firstIndex(where: { $0.publicKey == node.publicKey }) else { return nil }
        buckets[index].remove(at: position)
        guard let replacement = replacements[index].popLast() else { return nil }
        buckets[index].append(replacement)
        return replacement
    }

    /// A node to revalidate: the least recently seen entry of the non-empty bucket that `seed`
    /// selects (go-ethereum revalidates an entry of a random bucket).
    public func revalidationCandidate(seed: Int) -> Enode? {
        let nonEmpty = buckets.indices.filter { !buckets[$0].isEmpty }
        guard !nonEmpty.isEmpty else { return nil }
        return buckets[nonEmpty[abs(seed) % nonEmpty.count]].first
    }

    /// The `count` nodes closest to `target` by XOR distance, closest first.
    /// - Parameters:
    ///   - target: a table id (keccak256 of a node id).
    ///   - count: how many at most (go-ethereum answers FindNode with 16).
    public func closest(to target: Hash32, count: Int) -> [Enode] {
        let all = buckets.flatMap { $0 }.map { ($0.id, $0) }
        return all.sorted { Self.isCloser($0.0, than: $1.0, to: target) }.prefix(count).map(\.1)
    }
}
