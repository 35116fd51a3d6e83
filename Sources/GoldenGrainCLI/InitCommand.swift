import ArgumentParser
import Chain
import Foundation
import Storage

/// `goldengrain init --genesis FILE --datadir DIR`: writes block 0 of a genesis into a new data
/// directory (LevelDB under DIR/chaindata), as `geth init` does; an existing chain with the same
/// genesis is left alone, another chain's is refused.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a genesis block into a data directory.")

    @Option(help: "The genesis file (geth genesis.json format).")
    var genesis: String

    @Option(help: "The data directory.")
    var datadir: String

    func run() throws {
        let genesis = try Genesis(contentsOfFile: self.genesis)
        let store = try NodeStartup.openStore(datadir: datadir, syncsWrites: true)
        defer { store.close() }
        let chain = try ChainStore(store: store, genesis: genesis, syncsWrites: true)
        print("Chain \(genesis.chainId) in \(datadir)/chaindata: genesis \(chain.genesisHash), head block \(chain.head.number)")
    }
}
