import ArgumentParser
import EVM
import Foundation
import StateTestRunner

/// `goldengrain statetest FILE|DIR...`: runs ethereum/tests GeneralStateTests (`post.Cancun`),
/// one JSON line per case, then "N passed, M failed, K skipped". Exit status 1 if any failed.
///
/// `goldengrain statetest --jsonl` is the batch mode of the differential fuzzer (Tests/difftest):
/// it reads cases from standard input, one JSON object per line (`env`, `pre`, `transaction`,
/// optional `indexes` and `name`), and prints each one's full outcome as a JSON line (status,
/// output, gas, refund, logs, the post-state of every account looked at; `StateTestOutcome`),
/// flushing after each, so one process serves a whole fuzzing run.
struct StateTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statetest",
        abstract: "Run GeneralStateTests JSON files (post.Cancun); folders are searched recursively.")

    @Argument(help: "State-test JSON files or folders.")
    var paths: [String] = []

    @Flag(help: "Write EIP-3155 trace lines to standard error.")
    var trace = false

    @Flag(help: "Print only failing cases and the summary line.")
    var quiet = false

    @Flag(help: "Read cases as JSON lines from standard input and print each one's full outcome (post-state included).")
    var jsonl = false

    @Flag(help: "With --jsonl: add the opcodes executed and the precompiles called to each outcome.")
    var coverage = false

    @Option(help: "With --coverage: record coverage for one case in N (the tracer slows long-running cases tenfold).")
    var coverageSample = 1

    func validate() throws {
        if coverageSample < 1 { throw ValidationError("--coverage-sample must be at least 1, not \(coverageSample)") }
        if jsonl && !paths.isEmpty { throw ValidationError("--jsonl reads standard input; give no paths") }
        if !jsonl && paths.isEmpty { throw ValidationError("give state-test files or folders, or --jsonl") }
    }

    func run() throws {
        if jsonl { return runLines() }
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

    /// The `--jsonl` loop: one case per input line, one outcome per output line. A line that is
    /// not a case gets {"name":…,"status":"error","reason":…} and the loop goes on.
    func runLines() {
        let runner = StateTestRunner(precompiles: StateTestRunner.cancunPrecompiles())
        var number = 0
        while let text = readLine(strippingNewline: true) {
            number += 1
            if text.allSatisfy(\.isWhitespace) { continue }
            let name = "line \(number)"
            do {
                print(try outcomeLine(Data(text.utf8), name: name, runner: runner,
                                      recordsCoverage: coverage && number % coverageSample == 0))
            } catch {
                print("{\"name\":\(StateTestResult.quoted(name)),\"status\":\"error\",\"reason\":\(StateTestResult.quoted("\(error)"))}")
            }
            fflush(nil)
        }
    }

    /// One `--jsonl` case: reads it, runs it, and returns its outcome line (with coverage members
    /// if `recordsCoverage`).
    func outcomeLine(_ line: Data, name: String, runner: StateTestRunner, recordsCoverage: Bool) throws -> String {
        let testCase = try StateTestLoader.load(caseLine: line, defaultName: name)
        if recordsCoverage && !trace {
            let tracer = CoverageTracer()
            let outcome = try runner.execute(testCase, tracer: tracer).jsonLine
            return outcome.dropLast() + "," + tracer.jsonMembers + "}"
        }
        return try runner.execute(testCase, tracer: trace ? standardErrorTracer() : nil).jsonLine
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
