import ArgumentParser
import Attestation
import Foundation
import Inference
import Marketplace
import Primitives
import Signatures

/// `goldengrain market`: the marketplace from the command line, for providers, developers and buyers.
struct Market: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market",
        abstract: "Trade models on the marketplace: create tasks, submit and fetch models, status, refunds, withdrawals.",
        discussion: """
        Defaults fit the dev chain (`goldengrain node --dev`): --rpc http://127.0.0.1:8545, the \
        marketplace at 0x0000000000000000000000000000000000002000 and its pre-registered SIMULATED \
        enclave. Keys are files holding a private key as hex. Amounts are decimal ether ("0.5"), \
        durations like 90s, 30m, 1h, 2d. Progress goes to standard error; what was done, with the \
        transaction hash, to standard output (--json: one JSON object).
        """,
        subcommands: [MarketTask.self, MarketModel.self, MarketStatusCommand.self, MarketRefund.self, MarketWithdraw.self]
    )
}

/// The options every `market` subcommand takes.
struct MarketConnection: ParsableArguments {
    @Option(help: "The node's JSON-RPC URL.")
    var rpc: String = "http://127.0.0.1:8545"

    @Option(help: "The marketplace contract's address.")
    var marketplace: String = "0x0000000000000000000000000000000000002000"

    @Flag(help: "Print the result as one JSON object (progress still goes to standard error).")
    var json = false

    /// The marketplace address, checked.
    func marketplaceAddress() throws -> Address {
        try MarketKeys.address(marketplace, option: "--marketplace")
    }

    /// The actions for an account (nil: read-only).
    func actions(key: PrivateKey?) throws -> MarketActions {
        guard let url = URL(string: rpc), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw MarketInputError("--rpc \"\(rpc)\": expected a JSON-RPC URL such as http://127.0.0.1:8545")
        }
        return MarketActions(rpcURL: rpc, marketplace: try marketplaceAddress(), key: key)
    }

    /// Prints progress lines on standard error.
    var progress: @Sendable (MarketProgress) -> Void {
        { MarketRuntime.note("market: " + $0.message) }
    }

    /// Prints the result: the JSON object with --json, else the lines.
    func report(_ lines: [String], json object: [(String, JSON)]) {
        if json {
            MarketRuntime.say(JSON.object(object).serialized)
        } else {
            for line in lines { MarketRuntime.say(line) }
        }
    }
}

/// JSON members shared by every transaction a command sends.
enum MarketOutput {
    static func transaction(_ transaction: MarketplaceTransaction) -> [(String, JSON)] {
        [("transaction", .string(transaction.hash.description)), ("block", .integer(transaction.receipt.blockNumber)),
         ("gasUsed", .integer(transaction.gasUsed))]
    }

    static func transactionLine(_ transaction: MarketplaceTransaction) -> String {
        "  transaction  \(transaction.hash) (block \(transaction.receipt.blockNumber), \(transaction.gasUsed) gas)"
    }

    /// Reads a whole input file, naming the option on failure.
    static func read(_ path: String, option: String, expected: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MarketInputError("\(option) \(path): cannot read the file; expected \(expected)")
        }
        return [UInt8](data)
    }
}

// MARK: - market task create

/// `goldengrain market task`.
struct MarketTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Provider: create a task.", subcommands: [MarketTaskCreate.self])
}

/// `market task create --dataset FILE.ggd --min-accuracy BPS --max-price ETH --budget ETH --deadline
/// DURATION [--enclave ADDRESS] --key FILE --store DIR|URL`.
struct MarketTaskCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Encrypt and store a GGD test set, seal its key to the enclave, and create a task with a budget.",
        discussion: """
        The test set is encrypted with AES-256-GCM under a fresh key (GGE1), stored with --store (a \
        directory: a file:// URI; an http(s) URL: PUT URL/<keccak of the ciphertext>.gge), and the key \
        sealed with ECIES to the enclave's public key on chain. datasetHash is keccak256 of the \
        plaintext file; the buyer key is --key's public key, so `market model fetch --key` with the \
        same file opens the models bought. The deadline is DURATION after the latest block's time.
        """)

    @OptionGroup var connection: MarketConnection

    @Option(help: "The GGD test set.")
    var dataset: String

    @Option(name: .customLong("min-accuracy"), help: "The least accuracy paid, in basis points (0…10000; 9000 = 90%).")
    var minAccuracy: String

    @Option(name: .customLong("max-price"), help: "The price of a perfect model, in ether (decimal).")
    var maxPrice: String

    @Option(help: "The budget escrowed, in ether (decimal).")
    var budget: String

    @Option(help: "How long submissions stay open: 90s, 30m, 1h, 2d, 1h30m.")
    var deadline: String

    @Option(help: "The enclave's address (default: the dev chain's SIMULATED enclave).")
    var enclave: String?

    @Option(help: "The provider's private key file (hex); also the buyer key models are sealed to.")
    var key: String

    @Option(help: "Where to store the encrypted test set: a directory or an http(s):// URL.")
    var store: String

    func run() throws {
        try MarketRuntime.reporting("market") {
            let minAccuracyBps = try BasisPoints.parse(minAccuracy, name: "--min-accuracy")
            let maxPricePerModel = try Ether.parse(maxPrice, name: "--max-price")
            let budgetWei = try Ether.parse(budget, name: "--budget")
            let seconds = try MarketDuration.parse(deadline, name: "--deadline")
            let enclaveAddress = try enclave.map { try MarketKeys.address($0, option: "--enclave") }
                ?? SimulatedEnclave.devEnclaveKey.address
            let storeTarget = try MarketStore(parsing: store)
            let providerKey = try MarketKeys.load(path: key)
            let datasetBytes = try MarketOutput.read(dataset, option: "--dataset", expected: "a GGD test-set file")
            do { _ = try Dataset(bytes: datasetBytes) } catch {
                throw MarketInputError("--dataset \(dataset): is not a GGD test set: \(error)")
            }
            let actions = try connection.actions(key: providerKey)
            let progress = connection.progress
            let task = try MarketRuntime.run {
                try await actions.createTask(dataset: datasetBytes, minAccuracyBps: minAccuracyBps,
                                             maxPricePerModel: maxPricePerModel, budget: budgetWei,
                                             deadline: .after(seconds: seconds), enclave: enclaveAddress,
                                             store: storeTarget, progress: progress)
            }
            let isDev = enclaveAddress == SimulatedEnclave.devEnclaveKey.address
            connection.report([
                "created task \(task.taskId) at marketplace \(actions.marketplace.address)",
                "  test set     \(dataset): \(datasetBytes.count) bytes, keccak256 \(task.datasetHash)",
                "  stored at    \(task.datasetURI)",
                "  enclave      \(task.enclave)\(isDev ? " (the dev chain's SIMULATED enclave)" : "")",
                "  terms        min accuracy \(BasisPoints.percent(task.minAccuracyBps)) (\(task.minAccuracyBps) bps), max price \(Ether.format(task.maxPricePerModel)) ETH a model, budget \(Ether.format(task.budget)) ETH",
                "  deadline     \(MarketStatusReport.utc(task.deadline)) (\(MarketDuration.format(seconds)) from the latest block)",
                "  buyer        \(providerKey.address)",
                MarketOutput.transactionLine(task.transaction),
            ], json: [
                ("action", .string("task create")), ("taskId", .integer(task.taskId)),
                ("marketplace", .string(actions.marketplace.address.checksummed)),
                ("provider", .string(providerKey.address.checksummed)), ("enclave", .string(task.enclave.checksummed)),
                ("datasetHash", .string(task.datasetHash.description)), ("datasetURI", .string(task.datasetURI)),
                ("minAccuracyBps", .integer(task.minAccuracyBps)),
                ("maxPricePerModelWei", .string(task.maxPricePerModel.description)),
                ("budgetWei", .string(task.budget.description)), ("deadline", .integer(task.deadline)),
            ] + MarketOutput.transaction(task.transaction))
        }
    }
}

// MARK: - market model submit | fetch

/// `goldengrain market model`.
struct MarketModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Developer: submit a model. Buyer: fetch a sold model.",
        subcommands: [MarketModelSubmit.self, MarketModelFetch.self])
}

/// `market model submit --task ID --model FILE.ggm --key FILE --store DIR|URL`.
struct MarketModelSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Encrypt and store a GGM model, seal its key to the task's enclave, and submit it.")

    @OptionGroup var connection: MarketConnection

    @Option(help: "The task's id.")
    var task: UInt64

    @Option(help: "The GGM model file.")
    var model: String

    @Option(help: "The developer's private key file (hex); the account paid for the model.")
    var key: String

    @Option(help: "Where to store the encrypted model: a directory or an http(s):// URL.")
    var store: String

    func run() throws {
        try MarketRuntime.reporting("market") {
            let storeTarget = try MarketStore(parsing: store)
            let developerKey = try MarketKeys.load(path: key)
            let modelBytes = try MarketOutput.read(model, option: "--model", expected: "a GGM model file")
            do { _ = try QuantizedModel(bytes: modelBytes) } catch {
                throw MarketInputError("--model \(model): is not a GGM model file: \(error)")
            }
            let actions = try connection.actions(key: developerKey)
            let progress = connection.progress
            let taskId = task
            let submitted = try MarketRuntime.run {
                try await actions.submitModel(taskId: taskId, model: modelBytes, store: storeTarget, progress: progress)
            }
            connection.report([
                "submitted model \(submitted.modelId) to task \(submitted.taskId) at marketplace \(actions.marketplace.address)",
                "  model        \(model): \(modelBytes.count) bytes, keccak256 \(submitted.modelHash)",
                "  stored at    \(submitted.modelURI)",
                "  key sealed to the task's enclave \(submitted.enclave)",
                "  developer    \(developerKey.address)",
                MarketOutput.transactionLine(submitted.transaction),
            ], json: [
                ("action", .string("model submit")), ("modelId", .integer(submitted.modelId)),
                ("taskId", .integer(submitted.taskId)), ("developer", .string(developerKey.address.checksummed)),
                ("modelHash", .string(submitted.modelHash.description)), ("modelURI", .string(submitted.modelURI)),
                ("enclave", .string(submitted.enclave.checksummed)),
            ] + MarketOutput.transaction(submitted.transaction))
        }
    }
}

/// `market model fetch --model ID --key FILE --out FILE.ggm`.
struct MarketModelFetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Buyer: open a sold model's key with your key, download and decrypt it, check its hash, write the GGM.",
        discussion: "Score it locally with `goldengrain model eval FILE.ggm --dataset TEST.ggd`.")

    @OptionGroup var connection: MarketConnection

    @Option(help: "The model's id.")
    var model: UInt64

    @Option(help: "The buyer's private key file (hex): the provider key the task was created with.")
    var key: String

    @Option(help: "Where to write the GGM model.")
    var out: String

    func run() throws {
        try MarketRuntime.reporting("market") {
            let buyerKey = try MarketKeys.load(path: key)
            let outURL = URL(fileURLWithPath: out)
            var isDirectory: ObjCBool = false
            let parent = outURL.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw MarketInputError("--out \(out): the directory \(parent) does not exist; expected a file path in an existing directory")
            }
            let actions = try connection.actions(key: buyerKey)
            let progress = connection.progress
            let modelId = model
            let fetched = try MarketRuntime.run { try await actions.fetchModel(modelId: modelId, buyerKey: buyerKey, progress: progress) }
            do {
                try Data(fetched.model).write(to: outURL, options: .atomic)
            } catch {
                throw MarketFailure("--out \(out): cannot write the model: \(error.localizedDescription)")
            }
            connection.report([
                "fetched model \(fetched.modelId) of task \(fetched.taskId): \(fetched.model.count) bytes, keccak256 \(fetched.modelHash) as on chain",
                "  sold at      \(BasisPoints.percent(fetched.accuracyBps)) accuracy for \(Ether.format(fetched.price)) ETH (transaction \(fetched.saleTransaction))",
                "  read from    \(fetched.source)",
                "  wrote        \(out)",
            ], json: [
                ("action", .string("model fetch")), ("modelId", .integer(fetched.modelId)), ("taskId", .integer(fetched.taskId)),
                ("out", .string(out)), ("bytes", .integer(fetched.model.count)),
                ("modelHash", .string(fetched.modelHash.description)), ("accuracyBps", .integer(fetched.accuracyBps)),
                ("priceWei", .string(fetched.price.description)), ("source", .string(fetched.source)),
                ("saleTransaction", .string(fetched.saleTransaction.description)),
            ])
        }
    }
}

// MARK: - market status | refund | withdraw

/// `market status [--task ID]`.
struct MarketStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Tables of tasks (state, deadline, terms, budget left) and models (status, accuracy, price).")

    @OptionGroup var connection: MarketConnection

    @Option(help: "Only this task and its models.")
    var task: UInt64?

    func run() throws {
        try MarketRuntime.reporting("market") {
            let actions = try connection.actions(key: nil)
            let taskId = task
            let report = try MarketRuntime.run { try await actions.status(taskId: taskId) }
            if connection.json {
                MarketRuntime.say(report.json.serialized)
            } else {
                FileHandle.standardOutput.write(Data(report.rendered.utf8))
            }
        }
    }
}

/// `market refund --task ID --key FILE`.
struct MarketRefund: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Provider: take back what is left of a task's budget after its result window.")

    @OptionGroup var connection: MarketConnection

    @Option(help: "The task's id.")
    var task: UInt64

    @Option(help: "The provider's private key file (hex).")
    var key: String

    func run() throws {
        try MarketRuntime.reporting("market") {
            let providerKey = try MarketKeys.load(path: key)
            let actions = try connection.actions(key: providerKey)
            let progress = connection.progress
            let taskId = task
            let payout = try MarketRuntime.run { try await actions.refund(taskId: taskId, progress: progress) }
            connection.report([
                "refunded \(Ether.format(payout.amount)) ETH of task \(taskId) to \(providerKey.address)",
                MarketOutput.transactionLine(payout.transaction),
            ], json: [
                ("action", .string("refund")), ("taskId", .integer(taskId)), ("provider", .string(providerKey.address.checksummed)),
                ("amountWei", .string(payout.amount.description)),
            ] + MarketOutput.transaction(payout.transaction))
        }
    }
}

/// `market withdraw --key FILE`.
struct MarketWithdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Developer: withdraw your credit (the prices of the models you sold).")

    @OptionGroup var connection: MarketConnection

    @Option(help: "The developer's private key file (hex).")
    var key: String

    func run() throws {
        try MarketRuntime.reporting("market") {
            let developerKey = try MarketKeys.load(path: key)
            let actions = try connection.actions(key: developerKey)
            let progress = connection.progress
            let payout = try MarketRuntime.run { try await actions.withdraw(progress: progress) }
            connection.report([
                "withdrew \(Ether.format(payout.amount)) ETH to \(developerKey.address)",
                MarketOutput.transactionLine(payout.transaction),
            ], json: [
                ("action", .string("withdraw")), ("account", .string(developerKey.address.checksummed)),
                ("amountWei", .string(payout.amount.description)),
            ] + MarketOutput.transaction(payout.transaction))
        }
    }
}
