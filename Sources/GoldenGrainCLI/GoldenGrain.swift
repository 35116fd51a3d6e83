import ArgumentParser
import Primitives

/// The `goldengrain` command: the node, the EVM tools, the enclave and the model tools.
@main
struct GoldenGrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goldengrain",
        abstract: "A model marketplace for ML-as-a-service on its own proof-of-authority chain.",
        subcommands: [NodeCommand.self, InitCommand.self, StateTestCommand.self, RunCommand.self, Model.self, Attest.self,
                      Enclave.self, Keccak.self, GasReportCommand.self, DemoCommand.self, Market.self]
    )
}

/// `goldengrain keccak`: hashes its argument (hex with 0x, or text) with Keccak-256.
struct Keccak: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the Keccak-256 of hex (0x…) or text input.")

    @Argument(help: "Input: 0x-prefixed hex, or any text (hashed as UTF-8).")
    var input: String

    func run() throws {
        let bytes: [UInt8] = input.hasPrefix("0x") ? try Array(hex: input) : Array(input.utf8)
        print(Keccak256.hash(bytes))
    }
}
