import Chain
import ChainTypes
import Clique
import Primitives
import Storage
import Testing

// EIP-225's own test cases ("Test Cases"), with go-ethereum's later additions from
// consensus/clique/snapshot_test.go, in the spec's words. Accounts "A", "B", … are TestAccounts.
// Each scenario runs twice: block by block, as a node imports its peers' blocks
// (verifyHeader, then apply), and in batches through Clique.snapshot, as geth's InsertChain does.

/// One block of a scenario: who sealed it, what it voted for, and whether it is a checkpoint.
struct ScenarioBlock: Sendable {
    var signer: String
    var voted: String? = nil
    var authorize = false
    var checkpoint: [String]? = nil
    var newBatch = false

    /// A block sealed by `signer` with no vote.
    static func sign(_ signer: String, checkpoint: [String]? = nil, newBatch: Bool = false) -> ScenarioBlock {
        ScenarioBlock(signer: signer, checkpoint: checkpoint, newBatch: newBatch)
    }

    /// A block sealed by `signer` voting to authorize `candidate`.
    static func vote(_ signer: String, adds candidate: String) -> ScenarioBlock {
        ScenarioBlock(signer: signer, voted: candidate, authorize: true)
    }

    /// A block sealed by `signer` voting to deauthorize `candidate`.
    static func vote(_ signer: String, drops candidate: String) -> ScenarioBlock {
        ScenarioBlock(signer: signer, voted: candidate, authorize: false)
    }
}

/// The error a scenario must end with.
enum ScenarioFailure: Sendable {
    case unauthorizedSigner(String, block: UInt64)
    case recentlySigned(String, block: UInt64, previous: UInt64)

    var error: CliqueError {
        switch self {
        case .unauthorizedSigner(let name, let block):
            return .unauthorizedSigner(number: block, signer: TestAccounts.address(name))
        case .recentlySigned(let name, let block, let previous):
            return .recentlySigned(number: block, signer: TestAccounts.address(name), previous: previous)
        }
    }
}

/// One row of the table.
struct VotingScenario: Sendable, CustomTestStringConvertible {
    var name: String
    var epoch: UInt64 = CliqueConfig.defaultEpoch
    var signers: [String]
    var blocks: [ScenarioBlock]
    var results: [String] = []
    var failure: ScenarioFailure? = nil

    var testDescription: String { name }

    static let period: UInt64 = 1

    /// Seals the scenario's blocks on a genesis listing its signers. Difficulties follow the
    /// snapshot as the blocks go (2 in turn, 1 otherwise), so that valid blocks verify fully.
    func buildChain() throws -> (engine: Clique, genesis: Header, headers: [Header]) {
        let engine = Clique(config: CliqueConfig(period: Self.period, epoch: epoch))
        let genesis = TestChain.genesis(signers: signers)
        var running = try Snapshot(checkpoint: genesis, epoch: epoch)
        var parent = genesis
        var headers: [Header] = []
        for block in blocks {
            let number = parent.number + 1
            let signer = TestAccounts.address(block.signer)
            var header = TestChain.header(
                number: number, parentHash: parent.hash, timestamp: parent.timestamp + Self.period,
                coinbase: block.voted.map(TestAccounts.address) ?? .zero,
                nonce: block.authorize ? Clique.nonceAuthorize : Clique.nonceDrop,
                difficulty: running.difficulty(for: signer, at: number),
                extraData: TestChain.extraData(signers: (block.checkpoint ?? []).map(TestAccounts.address)))
            header = try engine.seal(header, with: TestAccounts.key(block.signer))
            // A block that breaks the rules leaves the running snapshot where it was; it is the
            // last block of its scenario.
            try? running.apply([header], using: engine)
            headers.append(header)
            parent = header
        }
        return (engine, genesis, headers)
    }

    /// Checks the outcome: the expected failure, or success with the expected signers.
    func check(_ outcome: Result<Snapshot, CliqueError>) {
        switch (outcome, failure) {
        case (.success(let snapshot), nil):
            #expect(snapshot.signers == TestAccounts.sortedAddresses(results))
        case (.failure(let error), let failure?):
            #expect(error == failure.error)
        case (.success, let failure?):
            Issue.record("expected \(failure.error), but the chain was accepted")
        case (.failure(let error), nil):
            Issue.record("unexpected failure: \(error)")
        }
    }
}

let votingScenarios: [VotingScenario] = [
    VotingScenario(name: "Single signer, no votes cast",
                   signers: ["A"], blocks: [.sign("A")], results: ["A"]),
    VotingScenario(name: "Single signer, voting to add two others (only accept first, second needs 2 votes)",
                   signers: ["A"],
                   blocks: [.vote("A", adds: "B"), .sign("B"), .vote("A", adds: "C")],
                   results: ["A", "B"]),
    VotingScenario(name: "Two signers, voting to add three others (only accept first two, third needs 3 votes already)",
                   signers: ["A", "B"],
                   blocks: [.vote("A", adds: "C"), .vote("B", adds: "C"), .vote("A", adds: "D"),
                            .vote("B", adds: "D"), .sign("C"), .vote("A", adds: "E"), .vote("B", adds: "E")],
                   results: ["A", "B", "C", "D"]),
    VotingScenario(name: "Single signer, dropping itself (weird, but one less cornercase by explicitly allowing this)",
                   signers: ["A"], blocks: [.vote("A", drops: "A")], results: []),
    VotingScenario(name: "Two signers, actually needing mutual consent to drop either of them (not fulfilled)",
                   signers: ["A", "B"], blocks: [.vote("A", drops: "B")], results: ["A", "B"]),
    VotingScenario(name: "Two signers, actually needing mutual consent to drop either of them (fulfilled)",
                   signers: ["A", "B"], blocks: [.vote("A", drops: "B"), .vote("B", drops: "B")],
                   results: ["A"]),
    VotingScenario(name: "Three signers, two of them deciding to drop the third",
                   signers: ["A", "B", "C"], blocks: [.vote("A", drops: "C"), .vote("B", drops: "C")],
                   results: ["A", "B"]),
    VotingScenario(name: "Four signers, consensus of two not being enough to drop anyone",
                   signers: ["A", "B", "C", "D"], blocks: [.vote("A", drops: "C"), .vote("B", drops: "C")],
                   results: ["A", "B", "C", "D"]),
    VotingScenario(name: "Four signers, consensus of three already being enough to drop someone",
                   signers: ["A", "B", "C", "D"],
                   blocks: [.vote("A", drops: "D"), .vote("B", drops: "D"), .vote("C", drops: "D")],
                   results: ["A", "B", "C"]),
    VotingScenario(name: "Authorizations are counted once per signer per target",
                   signers: ["A", "B"],
                   blocks: [.vote("A", adds: "C"), .sign("B"), .vote("A", adds: "C"), .sign("B"),
                            .vote("A", adds: "C")],
                   results: ["A", "B"]),
    VotingScenario(name: "Authorizing multiple accounts concurrently is permitted",
                   signers: ["A", "B"],
                   blocks: [.vote("A", adds: "C"), .sign("B"), .vote("A", adds: "D"), .sign("B"), .sign("A"),
                            .vote("B", adds: "D"), .sign("A"), .vote("B", adds: "C")],
                   results: ["A", "B", "C", "D"]),
    VotingScenario(name: "Deauthorizations are counted once per signer per target",
                   signers: ["A", "B"],
                   blocks: [.vote("A", drops: "B"), .sign("B"), .vote("A", drops: "B"), .sign("B"),
                            .vote("A", drops: "B")],
                   results: ["A", "B"]),
    VotingScenario(name: "Deauthorizing multiple accounts concurrently is permitted",
                   signers: ["A", "B", "C", "D"],
                   blocks: [.vote("A", drops: "C"), .sign("B"), .sign("C"), .vote("A", drops: "D"), .sign("B"),
                            .sign("C"), .sign("A"), .vote("B", drops: "D"), .vote("C", drops: "D"), .sign("A"),
                            .vote("B", drops: "C")],
                   results: ["A", "B"]),
    VotingScenario(name: "Votes from deauthorized signers are discarded immediately (deauth votes)",
                   signers: ["A", "B", "C"],
                   blocks: [.vote("C", drops: "B"), .vote("A", drops: "C"), .vote("B", drops: "C"),
                            .vote("A", drops: "B")],
                   results: ["A", "B"]),
    VotingScenario(name: "Votes from deauthorized signers are discarded immediately (auth votes)",
                   signers: ["A", "B", "C"],
                   blocks: [.vote("C", adds: "D"), .vote("A", drops: "C"), .vote("B", drops: "C"),
                            .vote("A", adds: "D")],
                   results: ["A", "B"]),
    VotingScenario(name: "Cascading changes are not allowed, only the account being voted on may change",
                   signers: ["A", "B", "C", "D"],
                   blocks: [.vote("A", drops: "C"), .sign("B"), .sign("C"), .vote("A", drops: "D"),
                            .vote("B", drops: "C"), .sign("C"), .sign("A"), .vote("B", drops: "D"),
                            .vote("C", drops: "D")],
                   results: ["A", "B", "C"]),
    VotingScenario(name: "Changes reaching consensus out of bounds (via a deauth) execute on touch",
                   signers: ["A", "B", "C", "D"],
                   blocks: [.vote("A", drops: "C"), .sign("B"), .sign("C"), .vote("A", drops: "D"),
                            .vote("B", drops: "C"), .sign("C"), .sign("A"), .vote("B", drops: "D"),
                            .vote("C", drops: "D"), .sign("A"), .vote("C", adds: "C")],
                   results: ["A", "B"]),
    VotingScenario(name: "Changes reaching consensus out of bounds (via a deauth) may go out of consensus on first touch",
                   signers: ["A", "B", "C", "D"],
                   blocks: [.vote("A", drops: "C"), .sign("B"), .sign("C"), .vote("A", drops: "D"),
                            .vote("B", drops: "C"), .sign("C"), .sign("A"), .vote("B", drops: "D"),
                            .vote("C", drops: "D"), .sign("A"), .vote("B", adds: "C")],
                   results: ["A", "B", "C"]),
    VotingScenario(name: "Ensure that pending votes don't survive authorization status changes",
                   signers: ["A", "B", "C", "D", "E"],
                   blocks: [.vote("A", adds: "F"), .vote("B", adds: "F"), .vote("C", adds: "F"),  // authorize F, 3 votes needed
                            .vote("D", drops: "F"), .vote("E", drops: "F"), .vote("B", drops: "F"),  // deauthorize F, 4 votes needed
                            .vote("C", drops: "F"),                                                   // (A's vote left "unchanged")
                            .vote("D", adds: "F"), .vote("E", adds: "F"),                            // almost authorize F, 2/3 votes
                            .vote("B", drops: "A"), .vote("C", drops: "A"), .vote("D", drops: "A"),  // deauthorize A, 3 votes needed
                            .vote("B", adds: "F")],                                                   // finish authorizing F, 3/3 votes
                   results: ["B", "C", "D", "E", "F"]),
    VotingScenario(name: "Epoch transitions reset all votes to allow chain checkpointing",
                   epoch: 3, signers: ["A", "B"],
                   blocks: [.vote("A", adds: "C"), .sign("B"), .sign("A", checkpoint: ["A", "B"]),
                            .vote("B", adds: "C")],
                   results: ["A", "B"]),
    VotingScenario(name: "An unauthorized signer should not be able to sign blocks",
                   signers: ["A"], blocks: [.sign("B")],
                   failure: .unauthorizedSigner("B", block: 1)),
    VotingScenario(name: "An authorized signer that signed recently should not be able to sign again",
                   signers: ["A", "B"], blocks: [.sign("A"), .sign("A")],
                   failure: .recentlySigned("A", block: 2, previous: 1)),
    VotingScenario(name: "Recent signatures should not reset on checkpoint blocks imported in a batch",
                   epoch: 3, signers: ["A", "B", "C"],
                   blocks: [.sign("A"), .sign("B"), .sign("A", checkpoint: ["A", "B", "C"]), .sign("A")],
                   failure: .recentlySigned("A", block: 4, previous: 3)),
    VotingScenario(name: "Recent signatures should not reset on checkpoint blocks imported in a new batch",
                   epoch: 3, signers: ["A", "B", "C"],
                   blocks: [.sign("A"), .sign("B"), .sign("A", checkpoint: ["A", "B", "C"]),
                            .sign("A", newBatch: true)],
                   failure: .recentlySigned("A", block: 4, previous: 3)),
]

@Suite("EIP-225 voting scenarios")
struct VotingScenarioTests {
    /// Block by block: each header is verified against the snapshot at its parent, then applied.
    @Test("block by block", arguments: votingScenarios)
    func importedBlockByBlock(_ scenario: VotingScenario) throws {
        let (engine, genesis, headers) = try scenario.buildChain()
        var snapshot = try Snapshot(checkpoint: genesis, epoch: scenario.epoch)
        var parent = genesis
        let outcome = Result { () throws(CliqueError) -> Snapshot in
            for header in headers {
                try engine.verifyHeader(header, parent: parent, snapshot: snapshot)
                try snapshot.apply([header], using: engine)
                parent = header
            }
            return snapshot
        }
        scenario.check(outcome)
    }

    /// In batches through `Clique.snapshot`: the chain store knows genesis and earlier batches; a
    /// new batch starts on a fresh engine sharing the store (a restarted node).
    @Test("in batches", arguments: votingScenarios)
    func importedInBatches(_ scenario: VotingScenario) throws {
        let (_, genesis, headers) = try scenario.buildChain()
        let store = MemoryStore()
        let config = CliqueConfig(period: VotingScenario.period, epoch: scenario.epoch)
        var batches: [[Header]] = [[]]
        for (header, block) in zip(headers, scenario.blocks) {
            if block.newBatch { batches.append([]) }
            batches[batches.count - 1].append(header)
        }
        var known: [Hash32: Header] = [genesis.hash: genesis]
        var outcome: Result<Snapshot, CliqueError> = .failure(.storage(.closed))
        for batch in batches {
            let engine = Clique(config: config, store: store)
            let last = batch[batch.count - 1]
            let lookup = known
            outcome = Result { () throws(CliqueError) -> Snapshot in
                try engine.snapshot(at: last.number, hash: last.hash, parents: batch) { hash, _ in lookup[hash] }
            }
            guard case .success = outcome else { break }
            for header in batch { known[header.hash] = header }
        }
        scenario.check(outcome)
    }
}
