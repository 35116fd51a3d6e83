import Chain
import ChainTypes
import Clique
import Primitives
import Signatures
import Testing

/// A two-signer chain (A and B) at genesis, and helpers to build block 1 on it.
struct VerificationFixture {
    let engine: Clique
    let genesis: Header
    let snapshot: Snapshot

    static let period: UInt64 = 5

    init(epoch: UInt64 = CliqueConfig.defaultEpoch) {
        engine = Clique(config: CliqueConfig(period: Self.period, epoch: epoch))
        genesis = TestChain.genesis(signers: ["A", "B"])
        snapshot = try! Snapshot(checkpoint: genesis, epoch: epoch)
    }

    /// The signer in turn for block 1 (index 1 % 2 of the sorted pair) and the other one.
    var inTurnName: String { snapshot.isInTurn(TestAccounts.address("A"), at: 1) ? "A" : "B" }
    var outOfTurnName: String { inTurnName == "A" ? "B" : "A" }

    /// Block 1 prepared for `signer`, changed by `change`, then sealed by `signer`.
    func block(sealedBy signer: String = "A", _ change: (inout Header) -> Void = { _ in }) -> Header {
        var header = TestChain.header(number: 1, parentHash: genesis.hash, timestamp: 0, extraData: [])
        var generator = ConstantGenerator(value: 1)
        engine.prepare(&header, parent: genesis, snapshot: snapshot, signer: TestAccounts.address(signer),
                       proposals: Proposals(), using: &generator)
        change(&header)
        return try! engine.seal(header, with: TestAccounts.key(signer))
    }

    /// The error `verifyHeader` throws for `header` on the genesis block, if any.
    func rejection(of header: Header, now: UInt64? = nil) -> CliqueError? {
        do throws(CliqueError) {
            try engine.verifyHeader(header, parent: genesis, snapshot: snapshot, now: now)
            return nil
        } catch {
            return error
        }
    }
}

@Suite("verifyHeader")
struct HeaderVerificationTests {
    let fixture = VerificationFixture()

    @Test func preparedAndSealedBlockVerifies() throws {
        let header = fixture.block(sealedBy: "A")
        #expect(try fixture.engine.verifyHeader(header, parent: fixture.genesis, snapshot: fixture.snapshot)
                == TestAccounts.address("A"))
        #expect(header.timestamp == TestChain.genesisTime + VerificationFixture.period)
    }

    @Test func blockInTheFuture() {
        let header = fixture.block()
        let now = TestChain.genesisTime + 4
        let error = fixture.rejection(of: header, now: now)
        #expect(error == .futureBlock(number: 1, timestamp: 1_700_000_005, now: 1_700_000_004))
        #expect(error?.description == "block in the future: block 1 has timestamp 1700000005, now is 1700000004")
    }

    @Test func checkpointWithBeneficiary() {
        let fixture = VerificationFixture(epoch: 1)
        let candidate = TestAccounts.address("C")
        let error = fixture.rejection(of: fixture.block { $0.coinbase = candidate })
        #expect(error == .invalidCheckpointBeneficiary(number: 1, coinbase: candidate))
        #expect(error?.description == "beneficiary in checkpoint block non-zero: block 1 has coinbase \(candidate), expected the zero address")
    }

    @Test func nonceThatIsNotAVote() {
        let error = fixture.rejection(of: fixture.block { $0.nonce = 1 })
        #expect(error == .invalidVoteNonce(number: 1, nonce: 1))
        #expect(error?.description == "invalid vote nonce: block 1 has nonce 0x0000000000000001, expected 0x0000000000000000 (drop) or 0xffffffffffffffff (add)")
    }

    @Test func checkpointWithAuthorizeVote() {
        let fixture = VerificationFixture(epoch: 1)
        let error = fixture.rejection(of: fixture.block { $0.nonce = Clique.nonceAuthorize })
        #expect(error == .invalidCheckpointVote(number: 1, nonce: 0xffff_ffff_ffff_ffff))
        #expect(error?.description == "vote nonce in checkpoint block non-zero: block 1 has nonce 0xffffffffffffffff, expected 0x0000000000000000")
    }

    @Test func extraDataWithoutVanity() {
        let header = fixture.block()
        var short = header
        short.extraData = Array(repeating: 0, count: 31)
        let error = fixture.rejection(of: short)
        #expect(error == .missingVanity(number: 1, length: 31))
        #expect(error?.description == "extra-data 32 byte vanity prefix missing: block 1 has 31 bytes of extra data, expected at least 32")
    }

    @Test func extraDataWithoutSeal() {
        var short = fixture.block()
        short.extraData = Array(repeating: 0, count: 96)
        let error = fixture.rejection(of: short)
        #expect(error == .missingSignature(number: 1, length: 96))
        #expect(error?.description == "extra-data 65 byte signature suffix missing: block 1 has 96 bytes of extra data, expected at least 97")
    }

    @Test func signerListOnNonCheckpointBlock() {
        let error = fixture.rejection(of: fixture.block {
            $0.extraData = TestChain.extraData(signers: TestAccounts.sortedAddresses(["A", "B"]))
        })
        #expect(error == .extraSigners(number: 1, byteCount: 40))
        #expect(error?.description == "non-checkpoint block contains extra signer list: block 1 has 40 bytes between vanity and seal, expected 0")
    }

    @Test func checkpointSignerListNotWholeAddresses() {
        let fixture = VerificationFixture(epoch: 1)
        let error = fixture.rejection(of: fixture.block {
            $0.extraData = Array(repeating: 0, count: 32 + 30 + 65)
        })
        #expect(error == .invalidCheckpointSigners(number: 1, byteCount: 30))
        #expect(error?.description == "invalid checkpoint signers: block 1 has a 30-byte signer list, expected a multiple of 20")
    }

    @Test func checkpointListingOtherSigners() {
        let fixture = VerificationFixture(epoch: 1)
        let listed = [TestAccounts.address("A")]
        let expected = TestAccounts.sortedAddresses(["A", "B"])
        let error = fixture.rejection(of: fixture.block { $0.extraData = TestChain.extraData(signers: listed) })
        #expect(error == .mismatchingCheckpointSigners(number: 1, listed: listed, expected: expected))
        #expect(error?.description == "invalid checkpoint signers: block 1 lists [\(listed[0])], expected [\(expected[0]), \(expected[1])]")
    }

    @Test func checkpointListingTheSnapshotSignersVerifies() throws {
        let fixture = VerificationFixture(epoch: 1)
        let header = fixture.block()
        #expect(try Clique.checkpointSigners(of: header) == TestAccounts.sortedAddresses(["A", "B"]))
        #expect(fixture.rejection(of: header) == nil)
    }

    @Test func nonZeroMixHash() {
        let mixHash = Hash32(words: 0, 0, 0, 1)
        let error = fixture.rejection(of: fixture.block { $0.mixHash = mixHash })
        #expect(error == .invalidMixHash(number: 1, mixHash: mixHash))
        #expect(error?.description == "non-zero mix digest: block 1 has mix hash 0x0000000000000000000000000000000000000000000000000000000000000001, expected zero")
    }

    @Test func ommersHashOfANonEmptyList() {
        let error = fixture.rejection(of: fixture.block { $0.ommersHash = .zero })
        #expect(error == .invalidOmmersHash(number: 1, ommersHash: .zero))
        #expect(error?.description == "non empty uncle hash: block 1 has ommers hash 0x0000000000000000000000000000000000000000000000000000000000000000, expected 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
    }

    @Test func parentThatIsNotTheParent() {
        let error = fixture.rejection(of: fixture.block { $0.parentHash = .zero })
        #expect(error == .unknownAncestor(number: 1, parentHash: .zero))
        #expect(error?.description == "unknown ancestor: block 1 has parent hash 0x0000000000000000000000000000000000000000000000000000000000000000, which is not the given parent's")
    }

    @Test func timestampBeforeParentPlusPeriod() {
        let error = fixture.rejection(of: fixture.block { $0.timestamp = TestChain.genesisTime + 4 })
        #expect(error == .invalidTimestamp(number: 1, timestamp: 1_700_000_004, minimum: 1_700_000_005))
        #expect(error?.description == "invalid timestamp: block 1 has timestamp 1700000004, expected at least 1700000005 (parent timestamp + period)")
    }

    @Test func snapshotThatIsNotAtTheParent() throws {
        let header = fixture.block()
        let other = Snapshot(epoch: CliqueConfig.defaultEpoch, number: 7, hash: Hash32(words: 7, 7, 7, 7),
                             signers: fixture.snapshot.signers)
        #expect(throws: CliqueError.invalidVotingChain(expectedNumber: 8, expectedParent: Hash32(words: 7, 7, 7, 7),
                                                       number: 1, parentHash: fixture.genesis.hash)) {
            try fixture.engine.verifyHeader(header, parent: fixture.genesis, snapshot: other)
        }
    }

    @Test func sealThatRecoversNoKey() {
        var header = fixture.block()
        header.extraData = TestChain.extraData()
        let error = fixture.rejection(of: header)
        let cause = SignatureError.componentOutOfRange(component: "r", value: .zero)
        #expect(error == .invalidSeal(number: 1, cause))
        #expect(error?.description == "invalid seal: block 1: \(cause)")
    }

    @Test func unauthorizedSigner() {
        let outsider = TestAccounts.address("C")
        let error = fixture.rejection(of: fixture.block(sealedBy: "C"))
        #expect(error == .unauthorizedSigner(number: 1, signer: outsider))
        #expect(error?.description == "unauthorized signer: \(outsider) sealed block 1 but is not an authorized signer")
    }

    @Test func recentlySigned() throws {
        let first = fixture.block(sealedBy: "A")
        let afterFirst = try fixture.snapshot.applying([first], using: fixture.engine)
        var second = TestChain.header(number: 2, parentHash: first.hash, timestamp: 0, extraData: [])
        var generator = ConstantGenerator(value: 1)
        let signer = TestAccounts.address("A")
        fixture.engine.prepare(&second, parent: first, snapshot: afterFirst, signer: signer,
                               proposals: Proposals(), using: &generator)
        second = try fixture.engine.seal(second, with: TestAccounts.key("A"))
        let error = #expect(throws: CliqueError.self) {
            try fixture.engine.verifyHeader(second, parent: first, snapshot: afterFirst)
        }
        #expect(error == .recentlySigned(number: 2, signer: signer, previous: 1))
        #expect(error?.description == "recently signed: \(signer) sealed block 2 but already sealed block 1")
    }

    @Test func inTurnSignerWithOutOfTurnDifficulty() {
        let error = fixture.rejection(of: fixture.block(sealedBy: fixture.inTurnName) { $0.difficulty = 1 })
        #expect(error == .invalidDifficulty(number: 1, difficulty: 1, expected: 2))
        #expect(error?.description == "invalid difficulty: block 1 has difficulty 1, expected 2 (signer in turn)")
    }

    @Test func outOfTurnSignerWithInTurnDifficulty() {
        let error = fixture.rejection(of: fixture.block(sealedBy: fixture.outOfTurnName) { $0.difficulty = 2 })
        #expect(error == .invalidDifficulty(number: 1, difficulty: 2, expected: 1))
        #expect(error?.description == "invalid difficulty: block 1 has difficulty 2, expected 1 (signer out of turn)")
    }

    @Test func difficultyThatIsNeitherOneNorTwo() {
        let error = fixture.rejection(of: fixture.block(sealedBy: fixture.inTurnName) { $0.difficulty = 3 })
        #expect(error == .invalidDifficulty(number: 1, difficulty: 3, expected: 2))
    }
}
