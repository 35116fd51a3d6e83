import ArgumentParser
import EVM
import Foundation
import StateTestRunner

/// `goldengrain statetest FILE|DIR...`: runs ethereum/tests GeneralStateTests (`post.Cancun`),
/// one JSON line per case, then "N passed, M failed, K skipped". Exit status 1 if any failed.
struct StateTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statetest",
        abstract: "Run GeneralStateTests JSON files (post.Cancun); folders are searched recursively.")

    @Argument(help: "State-test JSON files or folders.")
    var paths: [String]

    @Flag(help: "Write EIP-3155 trace lines to standard error.")
    var trace = false

    @Flag(help: "Print only failing cases and the summary line.")
    var quiet = false

    func run() throws {
        let runner = StateTestRunner(precompiles: StateTestRunner.cancunPrecompiles())
        var passed = 0, failed = 0, skipped = 0
        for (path, displayPath) in Self.files(in: paths) {
            let cases: [StateTestCase]
            do { cases = try StateTestLoader.load(path: path, displayPath: displayPath) } catch {
                failed += 1
                let line = StateTestResult(name: displayPath, fork: "Cancun", index: 0, passed: false, skipReason: nil,
                                           stateRoot: .zero, logsHash: .zero, error: error.description).jsonLine
                print(line)
                continue
            }
            for testCase in cases {
                let tracer: (any Tracer)? = trace ? standardErrorTracer() : nil
                let result = runner.run(testCase, tracer: tracer)
                if result.skipReason != nil { skipped += 1 } else if result.passed { passed += 1 } else { failed += 1 }
                if !quiet || (!result.passed && result.skipReason == nil) { print(result.jsonLine) }
            }
        }
        print("\(passed) passed, \(failed) failed, \(skipped) skipped")
        if failed > 0 { throw ExitCode(1) }
    }

    /// The JSON files named by `paths`, folders searched recursively, each folder's files in
    /// sorted order, with the path to display (relative to the folder given).
    static func files(in paths: [String]) -> [(path: String, displayPath: String)] {
        var result: [(String, String)] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                result.append((path, path))
                continue
            }
            guard isDirectory.boolValue else {
                result.append((path, (path as NSString).lastPathComponent))
                continue
            }
            let base = path.hasSuffix("/") ? path : path + "/"
            var found: [String] = []
            if let enumerator = manager.enumerator(atPath: path) {
                for case let relative as String in enumerator where relative.hasSuffix(".json") {
                    found.append(relative)
                }
            }
            for relative in found.sorted() { result.append((base + relative, relative)) }
        }
        return result
    }
}
