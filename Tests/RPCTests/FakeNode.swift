import Chain
import EVM
import Primitives
import RPC
import Signatures
import State
import Synchronization

/// A node stand-in for the router tests: a chain of blocks built from the dev genesis, account
/// balances and nonces, and scripted execution (no EVM): a call to `FakeNode.reverter` reverts with
/// `Error("nope")`, any other call returns its input. Submitted transactions are mined one per block
/// with a 21000-gas receipt; a transaction to `FakeNode.logger` gets one log.
final class FakeNode: NodeBackend {
    static let key0 = try! PrivateKey(bytes: try! Hex.decode("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))
    static let account0 = Address(try! Hex.decode("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"))
    static let account1 = Address(try! Hex.decode("70997970c51812dc3a010c7d01b50e20d4dc79c8"))
    static let reverter = Address(try! Hex.decode("00000000000000000000000000000000000000aa"))
    static let logger = Address(try! Hex.decode("00000000000000000000000000000000000000bb"))
    static let eventTopic = Keccak256.hash(Array("Ping(uint256)".utf8))

    struct Snapshot {
        var blocks: [Block]
        var receipts: [Hash32: [Receipt]]
        var balances: [Address: UInt256]
        var nonces: [Address: UInt64]
    }

    struct State {
        var blocks: [Block]
        var receipts: [Hash32: [Receipt]] = [:]
        var balances: [Address: UInt256] = [:]
        var nonces: [Address: UInt64] = [:]
        var codes: [Address: [UInt8]] = [:]
        var storage: [Address: [UInt256: UInt256]] = [:]
        var snapshots: [Snapshot] = []
        var automine = true
        var timeOffset: UInt64 = 0
        var nextTimestamp: UInt64?
        var impersonated: Set<Address> = []
        var proposals: [Address: Bool] = [:]
        var known: Set<Hash32> = []
    }

    let chainId: UInt64 = 31337
    let state: Mutex<State>
    let genesis: Genesis

    init() {
        let path = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        genesis = try! Genesis(contentsOfFile: "/" + path + "/Genesis/dev.json")
        var initial = State(blocks: [genesis.block])
        for (address, account) in genesis.alloc { initial.balances[address] = account.balance }
        state = Mutex(initial)
    }

    func headBlockNumber() async -> UInt64 { state.withLock { UInt64($0.blocks.count - 1) } }
    func block(number: UInt64) async -> Block? {
        state.withLock { number < $0.blocks.count ? $0.blocks[Int(number)] : nil }
    }
    func block(hash: Hash32) async -> Block? { state.withLock { $0.blocks.first { $0.hash == hash } } }
    func receipts(ofBlock hash: Hash32) async -> [Receipt]? {
        state.withLock { state in
            guard let block = state.blocks.first(where: { $0.hash == hash }) else { return nil }
            return state.receipts[hash] ?? (block.transactions.isEmpty ? [] : nil)
        }
    }
    func transactionLocation(hash: Hash32) async -> TransactionLocation? {
        state.withLock { state in
            for block in state.blocks {
                if let index = block.transactions.firstIndex(where: { $0.hash == hash }) {
                    return TransactionLocation(blockHash: block.hash, blockNumber: block.header.number, index: index)
                }
            }
            return nil
        }
    }

    func balance(of address: Address, atBlock number: UInt64) async throws(NodeBackendError) -> UInt256 {
        state.withLock { $0.balances[address] ?? .zero }
    }
    func nonce(of address: Address, atBlock number: UInt64) async throws(NodeBackendError) -> UInt64 {
        state.withLock { $0.nonces[address] ?? 0 }
    }
    func code(of address: Address, atBlock number: UInt64) async throws(NodeBackendError) -> [UInt8] {
        state.withLock { $0.codes[address] ?? [] }
    }
    func storage(of address: Address, slot: UInt256, atBlock number: UInt64) async throws(NodeBackendError) -> UInt256 {
        state.withLock { $0.storage[address]?[slot] ?? .zero }
    }

    static let revertData: [UInt8] = RevertReason.errorSelector
        + UInt256(32).bigEndianBytes + UInt256(4).bigEndianBytes + Array("nope".utf8) + [UInt8](repeating: 0, count: 28)

    func call(_ request: CallRequest, atBlock number: UInt64, tracer: (any Tracer)?) async throws(NodeBackendError) -> CallOutcome {
        if request.to == Self.reverter { return CallOutcome(status: .revert, output: Self.revertData, gasUsed: 21_500) }
        return CallOutcome(status: .success, output: request.input ?? [], gasUsed: 21_000)
    }
    func estimateGas(_ request: CallRequest, atBlock number: UInt64) async throws(NodeBackendError) -> UInt64 {
        if request.to == Self.reverter { throw .reverted(Self.revertData) }
        return 21_000
    }
    func traceTransaction(hash: Hash32, tracer: any Tracer) async throws(NodeBackendError) -> CallOutcome {
        throw .notFound("transaction \(hash) not found")
    }

    func submit(_ transaction: Transaction) async throws(NodeBackendError) -> Hash32 {
        guard let sender = try? transaction.recoverSender(chainId: chainId) else { throw .rejected("invalid sender") }
        return try mine(transaction, sender: sender)
    }

    func mine(_ transaction: Transaction, sender: Address) throws(NodeBackendError) -> Hash32 {
        let hash = transaction.hash
        return try state.withLock { (state: inout State) throws(NodeBackendError) -> Hash32 in
            if state.known.contains(hash) { throw .rejected("already known") }
            let nonce = state.nonces[sender] ?? 0
            if transaction.nonce < nonce {
                throw .rejected("nonce too low: address \(sender), tx: \(transaction.nonce) state: \(nonce)")
            }
            state.known.insert(hash)
            state.nonces[sender] = nonce + 1
            state.balances[sender] = (state.balances[sender] ?? .zero) &- transaction.value
            if let to = transaction.to { state.balances[to] = (state.balances[to] ?? .zero) &+ transaction.value }
            let logs = transaction.to == Self.logger
                ? [Log(address: Self.logger, topics: [Self.eventTopic], data: UInt256(7).bigEndianBytes)] : []
            let receipt = Receipt(type: transaction.type, status: .success, cumulativeGasUsed: 21_000, logs: logs)
            Self.append(block: [transaction], receipts: [receipt], to: &state)
            return hash
        }
    }

    static func append(block transactions: [Transaction], receipts: [Receipt], to state: inout State) {
        let parent = state.blocks.last!.header
        var bloom = Bloom()
        for receipt in receipts { bloom.formUnion(receipt.logsBloom) }
        let timestamp = state.nextTimestamp ?? (parent.timestamp + 1 + state.timeOffset)
        state.nextTimestamp = nil
        let header = Header(parentHash: parent.hash, coinbase: .zero, stateRoot: parent.stateRoot,
                            transactionsRoot: Block.transactionsRoot(of: transactions),
                            receiptsRoot: Block.receiptsRoot(of: receipts), logsBloom: bloom, difficulty: 2,
                            number: parent.number + 1, gasLimit: parent.gasLimit,
                            gasUsed: receipts.last?.cumulativeGasUsed ?? 0, timestamp: timestamp,
                            extraData: [UInt8](repeating: 0, count: 97), mixHash: .zero, nonce: 0,
                            baseFeePerGas: Header.nextBaseFee(parent: parent))
        let block = Block(header: header, transactions: transactions)
        state.blocks.append(block)
        state.receipts[block.hash] = receipts
    }

    func sendTransaction(_ request: CallRequest) async throws(NodeBackendError) -> Hash32 {
        guard let from = request.from, from == Self.account0 else { throw .rejected("unknown account") }
        let nonce = state.withLock { $0.nonces[from] ?? 0 }
        let transaction = Transaction.dynamicFee(chainId: chainId, nonce: request.nonce ?? nonce, maxPriorityFeePerGas: 1_000_000_000,
                                                 maxFeePerGas: 3_000_000_000, gasLimit: request.gas ?? 21_000,
                                                 to: request.to, value: request.value ?? .zero, data: request.input ?? [])
            .signed(with: Self.key0)
        return try mine(transaction, sender: from)
    }
    func accounts() async -> [Address] { [Self.account0, Self.account1] }
    func coinbase() async -> Address { Self.account0 }
    func gasPrice() async -> UInt256 { 2_000_000_000 }
    func maxPriorityFeePerGas() async -> UInt256 { 1_000_000_000 }

    func mine(count: UInt64, interval: UInt64?, timestamp: UInt64?) async throws(NodeBackendError) {
        try state.withLock { (state: inout State) throws(NodeBackendError) in
            if let timestamp, timestamp <= state.blocks.last!.header.timestamp {
                throw .invalidArgument("timestamp \(timestamp) is not after the head's")
            }
            for index in 0..<count {
                if index == 0, let timestamp { state.nextTimestamp = timestamp }
                Self.append(block: [], receipts: [], to: &state)
            }
        }
    }
    func snapshot() async -> UInt64 {
        state.withLock { state in
            state.snapshots.append(Snapshot(blocks: state.blocks, receipts: state.receipts, balances: state.balances, nonces: state.nonces))
            return UInt64(state.snapshots.count)
        }
    }
    func revert(to id: UInt64) async -> Bool {
        state.withLock { state in
            guard id >= 1, id <= state.snapshots.count else { return false }
            let snapshot = state.snapshots[Int(id) - 1]
            state.snapshots.removeSubrange(Int(id - 1)...)
            state.blocks = snapshot.blocks; state.receipts = snapshot.receipts
            state.balances = snapshot.balances; state.nonces = snapshot.nonces
            return true
        }
    }
    func increaseTime(by seconds: UInt64) async -> UInt64 {
        state.withLock { $0.timeOffset += seconds; return $0.timeOffset }
    }
    func setNextBlockTimestamp(_ timestamp: UInt64) async throws(NodeBackendError) {
        state.withLock { $0.nextTimestamp = timestamp }
    }
    func setAutomine(_ isEnabled: Bool) async { state.withLock { $0.automine = isEnabled } }
    func isAutomineEnabled() async -> Bool { state.withLock { $0.automine } }
    func setBalance(_ balance: UInt256, of address: Address) async { state.withLock { $0.balances[address] = balance } }
    func setCode(_ code: [UInt8], of address: Address) async { state.withLock { $0.codes[address] = code } }
    func setNonce(_ nonce: UInt64, of address: Address) async { state.withLock { $0.nonces[address] = nonce } }
    func setStorage(_ value: UInt256, at slot: UInt256, of address: Address) async {
        state.withLock { $0.storage[address, default: [:]][slot] = value }
    }
    func impersonate(_ address: Address) async { _ = state.withLock { $0.impersonated.insert(address) } }
    func stopImpersonating(_ address: Address) async { _ = state.withLock { $0.impersonated.remove(address) } }

    func cliqueSigners(atBlock number: UInt64) async throws(NodeBackendError) -> [Address] { [Self.account0] }
    func cliqueSnapshot(atBlock number: UInt64) async throws(NodeBackendError) -> CliqueSnapshot {
        let block = await block(number: number)!
        return CliqueSnapshot(number: number, hash: block.hash, signers: [Self.account0],
                              recents: number > 0 ? [number: Self.account0] : [:], votes: [])
    }
    func cliquePropose(_ address: Address, authorize: Bool) async { state.withLock { $0.proposals[address] = authorize } }
    func cliqueDiscard(_ address: Address) async { _ = state.withLock { $0.proposals.removeValue(forKey: address) } }
    func cliqueProposals() async -> [Address: Bool] { state.withLock { $0.proposals } }
}
