import ArgumentParser
import Chain
import ChainTypes
import Foundation
import Storage

/// `goldengrain init --genesis FILE --datadir DIR`: writes block 0 of a genesis into a new data
/// directory (LevelDB under DIR/chaindata), as `geth init` does; an existing chain with the same
/// genesis is left alone (its block 0 timestamp kept), another chain's is refused. `--timestamp N`
/// sets block 0's timestamp of a new chain (then pass the same to `node --genesis`, or run the
/// node on this data directory, which keeps it).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a genesis block into a data directory.")

    @Option(help: "The genesis file (geth genesis.json format).")
    var genesis: String

    @Option(help: "The data directory.")
    var datadir: String

    @Option(help: "Block 0's timestamp (Unix seconds) instead of the genesis file's; a chain already in DIR keeps its own.")
    var timestamp: UInt64?

    func run() throws {
        var genesis = try Genesis(contentsOfFile: self.genesis)
        let store = try NodeStartup.openStore(datadir: datadir, syncsWrites: true)
        defer { store.close() }
        genesis.timestamp = try NodeStartup.genesisTimestamp(stored: ChainStore.storedGenesisHeader(in: store),
                                                             requested: timestamp, isDev: false, file: genesis.timestamp,
                                                             datadir: datadir)
        let chain = try ChainStore(store: store, genesis: genesis, syncsWrites: true)
        print("Chain \(genesis.chainId) in \(datadir)/chaindata: genesis \(chain.genesisHash), head block \(chain.head.number)")
    }
}
