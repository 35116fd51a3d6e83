import ArgumentParser
import EVM
import Execution
import Foundation
import Primitives
import State
import StateTestRunner
import Storage

/// `goldengrain run`: executes one message call against fresh in-memory state, as go-ethereum's
/// `evm run` does (cmd/evm/runner.go): the code is installed at the receiver
/// 0x0000000000000000000000007265636569766572 (the bytes of "receiver"), called by the sender
/// 0x000000000000000000000000000073656e646572 ("sender") with no value and no intrinsic gas; the
/// sender, the receiver and the precompiles start warm (EIP-2929), as geth's `runtime.Call` does.
/// The precompiles are mainnet Cancun's, as the state tests see them
/// (`StateTestRunner.cancunPrecompiles()`). Block values are zero; `--bench` times only the call.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run EVM code once (like geth's `evm run`) and print its output and gas used.")

    /// The caller: the ASCII bytes of "sender", right-aligned (go-ethereum's default).
    static let sender = Address(Array(repeating: 0, count: 14) + Array("sender".utf8))
    /// Where the code runs: the ASCII bytes of "receiver", right-aligned (go-ethereum's default).
    static let receiver = Address(Array(repeating: 0, count: 12) + Array("receiver".utf8))

    @Option(help: "The code as hex, or @FILE holding hex.")
    var code: String

    @Option(help: "The call data as hex, or @FILE holding hex.")
    var input: String = ""

    @Option(help: "Gas available to the call.")
    var gas: Int64 = 10_000_000_000

    @Option(help: "Repeat the run N times and print the median time and Mgas/s.")
    var bench: Int?

    @Flag(help: "Write EIP-3155 trace lines to standard error.")
    var trace = false

    func run() throws {
        let code = try Self.hexArgument(self.code, name: "--code")
        let input = try Self.hexArgument(self.input, name: "--input")
        let precompiles = StateTestRunner.cancunPrecompiles()
        let codeCache = CodeCache()
        let tracer: (any Tracer)? = trace ? standardErrorTracer() : nil

        /// One run on fresh state; only the call itself is timed.
        func once() -> (result: CallResult, seconds: Double) {
            let state = WorldState(store: MemoryStore())
            state.insertAccount(Self.receiver, nonce: 0, balance: .zero, code: code)
            state.beginTransaction()
            state.accessAddress(Self.sender)
            state.accessAddress(Self.receiver)
            for address in precompiles.addresses { state.accessAddress(address) }
            let block = BlockEnvironment(coinbase: .zero, number: 0, timestamp: 0, gasLimit: UInt64(max(gas, 0)),
                                         baseFee: .zero, prevRandao: .zero)
            let context = TransactionContext(gasPrice: .zero, origin: Self.sender, coinbase: .zero, number: 0,
                                             timestamp: 0, gasLimit: block.gasLimit, prevRandao: .zero,
                                             chainId: 1, baseFee: .zero)
            let host = ExecutionHost(state: state, precompiles: precompiles, codeCache: codeCache, block: block,
                                     transactionContext: context, tracer: tracer)
            let message = Message(kind: .call, gas: gas, recipient: Self.receiver, sender: Self.sender, input: input,
                                  codeAddress: Self.receiver)
            let start = DispatchTime.now().uptimeNanoseconds
            let result = host.call(message)
            return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }

        let result = once().result
        let gasUsed = gas - result.gasLeft
        print(result.output.hexString)
        print("gas used: \(gasUsed)")
        if result.status != .success { print("error: \(result.status)") }
        if let bench, bench > 0 {
            var times: [Double] = []
            for _ in 0..<bench { times.append(once().seconds) }
            times.sort()
            let median = times[times.count / 2]
            let megagasPerSecond = median > 0 ? Double(gasUsed) / median / 1e6 : 0
            print(String(format: "median: %.6f s over %d runs, %.1f Mgas/s", median, bench, megagasPerSecond))
            // One machine-readable line for Benchmarks/peers/revm_compare.py.
            print("bench: gas=\(gasUsed) status=\(result.status) runs=\(bench) "
                  + String(format: "median_s=%.9f best_s=%.9f mgas_per_s=%.3f", median, times[0], megagasPerSecond))
        }
    }

    /// Reads hex given inline or as @FILE.
    static func hexArgument(_ argument: String, name: String) throws -> [UInt8] {
        var text = argument
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("\(name): cannot read file \(path)")
            }
            text = contents
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do { return try Hex.decode(text) } catch {
            throw ValidationError("\(name): \(error)")
        }
    }
}
