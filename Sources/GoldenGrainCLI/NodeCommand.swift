import ArgumentParser
import Chain
import GoldenGrainNode
import ChainTypes
import Dispatch
import ETH
import Foundation
import NIOCore
import NIOPosix
import P2P
import Primitives
import RPC
import Signatures
import Storage

/// `goldengrain node`: runs a node. `--dev` starts the dev chain (Genesis/dev.json: chain 31337,
/// the ten test-mnemonic accounts, account 0 signing, a block as soon as transactions arrive), printing an
/// anvil-style banner; `--genesis FILE --signer-key FILE` runs any Clique chain. Data lives in
/// `--datadir` (default ~/.goldengrain/<network>, LevelDB under chaindata/) or in memory with
/// `--ephemeral`. Runs until Ctrl-C or SIGTERM, then closes LevelDB cleanly.
///
/// Genesis time: a NEW dev chain's block 0 gets the current wall-clock time, as anvil's does (so
/// contracts at block 0 see a real time and a quote's certificates are valid there); `--timestamp
/// N` sets it instead, for --dev and --genesis chains alike. A data directory that already holds a
/// chain keeps its block 0: its stored timestamp is used (an explicit `--timestamp` that differs is
/// refused), and the rest of the genesis must match as before.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a GoldenGrain node (--dev: a local dev chain like anvil).")

    @Flag(help: "Run the dev chain: Genesis/dev.json, the test-mnemonic accounts unlocked, automine.")
    var dev = false

    @Option(help: "The genesis file (default with --dev: Genesis/dev.json).")
    var genesis: String?

    @Option(help: "The data directory (default ~/.goldengrain/<network>).")
    var datadir: String?

    @Flag(help: "Keep everything in memory; nothing is written to disk.")
    var ephemeral = false

    @Option(help: "The JSON-RPC port (served by the RPC module once attached).")
    var port: Int = 8545

    @Option(name: .customLong("signer-key"), help: "A file holding the signer's private key as hex.")
    var signerKey: String?

    @Option(name: .customLong("p2p-port"),
            help: "The devp2p (RLPx) TCP port, 0 for any free one (default 30303; a --dev node speaks devp2p only when this is given).")
    var p2pPort: Int?

    @Option(name: .customLong("bootnodes"), help: "Comma-separated enode URLs to connect to and keep connected (as geth's --bootnodes).")
    var bootnodes: String?

    @Flag(name: .customLong("nodiscover"),
          help: "No discovery v4 (UDP on the --p2p-port number): connect only to --bootnodes, admin_addPeer and whoever dials in.")
    var nodiscover = false

    @Option(name: .customLong("nat"),
            help: "The address other hosts reach this node at, as geth's --nat: extip:IP (used in the enode URL and discovery), or none (127.0.0.1, the default).")
    var nat: String?

    @Option(name: .customLong("maxpeers"), help: "The most devp2p peers at once (default 50).")
    var maxPeers: Int = 50

    @Option(name: .customLong("nodekey"), help: "A file holding the devp2p node key as hex (default: <datadir>/nodekey, created on first start).")
    var nodeKeyFile: String?

    @Flag(name: .customLong("no-automine"), help: "With period 0, mine only on evm_mine.")
    var noAutomine = false

    @Option(name: .customLong("block-time"),
            help: "With --dev, interval mining as anvil's --block-time: a block every N seconds (empty ones too), automine off.")
    var blockTime: UInt64?

    @Flag(name: .customLong("sync-writes"), help: "fsync every block (survives power loss, not only kill -9).")
    var syncWrites = false

    @Option(help: "Block 0's timestamp (Unix seconds) for a new chain. Default with --dev: now; else the genesis file's.")
    var timestamp: UInt64?

    @Flag(name: .customLong("no-enclave"), help: "With --dev, do not run the SIMULATED enclave worker for the pre-registered dev enclave.")
    var noEnclave = false

    @Option(name: .customLong("dump-state"),
            help: "With --dev, write the state as anvil's JSON state file on shutdown (a directory gets <dir>/state.json), as anvil's --dump-state.")
    var dumpState: String?

    @Option(name: .customLong("load-state"),
            help: "With --dev, merge an anvil JSON state file (plain or gzip) into the state at start, as anvil's --load-state.")
    var loadState: String?

    @Option(name: .customLong("state"),
            help: "With --dev, --load-state FILE if it exists and --dump-state FILE, as anvil's --state.")
    var state: String?

    @Flag(name: .customLong("metrics"), help: "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics (docs/metrics.md).")
    var metrics = false

    @Option(name: .customLong("metrics.port"), help: "The metrics port (default 6060, as geth's).")
    var metricsPort: Int?

    func validate() throws {
        if metricsPort != nil && !metrics { throw ValidationError("--metrics.port needs --metrics") }
        if ephemeral && datadir != nil { throw ValidationError("--ephemeral and --datadir exclude each other") }
        if !dev && genesis == nil { throw ValidationError("give --dev or --genesis FILE") }
        if let p2pPort, !(0 ... 65535).contains(p2pPort) {
            throw ValidationError("--p2p-port \(p2pPort): expected a TCP port from 0 to 65535")
        }
        if maxPeers < 0 { throw ValidationError("--maxpeers \(maxPeers): expected 0 or more") }
        if let blockTime {
            guard dev else { throw ValidationError("--block-time needs --dev (a --genesis chain seals every clique.period seconds)") }
            guard blockTime >= 1 else { throw ValidationError("--block-time \(blockTime): expected a whole number of seconds, at least 1") }
        }
        for (flag, value) in [("--dump-state", dumpState), ("--load-state", loadState), ("--state", state)] where value != nil {
            guard dev else { throw ValidationError("\(flag) needs --dev (anvil's state files hold a dev chain's accounts)") }
        }
        if state != nil && (dumpState != nil || loadState != nil) {
            throw ValidationError("--state is --load-state and --dump-state in one: give either --state or the other two")
        }
        if bootnodes != nil && !p2pEnabled { throw ValidationError("--bootnodes needs devp2p: with --dev, give --p2p-port too") }
        _ = try parsedBootnodes()
        _ = try advertisedHost()
    }

    /// Whether the node speaks devp2p: always, except a --dev node without --p2p-port.
    var p2pEnabled: Bool { !dev || p2pPort != nil }

    /// The host in our enode URL: --nat extip:IP, else 127.0.0.1.
    /// - Throws: `ValidationError` for another --nat form or an IP that does not parse.
    func advertisedHost() throws -> String {
        guard let nat, nat != "none" else { return "127.0.0.1" }
        let parts = nat.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "extip", (try? SocketAddress(ipAddress: parts[1], port: 0)) != nil else {
            throw ValidationError("--nat \(nat): expected extip:IP (an IPv4 or IPv6 address) or none")
        }
        return parts[1]
    }

    /// The --bootnodes URLs.
    /// - Throws: `ValidationError` naming the first URL that does not parse and why.
    func parsedBootnodes() throws -> [Enode] {
        guard let bootnodes else { return [] }
        return try bootnodes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { text in
            do { return try Enode(parsing: text) } catch { throw ValidationError("--bootnodes \(text): \(error)") }
        }
    }

    func run() throws {
        // Swift concurrency's jobs run on the NIO event loops that read the requests, so a JSON-RPC
        // call needs no hand-off between an event loop thread and a cooperative-pool thread and back
        // (two wake-ups per request, the largest cost per call on a small VM: docs/performance.md).
        // Must come before the first task is created.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        // The backend comes first: the node's metrics are made when first used.
        let registry = metrics ? MetricsServer.bootstrap() : nil
        let started = try NodeStartup.start(self)
        let network: NodeNetwork.Started?
        do { network = try NodeNetwork.start(self, node: started.node, datadir: started.datadir) } catch {
            started.store?.close()
            throw error
        }
        NodeStartup.printBanner(started, port: port, enode: network.map { "\($0.server.enode)" })
        // Start order: sealer, devp2p, JSON-RPC server, block log, worker; a signal stops them in
        // reverse (no more requests, then no more peers, then no more seals), then the store closes.
        var services = [ServiceRunner.essential(SealerService(node: started.node), name: "sealer")]
        if let network { services.append(ServiceRunner.essential(P2PService(network: network), name: "devp2p")) }
        services.append(ServiceRunner.essential(RPCServerStartup.application(for: started.node, port: port, isDev: dev,
                                                                             network: network),
                                                name: "JSON-RPC server"))
        if let registry {
            let endpoint = MetricsServer.application(registry: registry, node: started.node, eth: network?.eth,
                                                     port: metricsPort ?? MetricsServer.defaultPort)
            services.append(ServiceRunner.essential(endpoint, name: "metrics server"))
        }
        services.append(ServiceRunner.optional(BlockLogService(node: started.node), name: "block log"))
        if dev && !noEnclave, let worker = EnclaveWorkerRunner.inNodeService(port: port, nodeDatadir: started.datadir) {
            services.append(ServiceRunner.optional(worker, name: "enclave worker"))
        }
        let failure = ServiceRunner.run(services)
        if let path = dumpState ?? state { StateFiles.dump(started.node, to: path) }
        started.store?.close()
        if let failure = failure as? MetricsServer.Failure {
            FileHandle.standardError.write(Data("\(failure)\n".utf8))
            throw ExitCode(1)
        }
        if let failure {
            FileHandle.standardError.write(Data("JSON-RPC server failed on 127.0.0.1:\(port): \(failure)\n".utf8))
            throw ExitCode(1)
        }
        NodeStartup.say("\nShut down cleanly at block \(started.node.headNumber).")
    }
}

/// Starting a node from the command line; the RPC module reuses `start` and attaches its server.
enum NodeStartup {
    /// Writes one log line to standard output at once (unbuffered, unlike `print` into a file or
    /// pipe), so a node's log can be followed while it runs.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A running node and the LevelDB store it owns (nil when ephemeral).
    struct Started {
        let node: Node
        let store: LevelDBStore?
        let datadir: String?
        let isDev: Bool
    }

    /// Where the shipped genesis files are: $GOLDENGRAIN_GENESIS_DIR, ./Genesis, or beside the
    /// checkout the executable was built in (.build/<config>/goldengrain → Genesis).
    static func shippedGenesis(_ name: String) -> String {
        var candidates: [String] = []
        if let directory = ProcessInfo.processInfo.environment["GOLDENGRAIN_GENESIS_DIR"] { candidates.append(directory) }
        candidates.append(FileManager.default.currentDirectoryPath + "/Genesis")
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0 ..< 4 {
            candidates.append(folder.appendingPathComponent("Genesis").path)
            folder = folder.deletingLastPathComponent()
        }
        for directory in candidates where FileManager.default.fileExists(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        return "Genesis/" + name
    }

    static func start(_ command: NodeCommand) throws -> Started {
        let genesisPath = command.genesis ?? shippedGenesis("dev.json")
        var genesis = try Genesis(contentsOfFile: genesisPath)
        var store: LevelDBStore?
        var datadir: String?
        if !command.ephemeral {
            let directory = command.datadir ?? defaultDatadir(network: command.dev ? "dev" : "chain-\(genesis.chainId)")
            store = try openStore(datadir: directory, syncsWrites: command.syncWrites)
            datadir = directory
        }
        do {
            genesis.timestamp = try genesisTimestamp(stored: store.flatMap { try ChainStore.storedGenesisHeader(in: $0) },
                                                     requested: command.timestamp, isDev: command.dev,
                                                     file: genesis.timestamp, datadir: datadir)
            let node = try makeNode(command, genesis: genesis, store: store)
            if let path = command.loadState {
                try StateFiles.load(path, into: node, flag: "--load-state")
            } else if let path = command.state, StateFiles.exists(path) {
                try StateFiles.load(path, into: node, flag: "--state")
            }
            return Started(node: node, store: store, datadir: datadir, isDev: command.dev)
        } catch {
            store?.close()
            throw error
        }
    }

    /// Block 0's timestamp: a stored chain's own (an explicit different `requested` is an error);
    /// else `requested`; else the current time for a dev chain, the file's for any other.
    /// - Parameters:
    ///   - stored: the genesis header the data directory holds, if any.
    ///   - requested: `--timestamp`.
    ///   - isDev: `--dev`.
    ///   - file: the genesis file's timestamp.
    ///   - datadir: the data directory, for the error message.
    /// - Returns: the timestamp to build block 0 with.
    /// - Throws: `ValidationError` if `requested` differs from the stored chain's.
    static func genesisTimestamp(stored: Header?, requested: UInt64?, isDev: Bool, file: UInt64,
                                 datadir: String?) throws -> UInt64 {
        if let stored {
            if let requested, requested != stored.timestamp {
                throw ValidationError("--timestamp \(requested): the chain in \(datadir ?? "the data directory") began at \(stored.timestamp) (\(AttestFiles.date(Int64(clamping: stored.timestamp)))); a data directory keeps its genesis, so drop --timestamp or use a new --datadir")
            }
            return stored.timestamp
        }
        if let requested { return requested }
        return isDev ? UInt64(Date().timeIntervalSince1970) : file
    }

    private static func makeNode(_ command: NodeCommand, genesis: Genesis, store: LevelDBStore?) throws -> Node {
        var configuration: NodeConfiguration
        if command.dev {
            configuration = try NodeConfiguration.dev(genesis: genesis)
        } else {
            configuration = NodeConfiguration(genesis: genesis, signerKey: nil)
        }
        if let keyFile = command.signerKey {
            let text = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            configuration.signerKey = try PrivateKey(bytes: Hex.decode(text))
        }
        if command.noAutomine || command.blockTime != nil { configuration.isAutomine = false }
        configuration.logger = { line in NodeStartup.say(line) }
        let node: Node
        if let store {
            node = try Node.goldenGrain(configuration: configuration, store: store, syncsWrites: command.syncWrites)
        } else {
            node = try Node.goldenGrain(configuration: configuration, store: MemoryStore())
        }
        // --block-time: the sealer service seals on this schedule (anvil's interval mining).
        if let blockTime = command.blockTime { node.setIntervalMining(blockTime) }
        return node
    }

    /// ~/.goldengrain/<network>.
    static func defaultDatadir(network: String) -> String {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".goldengrain/\(network)").path
    }

    /// Opens (creating) the LevelDB store at <datadir>/chaindata.
    static func openStore(datadir: String, syncsWrites: Bool) throws -> LevelDBStore {
        try FileManager.default.createDirectory(atPath: datadir, withIntermediateDirectories: true)
        return try LevelDBStore(path: datadir + "/chaindata", syncsWrites: syncsWrites)
    }

    static func printBanner(_ started: Started, port: Int, enode: String? = nil) {
        let node = started.node
        var lines = ["", "GoldenGrain node — chain \(node.chainId)", ""]
        if started.isDev {
            lines.append("Available Accounts")
            lines.append("==================")
            for (index, key) in node.configuration.unlockedKeys.enumerated() {
                let balance = (try? node.balance(of: key.address)) ?? .zero
                lines.append("(\(index)) \(key.address) (\(etherText(balance)) ETH)")
            }
            lines += ["", "Private Keys", "=================="]
            for (index, key) in node.configuration.unlockedKeys.enumerated() {
                lines.append("(\(index)) \(Hex.encode(key.bytes))")
            }
            lines += ["", "Wallet", "==================", "Mnemonic:          \(DevAccounts.mnemonic)",
                      "Derivation path:   \(DevAccounts.derivationPath)/{index}", ""]
        }
        lines.append("Chain ID:          \(node.chainId)")
        lines.append("Signer:            \(node.signer.map { "\($0)" } ?? "none (this node follows only)")")
        let period = node.configuration.genesis.clique.period
        let production = if let blockTime = node.blockTime {
            "every \(blockTime) s (--block-time)"
        } else if period == 0 {
            node.isAutomine ? "automine (a block as soon as transactions arrive)" : "on evm_mine"
        } else {
            "every \(period) s"
        }
        lines.append("Block production:  \(production)")
        lines.append("Data:              \(started.datadir.map { $0 + "/chaindata (LevelDB)" } ?? "in memory (--ephemeral)")")
        let genesisTime = node.configuration.genesis.timestamp
        lines.append("Genesis time:      \(genesisTime) (\(AttestFiles.date(Int64(clamping: genesisTime))))")
        lines.append("Head:              block \(node.headNumber) \(node.headHash)")
        lines += NodeAssembly.bannerLines(for: node.configuration.genesis)
        lines += NodeAssembly.marketplaceBannerLines(for: node.configuration.genesis, isDev: started.isDev)
        lines.append("")
        lines.append("Listening on http://127.0.0.1:\(port)")
        if let enode { lines.append("devp2p:            \(enode)") }
        NodeStartup.say(lines.joined(separator: "\n"))
    }

    /// Wei as ether with all 18 decimals, as anvil prints balances ("10000.000000000000000000").
    static func etherText(_ wei: UInt256) -> String {
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: UInt256(1_000_000_000_000_000_000))
        let digits = "\(fraction)"
        return "\(whole)." + String(repeating: "0", count: max(0, 18 - digits.count)) + digits
    }
}
