import EVM
import Foundation
import Primitives
import StateTestRunner
import Testing
import TestSupport

/// The official GeneralStateTests, read in place from ../shared/fixtures.
private let generalStateTests = TestFiles.fixture("ethereum-tests/GeneralStateTests").path

private let runner = StateTestRunner(precompiles: StateTestRunner.cancunPrecompiles())

@Test func add11PassesWithExpectedRoot() throws {
    let cases = try StateTestLoader.load(path: generalStateTests + "/stExample/add11.json", displayPath: "stExample/add11.json")
    #expect(cases.count == 1)
    let result = runner.run(cases[0])
    #expect(result.passed, "\(result.error ?? "")")
    #expect(result.stateRoot == (try Hash32(hex: "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530")))
    #expect(result.name == "stExample/add11.json:add11")
}

@Test func alteredExpectedRootIsReportedFailed() throws {
    let original = try String(contentsOfFile: generalStateTests + "/stExample/add11.json", encoding: .utf8)
    let altered = original.replacingOccurrences(
        of: "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530",
        with: "0x00000000000000000000000000000000000000000000000000000000deadbeef")
    #expect(altered != original)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("goldengrain-altered-\(getpid()).json").path
    try altered.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let cases = try StateTestLoader.load(path: path, displayPath: "altered.json")
    let result = runner.run(cases[0])
    #expect(!result.passed)
    #expect(result.error == "state root 0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530, expected 0x00000000000000000000000000000000000000000000000000000000deadbeef")
    #expect(result.jsonLine.contains("\"pass\":false"))
}

@Test func rejectedTransactionCasePassesOnPreStateRoot() throws {
    let cases = try StateTestLoader.load(path: generalStateTests + "/stTransactionTest/HighGasPriceParis.json",
                                         displayPath: "HighGasPriceParis.json")
    let result = runner.run(cases[0])
    #expect(result.passed, "\(result.error ?? "")")
    #expect(result.stateRoot == (try Hash32(hex: "0xecd1cea72bd1224b1d7a28a577170c00dd480b26b5b0f353e3d4ad2bb542cc09")))
}

@Test func blobCasesAreSkipped() throws {
    let folder = generalStateTests + "/Cancun/stEIP4844-blobtransactions"
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    var skipped = 0
    for file in files {
        for testCase in try StateTestLoader.load(path: folder + "/" + file, displayPath: "Cancun/stEIP4844-blobtransactions/" + file) {
            let result = runner.run(testCase)
            #expect(!result.passed && result.skipReason != nil)
            skipped += 1
        }
    }
    #expect(skipped == 8)
}
