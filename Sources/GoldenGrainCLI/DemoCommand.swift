import ArgumentParser
import Attestation
import Chain
import ChainTypes
import Foundation
import Inference
import Marketplace
import Primitives
import Signatures

/// `goldengrain demo [--rpc URL] [--json] [--report DIR]`: one trade from task to refund, run in
/// the three execution modes and measured side by side (issue 12, §3–4; the story is
/// `Marketplace.DemoStory`). Without `--rpc` it starts an ephemeral dev node in this process.
///
/// Accounts (the dev mnemonic): provider 2, developers 3, 4, 5, deployer of the plain-EVM contracts
/// 6, caller of evaluateOnChain 7, the demo enclave's relayer 8 (the node's own worker relays from 9).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run one model trade end to end and compare its gas in three modes: TEE, INFERENCE_EVAL, plain EVM.",
        discussion: """
        Registers a fresh SIMULATED enclave (its quote followed by its SIMULATED collateral) and runs its worker, creates a task on Examples/digits/test.ggd, \
        trains three models of different accuracy and submits them, lets the enclave benchmark them (two are sold, \
        one stays unsold), has the buyer fetch and re-score a sold model, then scores the same models on chain with \
        INFERENCE_EVAL and with PlainEvaluator.vy, refunds the rest after the result window and prints gas, call \
        data and wall time per step and mode. Without --rpc it runs its own ephemeral dev node.
        """)

    @Option(help: ArgumentHelp("A dev chain's JSON-RPC URL with the marketplace at 0x…2000 (default: an ephemeral dev node in this process).",
                               valueName: "URL"))
    var rpc: String?

    @Flag(help: "Print one JSON document with every step and figure (progress goes to standard error).")
    var json = false

    @Option(help: ArgumentHelp("Write report.md, demo.json and two plots (scripts/demo_plots.py with .venv/bin/python) into DIR.",
                               valueName: "DIR"))
    var report: String?

    @Option(name: .customLong("batch-samples"),
            help: ArgumentHelp("Also measure PlainEvaluator alone on batches of N test samples (it does so by itself, with batches that fit a block, when the whole test set does not fit one).",
                               valueName: "N"))
    var batchSamples: Int?

    func validate() throws {
        if let batchSamples, batchSamples < 1 {
            throw ValidationError("--batch-samples \(batchSamples): expected a positive number of samples")
        }
        if let rpc {
            guard let url = URL(string: rpc), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--rpc \(rpc): expected a JSON-RPC URL such as http://127.0.0.1:8545")
            }
        }
    }

    func run() throws {
        // With --json only the document goes to standard output: everything else printed in this
        // process (progress, the node, the worker) is sent to standard error.
        let output = json ? DemoOutput.divertingStandardOutput() : DemoOutput.standardOutput()
        let command = (["goldengrain", "demo"] + CommandLine.arguments.dropFirst(2)).joined(separator: " ")
        try MarketRuntime.reporting("demo") {
            let files = try DemoFiles.locate()
            var node: DemoNode?
            let url: String
            if let rpc {
                url = rpc
            } else {
                output.progress("starting an ephemeral dev node in this process …")
                node = try DemoNode.start()
                url = node!.url
            }
            defer { node?.stop() }
            let keys = try DevAccounts.keys()
            let simulated = SimulatedEnclave(signingKey: .generate())
            let enclave = DemoEnclave(signingKey: simulated.signingKey, mrEnclave: SimulatedEnclave.mrEnclave,
                                      collateral: SimulatedCollateral.standard.wireEncoded) { chainId, marketplace in
                simulated.marketplaceQuote(chainId: chainId, marketplace: marketplace)
            }
            let store = FileManager.default.temporaryDirectory.appendingPathComponent("goldengrain-demo-\(UUID().uuidString)").path
            var configuration = DemoConfiguration(
                rpcURL: url, nodeDescription: rpc == nil ? "an ephemeral dev node in this process" : "the node at --rpc",
                provider: keys[2], developers: [keys[3], keys[4], keys[5]], deployer: keys[6], caller: keys[7], relayer: keys[8],
                enclave: enclave, marketplaceBytecode: files.marketplaceBytecode, plainEvaluatorBytecode: files.plainEvaluatorBytecode,
                training: files.training, testFile: files.testFile, storeDirectory: store)
            configuration.progress = { line in output.progress(line) }
            configuration.plainBatchSamples = batchSamples
            output.progress("SIMULATED enclave \(simulated.address) (fresh key; INSECURE, for the dev chain); files under \(store)")
            let story = configuration
            let measured = try MarketRuntime.run { try await DemoStory(configuration: story).run() }
            try? FileManager.default.removeItem(atPath: store)

            let document = measured.json(command: command)
            var plots: [(title: String, path: String)] = []
            if let report {
                plots = try DemoFiles.writeReport(measured, document: document, command: command, into: report, files: files,
                                                  note: { output.progress($0) })
            }
            if json {
                output.result(document.serialized + "\n")
            } else {
                output.result("\n" + measured.markdown(command: command, plots: plots))
            }
        }
    }
}

/// Where the demo writes: progress and result, with `--json` keeping standard output for the document.
struct DemoOutput: Sendable {
    let resultDescriptor: Int32
    let progressDescriptor: Int32

    /// Progress and result both on standard output.
    static func standardOutput() -> DemoOutput { DemoOutput(resultDescriptor: STDOUT_FILENO, progressDescriptor: STDOUT_FILENO) }

    /// The result on the real standard output; file descriptor 1 (every other print) goes to standard error.
    static func divertingStandardOutput() -> DemoOutput {
        let saved = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        return DemoOutput(resultDescriptor: saved, progressDescriptor: STDERR_FILENO)
    }

    func progress(_ line: String) { write(line + "\n", to: progressDescriptor) }
    func result(_ text: String) { write(text, to: resultDescriptor) }

    func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// The repository files the demo reads, found in the current directory or beside the checkout the
/// executable was built in (like the shipped genesis files).
struct DemoFiles {
    let root: String
    let marketplaceBytecode: [UInt8]
    let plainEvaluatorBytecode: [UInt8]
    let training: Dataset
    let testFile: [UInt8]

    static let required = ["Contracts/build/Marketplace.json", "Contracts/build/PlainEvaluator.json",
                           "Examples/digits/train.ggd", "Examples/digits/test.ggd"]

    /// The checkout: $GOLDENGRAIN_ROOT, the current directory, or a parent of the executable, whichever holds the files.
    static func locate() throws -> DemoFiles {
        var candidates: [String] = []
        if let root = ProcessInfo.processInfo.environment["GOLDENGRAIN_ROOT"] { candidates.append(root) }
        candidates.append(FileManager.default.currentDirectoryPath)
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0 ..< 4 {
            candidates.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        guard let root = candidates.first(where: { root in
            required.allSatisfy { FileManager.default.fileExists(atPath: root + "/" + $0) }
        }) else {
            let missing = required.filter { !FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/" + $0) }
            throw MarketFailure("cannot find \(missing.joined(separator: ", ")) in the current directory, $GOLDENGRAIN_ROOT or beside the executable: run the demo from the GoldenGrain checkout (Contracts/build/*.json come from scripts/build_contracts.py)")
        }
        let training: Dataset
        do { training = try Dataset(bytes: try read(root + "/Examples/digits/train.ggd")) } catch {
            throw MarketFailure("\(root)/Examples/digits/train.ggd is not a GGD file: \(error)")
        }
        return DemoFiles(root: root, marketplaceBytecode: try bytecode(root + "/Contracts/build/Marketplace.json"),
                         plainEvaluatorBytecode: try bytecode(root + "/Contracts/build/PlainEvaluator.json"),
                         training: training, testFile: try read(root + "/Examples/digits/test.ggd"))
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw MarketFailure("cannot read \(path)") }
        return [UInt8](data)
    }

    /// An artifact's init code (its `bytecode` member, 0x-hex).
    static func bytecode(_ path: String) throws -> [UInt8] {
        let json: JSON
        do { json = try JSON.parse(try read(path)) } catch { throw MarketFailure("\(path) is not JSON: \(error)") }
        guard let text = json["bytecode"]?.stringValue, let code = try? Hex.decode(text), !code.isEmpty else {
            throw MarketFailure("\(path) has no \"bytecode\" member of 0x-hex init code")
        }
        return code
    }

    /// `--report DIR`: report.md, demo.json and the plots.
    /// - Returns: the plots made, as (title, file name) for report.md.
    static func writeReport(_ report: DemoReport, document: JSON, command: String, into directory: String, files: DemoFiles,
                            note: (String) -> Void) throws -> [(title: String, path: String)] {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw MarketFailure("--report \(directory): cannot create the directory: \(error)")
        }
        let jsonPath = directory + "/demo.json"
        try write(document.serialized + "\n", to: jsonPath)
        var plots: [(title: String, path: String)] = []
        var missing: String?
        let python = files.root + "/.venv/bin/python"
        let script = files.root + "/scripts/demo_plots.py"
        if !FileManager.default.isExecutableFile(atPath: python) {
            missing = "\(python) is missing; create the venv with `make deps` (or python3 -m venv .venv && .venv/bin/pip install -r Tests/e2e/requirements.txt), then run: .venv/bin/python scripts/demo_plots.py \(jsonPath) \(directory)"
        } else {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, jsonPath, directory]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = errors
            do { try process.run() } catch { throw MarketFailure("cannot run \(python) \(script): \(error)") }
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                plots = [("Gas per step per mode (log scale)", "gas_per_step.png"), ("Price against accuracy", "price_vs_accuracy.png")]
                note("plots: \(directory)/gas_per_step.png, \(directory)/price_vs_accuracy.png")
            } else {
                missing = "\(python) \(script) exited with status \(process.terminationStatus): \(text.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
        }
        var markdown = report.markdown(command: command, plots: plots)
        if let missing {
            note("PLOTS NOT MADE: " + missing)
            markdown += "\n**Plots not made**: \(missing)\n"
        }
        try write(markdown, to: directory + "/report.md")
        note("report: \(directory)/report.md, \(jsonPath)")
        return plots
    }

    static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw MarketFailure("cannot write \(path)")
        }
    }
}
