import ArgumentParser
import Attestation
import Chain
import ChainTypes
import Dispatch
import Foundation
import Marketplace
import Primitives
import Signatures

/// `goldengrain enclave serve`: the SIMULATED enclave as a long-lived benchmark worker
/// (`EnclaveWorker`): registers its key by quote and collateral if needed, follows ModelSubmitted for its tasks,
/// scores each model on the task's test set and relays the signed result.
struct EnclaveServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the SIMULATED enclave as a benchmark worker for a marketplace (INSECURE, for development).",
        discussion: """
        The enclave key is made on first start and kept in DIR/\(SimulatedEnclaveKeyFile.fileName) \
        (an ordinary file: SIMULATED, INSECURE), or is the dev chain's public SIMULATED enclave key with \
        --dev-key. If the marketplace does not know the key (isEnclave), the worker registers it with a \
        SIMULATED quote binding it to the chain and the marketplace, followed by collateral \
        (registerEnclave(quote ‖ collateral, key), docs/formats.md "Collateral on chain"): by default the \
        SIMULATED enclave's own collateral (`enclave collateral`; UpToDate for its platform), so the \
        registration passes on a chain whose genesis requires collateral and puts the TCB status and \
        the collateral's issue date into ATTESTATION_VERIFY's output everywhere; --collateral FILE|DIR \
        sends other collateral (read as `attest verify --collateral` reads it), --no-collateral the \
        quote alone (cheaper where the genesis allows it, as Genesis/dev.json does; refused where \
        `requireCollateral` is true, as on testnet-3). It then follows ModelSubmitted \
        (WebSocket eth_subscribe on the same host and port, falling back to eth_getLogs polling every \
        250 ms; --poll-logs polls only), catches up with every model already submitted to its tasks, \
        and for each one fetches the test set and the model (file://, http://, https://), opens the \
        sealed keys, checks both hashes, scores with the int8 kernel (as INFERENCE_EVAL), seals the \
        model key to the buyer and relays submitResult from the relayer key. A model that cannot be \
        fetched, decrypted or parsed, or whose hash differs, is scored 0 and the reason logged. \
        DIR/\(WorkerJournal.fileName) records each result transaction before it is sent, so a restart \
        scores nothing twice. The relayer defaults to dev account 9 (m/44'/60'/0'/0/9 of the test \
        mnemonic) on chain 31337; other chains need --relayer-key. Runs until Ctrl-C or SIGTERM.
        """
    )

    @Option(help: "The node's JSON-RPC URL.")
    var rpc = "http://127.0.0.1:8545"

    @Option(help: "The marketplace contract's address (the dev chain predeploys it at 0x…2000).")
    var marketplace = "0x0000000000000000000000000000000000002000"

    @Option(help: "The worker's data directory: its SIMULATED key and its journal (default ~/.goldengrain/enclave).")
    var datadir: String?

    @Option(name: .customLong("relayer-key"), help: "A file holding the relayer's private key as hex (pays the gas).")
    var relayerKey: String?

    @Flag(name: .customLong("dev-key"), help: "Be the dev chain's pre-registered SIMULATED enclave (its key is public).")
    var devKey = false

    @Flag(name: .customLong("poll-logs"), help: "Follow logs by eth_getLogs polling only (no WebSocket).")
    var pollLogs = false

    @Option(help: "Threads for the int8 GEMM (results do not depend on it).")
    var threads = 1

    @Option(help: ArgumentHelp("Register with this collateral after the quote instead of the SIMULATED enclave's own: dcap-qvl's collateral.json, a file in the on-chain layout (GGC1), or a directory of Intel PCS files (as `attest verify --collateral`).",
                               valueName: "FILE|DIR"))
    var collateral: String?

    @Flag(name: .customLong("no-collateral"), help: "Register with the quote alone (refused by a chain whose genesis requires collateral, such as testnet-3).")
    var noCollateral = false

    func validate() throws {
        guard rpc.hasPrefix("http://") || rpc.hasPrefix("https://") else {
            throw ValidationError("--rpc \(rpc): expected an http:// or https:// JSON-RPC URL")
        }
        _ = try EnclaveKeys.address(marketplace, option: "--marketplace")
        guard threads >= 1 else { throw ValidationError("--threads \(threads): expected at least 1") }
        if let collateral, noCollateral {
            throw ValidationError("--collateral \(collateral) and --no-collateral contradict each other: give at most one")
        }
    }

    /// The collateral to register with: --collateral's, none with --no-collateral, else the SIMULATED enclave's own.
    func registrationCollateral() throws -> [UInt8]? {
        if noCollateral { return nil }
        guard let collateral else { return SimulatedCollateral.standard.wireEncoded }
        let bytes = try AttestFiles.readCollateral(collateral).wireEncoded
        // The contract's argument holds quote ‖ collateral in 16,384 bytes; say so now rather than at registration.
        let room = EnclaveEvidence.maximumSize - SimulatedEnclave.dev.registrationQuote().count
        guard bytes.count <= room else {
            throw ValidationError("--collateral \(collateral): \(bytes.count) bytes in the on-chain layout, expected at most \(room) (registerEnclave takes quote ‖ collateral in \(EnclaveEvidence.maximumSize) bytes and the SIMULATED quote is \(EnclaveEvidence.maximumSize - room))")
        }
        return bytes
    }

    func run() throws {
        let marketplaceAddress = try EnclaveKeys.address(marketplace, option: "--marketplace")
        let directory = datadir ?? NodeStartup.defaultDatadir(network: "enclave")
        let enclaveKey: PrivateKey
        if devKey {
            enclaveKey = SimulatedEnclave.devEnclaveKey
        } else {
            do {
                let (key, created) = try SimulatedEnclaveKeyFile.loadOrCreate(datadir: directory)
                let path = (directory as NSString).appendingPathComponent(SimulatedEnclaveKeyFile.fileName)
                EnclaveWorkerRunner.say("[enclave SIMULATED] \(created ? "made a new" : "loaded the") SIMULATED enclave key \(key.address) \(created ? "and saved it to" : "from") \(path)")
                enclaveKey = key
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let explicitRelayer: PrivateKey?
        if let relayerKey {
            do { explicitRelayer = try SimulatedEnclaveKeyFile.load(path: relayerKey) } catch {
                throw ValidationError("--relayer-key \(relayerKey): \(error)")
            }
        } else {
            explicitRelayer = nil
        }
        let collateral = try registrationCollateral()
        if noCollateral {
            EnclaveWorkerRunner.say("[enclave SIMULATED] --no-collateral: a registration sends the quote alone")
        } else if let path = self.collateral {
            EnclaveWorkerRunner.say("[enclave SIMULATED] a registration sends the quote and the collateral of \(path) (\(collateral?.count ?? 0) bytes in the on-chain layout)")
        }
        let rpc = self.rpc, threads = self.threads, pollLogs = self.pollLogs
        let worker = TaskService(description: "enclave worker") {
            let relayer = try await EnclaveWorkerRunner.relayer(explicitRelayer, rpc: rpc)
            var configuration = EnclaveWorkerRunner.configuration(rpc: rpc, marketplace: marketplaceAddress, enclaveKey: enclaveKey,
                                                                 relayerKey: relayer, datadir: directory, collateral: collateral)
            configuration.threadCount = threads
            if pollLogs { configuration.followMode = .polling }
            try await EnclaveWorker(configuration: configuration).run()
        }
        // SIGINT/SIGTERM: the worker is cancelled (its journal keeps any result not yet sent), status 0.
        if let failure = ServiceRunner.run([ServiceRunner.essential(worker, name: "enclave worker")]) {
            FileHandle.standardError.write(Data("enclave serve: \(failure)\n".utf8))
            throw ExitCode(1)
        }
        EnclaveWorkerRunner.say("[enclave SIMULATED] stopped")
    }
}

/// Running an `EnclaveWorker` from the CLI: the standalone `enclave serve` and the one `node --dev`
/// starts in process for the dev chain's pre-registered enclave.
enum EnclaveWorkerRunner {
    /// One log line to standard output, unbuffered.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The in-node worker's temporary data directory for an ephemeral chain, removed at exit.
    nonisolated(unsafe) static var ephemeralDatadir: String?

    /// The dev chain's id: the default relayer (dev account 9) is used only there.
    static let devChainId: UInt64 = 31337
    /// The dev account that relays results by default.
    static let devRelayerIndex: UInt32 = 9

    /// A worker configuration with the SIMULATED enclave's quotes and log lines on standard output.
    /// - Parameter collateral: sent after the quote at registration (on-chain layout), nil for none.
    static func configuration(rpc: String, marketplace: Address, enclaveKey: PrivateKey, relayerKey: PrivateKey,
                              datadir: String, collateral: [UInt8]?) -> EnclaveWorker.Configuration {
        EnclaveWorker.Configuration(
            rpcURL: rpc, marketplace: marketplace, enclaveKey: enclaveKey, relayerKey: relayerKey, datadir: datadir,
            quote: { chainId, marketplace in
                SimulatedEnclave(signingKey: enclaveKey).marketplaceQuote(chainId: chainId, marketplace: marketplace)
            },
            collateral: collateral,
            log: { line in say(line) })
    }

    /// The relayer: the given key, else dev account 9 on the dev chain.
    /// - Throws: `ValidationError` on another chain without a key.
    static func relayer(_ explicit: PrivateKey?, rpc: String) async throws -> PrivateKey {
        if let explicit { return explicit }
        let chainId: UInt64
        do { chainId = try await RPCClient(url: rpc, requestTimeout: .seconds(10)).chainId() } catch {
            throw ValidationError("the node at \(rpc) does not answer: \(error)")
        }
        guard chainId == devChainId else {
            throw ValidationError("chain \(chainId) has no default relayer (dev account \(devRelayerIndex) is the default on chain \(devChainId) only): give --relayer-key FILE")
        }
        let wallet = try HDWallet(mnemonic: DevAccounts.mnemonic)
        return try wallet.accountPrivateKey(index: devRelayerIndex)
    }

    /// The dev chain's enclave worker inside `node --dev`, as a service of the node's group that
    /// starts work once the node's JSON-RPC server answers: the SIMULATED dev enclave key, relayer dev account 9, the journal in
    /// `<datadir>/enclave` (or a fresh temporary directory for an ephemeral node). Without a
    /// marketplace at 0x…2000 it says so and does nothing. Failures are logged; the node runs on.
    /// - Parameters:
    ///   - port: the node's JSON-RPC port.
    ///   - nodeDatadir: the node's data directory, nil if ephemeral.
    /// - Returns: the service, or nil when it cannot run (port 0).
    static func inNodeService(port: Int, nodeDatadir: String?) -> TaskService? {
        guard port != 0 else {
            say("[enclave SIMULATED] not started: the in-process enclave worker needs a fixed --port")
            return nil
        }
        let url = "http://127.0.0.1:\(port)"
        let marketplace = NodeAssembly.marketplaceAddress
        let datadir: String
        if let nodeDatadir {
            datadir = (nodeDatadir as NSString).appendingPathComponent("enclave")
        } else {
            // An ephemeral chain's journal is meaningless after the process: removed at exit.
            datadir = (NSTemporaryDirectory() as NSString).appendingPathComponent("goldengrain-enclave-\(getpid())-\(UInt64(Date().timeIntervalSince1970))")
            ephemeralDatadir = datadir
            atexit {
                if let directory = EnclaveWorkerRunner.ephemeralDatadir { try? FileManager.default.removeItem(atPath: directory) }
            }
        }
        return TaskService(description: "enclave worker") {
            let client = RPCClient(url: url, requestTimeout: .seconds(5))
            var answered = false
            for _ in 0 ..< 600 where !Task.isCancelled {
                if (try? await client.chainId()) != nil { answered = true; break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            if Task.isCancelled { return }
            guard answered else {
                say("[enclave SIMULATED] not started: the node's JSON-RPC server at \(url) did not answer within 30 s")
                return
            }
            guard let code = try? await client.getCode(marketplace), !code.isEmpty else {
                say("[enclave SIMULATED] not started: no marketplace at \(marketplace) in this chain's genesis")
                return
            }
            do {
                let relayer = try await relayer(nil, rpc: url)
                let configuration = configuration(rpc: url, marketplace: marketplace, enclaveKey: SimulatedEnclave.devEnclaveKey,
                                                  relayerKey: relayer, datadir: datadir,
                                                  collateral: SimulatedCollateral.standard.wireEncoded)
                try await EnclaveWorker(configuration: configuration).run()
            } catch is CancellationError {
                // The node is shutting down.
            } catch {
                say("[enclave SIMULATED] worker stopped: \(error)")
            }
        }
    }
}
