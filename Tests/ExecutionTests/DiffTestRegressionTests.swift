import Foundation
import StateTestRunner
import Testing
import TestSupport

// The differential fuzzer's regression cases (Tests/Vectors/difftest, written by
// Tests/difftest/regression.py): state tests whose expected root comes from the reference engine or,
// where revm is the one that is wrong, from a hand computation argued from the spec in the file's
// `_info.comment`. Every case of every file must pass.

private let folder = TestFiles.packageRoot.appendingPathComponent("Tests/Vectors/difftest")

private let files: [URL] = (try? TestFiles.jsonFiles(in: folder)) ?? []

@Test func diffTestRegressionFolderHasCases() throws {
    #expect(try TestFiles.jsonFiles(in: folder).count == files.count)
}

@Test(arguments: files)
func diffTestRegressionCasePasses(file: URL) throws {
    let runner = StateTestRunner(precompiles: StateTestRunner.cancunPrecompiles())
    let cases = try StateTestLoader.load(path: file.path, displayPath: file.lastPathComponent)
    #expect(!cases.isEmpty, "\(file.lastPathComponent) has no Cancun case")
    for testCase in cases {
        let result = runner.run(testCase)
        #expect(result.passed, "\(result.name): \(result.error ?? "failed")")
    }
}
