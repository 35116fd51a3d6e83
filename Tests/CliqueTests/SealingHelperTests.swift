import Chain
import ChainTypes
import Clique
import Primitives
import Testing

@Suite("proposals")
struct ProposalTests {
    let snapshot = Snapshot(epoch: 30_000, number: 0, hash: .zero, signers: TestAccounts.sortedAddresses(["A", "B"]))

    @Test func onlyVotesThatWouldCountAreMeaningful() {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("C"), authorize: true)   // add a non-signer: counts
        proposals.propose(TestAccounts.address("B"), authorize: false)  // drop a signer: counts
        proposals.propose(TestAccounts.address("A"), authorize: true)   // add a signer: ignored
        proposals.propose(TestAccounts.address("D"), authorize: false)  // drop a non-signer: ignored
        let meaningful = proposals.meaningful(for: snapshot)
        let expected = [(TestAccounts.address("C"), true), (TestAccounts.address("B"), false)]
            .sorted { $0.0 < $1.0 }
        #expect(meaningful.map(\.address) == expected.map(\.0))
        #expect(meaningful.map(\.authorize) == expected.map(\.1))
    }

    @Test func discardWithdrawsAProposal() {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("C"), authorize: true)
        proposals.discard(TestAccounts.address("C"))
        var generator = ConstantGenerator(value: 1)
        #expect(proposals.entries.isEmpty)
        #expect(proposals.vote(for: snapshot, using: &generator) == nil)
    }

    @Test func laterProposalOnTheSameAddressReplacesTheEarlier() {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("B"), authorize: true)
        proposals.propose(TestAccounts.address("B"), authorize: false)
        #expect(proposals.entries == [TestAccounts.address("B"): false])
    }

    @Test func voteIsPickedAmongMeaningfulProposals() {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("C"), authorize: true)
        proposals.propose(TestAccounts.address("D"), authorize: true)
        proposals.propose(TestAccounts.address("A"), authorize: true)
        var generator = SeededGenerator(state: 42)
        var picked: Set<Address> = []
        for _ in 0 ..< 64 {
            let vote = proposals.vote(for: snapshot, using: &generator)
            #expect(vote?.authorize == true)
            if let vote { picked.insert(vote.address) }
        }
        #expect(picked == [TestAccounts.address("C"), TestAccounts.address("D")])
    }
}

@Suite("block production helpers")
struct BlockProductionTests {
    let engine = Clique(config: CliqueConfig(period: 5, epoch: 4))
    let genesis = TestChain.genesis(signers: ["A", "B"])
    var snapshot: Snapshot { try! Snapshot(checkpoint: genesis, epoch: 4) }

    func prepared(number: UInt64 = 1, signer: String, proposals: Proposals = Proposals(),
                  vanity: [UInt8] = [], timestamp: UInt64 = 0) -> Header {
        var header = TestChain.header(number: number, parentHash: genesis.hash, timestamp: timestamp,
                                      coinbase: TestAccounts.address("Z"), nonce: 5, difficulty: 9, extraData: vanity)
        var generator = ConstantGenerator(value: 1)
        engine.prepare(&header, parent: genesis, snapshot: snapshot, signer: TestAccounts.address(signer),
                       proposals: proposals, using: &generator)
        return header
    }

    @Test func prepareCastsAMeaningfulProposal() {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("C"), authorize: true)
        let header = prepared(signer: "A", proposals: proposals)
        #expect(header.coinbase == TestAccounts.address("C"))
        #expect(header.nonce == 0xffff_ffff_ffff_ffff)
    }

    @Test func prepareWithoutProposalsCastsNoVote() {
        let header = prepared(signer: "A")
        #expect(header.coinbase == .zero)
        #expect(header.nonce == 0)
        #expect(header.mixHash == .zero)
        #expect(header.ommersHash == Header.emptyOmmersHash)
    }

    @Test func prepareSetsDifficultyByTurn() {
        let inTurn = snapshot.signers[1]  // block 1: index 1 % 2
        let name = inTurn == TestAccounts.address("A") ? "A" : "B"
        let other = name == "A" ? "B" : "A"
        #expect(prepared(signer: name).difficulty == 2)
        #expect(prepared(signer: other).difficulty == 1)
    }

    @Test func prepareKeepsVanityAndLeavesRoomForTheSeal() {
        let header = prepared(signer: "A", vanity: [1, 2, 3])
        #expect(header.extraData == [1, 2, 3] + [UInt8](repeating: 0, count: 29 + 65))
        let long = prepared(signer: "A", vanity: [UInt8](repeating: 7, count: 40))
        #expect(long.extraData == [UInt8](repeating: 7, count: 32) + [UInt8](repeating: 0, count: 65))
    }

    @Test func prepareListsSignersAndCastsNoVoteOnCheckpoints() {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("C"), authorize: true)
        let header = prepared(number: 4, signer: "A", proposals: proposals)
        #expect(header.coinbase == .zero)
        #expect(header.nonce == 0)
        #expect(header.extraData == [UInt8](repeating: 0, count: 32) + snapshot.signers.flatMap(\.bytes)
                + [UInt8](repeating: 0, count: 65))
    }

    @Test func prepareRaisesTimestampToParentPlusPeriod() {
        #expect(prepared(signer: "A", timestamp: 3).timestamp == TestChain.genesisTime + 5)
        #expect(prepared(signer: "A", timestamp: TestChain.genesisTime + 60).timestamp == TestChain.genesisTime + 60)
    }

    func names() -> (inTurn: String, outOfTurn: String) {
        snapshot.isInTurn(TestAccounts.address("A"), at: 1) ? ("A", "B") : ("B", "A")
    }

    @Test func inTurnSignerWaitsExactlyUntilTheHeaderTime() {
        let header = prepared(signer: names().inTurn)
        let now = Duration.seconds(Int64(TestChain.genesisTime)) + .milliseconds(1_500)
        var generator = ConstantGenerator(value: .max)
        #expect(engine.delay(for: header, signer: TestAccounts.address(names().inTurn), snapshot: snapshot,
                             now: now, using: &generator) == .milliseconds(3_500))
    }

    @Test func headerTimeInThePastMeansNoWaitInTurn() {
        let header = prepared(signer: names().inTurn)
        let now = Duration.seconds(Int64(TestChain.genesisTime + 100))
        var generator = ConstantGenerator(value: .max)
        #expect(engine.delay(for: header, signer: TestAccounts.address(names().inTurn), snapshot: snapshot,
                             now: now, using: &generator) == .zero)
    }

    @Test func outOfTurnWiggleSpansZeroToJustBelowTheBound() {
        let header = prepared(signer: names().outOfTurn)
        let signer = TestAccounts.address(names().outOfTurn)
        let now = Duration.seconds(Int64(TestChain.genesisTime + 5))
        #expect(Clique.maximumWiggle(signerCount: 2) == .milliseconds(1_000))
        var lowest = ConstantGenerator(value: 1)
        #expect(engine.delay(for: header, signer: signer, snapshot: snapshot, now: now, using: &lowest) == .zero)
        var highest = ConstantGenerator(value: .max)
        #expect(engine.delay(for: header, signer: signer, snapshot: snapshot, now: now, using: &highest)
                == .milliseconds(1_000) - .nanoseconds(1))
    }

    @Test(arguments: [1, 2, 3, 5, 8])
    func outOfTurnDelayStaysWithinTheWiggleBound(signerCount: Int) {
        let names = ["A", "B", "C", "D", "E", "F", "G", "H"].prefix(signerCount)
        let snapshot = Snapshot(epoch: 30_000, number: 0, hash: .zero, signers: TestAccounts.sortedAddresses(Array(names)))
        let header = TestChain.header(number: 1, parentHash: .zero, timestamp: 100, extraData: [])
        let now = Duration.seconds(100)
        let bound = Clique.maximumWiggle(signerCount: signerCount)
        #expect(bound == .milliseconds(500 * (signerCount / 2 + 1)))
        var generator = SeededGenerator(state: UInt64(signerCount))
        for signer in snapshot.signers {
            for _ in 0 ..< 50 {
                let delay = engine.delay(for: header, signer: signer, snapshot: snapshot, now: now, using: &generator)
                if snapshot.isInTurn(signer, at: 1) {
                    #expect(delay == .zero)
                } else {
                    #expect(delay >= .zero && delay < bound)
                }
            }
        }
    }

    @Test func preparedAndSealedBlockWithVoteVerifiesAndCountsTheVote() throws {
        var proposals = Proposals()
        proposals.propose(TestAccounts.address("C"), authorize: true)
        let header = try engine.seal(prepared(signer: "A", proposals: proposals), with: TestAccounts.key("A"))
        try engine.verifyHeader(header, parent: genesis, snapshot: snapshot)
        let after = try snapshot.applying([header], using: engine)
        #expect(after.tally == [TestAccounts.address("C"): Tally(authorize: true, votes: 1)])
    }
}
