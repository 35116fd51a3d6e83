// State growth (issue 18 §2): a dev node over LevelDB whose state grows to N funded accounts and
// N storage slots, measured after each step. A plain executable, not an ordo-one benchmark: one
// run is a long growth (minutes to an hour) whose figures are a curve over the state size, not
// repeated samples of one fixed operation, so it writes one CSV row per step instead. (It lives in
// Benchmarks/state/, not directly in Benchmarks/, because ordo-one's plugin takes every executable
// target there for one of its benchmarks, and `make bench` would run this one too.)
//
//   GOLDENGRAIN_BENCHMARKS=1 swift build -c release --scratch-path .build-bench --product StateGrowth
//   .build-bench/release/StateGrowth --datadir /tmp/gg-state --accounts 1000000 --slots 1000000 \
//       --step 100000 --measure 7 --csv Benchmarks/state/state_growth.csv
//   .build-bench/release/StateGrowth --datadir /tmp/gg-state --reopen --measure 7 --csv reopened.csv
//   .venv/bin/python Benchmarks/state/plot_state_growth.py Benchmarks/state/state_growth.csv
//
// The node is assembled as `goldengrain node --dev --datadir DIR` assembles it (Genesis/dev.json,
// `Node.goldenGrain`: CliqueEngine and the genesis precompiles, LevelDB under DIR/chaindata), with
// automine off, so the datadir it leaves opens with `goldengrain node --dev --datadir DIR`.
//
// Growth: blocks of 1,000 EIP-1559 transfers (1 wei) from the ten dev accounts to fresh addresses,
// and blocks holding one call of a small contract (`SlotWriter`) that writes 1,000 fresh storage
// slots. Every block's base fee is pinned at 1 gwei (anvil_setNextBlockBaseFeePerGas's control):
// growth blocks are fuller than the EIP-1559 target and would otherwise raise it 5 % a block.
//
// Measurement after each step: one warm-up and `--measure` rounds of blocks of 1,000 transfers
// from the ten dev accounts to 1,000 distinct recipients drawn at random among the accounts created
// so far (so the reads and the trie updates reach the deep trie), each block `Node.submit` of
// every transfer then `Node.mine` (signing excluded, as in ChainBenchmarks). Each round mines one
// such block on the grown node and one on a baseline node in the same process (its own datadir,
// DATADIR-baseline: genesis plus 1,000 accounts and 1,000 slots, the near-empty state), the order
// alternating round by round, so load from elsewhere on the shared machine hits both alike and
// `ratio` (grown / baseline transfers per second) is the figure the issue's ≥ 70 % goal is about.
// Per block: the wall time of submit + mine, each of the two, and two parts of mine read from the
// node's own timers through a metrics backend installed here: the state root
// (`goldengrain_state_commit_duration_seconds`, around `WorldState.commit`) and the chain store's
// LevelDB write (`goldengrain_leveldb_write_duration_seconds`). A row holds medians over the
// measured rounds, the datadir's size, the process's VmRSS and peak (VmHWM; both nodes, the
// baseline's share is tens of MB) and the one-minute load average.
//
// `--reopen` measures an existing datadir without growing it: a freshly opened node, whose state
// caches start empty (as after a restart), against the baseline; the row is appended to the CSV.
import Chain
import ChainTypes
import Dispatch
import Execution
import Foundation
import GoldenGrainNode
import Metrics
import Primitives
import Signatures
import Storage

/// The command line: `--datadir DIR --accounts N --slots N --step N [--measure M] [--csv FILE]`.
struct Options {
    var datadir = ""
    var accounts = 1_000_000
    var slots = 1_000_000
    var step = 100_000
    var measure = 5
    var csv = "state_growth.csv"
    /// The baseline node's datadir (default DATADIR-baseline).
    var baseline = ""
    /// Measure an existing datadir (cold: a freshly opened node) instead of growing one.
    var reopen = false
    var genesis = FileManager.default.currentDirectoryPath + "/Genesis/dev.json"

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number() -> Int {
            let text = value()
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number > 0 else {
                fail("\(arguments[index - 1]) \(text): expected a positive integer")
            }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--datadir": options.datadir = value()
            case "--accounts": options.accounts = number()
            case "--slots": options.slots = number()
            case "--step": options.step = number()
            case "--measure": options.measure = number()
            case "--csv": options.csv = value()
            case "--genesis": options.genesis = value()
            case "--baseline": options.baseline = value()
            case "--reopen": options.reopen = true
            default: fail("unknown argument \(arguments[index]); usage: StateGrowth --datadir DIR --accounts N --slots N --step N [--measure M] [--csv FILE] [--genesis FILE] [--baseline DIR] [--reopen]")
            }
            index += 1
        }
        if options.datadir.isEmpty { fail("--datadir DIR is required") }
        if options.baseline.isEmpty { options.baseline = options.datadir + "-baseline" }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("StateGrowth: " + message + "\n").utf8))
    exit(1)
}

/// The runtime code of the slot writer: each call writes 1 to the `slotsPerCall` slots after the
/// counter in slot 0, then stores the new counter there, so slots 0 … counter − 1 are all nonzero
/// and slot 0 holds how many there are.
///
///     00 PUSH1 0 SLOAD DUP1 PUSH2 1000 ADD SWAP1     ; end = counter + 1000, i = counter
///     09 JUMPDEST PUSH1 1 DUP2 SSTORE                ; sstore(i, 1)
///        PUSH1 1 ADD DUP2 DUP2 LT PUSH1 9 JUMPI      ; i += 1; loop while i < end
///        PUSH1 0 SSTORE STOP                         ; sstore(0, end)
enum SlotWriter {
    static let slotsPerCall = 1000
    static let runtime: [UInt8] = [0x60, 0x00, 0x54, 0x80, 0x61, UInt8(slotsPerCall >> 8), UInt8(slotsPerCall & 0xFF), 0x01, 0x90,
                                   0x5B, 0x60, 0x01, 0x81, 0x55,
                                   0x60, 0x01, 0x01, 0x81, 0x81, 0x10, 0x60, 0x09, 0x57,
                                   0x60, 0x00, 0x55, 0x00]
    /// Init code returning `runtime`: PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN.
    static var initCode: [UInt8] {
        [0x60, UInt8(runtime.count), 0x80, 0x60, 0x0B, 0x60, 0x00, 0x39, 0x60, 0x00, 0xF3] + runtime
    }
    /// Gas for one call: 1,000 fresh slots at 22,100 each, the loop, the counter and intrinsic gas.
    static let callGas: UInt64 = 23_000_000
}

/// A metrics backend that keeps only the durations of two node timers: the state commit and the
/// chain store's LevelDB write.
final class NodeTimes: MetricsFactory, @unchecked Sendable {
    static let commitLabel = "goldengrain_state_commit_duration_seconds"
    static let writeLabel = "goldengrain_leveldb_write_duration_seconds"

    final class Durations: TimerHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var nanoseconds: [Int64] = []
        func recordNanoseconds(_ duration: Int64) { lock.lock(); nanoseconds.append(duration); lock.unlock() }
        /// The durations recorded since the last call, emptied.
        func take() -> [Int64] { lock.lock(); defer { nanoseconds.removeAll(); lock.unlock() }; return nanoseconds }
    }

    let commits = Durations()
    let writes = Durations()

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { NOOPMetricsHandler.instance }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { NOOPMetricsHandler.instance }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        switch label {
        case Self.commitLabel: commits
        case Self.writeLabel: writes
        default: NOOPMetricsHandler.instance
        }
    }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// One mined block's times, in nanoseconds.
struct BlockTimes {
    /// `Node.submit` of every transaction (decoding checks, sender recovery, pool admission).
    var submit: Int64
    /// `Node.mine`: building, executing, committing the state, sealing and writing the block.
    var mine: Int64
    /// The state-root part of `mine` (`WorldState.commit`).
    var commit: Int64
    /// The LevelDB write of `mine` (the block, its receipts and trie nodes in one batch).
    var write: Int64
    var wall: Int64 { submit + mine }
}

/// A small deterministic generator (SplitMix64), so runs draw the same recipients.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The dev node and the state it has grown.
final class Grower {
    static let perBlock = 1000
    static let gwei = UInt256(1_000_000_000)
    let options: Options
    let store: LevelDBStore
    let node: Node
    let keys: [PrivateKey]
    let chainId: UInt64
    let nodeTimes: NodeTimes
    var nonces: [UInt64]
    /// Fresh accounts created so far (address i is `account(i)`).
    var accounts = 0
    /// Storage slots the slot writer holds.
    var slots = 0
    var transactions = 0
    var contract: Address?
    var random = SplitMix64(state: 18)
    let started = DispatchTime.now().uptimeNanoseconds

    let datadir: String

    /// Opens a node on `datadir`: a new dev chain (genesis timestamp now, as `goldengrain node --dev`
    /// starts one), or with `reopen` the chain a previous run left there (its created accounts and
    /// slots counted in DATADIR/stategrowth.txt).
    init(datadir: String, reopen: Bool, options: Options, nodeTimes: NodeTimes) throws {
        self.datadir = datadir
        self.options = options
        self.nodeTimes = nodeTimes
        let exists = FileManager.default.fileExists(atPath: datadir + "/chaindata")
        if exists != reopen {
            fail(reopen ? "\(datadir)/chaindata does not exist: nothing to reopen"
                        : "\(datadir)/chaindata exists: give a new --datadir (a run grows its state from genesis) or --reopen")
        }
        var genesis = try Genesis(contentsOfFile: options.genesis)
        try FileManager.default.createDirectory(atPath: datadir, withIntermediateDirectories: true)
        store = try LevelDBStore(path: datadir + "/chaindata")
        genesis.timestamp = try ChainStore.storedGenesisHeader(in: store)?.timestamp ?? UInt64(Date().timeIntervalSince1970)
        var configuration = try NodeConfiguration.dev(genesis: genesis)
        configuration.isAutomine = false
        let node = try Node.goldenGrain(configuration: configuration, store: store)
        let keys = Array(configuration.unlockedKeys.prefix(10))
        self.node = node
        self.keys = keys
        chainId = node.chainId
        nonces = try keys.map { try node.nonce(of: $0.address) }
        if reopen {
            let counts = ((try? String(contentsOfFile: datadir + "/stategrowth.txt", encoding: .utf8)) ?? "")
                .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            guard counts.count == 3 else { fail("\(datadir)/stategrowth.txt does not hold 'accounts slots transactions'") }
            (accounts, slots, transactions) = (counts[0], counts[1], counts[2])
        }
    }

    /// Records the counts for a later `--reopen`.
    func saveCounts() throws {
        try "\(accounts) \(slots) \(transactions)\n".write(toFile: datadir + "/stategrowth.txt", atomically: true, encoding: .utf8)
    }

    /// The address of the i-th created account: 0x6767… ‖ i, clear of the genesis accounts and precompiles.
    static func account(_ index: Int) -> Address { Address(high: 0x6767_6767_0000_0000, middle: 0, low: UInt32(index)) }

    func transfer(from sender: Int, to recipient: Address) -> Transaction {
        defer { nonces[sender] += 1 }
        return Transaction.dynamicFee(chainId: chainId, nonce: nonces[sender], maxPriorityFeePerGas: Self.gwei,
                                      maxFeePerGas: Self.gwei &* 10, gasLimit: 21000, to: recipient, value: 1)
            .signed(with: keys[sender])
    }

    /// Submits and mines one block of `transactions` at a 1 gwei base fee and checks that it holds
    /// them all and that each succeeded when `checkReceipts` is set.
    /// - Returns: the block's times.
    @discardableResult
    func mine(_ block: [Transaction], checkReceipts: Bool = false) throws -> BlockTimes {
        node.setNextBlockBaseFee(Self.gwei)
        _ = (nodeTimes.commits.take(), nodeTimes.writes.take())
        let start = DispatchTime.now().uptimeNanoseconds
        for transaction in block { try node.submit(transaction, mining: false) }
        let submitted = DispatchTime.now().uptimeNanoseconds
        try node.mine()
        let mined = DispatchTime.now().uptimeNanoseconds
        let commits = nodeTimes.commits.take(), writes = nodeTimes.writes.take()
        guard commits.count == 1, writes.count == 1 else {
            fail("block \(node.headNumber): \(commits.count) state commits and \(writes.count) store writes recorded, expected 1 each")
        }
        let included = try node.block(.latest)?.block.transactions.count
        guard included == block.count else {
            fail("block \(node.headNumber) holds \(included.map(String.init) ?? "no") transactions, expected \(block.count)")
        }
        if checkReceipts {
            for transaction in block {
                guard let record = try node.receipt(hash: transaction.hash), record.receipt.status == .success else {
                    fail("transaction \(transaction.hash) in block \(node.headNumber) did not succeed")
                }
            }
        }
        transactions += block.count
        return BlockTimes(submit: Int64(submitted - start), mine: Int64(mined - submitted), commit: commits[0], write: writes[0])
    }

    func deployContract() throws {
        let address = ContractAddress.create(sender: keys[0].address, nonce: nonces[0])
        let creation = Transaction.dynamicFee(chainId: chainId, nonce: nonces[0], maxPriorityFeePerGas: Self.gwei,
                                              maxFeePerGas: Self.gwei &* 10, gasLimit: 200_000, to: nil, value: 0,
                                              data: SlotWriter.initCode).signed(with: keys[0])
        nonces[0] += 1
        try mine([creation], checkReceipts: true)
        guard try node.code(of: address) == SlotWriter.runtime else { fail("the slot writer was not deployed at \(address)") }
        contract = address
    }

    /// Creates accounts up to `target` in blocks of 1,000 transfers.
    func growAccounts(to target: Int) throws {
        while accounts < target {
            let count = min(Self.perBlock, target - accounts)
            let block = (0 ..< count).map { transfer(from: $0 % keys.count, to: Self.account(accounts + $0)) }
            try mine(block)
            accounts += count
        }
    }

    /// Writes slots up to `target` (rounded up to whole calls), one slot-writer call per block.
    func growSlots(to target: Int) throws {
        guard let contract else { fail("no slot writer") }
        while slots < target {
            let sender = slots / SlotWriter.slotsPerCall % keys.count
            let call = Transaction.dynamicFee(chainId: chainId, nonce: nonces[sender], maxPriorityFeePerGas: Self.gwei,
                                              maxFeePerGas: Self.gwei &* 10, gasLimit: SlotWriter.callGas, to: contract,
                                              value: 0).signed(with: keys[sender])
            nonces[sender] += 1
            try mine([call], checkReceipts: true)
            slots += SlotWriter.slotsPerCall
        }
        let counter = try node.storage(of: contract, key: .zero)
        guard counter == UInt256(UInt64(slots)) else { fail("the slot writer holds \(counter) slots, expected \(slots)") }
    }

    /// The next measured block: transfers from the ten dev accounts to 1,000 distinct accounts
    /// drawn at random among those created (all of them while there are at most 1,000).
    func measuredBlock() -> [Transaction] {
        var recipients = Set<Int>()
        while recipients.count < min(Self.perBlock, accounts) { recipients.insert(Int.random(in: 0 ..< accounts, using: &random)) }
        return recipients.enumerated().map { transfer(from: $0.offset % keys.count, to: Self.account($0.element)) }
    }

    /// One warm-up block each, then `options.measure` rounds that mine one measured block on this
    /// node and one on `baseline`, the order alternating round by round, so that load from
    /// elsewhere on the machine falls on both alike.
    /// - Returns: this node's and the baseline's block times over the measured rounds.
    func measure(against baseline: Grower) throws -> (own: [BlockTimes], baseline: [BlockTimes]) {
        var own: [BlockTimes] = [], other: [BlockTimes] = []
        for round in 0 ... options.measure {
            let ownBlock = measuredBlock(), otherBlock = baseline.measuredBlock()
            if round % 2 == 0 {
                let first = try mine(ownBlock), second = try baseline.mine(otherBlock)
                if round > 0 { own.append(first); other.append(second) }
            } else {
                let second = try baseline.mine(otherBlock), first = try mine(ownBlock)
                own.append(first); other.append(second)
            }
        }
        return (own, other)
    }
}

/// The total size of the regular files under `path`, in bytes.
func directorySize(_ path: String) -> Int {
    guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
    var total = 0
    while let name = walker.nextObject() as? String {
        if let attributes = walker.fileAttributes, attributes[.type] as? FileAttributeType == .typeRegular {
            total += (attributes[.size] as? Int) ?? 0
        } else if let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name),
                  attributes[.type] as? FileAttributeType == .typeRegular {
            total += (attributes[.size] as? Int) ?? 0
        }
    }
    return total
}

/// A field of /proc/self/status in kB (VmRSS, VmHWM).
func processStatus(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return 0
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").first.map(String.init) ?? ""
}

func milliseconds(_ values: [Int64]) -> String {
    let sorted = values.sorted(), middle = sorted.count / 2
    let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    return String(format: "%.2f", median / 1e6)
}

func transfersPerSecond(_ times: [BlockTimes]) -> Double {
    let sorted = times.map(\.wall).sorted(), middle = sorted.count / 2
    let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    return Double(Grower.perBlock) * 1e9 / median
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let nodeTimes = NodeTimes()
MetricsSystem.bootstrap(nodeTimes)
do {
    let grower = try Grower(datadir: options.datadir, reopen: options.reopen, options: options, nodeTimes: nodeTimes)
    // The baseline: a second dev node in this process whose state stays near empty (1,000 accounts and
    // 1,000 slots, plus the measured blocks' balance changes), measured alternately with the grown one.
    let baselineExists = FileManager.default.fileExists(atPath: options.baseline + "/chaindata")
    let baseline = try Grower(datadir: options.baseline, reopen: baselineExists, options: options, nodeTimes: nodeTimes)
    if !baselineExists {
        try baseline.deployContract()
        try baseline.growAccounts(to: Grower.perBlock)
        try baseline.growSlots(to: Grower.perBlock)
        try baseline.saveCounts()
    }
    let header = "accounts,slots,transactions,blocks,transfers_per_s,state_root_ms,block_ms,submit_ms,mine_ms,store_write_ms,"
        + "baseline_transfers_per_s,baseline_state_root_ms,baseline_block_ms,ratio,datadir_mb,rss_mb,rss_peak_mb,elapsed_s,load1"
    let appending = options.reopen && FileManager.default.fileExists(atPath: options.csv)
    if !appending {
        guard FileManager.default.createFile(atPath: options.csv, contents: Data((header + "\n").utf8)) else {
            fail("cannot write \(options.csv)")
        }
    }
    guard let csv = FileHandle(forWritingAtPath: options.csv) else { fail("cannot write \(options.csv)") }
    csv.seekToEndOfFile()
    FileHandle.standardOutput.write(Data((header + "\n").utf8))
    var targets: [Int] = []
    if options.reopen {
        targets = [grower.accounts]
    } else {
        try grower.deployContract()
        targets = [Grower.perBlock]
        var target = options.step
        while target < options.accounts { if target > Grower.perBlock { targets.append(target) }; target += options.step }
        targets.append(options.accounts)
    }
    for accountTarget in targets {
        try grower.growAccounts(to: accountTarget)
        if !options.reopen {
            try grower.growSlots(to: Int((Double(accountTarget) * Double(options.slots) / Double(options.accounts)).rounded()))
        }
        let (own, other) = try grower.measure(against: baseline)
        try grower.saveCounts()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - grower.started) / 1e9
        let rate = transfersPerSecond(own), baselineRate = transfersPerSecond(other)
        let row = [String(grower.accounts), String(grower.slots), String(grower.transactions), String(grower.node.headNumber),
                   String(format: "%.0f", rate), milliseconds(own.map(\.commit)), milliseconds(own.map(\.wall)),
                   milliseconds(own.map(\.submit)), milliseconds(own.map(\.mine)), milliseconds(own.map(\.write)),
                   String(format: "%.0f", baselineRate), milliseconds(other.map(\.commit)), milliseconds(other.map(\.wall)),
                   String(format: "%.3f", rate / baselineRate),
                   String(format: "%.1f", Double(directorySize(options.datadir)) / 1_048_576),
                   String(format: "%.1f", Double(processStatus("VmRSS")) / 1024),
                   String(format: "%.1f", Double(processStatus("VmHWM")) / 1024),
                   String(format: "%.0f", elapsed), loadAverage()].joined(separator: ",")
        FileHandle.standardOutput.write(Data((row + "\n").utf8))
        csv.write(Data((row + "\n").utf8))
    }
    csv.closeFile()
    grower.store.close()
    baseline.store.close()
} catch {
    fail("\(error)")
}
