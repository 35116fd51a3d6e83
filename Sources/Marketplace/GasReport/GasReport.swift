import Primitives

/// Gas used by the calls of one function, summarised as Foundry's gas report does
/// (foundry-rs/foundry, crates/forge/src/gas_report.rs and crates/common/src/calc.rs): the
/// samples sorted; min and max their ends; mean ⌊Σ / n⌋; median the middle sample, or for an even
/// count ⌊(a + b) / 2⌋ of the two middle samples.
public struct GasStatistics: Hashable, Sendable {
    /// How many calls.
    public let calls: Int
    /// The least gas.
    public let min: UInt64
    /// ⌊Σ gas / calls⌋.
    public let mean: UInt64
    /// The median as forge computes it.
    public let median: UInt64
    /// The most gas.
    public let max: UInt64

    /// Summarises samples.
    /// - Parameter samples: gas used per call, any order; empty gives all zeros.
    public init(samples: [UInt64]) {
        let sorted = samples.sorted()
        calls = sorted.count
        guard let first = sorted.first, let last = sorted.last else {
            min = 0; mean = 0; median = 0; max = 0
            return
        }
        min = first
        max = last
        // Σ of up to 2^32 samples below 2^64 fits 96 bits: add in a wide accumulator.
        var sum = UInt256.zero
        for sample in sorted { sum = sum &+ UInt256(sample) }
        mean = sum.quotient(dividingBy: UInt256(UInt64(sorted.count))).low64
        let middle = sorted.count / 2
        if sorted.count % 2 == 0 {
            median = ((UInt256(sorted[middle - 1]) &+ UInt256(sorted[middle])) >> 1).low64
        } else {
            median = sorted[middle]
        }
    }
}

/// A gas report over a range of blocks: per contract its deployment and, per function, the gas of
/// the transactions that called it, rendered as `forge test --gas-report` renders it.
public struct GasReport: Sendable {
    /// One contract's figures.
    public struct Contract: Sendable {
        /// Its name ("Contracts/Marketplace.vy:Marketplace" for an artifact that names its source).
        public var name: String
        /// Gas used by its (last) deployment transaction in the range; 0 if not deployed in it.
        public var deploymentGas: UInt64
        /// Bytes of that transaction's input (init code and constructor arguments), as forge's size.
        public var deploymentSize: Int
        /// Addresses it was found at.
        public var addresses: [Address]
        /// Function name → canonical signature → gas samples.
        public var samples: [String: [String: [UInt64]]]

        /// Creates an empty entry.
        /// - Parameter name: the contract's name.
        public init(name: String) {
            self.name = name
            deploymentGas = 0
            deploymentSize = 0
            addresses = []
            samples = [:]
        }

        /// The statistics per function, sorted by name then signature (byte order, as a BTreeMap).
        /// Each row's label is the name, or the signature when the name is overloaded.
        public var functionRows: [(label: String, signature: String, statistics: GasStatistics)] {
            var rows: [(String, String, GasStatistics)] = []
            for name in samples.keys.sorted(by: Self.byteOrder) {
                let signatures = samples[name] ?? [:]
                for signature in signatures.keys.sorted(by: Self.byteOrder) {
                    rows.append((signatures.count == 1 ? name : signature, signature,
                                 GasStatistics(samples: signatures[signature] ?? [])))
                }
            }
            return rows
        }

        static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
    }

    /// The contracts seen, keyed by name.
    public var contracts: [String: Contract]
    /// First and last block read.
    public var fromBlock: UInt64
    /// Last block read.
    public var toBlock: UInt64
    /// Transactions read.
    public var transactionCount: Int
    /// Transactions whose target no --abi file described (or whose selector no ABI names).
    public var unattributedCount: Int

    /// Creates an empty report.
    /// - Parameters:
    ///   - fromBlock: first block.
    ///   - toBlock: last block.
    public init(fromBlock: UInt64, toBlock: UInt64) {
        contracts = [:]
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        transactionCount = 0
        unattributedCount = 0
    }

    /// The contracts reported, sorted by name; like forge, a contract without function calls is left out.
    public var reportedContracts: [Contract] {
        contracts.values.filter { !$0.samples.isEmpty }.sorted { Contract.byteOrder($0.name, $1.name) }
    }

    /// One contract's table, as forge prints it.
    /// - Parameter contract: the contract.
    /// - Returns: the table.
    public static func table(for contract: Contract) -> TextTable {
        var rows: [[String]] = [
            ["Deployment Cost", "Deployment Size"],
            [String(contract.deploymentGas), String(contract.deploymentSize)],
            [""],
            ["Function Name", "Min", "Avg", "Median", "Max", "# Calls"],
        ]
        for row in contract.functionRows {
            let statistics = row.statistics
            rows.append([row.label, String(statistics.min), String(statistics.mean), String(statistics.median),
                         String(statistics.max), String(statistics.calls)])
        }
        return TextTable(header: ["\(contract.name) Contract", "", "", "", "", ""], rows: rows)
    }

    /// Every reported contract's table, each followed by a blank line.
    public var renderedTables: String {
        reportedContracts.map { Self.table(for: $0).rendered + "\n" }.joined()
    }

    /// Forge's `--gas-report --json` shape: an array of
    /// `{"contract", "deployment": {"gas", "size"}, "functions": {signature: {"calls", "min", "mean", "median", "max"}}}`.
    public var json: JSON {
        .array(reportedContracts.map { contract in
            var functions: [(String, JSON)] = []
            for row in contract.functionRows.sorted(by: { Contract.byteOrder($0.signature, $1.signature) }) {
                let statistics = row.statistics
                functions.append((row.signature, .object([
                    ("calls", .integer(statistics.calls)), ("min", .integer(statistics.min)),
                    ("mean", .integer(statistics.mean)), ("median", .integer(statistics.median)),
                    ("max", .integer(statistics.max)),
                ])))
            }
            return .object([
                ("contract", .string(contract.name)),
                ("deployment", .object([("gas", .integer(contract.deploymentGas)), ("size", .integer(contract.deploymentSize))])),
                ("functions", .object(functions)),
            ])
        })
    }
}
