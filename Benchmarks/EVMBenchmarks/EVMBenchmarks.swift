// EVM benchmarks: every program and input of ipsilon/evm-benchmarks (../shared/fixtures/evm-benchmarks,
// `benchmarks/main` and `benchmarks/micro`), run as `goldengrain run` runs code: a message call to
// the program's code in a fresh in-memory state, with 1,000,000,000 gas. Only the call is measured;
// building the state is outside the measurement. Run with `make bench`, or for this suite only:
//
//   GOLDENGRAIN_BENCHMARKS=1 swift package --scratch-path .build-bench \
//       --allow-writing-to-package-directory benchmark --target EVMBenchmarks
//
// Besides wall clock, each benchmark reports `gas` (execution gas of one call) and `Mgas/s` (that
// gas over the measured time of the call). Benchmarks/peers/revm_compare.py runs the same programs
// on revm for comparison.
import Benchmark
import EVM
import Execution
import Foundation
import Primitives
import State
import StateTestRunner
import Storage

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .custom("gas", polarity: .prefersLarger, useScalingFactor: false),
                  .custom("Mgas/s", polarity: .prefersLarger, useScalingFactor: false)],
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    let programs: [EVMBenchmarkProgram]
    do { programs = try EVMBenchmarkProgram.loadAll(from: EVMBenchmarkProgram.defaultFolder) } catch {
        fatalError("\(error)")
    }
    let runner = EVMBenchmarkRunner()
    for program in programs {
        for input in program.inputs {
            let code = program.code, data = input.data
            Benchmark("\(program.name)/\(input.label)") { benchmark in
                for _ in benchmark.scaledIterations {
                    let call = runner.prepare(code: code, input: data)
                    benchmark.startMeasurement()
                    let start = DispatchTime.now().uptimeNanoseconds
                    let result = call.run()
                    let nanoseconds = DispatchTime.now().uptimeNanoseconds - start
                    benchmark.stopMeasurement()
                    precondition(result.status == .success || result.status == .revert,
                                 "\(program.name)/\(input.label) halted with \(result.status)")
                    let gas = EVMBenchmarkRunner.gas - result.gasLeft
                    benchmark.measurement(.custom("gas", polarity: .prefersLarger, useScalingFactor: false), Int(gas))
                    benchmark.measurement(.custom("Mgas/s", polarity: .prefersLarger, useScalingFactor: false),
                                          Int(Double(gas) * 1e3 / Double(max(nanoseconds, 1))))
                }
            }
        }
    }
}

/// One program of evm-benchmarks: the code of the called contract and its inputs.
struct EVMBenchmarkProgram: Sendable {
    /// One call-data entry of the test's transaction.
    struct Input: Sendable {
        /// The label the test gives it (`_info.labels`), or its index.
        var label: String
        /// The call data.
        var data: [UInt8]
    }

    /// The test name (`blake2b_huff`, `snailtracer`, …).
    var name: String
    /// The code of the transaction's `to` account in `pre`.
    var code: [UInt8]
    /// Every `transaction.data` entry.
    var inputs: [Input]

    /// `../shared/fixtures/evm-benchmarks/benchmarks`, from the package root (where `swift package
    /// benchmark` runs), or `EVM_BENCHMARKS_PATH` when set.
    static var defaultFolder: String {
        ProcessInfo.processInfo.environment["EVM_BENCHMARKS_PATH"]
            ?? FileManager.default.currentDirectoryPath + "/../shared/fixtures/evm-benchmarks/benchmarks"
    }

    /// Loads every state test under `folder` (its `main` and `micro` subfolders), sorted by name.
    /// - Parameter folder: the `benchmarks` folder of evm-benchmarks.
    /// - Returns: the programs.
    /// - Throws: `LoadError` for a missing folder or a malformed file.
    static func loadAll(from folder: String) throws -> [EVMBenchmarkProgram] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw LoadError(message: "evm-benchmarks folder \(folder) not found")
        }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".json") { paths.append(folder + "/" + relative) }
        }
        return try paths.sorted().flatMap { try load(path: $0) }.sorted { $0.name < $1.name }
    }

    /// Loads one state-test file (London `post`; only `pre` and `transaction` are read).
    static func load(path: String) throws -> [EVMBenchmarkProgram] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let tests = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError(message: "\(path): top level is not an object")
        }
        return try tests.keys.sorted().map { name in
            guard let test = tests[name] as? [String: Any],
                  let transaction = test["transaction"] as? [String: Any],
                  let to = (transaction["to"] as? String)?.lowercased(),
                  let pre = test["pre"] as? [String: [String: Any]],
                  let account = pre.first(where: { $0.key.lowercased() == to })?.value,
                  let codeText = account["code"] as? String,
                  let dataList = transaction["data"] as? [String] else {
                throw LoadError(message: "\(path): \(name) lacks transaction.to, transaction.data or the code in pre")
            }
            let labels = (test["_info"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
            let inputs = try dataList.enumerated().map { index, text in
                Input(label: labels[String(index)] ?? String(index), data: try Hex.decode(text))
            }
            return EVMBenchmarkProgram(name: name, code: try Hex.decode(codeText), inputs: inputs)
        }
    }

    /// A fixture that cannot be loaded.
    struct LoadError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Prepares and runs calls the way `goldengrain run` does (Sources/GoldenGrainCLI/RunCommand.swift).
final class EVMBenchmarkRunner: @unchecked Sendable {
    /// Gas given to each call.
    static let gas: Int64 = 1_000_000_000
    /// The caller: the ASCII bytes of "sender", right-aligned.
    static let sender = Address(Array(repeating: 0, count: 14) + Array("sender".utf8))
    /// Where the code runs: the ASCII bytes of "receiver", right-aligned.
    static let receiver = Address(Array(repeating: 0, count: 12) + Array("receiver".utf8))

    let precompiles = StateTestRunner.cancunPrecompiles()
    /// Shared across calls, as a node shares it across transactions: code is analysed once.
    let codeCache = CodeCache()

    /// A call ready to run: its state is built, nothing of it has run.
    struct PreparedCall {
        var host: ExecutionHost
        var message: Message
        /// Runs the call.
        func run() -> CallResult { host.call(message) }
    }

    /// Builds a fresh state holding `code` at the receiver, warm sender, receiver and precompiles.
    func prepare(code: [UInt8], input: [UInt8]) -> PreparedCall {
        let state = WorldState(store: MemoryStore())
        state.insertAccount(Self.receiver, nonce: 0, balance: .zero, code: code)
        state.beginTransaction()
        _ = state.accessAddress(Self.sender)
        _ = state.accessAddress(Self.receiver)
        for address in precompiles.addresses { _ = state.accessAddress(address) }
        let block = BlockEnvironment(coinbase: .zero, number: 0, timestamp: 0, gasLimit: UInt64(Self.gas),
                                     baseFee: .zero, prevRandao: .zero)
        let context = TransactionContext(gasPrice: .zero, origin: Self.sender, coinbase: .zero, number: 0,
                                         timestamp: 0, gasLimit: block.gasLimit, prevRandao: .zero,
                                         chainId: 1, baseFee: .zero)
        let host = ExecutionHost(state: state, precompiles: precompiles, codeCache: codeCache, block: block,
                                 transactionContext: context)
        let message = Message(kind: .call, gas: Self.gas, recipient: Self.receiver, sender: Self.sender,
                              input: input, codeAddress: Self.receiver)
        return PreparedCall(host: host, message: message)
    }
}
