import ArgumentParser
import Foundation
import Marketplace
import Primitives

/// `goldengrain gas-report --rpc URL [--from BLOCK] [--to BLOCK] --abi FILE... [--json]`: Foundry's
/// `forge test --gas-report` table per contract, from the transactions and receipts of a block range.
struct GasReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gas-report",
        abstract: "Print Foundry's gas report table per contract for the transactions in a range of blocks.",
        discussion: """
        Every transaction in blocks --from…--to is read with its receipt. Contracts are named by the \
        --abi files: a build artifact with abi, bytecode and deployedBytecode (Contracts/build/*.json, \
        solc, Foundry) is matched by code (a creation by its init code, a call by the target's code \
        starting with the runtime code, immutables appended); a plain ABI array by the selector of the \
        call. Per contract: Deployment Cost (the creation's gasUsed) and Size (its input: init code and \
        constructor arguments), then per function min, avg (⌊mean⌋), median (forge's: the mean of the \
        two middle samples for an even count, rounded down), max and the number of calls, each sample \
        the gasUsed of one transaction (reverted ones included), as forge counts top-level calls. \
        Contracts without calls are left out, as in forge. --json prints forge's JSON gas report.
        """
    )

    @Option(help: "The node's JSON-RPC URL.")
    var rpc: String = "http://127.0.0.1:8545"

    @Option(help: "First block (default 0).")
    var from: UInt64?

    @Option(help: "Last block (default the head).")
    var to: UInt64?

    @Option(name: .customLong("abi"), parsing: .upToNextOption,
            help: "Artifact JSON (abi, bytecode, deployedBytecode) or plain JSON ABI files (repeatable).")
    var abiFiles: [String] = []

    @Flag(help: "Print forge's JSON gas report instead of the tables.")
    var json = false

    func validate() throws {
        guard !abiFiles.isEmpty else {
            throw ValidationError("give at least one --abi FILE (an artifact JSON or a JSON ABI array) to name the contracts")
        }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to); expected from ≤ to") }
    }

    func run() throws {
        try MarketRuntime.reporting("gas-report") {
            let sources = try abiFiles.map { path throws(GasReportError) in try GasReportSource.load(path: path) }
            let client = RPCClient(url: rpc)
            let from = self.from, to = self.to
            let report = try MarketRuntime.run { try await GasReportCollector(client: client, sources: sources).collect(fromBlock: from, toBlock: to) }
            if json {
                MarketRuntime.say(report.json.serialized)
            } else {
                FileHandle.standardOutput.write(Data(report.renderedTables.utf8))
                MarketRuntime.note("gas-report: blocks \(report.fromBlock)–\(report.toBlock), \(report.transactionCount) transactions, \(report.unattributedCount) not attributed to a contract of the --abi files")
            }
        }
    }
}
