import Chain
import ChainTypes
import Clique
import Primitives
import Storage
import Testing

@Suite("Snapshot")
struct SnapshotTests {
    let signers = TestAccounts.sortedAddresses(["A", "B", "C"])

    @Test func checkpointSnapshotListsSortedSignersAndNothingPending() throws {
        let genesis = TestChain.genesis(signers: ["C", "A", "B"])
        let snapshot = try Snapshot(checkpoint: genesis, epoch: 0)
        #expect(snapshot.signers == signers)
        #expect(snapshot.number == 0)
        #expect(snapshot.hash == genesis.hash)
        #expect(snapshot.epoch == 30_000)
        #expect(snapshot.recents.isEmpty && snapshot.votes.isEmpty && snapshot.tally.isEmpty)
        #expect(snapshot.signerLimit == 2)
    }

    @Test(arguments: [(UInt64(0), 0), (1, 1), (2, 2), (3, 0), (4, 1), (302, 2)])
    func inTurnSignerIsAtIndexNumberModuloCount(number: UInt64, index: Int) {
        let snapshot = Snapshot(epoch: 30_000, number: 0, hash: .zero, signers: signers)
        for (position, signer) in signers.enumerated() {
            #expect(snapshot.isInTurn(signer, at: number) == (position == index))
            #expect(snapshot.difficulty(for: signer, at: number) == (position == index ? 2 : 1))
        }
    }

    @Test func nonSignerIsNeverInTurn() {
        let snapshot = Snapshot(epoch: 30_000, number: 0, hash: .zero, signers: signers)
        let outsider = TestAccounts.address("D")
        #expect(!snapshot.isInTurn(outsider, at: 0))
        #expect(snapshot.difficulty(for: outsider, at: 0) == 1)
    }

    @Test func signerMaySignOneOfAnyFloorHalfPlusOneConsecutiveBlocks() throws {
        let engine = Clique(config: CliqueConfig(period: 1))
        let genesis = TestChain.genesis(signers: ["A", "B", "C"])
        var snapshot = try Snapshot(checkpoint: genesis, epoch: 30_000)
        let first = try engine.seal(TestChain.header(number: 1, parentHash: genesis.hash, timestamp: genesis.timestamp + 1,
                                                     difficulty: snapshot.difficulty(for: TestAccounts.address("A"), at: 1),
                                                     extraData: TestChain.extraData()),
                                    with: TestAccounts.key("A"))
        try snapshot.apply([first], using: engine)
        #expect(snapshot.recents == [1: TestAccounts.address("A")])
        #expect(!snapshot.canSeal(TestAccounts.address("A"), at: 2))
        #expect(snapshot.recentBlock(signedBy: TestAccounts.address("A"), before: 2) == 1)
        #expect(snapshot.canSeal(TestAccounts.address("A"), at: 3))
        #expect(snapshot.canSeal(TestAccounts.address("B"), at: 2))
        #expect(!snapshot.canSeal(TestAccounts.address("D"), at: 2))
    }

    @Test func applyLeavesTheSnapshotUnchangedOnError() throws {
        let engine = Clique(config: CliqueConfig(period: 1))
        let genesis = TestChain.genesis(signers: ["A", "B"])
        var snapshot = try Snapshot(checkpoint: genesis, epoch: 30_000)
        let before = snapshot
        let first = try engine.seal(TestChain.header(number: 1, parentHash: genesis.hash, timestamp: 1,
                                                     extraData: TestChain.extraData()),
                                    with: TestAccounts.key("A"))
        let second = try engine.seal(TestChain.header(number: 2, parentHash: first.hash, timestamp: 2,
                                                      extraData: TestChain.extraData()),
                                     with: TestAccounts.key("A"))
        #expect(throws: CliqueError.recentlySigned(number: 2, signer: TestAccounts.address("A"), previous: 1)) {
            try snapshot.apply([first, second], using: engine)
        }
        #expect(snapshot == before)
    }

    @Test func applyRejectsAHeaderThatDoesNotFollow() throws {
        let engine = Clique(config: CliqueConfig(period: 1))
        let genesis = TestChain.genesis(signers: ["A"])
        let snapshot = try Snapshot(checkpoint: genesis, epoch: 30_000)
        let stray = try engine.seal(TestChain.header(number: 2, parentHash: genesis.hash, timestamp: 1,
                                                     extraData: TestChain.extraData()),
                                    with: TestAccounts.key("A"))
        #expect(throws: CliqueError.invalidVotingChain(expectedNumber: 1, expectedParent: genesis.hash,
                                                       number: 2, parentHash: genesis.hash)) {
            try snapshot.applying([stray], using: engine)
        }
    }

    @Test func applyRejectsANonceThatIsNotAVote() throws {
        let engine = Clique(config: CliqueConfig(period: 1))
        let genesis = TestChain.genesis(signers: ["A"])
        let snapshot = try Snapshot(checkpoint: genesis, epoch: 30_000)
        let header = try engine.seal(TestChain.header(number: 1, parentHash: genesis.hash, timestamp: 1, nonce: 7,
                                                      extraData: TestChain.extraData()),
                                     with: TestAccounts.key("A"))
        #expect(throws: CliqueError.invalidVoteNonce(number: 1, nonce: 7)) {
            try snapshot.applying([header], using: engine)
        }
    }

    /// Two of three signers vote: the snapshot after them holds votes, tallies and recents.
    func snapshotWithPendingVotes() throws -> Snapshot {
        let scenario = VotingScenario(name: "pending", signers: ["A", "B", "C", "D"],
                                      blocks: [.vote("A", adds: "E"), .vote("B", drops: "C")])
        let (engine, genesis, headers) = try scenario.buildChain()
        return try Snapshot(checkpoint: genesis, epoch: scenario.epoch).applying(headers, using: engine)
    }

    @Test func votesAndTalliesArePending() throws {
        let snapshot = try snapshotWithPendingVotes()
        #expect(snapshot.votes == [
            Vote(signer: TestAccounts.address("A"), block: 1, address: TestAccounts.address("E"), authorize: true),
            Vote(signer: TestAccounts.address("B"), block: 2, address: TestAccounts.address("C"), authorize: false),
        ])
        #expect(snapshot.tally == [TestAccounts.address("E"): Tally(authorize: true, votes: 1),
                                   TestAccounts.address("C"): Tally(authorize: false, votes: 1)])
        #expect(snapshot.recents == [1: TestAccounts.address("A"), 2: TestAccounts.address("B")])
    }

    @Test func storedSnapshotLoadsEqual() throws {
        let snapshot = try snapshotWithPendingVotes()
        let store = MemoryStore()
        try snapshot.store(in: store)
        #expect(try store.get(Array("clique-snapshot".utf8) + snapshot.hash.bytes) == snapshot.rlpBytes)
        #expect(try Snapshot.load(hash: snapshot.hash, from: store) == snapshot)
        #expect(try Snapshot(rlpBytes: snapshot.rlpBytes) == snapshot)
        #expect(try Snapshot.load(hash: .zero, from: store) == nil)
    }

    @Test func corruptStoredSnapshotIsReported() throws {
        let store = MemoryStore()
        let hash = Hash32(words: 9, 9, 9, 9)
        try store.put([0xc1, 0x80], forKey: Snapshot.storageKey(for: hash))
        let error = #expect(throws: CliqueError.self) { try Snapshot.load(hash: hash, from: store) }
        guard case .corruptSnapshot(let reportedHash, _) = error else {
            Issue.record("expected corruptSnapshot, got \(String(describing: error))")
            return
        }
        #expect(reportedHash == hash)
    }

    @Test func snapshotStoredUnderAnotherHashIsReported() throws {
        let snapshot = try snapshotWithPendingVotes()
        let store = MemoryStore()
        let other = Hash32(words: 1, 1, 1, 1)
        try store.put(snapshot.rlpBytes, forKey: Snapshot.storageKey(for: other))
        #expect(throws: CliqueError.corruptSnapshot(hash: other, reason: "it describes block \(snapshot.hash)")) {
            try Snapshot.load(hash: other, from: store)
        }
    }
}

@Suite("Clique.snapshot")
struct SnapshotRetrievalTests {
    /// A single-signer chain of `count` blocks on top of genesis.
    static func chain(count: Int) throws -> (genesis: Header, headers: [Header]) {
        let engine = Clique(config: CliqueConfig(period: 1))
        let genesis = TestChain.genesis(signers: ["A"])
        var headers: [Header] = []
        var parent = genesis
        for _ in 0 ..< count {
            let header = try engine.seal(TestChain.header(number: parent.number + 1, parentHash: parent.hash,
                                                          timestamp: parent.timestamp + 1, difficulty: 2,
                                                          extraData: TestChain.extraData()),
                                         with: TestAccounts.key("A"))
            headers.append(header)
            parent = header
        }
        return (genesis, headers)
    }

    @Test func snapshotsArePersistedAtGenesisAndEvery1024BlocksAndResumeFromThere() throws {
        let (genesis, headers) = try Self.chain(count: 1025)
        var byHash: [Hash32: Header] = [genesis.hash: genesis]
        for header in headers { byHash[header.hash] = header }
        let index = byHash
        let store = MemoryStore()
        let engine = Clique(config: CliqueConfig(period: 1), store: store)
        let head = headers[1023]
        let snapshot = try engine.snapshot(at: 1024, hash: head.hash) { hash, _ in index[hash] }
        #expect(snapshot.number == 1024)
        #expect(snapshot.signers == [TestAccounts.address("A")])
        #expect(snapshot.recents == [1024: TestAccounts.address("A")])
        #expect(try Snapshot.load(hash: genesis.hash, from: store)?.number == 0)
        #expect(try Snapshot.load(hash: head.hash, from: store) == snapshot)
        #expect(try Snapshot.load(hash: headers[1022].hash, from: store) == nil)
        #expect(store.count == 2)

        // A restarted node (fresh engine, same store) needs only the blocks after block 1024.
        let restarted = Clique(config: CliqueConfig(period: 1), store: store)
        let last = headers[1024]
        let resumed = try restarted.snapshot(at: 1025, hash: last.hash, parents: [last]) { _, _ in nil }
        #expect(resumed.number == 1025)
        #expect(resumed.hash == last.hash)
        #expect(resumed.recents == [1025: TestAccounts.address("A")])
    }

    @Test func missingAncestorIsReported() throws {
        let (_, headers) = try Self.chain(count: 3)
        let engine = Clique(config: CliqueConfig(period: 1))
        #expect(throws: CliqueError.unknownAncestor(number: 3, parentHash: headers[1].hash)) {
            try engine.snapshot(at: 3, hash: headers[2].hash, parents: [headers[2]]) { _, _ in nil }
        }
    }

    @Test func rememberedSnapshotIsServedWithoutHeaders() throws {
        let (genesis, headers) = try Self.chain(count: 2)
        let engine = Clique(config: CliqueConfig(period: 1))
        let snapshot = try Snapshot(checkpoint: genesis, epoch: 30_000).applying(headers, using: engine)
        try engine.remember(snapshot)
        #expect(try engine.snapshot(at: 2, hash: headers[1].hash) { _, _ in nil } == snapshot)
    }
}
