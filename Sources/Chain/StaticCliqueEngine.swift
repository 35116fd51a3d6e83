import Foundation
import Primitives
import Signatures

/// A small EIP-225 Clique engine with a fixed signer set (the genesis signers): in-turn difficulty
/// 2 and out-of-turn 1, the signer list on checkpoint blocks, the seal over `Header.sealHash` in the
/// last 65 bytes of extra data (r ‖ s ‖ recovery id, as go-ethereum's `crypto.Sign`), the rule that
/// a signer signs at most one of any floor(N/2)+1 consecutive blocks, and the out-of-turn wiggle.
///
/// Limits: votes are recorded and written into headers (coinbase and nonce), but never tallied, so
/// the signer set never changes. The Consensus module's `Clique` replaces this engine (through
/// `NodeConfiguration.consensus`) wherever voting matters.
public final class StaticCliqueEngine: ConsensusEngine, @unchecked Sendable {
    /// EIP-225's NONCE_AUTH: the header nonce that votes to add the coinbase.
    public static let authorizeNonce = UInt64.max
    /// EIP-225's NONCE_DROP: the header nonce that votes to remove the coinbase.
    public static let dropNonce: UInt64 = 0
    /// EIP-225's DIFF_INTURN.
    public static let inTurnDifficulty = UInt256(2)
    /// EIP-225's DIFF_NOTURN.
    public static let outOfTurnDifficulty = UInt256(1)
    /// EIP-225's WIGGLE_TIME per signer, in seconds.
    public static let wiggleTime = 0.5

    /// The signers in ascending address order.
    public let signerList: [Address]
    /// The Clique parameters.
    public let config: CliqueConfig
    private let key: PrivateKey?
    /// See `ConsensusEngine.signer`.
    public let signer: Address?
    private let lock = NSLock()
    private var votes: [Address: Bool] = [:]

    /// Creates an engine.
    /// - Parameters:
    ///   - signers: the authorized signers.
    ///   - config: period and epoch.
    ///   - key: the key to seal with, or nil to verify only.
    public init(signers: [Address], config: CliqueConfig, key: PrivateKey?) {
        signerList = signers.sorted()
        self.config = config
        self.key = key
        signer = key?.address
    }

    /// Whether `signer` is in turn for block `number`: signers[number mod N] in ascending order.
    /// - Parameters:
    ///   - signer: the address.
    ///   - number: the block number.
    /// - Returns: true in turn.
    public func isInTurn(_ signer: Address, number: UInt64) -> Bool {
        guard !signerList.isEmpty else { return false }
        return signerList[Int(number % UInt64(signerList.count))] == signer
    }

    /// See `ConsensusEngine.prepare`.
    public func prepare(_ header: inout Header, parent: Header, chain: any HeaderReader) throws(ChainError) {
        guard let signer else { throw .consensus("unauthorized signer: this node has no signer key") }
        guard signerList.contains(signer) else { throw .consensus("unauthorized signer \(signer)") }
        header.difficulty = isInTurn(signer, number: header.number) ? Self.inTurnDifficulty : Self.outOfTurnDifficulty
        header.mixHash = .zero
        header.ommersHash = Header.emptyOmmersHash
        let isCheckpoint = header.number % config.epoch == 0
        header.coinbase = .zero
        header.nonce = Self.dropNonce
        if !isCheckpoint, let vote = proposals.sorted(by: { $0.key < $1.key }).first {
            header.coinbase = vote.key
            header.nonce = vote.value ? Self.authorizeNonce : Self.dropNonce
        }
        header.extraData = CliqueExtraData(signers: isCheckpoint ? signerList : []).bytes
    }

    /// See `ConsensusEngine.sealDelay`.
    public func sealDelay(for header: Header, chain: any HeaderReader) -> Double {
        guard header.difficulty == Self.outOfTurnDifficulty else { return 0 }
        return Double.random(in: 0 ... Double(signerList.count / 2 + 1) * Self.wiggleTime)
    }

    /// See `ConsensusEngine.seal`.
    public func seal(_ header: Header, chain: any HeaderReader) throws(ChainError) -> Header {
        guard let key, let signer else { throw .consensus("unauthorized signer: this node has no signer key") }
        if let recent = try recentlySigned(signer, before: header, chain: chain) {
            throw .consensus("recently signed: \(signer) signed block \(recent), may sign again after block \(recent + UInt64(signerList.count / 2))")
        }
        var sealed = header
        guard sealed.extraData.count >= CliqueExtraData.vanityLength + CliqueExtraData.sealLength else {
            throw .consensus("missing signature: extra data is \(sealed.extraData.count) bytes, expected at least 97")
        }
        let signature = key.sign(hash: header.sealHash)
        sealed.extraData.replaceSubrange((sealed.extraData.count - 65)..., with: signature.bytes)
        return sealed
    }

    /// The most recent block before `header` among the last floor(N/2) that `signer` sealed, if any.
    private func recentlySigned(_ signer: Address, before header: Header, chain: any HeaderReader) throws(ChainError) -> UInt64? {
        let window = UInt64(signerList.count / 2)
        var hash = header.parentHash
        var steps: UInt64 = 0
        while steps < window, let parent = chain.header(hash: hash), parent.number > 0 {
            if try author(of: parent) == signer { return parent.number }
            hash = parent.parentHash
            steps += 1
        }
        return nil
    }

    /// See `ConsensusEngine.verify`.
    public func verify(_ header: Header, parent: Header, chain: any HeaderReader) throws(ChainError) {
        let number = header.number
        guard header.timestamp >= parent.timestamp + config.period else {
            throw .consensus("invalid timestamp: block \(number) at \(header.timestamp), expected at least \(parent.timestamp + config.period) (parent + period)")
        }
        let isCheckpoint = number % config.epoch == 0
        guard header.nonce == Self.authorizeNonce || header.nonce == Self.dropNonce else {
            throw .consensus("invalid vote nonce \(header.nonce) in block \(number), expected 0x0000000000000000 or 0xffffffffffffffff")
        }
        if isCheckpoint && (header.coinbase != .zero || header.nonce != Self.dropNonce) {
            throw .consensus("invalid checkpoint vote: block \(number) votes on \(header.coinbase)")
        }
        let extra: CliqueExtraData
        do throws(GenesisError) { extra = try CliqueExtraData(bytes: header.extraData) } catch {
            throw .consensus("missing signature: \(error)")
        }
        if isCheckpoint ? extra.signers != signerList : !extra.signers.isEmpty {
            throw .consensus("invalid checkpoint signers in block \(number): \(extra.signers), expected \(isCheckpoint ? signerList : [])")
        }
        guard header.mixHash == .zero else { throw .consensus("non-zero mix digest in block \(number)") }
        guard header.ommersHash == Header.emptyOmmersHash else { throw .consensus("non empty uncle hash in block \(number)") }
        let author = try author(of: header)
        guard signerList.contains(author) else { throw .consensus("unauthorized signer \(author) in block \(number)") }
        if let recent = try recentlySigned(author, before: header, chain: chain) {
            throw .consensus("recently signed: \(author) sealed block \(number) and block \(recent)")
        }
        let expected = isInTurn(author, number: number) ? Self.inTurnDifficulty : Self.outOfTurnDifficulty
        guard header.difficulty == expected else {
            throw .consensus("wrong difficulty in block \(number): have \(header.difficulty), want \(expected)")
        }
    }

    /// See `ConsensusEngine.author`.
    public func author(of header: Header) throws(ChainError) -> Address {
        guard header.extraData.count >= CliqueExtraData.sealLength else {
            throw .consensus("missing signature: extra data is \(header.extraData.count) bytes")
        }
        let seal = header.extraData.suffix(CliqueExtraData.sealLength)
        do throws(SignatureError) {
            return try RecoverableSignature(bytes: seal).recoverAddress(from: header.sealHash)
        } catch {
            throw .consensus("invalid seal on block \(header.number): \(error)")
        }
    }

    /// See `ConsensusEngine.signers`.
    public func signers(after header: Header, chain: any HeaderReader) throws(ChainError) -> [Address] { signerList }

    /// See `ConsensusEngine.propose`.
    public func propose(_ address: Address, authorize: Bool) {
        lock.lock(); defer { lock.unlock() }
        votes[address] = authorize
    }

    /// See `ConsensusEngine.discard`.
    public func discard(_ address: Address) {
        lock.lock(); defer { lock.unlock() }
        votes[address] = nil
    }

    /// See `ConsensusEngine.proposals`.
    public var proposals: [Address: Bool] {
        lock.lock(); defer { lock.unlock() }
        return votes
    }
}
