// Chain benchmarks: value transfers committed into LevelDB blocks through the real `Node`, assembled
// as `goldengrain node --dev` assembles it (Genesis/dev.json, `installGoldenGrain`: CliqueEngine and
// the genesis precompiles), over a LevelDBStore in a fresh temporary directory. Run with
// `make bench`, or for this suite only:
//
//   GOLDENGRAIN_BENCHMARKS=1 swift package --scratch-path .build-bench \
//       --allow-writing-to-package-directory benchmark --target ChainBenchmarks
//
// One measured iteration is one block: 1,000 EIP-1559 transfers from the ten dev accounts (100
// each) enter the pool (`Node.submit`: decoding checks and sender recovery), then `Node.mine`
// builds, executes, seals and commits the block (one LevelDB WriteBatch, no fsync). The chain
// grows by one block per iteration. Signing is the client's work, so each block's transfers are
// signed before the measurement starts. The scaling factor is 1,000 (one scaled iteration per
// transfer), so the throughput metric counts transfers; `transfers/s` reports the same rate directly.
import Benchmark
import Chain
import ChainTypes
import Dispatch
import Foundation
import GoldenGrainNode
import Primitives
import Signatures
import Storage

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, TransferBlocks.transfersPerSecond],
        units: [TransferBlocks.transfersPerSecond: .count],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(60),
        maxIterations: 10
    )

    let blocks = TransferBlocks()
    Benchmark("Node transfers into LevelDB, 1000 per block",
              closure: { benchmark in blocks.run(benchmark) },
              setup: { try blocks.open() },
              teardown: { blocks.close() })
}

/// A dev node over LevelDB and the transfers it mines, one block of `perBlock` per iteration.
///
/// Not thread-safe: the benchmark runner calls setup, the iterations and teardown one after another.
final class TransferBlocks: @unchecked Sendable {
    /// Transfers per block; equals the benchmark's scaling factor.
    static let perBlock = BenchmarkScalingFactor.kilo.rawValue
    /// Senders (dev accounts 0…9), each sending `perBlock / senders` transfers per block.
    static let senders = 10
    /// Transfers per second over the measured part of one iteration.
    static let transfersPerSecond = BenchmarkMetric.custom("transfers/s", polarity: .prefersLarger, useScalingFactor: false)
    /// One gwei in wei.
    static let gwei = UInt256(1_000_000_000)

    private var directory: String?
    private var store: LevelDBStore?
    private var node: Node?
    private var keys: [PrivateKey] = []
    /// Blocks mined so far, warm-up included; the next block's nonces follow from it.
    private var minedBlocks = 0

    /// Opens the node on a fresh LevelDB directory, automine off, default pool limits (5,120
    /// executable slots: a block's 1,000 transfers fit).
    func open() throws {
        let path = NSTemporaryDirectory() + "goldengrain-chain-benchmark-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        directory = path
        let genesis = try Genesis(contentsOfFile: FileManager.default.currentDirectoryPath + "/Genesis/dev.json")
        let store = try LevelDBStore(path: path)
        self.store = store
        var configuration = try NodeConfiguration.dev(genesis: genesis)
        configuration.isAutomine = false
        try configuration.installGoldenGrain(snapshotStore: store)
        node = try Node(configuration: configuration, store: store)
        keys = Array(configuration.unlockedKeys.prefix(Self.senders))
        minedBlocks = 0
    }

    /// Closes the store and deletes its directory.
    func close() {
        store?.close()
        store = nil
        node = nil
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
        directory = nil
    }

    /// Signs the next block's transfers: sender `index % 10`, its nonces continuing from earlier
    /// blocks, to 0x…10000 + index (plain accounts: the dev genesis puts its precompiles at
    /// 0x1000 and 0x1001), 1 wei each; a 1 gwei tip and a 10 gwei fee cap, so the base fee,
    /// which full blocks raise by about 5% each, stays below the cap for any sensible iteration count.
    private func signNextBlock() -> [Transaction] {
        let perSender = Self.perBlock / Self.senders
        return (0 ..< Self.perBlock).map { index in
            let nonce = UInt64(minedBlocks * perSender + index / Self.senders)
            return Transaction.dynamicFee(chainId: 31337, nonce: nonce, maxPriorityFeePerGas: Self.gwei,
                                          maxFeePerGas: Self.gwei &* 10, gasLimit: 21000,
                                          to: Address(high: 0, middle: 0, low: UInt32(0x1_0000 + index)), value: 1)
                .signed(with: keys[index % Self.senders])
        }
    }

    /// One iteration: submits one block's transfers and mines them (measured), then checks the block.
    func run(_ benchmark: Benchmark) {
        guard let node else { fatalError("ChainBenchmarks: setup did not open the node") }
        let transfers = signNextBlock()
        benchmark.startMeasurement()
        let start = DispatchTime.now().uptimeNanoseconds
        do throws(NodeError) {
            for index in benchmark.scaledIterations { try node.submit(transfers[index]) }
            try node.mine()
        } catch {
            fatalError("ChainBenchmarks: block \(minedBlocks + 1) failed: \(error)")
        }
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - start
        benchmark.stopMeasurement()
        minedBlocks += 1
        let included = (try? node.block(.latest))??.block.transactions.count
        precondition(node.headNumber == UInt64(minedBlocks) && included == Self.perBlock,
                     "block \(minedBlocks) holds \(included.map(String.init) ?? "no") transactions, expected \(Self.perBlock)")
        benchmark.measurement(Self.transfersPerSecond, Int(Double(Self.perBlock) * 1e9 / Double(max(nanoseconds, 1))))
    }
}
