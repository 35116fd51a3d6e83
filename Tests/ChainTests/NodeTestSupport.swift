import Chain
import ChainTypes
import Clique
import EVM
import Foundation
import GoldenGrainNode
import Primitives
import Signatures
import Storage
import TestSupport

/// Shared fixtures for the node tests: the dev genesis, the ten test-mnemonic keys, nodes over
/// memory or LevelDB, and signed transfers.
enum NodeTestSupport {
    /// Genesis/dev.json.
    static let devGenesis: Genesis = {
        do { return try Genesis(contentsOfFile: TestFiles.genesis.appendingPathComponent("dev.json").path) } catch {
            fatalError("Genesis/dev.json does not load: \(error)")
        }
    }()

    /// The ten dev keys (m/44'/60'/0'/0/0…9 of the test mnemonic).
    static let keys: [PrivateKey] = {
        do { return try DevAccounts.keys() } catch { fatalError("dev key derivation failed: \(error)") }
    }()

    /// An account the dev genesis does not fund (private key 0x…01).
    static let unfundedKey: PrivateKey = {
        do { return try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1]) } catch { fatalError("\(error)") }
    }()

    /// One ether in wei.
    static let ether = UInt256(1_000_000_000_000_000_000)
    /// One gwei in wei.
    static let gwei = UInt256(1_000_000_000)

    /// A dev node over the given store (default a fresh MemoryStore).
    static func node(store: any KeyValueStore = MemoryStore(), automine: Bool = true,
                     perBlock: Int = 1) throws -> Node {
        var configuration = try NodeConfiguration.dev(genesis: devGenesis)
        configuration.isAutomine = automine
        configuration.automineTransactionsPerBlock = perBlock
        return try node(configuration: configuration, store: store)
    }

    /// A node as `goldengrain node` assembles it (NodeAssembly in the CLI): `installGoldenGrain`
    /// gives it `CliqueEngine`, persisting snapshots in `store`, and the genesis precompiles.
    /// - Parameters:
    ///   - configuration: the configuration, its signer key final.
    ///   - store: the node's store.
    /// - Returns: the node.
    static func node(configuration: NodeConfiguration, store: any KeyValueStore) throws -> Node {
        var configuration = configuration
        try configuration.installGoldenGrain(snapshotStore: store)
        return try Node(configuration: configuration, store: store)
    }

    /// A signed EIP-1559 transfer with a 1 gwei tip and a 2 gwei fee cap.
    static func transfer(from key: PrivateKey, nonce: UInt64, to: Address, value: UInt256,
                         tip: UInt256 = gwei, maxFee: UInt256 = gwei &* 2, gas: UInt64 = 21000,
                         chainId: UInt64 = 31337) -> Transaction {
        Transaction.dynamicFee(chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                               gasLimit: gas, to: to, value: value).signed(with: key)
    }

    /// A fresh empty directory under the temporary folder.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "goldengrain-node-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The error message a throwing node call produced, or nil if it did not throw.
    static func message(_ body: () throws(NodeError) -> Void) -> String? {
        do { try body() } catch { return error.description }
        return nil
    }
}

/// A store that fails its next batch write on demand, to check that a block lands whole or not at all.
final class FailingStore: KeyValueStore, @unchecked Sendable {
    let inner = MemoryStore()
    private let lock = NSLock()
    private var failsNextWrite = false

    /// Makes the next `write(_:)` fail without applying anything.
    func failNextWrite() { lock.lock(); failsNextWrite = true; lock.unlock() }

    func get(_ key: [UInt8]) throws(StorageError) -> [UInt8]? { try inner.get(key) }
    func put(_ value: [UInt8], forKey key: [UInt8]) throws(StorageError) { try inner.put(value, forKey: key) }
    func delete(_ key: [UInt8]) throws(StorageError) { try inner.delete(key) }
    func forEach(prefix: [UInt8], _ body: ([UInt8], [UInt8]) -> Bool) throws(StorageError) { try inner.forEach(prefix: prefix, body) }
    func write(_ batch: WriteBatch) throws(StorageError) {
        lock.lock()
        let fails = failsNextWrite
        failsNextWrite = false
        lock.unlock()
        if fails { throw .writeFailed("simulated failure (disk full)") }
        try inner.write(batch)
    }
}
