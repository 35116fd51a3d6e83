import Foundation
import Primitives
import Storage
import Testing
import TestSupport
import Trie

/// One case of ethereum/tests TrieTests, read in place from ../shared/fixtures/ethereum-tests/TrieTests.
///
/// Formats (from the files):
/// - trietest*.json: `in` is an array of [key, value] pairs applied in order; a null value deletes.
/// - trieanyorder*.json, hex_encoded_securetrie_test.json: `in` is an object key → value (any order).
/// - Keys and values starting with "0x" are hex, other strings are their UTF-8 bytes
///   (hex_encoded_securetrie_test.json sets `hexEncoded: true`; its strings are all "0x" hex).
/// - `root` is the expected root hash. Files whose name has "secureTrie" or "securetrie" hash keys.
/// - trietestnextprev.json: `in` is a key list; each `tests` row is [key, previous key, next key].
struct TrieFixtureCase: Sendable, CustomTestStringConvertible {
    enum Body: Sendable {
        case updates([(key: [UInt8], value: [UInt8]?)], isSecure: Bool, root: Hash32)
        case nextPrevious(keys: [[UInt8]], rows: [(key: [UInt8], previous: [UInt8], next: [UInt8])])
        /// The file or case could not be read; the test fails with this message.
        case loadFailure(String)
    }

    let file: String
    let name: String
    let body: Body

    var testDescription: String { "\(file): \(name)" }
}

enum TrieFixtureLoader {
    static let suiteDirectory = TestFiles.fixture("ethereum-tests/TrieTests")

    static let updateFiles = [
        "trietest.json", "trieanyorder.json", "trietest_secureTrie.json",
        "trieanyorder_secureTrie.json", "hex_encoded_securetrie_test.json",
    ]

    static func loadUpdates() -> [TrieFixtureCase] { updateFiles.flatMap { load(file: $0) } }

    static func loadNextPrevious() -> [TrieFixtureCase] { load(file: "trietestnextprev.json") }

    struct Unreadable: Error, CustomStringConvertible { let description: String }

    static func load(file: String) -> [TrieFixtureCase] {
        let json: [String: Any]
        do { json = try TestFiles.jsonObject(at: suiteDirectory.appendingPathComponent(file)) } catch {
            return [TrieFixtureCase(file: file, name: "<load>", body: .loadFailure(error.description))]
        }
        let isSecure = file.lowercased().contains("securetrie")
        return json.keys.sorted().map { name in
            do {
                guard let test = json[name] as? [String: Any] else { throw Unreadable(description: "case is not an object") }
                return TrieFixtureCase(file: file, name: name, body: try body(of: test, isSecure: isSecure))
            } catch {
                return TrieFixtureCase(file: file, name: name, body: .loadFailure("\(error)"))
            }
        }
    }

    static func body(of test: [String: Any], isSecure: Bool) throws -> TrieFixtureCase.Body {
        if let rows = test["tests"] as? [[Any]] {
            guard let keys = test["in"] as? [Any] else { throw Unreadable(description: "`in` is not a key list") }
            return .nextPrevious(keys: try keys.map(bytes(of:)), rows: try rows.map { row in
                guard row.count == 3 else { throw Unreadable(description: "row \(row) is not [key, previous, next]") }
                return (try bytes(of: row[0]), try bytes(of: row[1]), try bytes(of: row[2]))
            })
        }
        guard let rootText = test["root"] as? String, let root = try? Hash32(hex: rootText) else {
            throw Unreadable(description: "no 32-byte `root`")
        }
        var updates: [(key: [UInt8], value: [UInt8]?)] = []
        if let pairs = test["in"] as? [[Any]] {
            for pair in pairs {
                guard pair.count == 2 else { throw Unreadable(description: "pair \(pair) has \(pair.count) items") }
                updates.append((try bytes(of: pair[0]), pair[1] is NSNull ? nil : try bytes(of: pair[1])))
            }
        } else if let map = test["in"] as? [String: Any] {
            for key in map.keys.sorted() {
                updates.append((try bytes(of: key), map[key] is NSNull ? nil : try bytes(of: map[key]!)))
            }
        } else {
            throw Unreadable(description: "`in` is neither pairs nor an object")
        }
        return .updates(updates, isSecure: isSecure, root: root)
    }

    /// "0x…" is hex; any other string is its UTF-8 bytes.
    static func bytes(of value: Any) throws -> [UInt8] {
        guard let text = value as? String else { throw Unreadable(description: "\(value) is not a string") }
        if text.hasPrefix("0x") { return try Hex.decode(text) }
        return Array(text.utf8)
    }
}

@Suite struct TrieFixtureTests {
    @Test("ethereum/tests TrieTests", arguments: TrieFixtureLoader.loadUpdates())
    func officialRoot(_ fixture: TrieFixtureCase) throws {
        guard case .updates(let updates, let isSecure, let expectedRoot) = fixture.body else {
            if case .loadFailure(let message) = fixture.body { Issue.record("\(fixture.testDescription): \(message)") }
            return
        }
        let store = InMemoryStore()
        let trie = MerklePatriciaTrie(store: store)
        var final: [[UInt8]: [UInt8]] = [:]
        for (key, value) in updates {
            let trieKey = isSecure ? Keccak256.hash(key).bytes : key
            try trie.insert(value ?? [], forKey: trieKey)
            final[trieKey] = (value?.isEmpty ?? true) ? nil : value
        }
        #expect(trie.rootHash() == expectedRoot)

        // The committed trie, reopened from the store, has the same root and contents.
        let root = try TrieTestSupport.commit(trie, to: store)
        #expect(root == expectedRoot)
        let reopened = MerklePatriciaTrie(store: store, root: root)
        for (key, value) in final {
            #expect(try reopened.get(key) == value, "key \(Hex.encode(key))")
        }
        #expect(try TrieTestSupport.contents(of: reopened).count == final.count)
    }

    /// trieanyorder: the root must not depend on the order the pairs are inserted in.
    @Test("ethereum/tests TrieTests in reverse order", arguments: TrieFixtureLoader.load(file: "trieanyorder.json"))
    func officialRootReversed(_ fixture: TrieFixtureCase) throws {
        guard case .updates(let updates, _, let expectedRoot) = fixture.body else {
            if case .loadFailure(let message) = fixture.body { Issue.record("\(fixture.testDescription): \(message)") }
            return
        }
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        for (key, value) in updates.reversed() { try trie.insert(value ?? [], forKey: key) }
        #expect(trie.rootHash() == expectedRoot)
    }

    /// trietestnextprev: previous and next keys, found by ordered iteration.
    @Test("ethereum/tests TrieTests next/previous", arguments: TrieFixtureLoader.loadNextPrevious())
    func officialNextPrevious(_ fixture: TrieFixtureCase) throws {
        guard case .nextPrevious(let keys, let rows) = fixture.body else {
            if case .loadFailure(let message) = fixture.body { Issue.record("\(fixture.testDescription): \(message)") }
            return
        }
        let trie = MerklePatriciaTrie(store: InMemoryStore())
        for key in keys { try trie.insert(key, forKey: key) }
        let ordered = try TrieTestSupport.contents(of: trie).map(\.0)
        #expect(ordered == keys.sorted { $0.lexicographicallyPrecedes($1) })
        for (key, previous, next) in rows {
            let before = ordered.last { $0.lexicographicallyPrecedes(key) } ?? []
            let after = ordered.first { key.lexicographicallyPrecedes($0) } ?? []
            #expect(before == previous, "previous of \(String(decoding: key, as: UTF8.self))")
            #expect(after == next, "next of \(String(decoding: key, as: UTF8.self))")
        }
    }

    @Test func loaderReportsMissingFile() {
        let cases = TrieFixtureLoader.load(file: "no-such-file.json")
        #expect(cases.count == 1)
        if case .loadFailure(let message) = cases.first?.body {
            #expect(message.contains("no-such-file.json"))
        } else {
            Issue.record("expected a load failure case")
        }
    }

    /// 5 + 7 + 3 + 7 + 3 cases in the pinned ethereum/tests checkout, plus 1 next/previous case.
    @Test func everyFixtureCaseIsLoaded() {
        let updates = TrieFixtureLoader.loadUpdates()
        #expect(updates.count == 25)
        #expect(TrieFixtureLoader.loadNextPrevious().count == 1)
        for fixture in updates {
            if case .loadFailure(let message) = fixture.body { Issue.record("\(fixture.testDescription): \(message)") }
        }
    }
}
