import Foundation
import Primitives
import Testing
import TestSupport

/// One case of ethereum/tests RLPTests, read in place from ../shared/fixtures/ethereum-tests/RLPTests.
///
/// Format (from the files): `{ name: { "in": value, "out": "0x…" } }`. `in` is a string (its UTF-8
/// bytes), a number, a "#"-prefixed decimal big integer, a nested list, "INVALID" (decoding `out`
/// must fail) or "VALID" (decoding must succeed and re-encode to `out`).
struct RLPFixtureCase: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        case item(RLPItem)
        case valid
        case invalid
        /// The file or case could not be read; the test fails with this message.
        case loadFailure(String)
    }

    let file: String
    let name: String
    let expectation: Expectation
    let outputHex: String

    var testDescription: String { "\(file): \(name)" }
}

enum RLPFixtureLoader {
    static let suiteDirectory = TestFiles.fixture("ethereum-tests/RLPTests")

    static let files = ["rlptest.json", "invalidRLPTest.json", "RandomRLPTests/example.json"]

    static func loadAll() -> [RLPFixtureCase] {
        files.flatMap { load(file: $0) }
    }

    static func load(file: String) -> [RLPFixtureCase] {
        let json: [String: Any]
        do { json = try TestFiles.jsonObject(at: suiteDirectory.appendingPathComponent(file)) } catch {
            return [RLPFixtureCase(file: file, name: "<load>", expectation: .loadFailure(error.description), outputHex: "")]
        }
        return json.keys.sorted().map { name in
            guard let body = json[name] as? [String: Any], let input = body["in"], let output = body["out"] as? String else {
                return RLPFixtureCase(file: file, name: name, expectation: .loadFailure("case has no in/out"), outputHex: "")
            }
            return RLPFixtureCase(file: file, name: name, expectation: expectation(for: input), outputHex: output)
        }
    }

    static func expectation(for input: Any) -> RLPFixtureCase.Expectation {
        if let text = input as? String {
            if text == "INVALID" { return .invalid }
            if text == "VALID" { return .valid }
        }
        do { return .item(try item(from: input)) } catch { return .loadFailure("\(error)") }
    }

    struct UnreadableInput: Error, CustomStringConvertible {
        let description: String
    }

    static func item(from value: Any) throws -> RLPItem {
        if let text = value as? String {
            if text.hasPrefix("#") {
                guard let bytes = RLPTestSupport.bigEndianBytes(decimal: text.dropFirst()) else {
                    throw UnreadableInput(description: "bad big integer \(text)")
                }
                return .bytes(bytes)
            }
            return .bytes(Array(text.utf8))
        }
        if let list = value as? [Any] {
            return .list(try list.map(item(from:)))
        }
        if let number = value as? NSNumber {
            return RLPItem(uint: number.uint64Value)
        }
        throw UnreadableInput(description: "unsupported input \(value)")
    }
}

@Suite struct RLPFixtureTests {
    @Test("ethereum/tests RLPTests", arguments: RLPFixtureLoader.loadAll())
    func officialVector(_ fixture: RLPFixtureCase) throws {
        let encoded: [UInt8]
        do {
            encoded = try Hex.decode(fixture.outputHex)
        } catch {
            Issue.record("\(fixture.testDescription): `out` is not hex: \(error)")
            return
        }
        switch fixture.expectation {
        case .loadFailure(let message):
            Issue.record("\(fixture.testDescription): \(message)")
        case .item(let item):
            #expect(RLP.encode(item) == encoded, "encoding of \(fixture.name)")
            #expect(item.encodedLength == encoded.count)
            #expect(try RLP.decode(encoded) == item, "decoding of \(fixture.name)")
        case .valid:
            let item = try RLP.decode(encoded)
            #expect(RLP.encode(item) == encoded)
        case .invalid:
            #expect(throws: RLPError.self, "\(fixture.name) must be rejected") { try RLP.decode(encoded) }
        }
    }

    @Test func loaderReportsMissingFile() {
        let cases = RLPFixtureLoader.load(file: "no-such-file.json")
        #expect(cases.count == 1)
        if case .loadFailure(let message) = cases.first?.expectation {
            #expect(message.contains("no-such-file.json"))
        } else {
            Issue.record("expected a load failure case")
        }
    }

    /// 28 + 26 + 1 cases in the pinned ethereum/tests checkout (counted with `python3 -c 'len(json.load(…))'`).
    @Test func everyFixtureCaseIsLoaded() {
        #expect(RLPFixtureLoader.loadAll().count == 55)
    }
}
