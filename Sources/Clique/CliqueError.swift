import ChainTypes
import Primitives
import Signatures
import Storage

/// Why the Clique engine (EIP-225) rejected a header, a header sequence or a stored snapshot.
///
/// Messages start with go-ethereum's phrase for the same rule (consensus/clique/clique.go), so
/// users who know geth's logs recognise them, and then name the values found and expected.
public enum CliqueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The extra data is shorter than the 32-byte vanity prefix.
    case missingVanity(number: UInt64, length: Int)
    /// The extra data has its vanity but is too short to also hold the 65-byte seal.
    case missingSignature(number: UInt64, length: Int)
    /// A block that is not an epoch checkpoint carries bytes between vanity and seal.
    case extraSigners(number: UInt64, byteCount: Int)
    /// A checkpoint's signer section is not a whole number of 20-byte addresses.
    case invalidCheckpointSigners(number: UInt64, byteCount: Int)
    /// A checkpoint lists other signers than the snapshot at its parent holds.
    case mismatchingCheckpointSigners(number: UInt64, listed: [Address], expected: [Address])
    /// A checkpoint block's coinbase (the vote target) is not zero.
    case invalidCheckpointBeneficiary(number: UInt64, coinbase: Address)
    /// The nonce is neither 0x0000000000000000 (drop) nor 0xffffffffffffffff (add).
    case invalidVoteNonce(number: UInt64, nonce: UInt64)
    /// A checkpoint block's nonce is not zero (checkpoints carry no vote).
    case invalidCheckpointVote(number: UInt64, nonce: UInt64)
    /// The mix hash is not zero.
    case invalidMixHash(number: UInt64, mixHash: Hash32)
    /// The ommers hash is not keccak256(rlp([])).
    case invalidOmmersHash(number: UInt64, ommersHash: Hash32)
    /// The difficulty is not 2 for the in-turn signer, or not 1 for an out-of-turn one.
    case invalidDifficulty(number: UInt64, difficulty: UInt256, expected: UInt256)
    /// The timestamp is earlier than the parent's plus the block period.
    case invalidTimestamp(number: UInt64, timestamp: UInt64, minimum: UInt64)
    /// The timestamp lies after the current time the caller gave.
    case futureBlock(number: UInt64, timestamp: UInt64, now: UInt64)
    /// The given parent is not the header's parent (wrong number or hash).
    case unknownAncestor(number: UInt64, parentHash: Hash32)
    /// The seal does not recover to any key.
    case invalidSeal(number: UInt64, SignatureError)
    /// The sealer is not in the snapshot's signer list.
    case unauthorizedSigner(number: UInt64, signer: Address)
    /// The sealer signed one of the last floor(N/2) blocks, and may sign only one of any floor(N/2)+1.
    case recentlySigned(number: UInt64, signer: Address, previous: UInt64)
    /// Headers do not continue the snapshot: wrong number, or wrong parent hash.
    case invalidVotingChain(expectedNumber: UInt64, expectedParent: Hash32, number: UInt64, parentHash: Hash32)
    /// The block store or key-value store failed while loading or saving a snapshot.
    case storage(StorageError)
    /// A stored snapshot could not be decoded.
    case corruptSnapshot(hash: Hash32, reason: String)
    /// This node was asked to prepare or seal a block but has no signer key.
    case noSignerKey
    /// This node's signer is not authorized after the parent block, so it may not seal the next one.
    case notAmongSigners(signer: Address, signerCount: Int, after: UInt64)
    /// This node's signer sealed one of the last `limit` - 1 blocks, so it may not seal block `number` yet.
    case sealedTooRecently(signer: Address, previous: UInt64, limit: UInt64, number: UInt64)
    /// A snapshot "after the parent" was asked for block 0, which has no parent.
    case genesisHasNoParent

    /// A user-facing message: geth's phrase, then the values found and expected.
    public var description: String {
        switch self {
        case .missingVanity(let number, let length):
            return "extra-data 32 byte vanity prefix missing: block \(number) has \(length) bytes of extra data, expected at least 32"
        case .missingSignature(let number, let length):
            return "extra-data 65 byte signature suffix missing: block \(number) has \(length) bytes of extra data, expected at least 97"
        case .extraSigners(let number, let byteCount):
            return "non-checkpoint block contains extra signer list: block \(number) has \(byteCount) bytes between vanity and seal, expected 0"
        case .invalidCheckpointSigners(let number, let byteCount):
            return "invalid checkpoint signers: block \(number) has a \(byteCount)-byte signer list, expected a multiple of 20"
        case .mismatchingCheckpointSigners(let number, let listed, let expected):
            return "invalid checkpoint signers: block \(number) lists \(Self.list(listed)), expected \(Self.list(expected))"
        case .invalidCheckpointBeneficiary(let number, let coinbase):
            return "beneficiary in checkpoint block non-zero: block \(number) has coinbase \(coinbase), expected the zero address"
        case .invalidVoteNonce(let number, let nonce):
            return "invalid vote nonce: block \(number) has nonce \(Self.hex(nonce)), expected 0x0000000000000000 (drop) or 0xffffffffffffffff (add)"
        case .invalidCheckpointVote(let number, let nonce):
            return "vote nonce in checkpoint block non-zero: block \(number) has nonce \(Self.hex(nonce)), expected 0x0000000000000000"
        case .invalidMixHash(let number, let mixHash):
            return "non-zero mix digest: block \(number) has mix hash \(mixHash), expected zero"
        case .invalidOmmersHash(let number, let ommersHash):
            return "non empty uncle hash: block \(number) has ommers hash \(ommersHash), expected \(Header.emptyOmmersHash)"
        case .invalidDifficulty(let number, let difficulty, let expected):
            let turn = expected == Clique.inTurnDifficulty ? "in turn" : "out of turn"
            return "invalid difficulty: block \(number) has difficulty \(difficulty), expected \(expected) (signer \(turn))"
        case .invalidTimestamp(let number, let timestamp, let minimum):
            return "invalid timestamp: block \(number) has timestamp \(timestamp), expected at least \(minimum) (parent timestamp + period)"
        case .futureBlock(let number, let timestamp, let now):
            return "block in the future: block \(number) has timestamp \(timestamp), now is \(now)"
        case .unknownAncestor(let number, let parentHash):
            return "unknown ancestor: block \(number) has parent hash \(parentHash), which is not the given parent's"
        case .invalidSeal(let number, let error):
            return "invalid seal: block \(number): \(error)"
        case .unauthorizedSigner(let number, let signer):
            return "unauthorized signer: \(signer) sealed block \(number) but is not an authorized signer"
        case .recentlySigned(let number, let signer, let previous):
            return "recently signed: \(signer) sealed block \(number) but already sealed block \(previous)"
        case .invalidVotingChain(let expectedNumber, let expectedParent, let number, let parentHash):
            return "invalid voting chain: got block \(number) with parent \(parentHash), expected block \(expectedNumber) with parent \(expectedParent)"
        case .storage(let error):
            return "clique snapshot storage failed: \(error)"
        case .corruptSnapshot(let hash, let reason):
            return "stored clique snapshot for block \(hash) is corrupt: \(reason)"
        case .noSignerKey:
            return "unauthorized signer: this node has no signer key"
        case .notAmongSigners(let signer, let signerCount, let after):
            return "unauthorized signer: \(signer) is not among the \(signerCount) signers after block \(after)"
        case .sealedTooRecently(let signer, let previous, let limit, let number):
            return "recently signed: \(signer) sealed block \(previous) and may seal only one of any \(limit) consecutive blocks, so not block \(number) (next at block \(previous + limit))"
        case .genesisHasNoParent:
            return "unknown ancestor: block 0 has no parent, so no snapshot applies to it"
        }
    }

    /// The 8-byte nonce as 16 hex digits.
    private static func hex(_ nonce: UInt64) -> String {
        Hex.encode(withUnsafeBytes(of: nonce.bigEndian) { Array($0) })
    }

    /// Addresses as a bracketed, comma-separated list.
    private static func list(_ addresses: [Address]) -> String {
        "[" + addresses.map(\.description).joined(separator: ", ") + "]"
    }
}
