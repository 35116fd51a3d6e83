import ChainTypes
import Primitives

/// The Clique authorization state at one block (EIP-225): who may sign, who signed recently, and
/// the votes pending.
///
/// Invariants: `signers` is sorted ascending and holds no duplicates; `recents` holds only blocks
/// within the last `signerLimit` of `number`; every vote in `votes` is counted in `tally`, and
/// every tally is the count of its votes. A snapshot advances with `apply(_:using:)` over the
/// headers that follow it and is persisted by `store(in:)` (see `Snapshot+Storage.swift`).
public struct Snapshot: Hashable, Sendable {
    /// Blocks between checkpoints, where votes are cleared (`CliqueConfig.epoch`).
    public let epoch: UInt64
    /// The block this snapshot describes: the state after that block.
    public internal(set) var number: UInt64
    /// The hash of that block.
    public internal(set) var hash: Hash32
    /// The authorized signers, sorted ascending (EIP-225's SIGNER_INDEX order).
    public internal(set) var signers: [Address]
    /// The signer of each recent block, by block number; a signer listed here may not sign yet.
    public internal(set) var recents: [UInt64: Address]
    /// The pending votes, in the order they were cast.
    public internal(set) var votes: [Vote]
    /// The count of pending votes per account voted on.
    public internal(set) var tally: [Address: Tally]

    /// Creates a snapshot with no recent signers and no votes, as at a trusted checkpoint.
    /// - Parameters:
    ///   - epoch: blocks between checkpoints.
    ///   - number: the block number.
    ///   - hash: the block hash.
    ///   - signers: the authorized signers, in any order (duplicates are dropped).
    public init(epoch: UInt64, number: UInt64, hash: Hash32, signers: [Address]) {
        self.init(epoch: epoch, number: number, hash: hash, signers: signers, recents: [:], votes: [], tally: [:])
    }

    /// Creates a snapshot from all of its parts (as a stored snapshot is decoded).
    /// - Parameters:
    ///   - epoch: blocks between checkpoints.
    ///   - number: the block number.
    ///   - hash: the block hash.
    ///   - signers: the authorized signers, in any order (duplicates are dropped).
    ///   - recents: the signer of each recent block.
    ///   - votes: the pending votes, in casting order.
    ///   - tally: the counts of the pending votes.
    public init(epoch: UInt64, number: UInt64, hash: Hash32, signers: [Address], recents: [UInt64: Address],
                votes: [Vote], tally: [Address: Tally]) {
        self.epoch = epoch == 0 ? CliqueConfig.defaultEpoch : epoch
        self.number = number
        self.hash = hash
        self.signers = Array(Set(signers)).sorted()
        self.recents = recents
        self.votes = votes
        self.tally = tally
    }

    /// Creates the snapshot at a checkpoint header (the genesis block, or any trusted epoch
    /// block), from the signers its extra data lists.
    /// - Parameters:
    ///   - header: the checkpoint header.
    ///   - epoch: blocks between checkpoints.
    /// - Throws: `CliqueError.missingVanity`, `.missingSignature` or `.invalidCheckpointSigners`
    ///   if the extra data is not vanity ‖ N × 20 bytes ‖ seal.
    public init(checkpoint header: Header, epoch: UInt64) throws(CliqueError) {
        let signers = try Clique.checkpointSigners(of: header)
        self.init(epoch: epoch, number: header.number, hash: header.hash, signers: signers)
    }

    /// SIGNER_LIMIT: a signer may sign at most one of any this many consecutive blocks,
    /// floor(N/2) + 1 (EIP-225).
    package var signerLimit: UInt64 { UInt64(signers.count / 2 + 1) }

    /// Whether `signer` is in the signer list.
    /// - Parameter signer: the address.
    /// - Returns: true if it may sign blocks after this one (recency aside).
    package func isAuthorized(_ signer: Address) -> Bool {
        signers.binarySearch(signer) != nil
    }

    /// The block `signer` signed within the last `signerLimit` blocks before `number`, if any.
    /// - Parameters:
    ///   - signer: the address.
    ///   - number: the block it would sign next (usually `self.number + 1`).
    /// - Returns: the recent block it signed, or nil if it may sign `number`.
    package func recentBlock(signedBy signer: Address, before number: UInt64) -> UInt64? {
        let limit = signerLimit
        return recents.filter { $0.value == signer && $0.key + limit > number }.keys.max()
    }

    /// Whether `signer` signed one of the last floor(N/2) blocks before `number`, so may not sign it.
    /// - Parameters:
    ///   - signer: the address.
    ///   - number: the block it would sign.
    /// - Returns: true if it must wait.
    package func hasRecentlySigned(_ signer: Address, before number: UInt64) -> Bool {
        recentBlock(signedBy: signer, before: number) != nil
    }

    /// Whether `signer` may seal block `number` on top of this snapshot: it is authorized and has
    /// not signed recently.
    /// - Parameters:
    ///   - signer: the local signer's address.
    ///   - number: the block to seal (usually `self.number + 1`).
    /// - Returns: true if a block it seals would pass `Clique.verifyHeader`.
    package func canSeal(_ signer: Address, at number: UInt64) -> Bool {
        isAuthorized(signer) && !hasRecentlySigned(signer, before: number)
    }

    /// Whether `signer` is in turn for block `number`: it sits at index `number % N` of the
    /// sorted signer list (EIP-225).
    /// - Parameters:
    ///   - signer: the address.
    ///   - number: the block number.
    /// - Returns: true if in turn; false if out of turn or not a signer.
    package func isInTurn(_ signer: Address, at number: UInt64) -> Bool {
        guard let index = signers.binarySearch(signer) else { return false }
        return number % UInt64(signers.count) == UInt64(index)
    }

    /// The difficulty a block `number` sealed by `signer` must carry: DIFF_INTURN (2) in turn,
    /// DIFF_NOTURN (1) otherwise.
    /// - Parameters:
    ///   - signer: the sealer.
    ///   - number: the block number.
    /// - Returns: 2 or 1.
    public func difficulty(for signer: Address, at number: UInt64) -> UInt256 {
        isInTurn(signer, at: number) ? Clique.inTurnDifficulty : Clique.outOfTurnDifficulty
    }
}

extension Array where Element == Address {
    /// The index of `address` in this ascending array, by binary search.
    func binarySearch(_ address: Address) -> Int? {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < address { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == address ? low : nil
    }

    /// Inserts `address` at its sorted position unless present.
    mutating func insertSorted(_ address: Address) {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < address { low = middle + 1 } else { high = middle }
        }
        if low == count || self[low] != address { insert(address, at: low) }
    }
}
