import ChainTypes
import Primitives
import Signatures
import Storage
import Synchronization

/// The Clique proof-of-authority engine (EIP-225): seals headers, recovers their sealers,
/// verifies headers against the snapshot at their parent, and finds and persists snapshots.
///
/// One engine serves one chain. It is a class because it owns two bounded caches shared by every
/// caller: recovered sealers by block hash (`signerCacheCapacity` entries) and recent snapshots by
/// block hash (`snapshotCacheCapacity`). Snapshots are also written to `store`, if given, at every
/// `checkpointInterval`-th block, as go-ethereum does, so a restarted node replays at most that
/// many headers.
public final class Clique: Sendable {
    /// NONCE_AUTH: the nonce of a vote to authorize the coinbase.
    package static let nonceAuthorize: UInt64 = 0xffff_ffff_ffff_ffff
    /// NONCE_DROP: the nonce of a vote to deauthorize the coinbase (and of a block with no vote).
    package static let nonceDrop: UInt64 = 0
    /// DIFF_INTURN: the difficulty of a block sealed by the in-turn signer.
    package static let inTurnDifficulty: UInt256 = 2
    /// DIFF_NOTURN: the difficulty of a block sealed out of turn.
    package static let outOfTurnDifficulty: UInt256 = 1
    /// Snapshots are persisted at block numbers that are multiples of this (geth's checkpointInterval).
    package static let checkpointInterval: UInt64 = 1024
    /// The per-signer unit of the random delay an out-of-turn signer waits (geth's wiggleTime).
    package static let wiggleTime: Duration = .milliseconds(500)
    /// Recovered sealers kept in memory (geth's inmemorySignatures).
    package static let signerCacheCapacity = 4096
    /// Snapshots kept in memory (geth's inmemorySnapshots).
    package static let snapshotCacheCapacity = 128
    /// The key prefix of persisted snapshots; the block hash follows.
    package static let snapshotKeyPrefix: [UInt8] = Array("clique-snapshot".utf8)

    /// The chain's period and epoch.
    public let config: CliqueConfig
    /// Where snapshots are persisted, or nil to keep them in memory only.
    public let store: (any KeyValueStore)?

    let signerCache = BoundedCache<Hash32, Address>(capacity: Clique.signerCacheCapacity)
    let snapshotCache = BoundedCache<Hash32, Snapshot>(capacity: Clique.snapshotCacheCapacity)

    /// Creates an engine.
    /// - Parameters:
    ///   - config: the period and epoch from the genesis file (an epoch of 0 means 30000).
    ///   - store: where to persist snapshots (the node's database), or nil.
    public init(config: CliqueConfig, store: (any KeyValueStore)? = nil) {
        var config = config
        if config.epoch == 0 { config.epoch = CliqueConfig.defaultEpoch }
        self.config = config
        self.store = store
    }

    /// Whether block `number` is an epoch checkpoint (it lists the signers and carries no vote).
    /// - Parameter number: the block number.
    /// - Returns: true if `number % epoch == 0`.
    package func isCheckpoint(_ number: UInt64) -> Bool {
        number % config.epoch == 0
    }

    /// Seals a header: signs its seal hash with `privateKey` and writes the 65-byte signature
    /// r ‖ s ‖ v (v = 0 or 1) over the last 65 bytes of its extra data.
    ///
    /// Every other field must be final, since the signature covers all of them (see `prepare`).
    /// - Parameters:
    ///   - header: the header to seal; its extra data holds vanity ‖ signers ‖ 65 placeholder bytes.
    ///   - privateKey: the signer's key.
    /// - Returns: the sealed header.
    /// - Throws: `CliqueError.missingVanity` or `.missingSignature` if the extra data is shorter than 97 bytes.
    public func seal(_ header: Header, with privateKey: PrivateKey) throws(CliqueError) -> Header {
        try Self.checkExtraDataLength(header)
        let signature = privateKey.sign(hash: header.sealHash)
        var sealed = header
        sealed.extraData.replaceSubrange((sealed.extraData.count - CliqueExtraData.sealLength)..., with: signature.bytes)
        signerCache.insert(privateKey.address, for: sealed.hash)
        return sealed
    }

    /// Recovers the address that sealed a header, from the signature in its last 65 extra-data bytes
    /// over its seal hash; answers are cached by block hash.
    /// - Parameter header: a sealed header (not the genesis block, whose seal is zero).
    /// - Returns: the sealer's address.
    /// - Throws: `CliqueError.missingVanity` or `.missingSignature` if the extra data is too short,
    ///   `.invalidSeal` if no key recovers from the seal.
    public func signer(of header: Header) throws(CliqueError) -> Address {
        let hash = header.hash
        if let signer = signerCache[hash] { return signer }
        try Self.checkExtraDataLength(header)
        let signer: Address
        do throws(SignatureError) {
            let signature = try RecoverableSignature(bytes: header.extraData.suffix(CliqueExtraData.sealLength))
            signer = try signature.recoverAddress(from: header.sealHash)
        } catch {
            throw .invalidSeal(number: header.number, error)
        }
        signerCache.insert(signer, for: hash)
        return signer
    }

    /// The signers a checkpoint header lists between its vanity and its seal.
    /// - Parameter header: a checkpoint header.
    /// - Returns: the listed addresses, in the order listed.
    /// - Throws: `CliqueError.missingVanity`, `.missingSignature` or `.invalidCheckpointSigners`.
    package static func checkpointSigners(of header: Header) throws(CliqueError) -> [Address] {
        try checkExtraDataLength(header)
        let listLength = header.extraData.count - CliqueExtraData.vanityLength - CliqueExtraData.sealLength
        guard listLength % 20 == 0 else { throw .invalidCheckpointSigners(number: header.number, byteCount: listLength) }
        let start = CliqueExtraData.vanityLength
        return stride(from: start, to: start + listLength, by: 20).map { Address(header.extraData[$0 ..< $0 + 20]) }
    }

    /// Checks that the extra data holds at least the vanity and the seal.
    static func checkExtraDataLength(_ header: Header) throws(CliqueError) {
        let length = header.extraData.count
        guard length >= CliqueExtraData.vanityLength else { throw .missingVanity(number: header.number, length: length) }
        guard length >= CliqueExtraData.vanityLength + CliqueExtraData.sealLength else {
            throw .missingSignature(number: header.number, length: length)
        }
    }
}
