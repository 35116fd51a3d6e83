import Primitives

/// An EIP-2124 fork identifier: which forks a chain has passed and which it expects next, so that
/// peers on incompatible chains or rule sets part at the Status handshake.
///
/// `hash` is the IEEE CRC32 of the genesis hash followed by each passed fork's activation block
/// number or timestamp as 8 big-endian bytes; `next` is the first fork not yet passed (0 if none is
/// known). Encoding: `rlp([hash as 4 bytes, next])`.
public struct ForkID: Hashable, Sendable, CustomStringConvertible {
    /// The CRC32 checksum of genesis and passed forks.
    public var hash: UInt32
    /// The block number or timestamp of the next known fork, or 0.
    public var next: UInt64

    /// Creates a fork id.
    /// - Parameters:
    ///   - hash: the checksum.
    ///   - next: the next fork, or 0.
    public init(hash: UInt32, next: UInt64) {
        self.hash = hash
        self.next = next
    }

    /// The checksum as the 4 big-endian bytes that go on the wire.
    public var hashBytes: [UInt8] {
        [UInt8(truncatingIfNeeded: hash >> 24), UInt8(truncatingIfNeeded: hash >> 16),
         UInt8(truncatingIfNeeded: hash >> 8), UInt8(truncatingIfNeeded: hash)]
    }

    /// "0x<hash>/<next>".
    public var description: String { "\(Hex.encode(hashBytes))/\(next)" }

    /// The RLP encoding, `[hash, next]`.
    public var encoded: [UInt8] {
        var writer = RLPWriter()
        append(to: &writer)
        return writer.finish()
    }

    func append(to writer: inout RLPWriter) {
        writer.appendList { list in
            list.append(bytes: hashBytes)
            list.append(uint: next)
        }
    }

    /// Decodes `[hash (4 bytes), next]`.
    /// - Parameter encoded: the RLP.
    /// - Throws: `ETHMessageError`.
    public init(encoded: [UInt8]) throws(ETHMessageError) {
        var reader = MessageReader(message: "ForkID", reader: RLPReader(encoded))
        self = try ForkID.read(from: &reader, field: "forkid")
        try reader.expectEnd("forkid")
    }

    static func read(from outer: inout MessageReader, field: String) throws(ETHMessageError) -> ForkID {
        var reader = try outer.list(field)
        try reader.expectCount(2, field, "hash, next")
        let bytes = try reader.read(field + " hash") { (reader) throws(RLPError) in try reader.readBytes(exactly: 4) }
        let next = try reader.uint64(field + " next")
        return ForkID(hash: bytes.reduce(0) { $0 << 8 | UInt32($1) }, next: next)
    }
}

/// A chain's fork schedule as EIP-2124 sees it, and the fork id rules built on it (go-ethereum
/// v1.13.15 core/forkid: `NewID`, `newFilter`, `gatherForks`).
///
/// Block-numbered forks come first, then timestamped ones. Forks at block 0, and timestamped forks at
/// or before the genesis timestamp, are part of the genesis rules and do not enter the checksum;
/// several forks at the same block or time count once.
public struct ForkSchedule: Hashable, Sendable {
    /// The genesis block hash.
    public let genesisHash: Hash32
    /// Block numbers of forks after genesis, ascending, without repeats.
    public let blockForks: [UInt64]
    /// Timestamps of forks after the genesis time, ascending, without repeats.
    public let timeForks: [UInt64]

    /// go-ethereum's `timestampThreshold`, the mainnet genesis timestamp: a remote `next` above it is
    /// read as a timestamp when it is compared with the local head.
    public static let timestampThreshold: UInt64 = 1_438_269_973

    /// Creates a schedule from a chain configuration's fork activations.
    /// - Parameters:
    ///   - genesisHash: the genesis block hash.
    ///   - genesisTime: the genesis block's timestamp.
    ///   - blockForks: activation block numbers of block-numbered forks (any order; 0 and repeats allowed).
    ///   - timeForks: activation timestamps of timestamped forks (any order; repeats allowed).
    public init(genesisHash: Hash32, genesisTime: UInt64, blockForks: [UInt64], timeForks: [UInt64]) {
        self.genesisHash = genesisHash
        var blocks: [UInt64] = []
        for fork in blockForks.sorted() where fork != 0 && blocks.last != fork { blocks.append(fork) }
        var times: [UInt64] = []
        for fork in timeForks.sorted() where fork > genesisTime && times.last != fork { times.append(fork) }
        self.blockForks = blocks
        self.timeForks = times
    }

    /// The schedule of a GoldenGrain chain, which runs every fork through Cancun from genesis (its
    /// genesis refuses any other activation): no fork enters the checksum, so the fork id is
    /// CRC32(genesis hash) with no next fork.
    /// - Parameter genesisHash: the genesis block hash.
    /// - Returns: the schedule.
    public static func goldenGrain(genesisHash: Hash32) -> ForkSchedule {
        ForkSchedule(genesisHash: genesisHash, genesisTime: 0, blockForks: [], timeForks: [])
    }

    /// The fork id at a head block (go-ethereum `NewID`).
    /// - Parameters:
    ///   - head: the head block number.
    ///   - time: the head block timestamp.
    /// - Returns: the fork id to announce.
    public func forkID(head: UInt64, time: UInt64) -> ForkID {
        var hash = CRC32.checksum(genesisHash.bytes)
        for fork in blockForks {
            if fork > head { return ForkID(hash: hash, next: fork) }
            hash = CRC32.update(hash, fork: fork)
        }
        for fork in timeForks {
            if fork > time { return ForkID(hash: hash, next: fork) }
            hash = CRC32.update(hash, fork: fork)
        }
        return ForkID(hash: hash, next: 0)
    }

    /// Checks a peer's fork id against the local chain at a head (EIP-2124's rules; go-ethereum `newFilter`):
    ///
    /// 1. Same checksum as ours now: compatible, unless the peer announces a next fork that we have
    ///    already passed without knowing it (incompatible).
    /// 2. The checksum of one of our past states: compatible if the peer's next fork is the one that
    ///    followed that state for us, otherwise the peer is stale.
    /// 3. The checksum of one of our future states: compatible (we are syncing).
    /// 4. Anything else: incompatible.
    /// - Parameters:
    ///   - remote: the peer's fork id.
    ///   - head: the local head block number.
    ///   - time: the local head timestamp.
    /// - Throws: `ForkIDError.remoteStale` or `.localIncompatibleOrStale`.
    public func validate(_ remote: ForkID, head: UInt64, time: UInt64) throws(ForkIDError) {
        let forks = blockForks + timeForks
        var sums: [UInt32] = [CRC32.checksum(genesisHash.bytes)]
        for fork in forks { sums.append(CRC32.update(sums[sums.count - 1], fork: fork)) }
        // Sentinels that are never passed; with block forks only, the sentinel stays a block number.
        let sentinelForks = forks + [UInt64.max]
        let blockCount = timeForks.isEmpty ? blockForks.count + 1 : blockForks.count
        for (index, fork) in sentinelForks.enumerated() {
            let localHead = index < blockCount ? head : time
            if localHead >= fork { continue }
            // The first fork we have not passed: our current checksum is sums[index].
            if sums[index] == remote.hash {
                if remote.next > 0 && (localHead >= remote.next || (remote.next > Self.timestampThreshold && time >= remote.next)) {
                    throw .localIncompatibleOrStale(local: ForkID(hash: sums[index], next: fork == .max ? 0 : fork), remote: remote)
                }
                return
            }
            for past in 0 ..< index where sums[past] == remote.hash {
                if forks[past] != remote.next {
                    throw .remoteStale(local: ForkID(hash: sums[index], next: fork == .max ? 0 : fork), remote: remote, expectedNext: forks[past])
                }
                return
            }
            if index + 1 < sums.count, sums[(index + 1)...].contains(remote.hash) { return }
            throw .localIncompatibleOrStale(local: ForkID(hash: sums[index], next: fork == .max ? 0 : fork), remote: remote)
        }
        // Unreachable: the UInt64.max sentinel is never passed. Accept, as go-ethereum does.
    }
}

/// Why a peer's fork id was refused (go-ethereum core/forkid errors).
public enum ForkIDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer is on one of our past fork states but does not know the fork that followed it
    /// (go-ethereum `ErrRemoteStale`, "remote needs update").
    case remoteStale(local: ForkID, remote: ForkID, expectedNext: UInt64)
    /// The peer is on a chain or rule set we do not share, or knows a fork we should have passed
    /// (go-ethereum `ErrLocalIncompatibleOrStale`, "local incompatible or needs update").
    case localIncompatibleOrStale(local: ForkID, remote: ForkID)

    /// A user-facing message naming both fork ids.
    public var description: String {
        switch self {
        case .remoteStale(let local, let remote, let expectedNext):
            return "remote needs update: remote fork id \(remote) announces next fork \(remote.next), expected \(expectedNext) (local fork id \(local))"
        case .localIncompatibleOrStale(let local, let remote):
            return "local incompatible or needs update: remote fork id \(remote) does not match local fork id \(local)"
        }
    }
}

/// CRC-32 with the IEEE 802.3 polynomial (reflected 0xEDB88320), as Go's `crc32.ChecksumIEEE` and
/// zlib's `crc32` compute it.
public enum CRC32 {
    static let table: [UInt32] = (0 ..< 256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0 ..< 8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// Continues a checksum over more bytes (Go `crc32.Update`).
    public static func update(_ checksum: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = ~checksum
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return ~crc
    }

    /// The checksum of bytes.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 { update(0, bytes) }

    /// Continues a checksum over a fork's 8 big-endian bytes (go-ethereum `checksumUpdate`).
    public static func update(_ checksum: UInt32, fork: UInt64) -> UInt32 {
        update(checksum, (0 ..< 8).map { UInt8(truncatingIfNeeded: fork >> (56 - 8 * $0)) })
    }
}
