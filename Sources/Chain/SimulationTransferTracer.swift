import EVM
import Primitives
import State

/// Collects a simulated call's logs in execution order, with every ETH transfer among them as an
/// ERC-7528 pseudo-log (geth `internal/ethapi/logtracer.go`): emitted by
/// 0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE, topics `Transfer(address,address,uint256)`, the sender
/// and the recipient (left-padded to 32 bytes), data the value as a 32-byte word.
///
/// Transfers are the call's value, a nested CALL's or CREATE's value (not DELEGATECALL's or
/// CALLCODE's, which move nothing to another account), and a SELFDESTRUCT's balance. A frame that
/// fails takes its logs, real and pseudo, with it.
///
/// `count` runs on across the calls of a block and counts every log captured, kept or not, as geth's
/// tracer numbers `logIndex`.
final class SimulationTransferTracer: Tracer {
    /// ERC-7528's address for the native currency.
    static let transferAddress = Address(Array(repeating: 0xee, count: 20))
    /// keccak256("Transfer(address,address,uint256)").
    static let transferTopic = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))

    /// The state the call runs on, for the balance a SELFDESTRUCT sends.
    let state: WorldState
    /// Logs of each open frame, outermost first.
    private var frames: [[(log: Log, index: Int)]] = []
    /// The account each open frame runs as (ADDRESS), outermost first.
    private var accounts: [Address] = []
    /// Logs captured so far in the block.
    private(set) var count = 0

    /// Creates a tracer for a block.
    /// - Parameter state: the block's state.
    init(state: WorldState) { self.state = state }

    /// Starts the next call.
    func reset() {
        frames = [[]]
        accounts = []
    }

    /// The logs of the call, with their block-wide indexes: empty if it failed.
    /// - Parameter isSuccess: whether the call succeeded.
    /// - Returns: the logs.
    func logs(isSuccess: Bool) -> [(log: Log, index: Int)] {
        isSuccess ? frames.first ?? [] : []
    }

    func frameDidStart(message: Message, code: AnalyzedCode) {
        frames.append([])
        accounts.append(message.recipient)
        if message.kind != .delegateCall && message.kind != .callCode && !message.value.isZero {
            captureTransfer(from: message.sender, to: message.recipient, value: message.value)
        }
    }

    func willExecute(_ step: TraceStep) {
        guard step.opcode == Opcode.selfdestruct.rawValue, let account = accounts.last, let top = step.stack.last else { return }
        let balance = state.balance(of: account)
        if !balance.isZero { captureTransfer(from: account, to: Address(stackWord: top), value: balance) }
    }

    func frameDidEnd(message: Message, result: CallResult) {
        accounts.removeLast()
        // `reset` opened the call's own list below the top frame, so there is always one to merge into.
        guard frames.count > 1 else { return }
        let frame = frames.removeLast()
        if result.status.isSuccess { frames[frames.count - 1].append(contentsOf: frame) }
    }

    func logDidEmit(address: Address, topics: [Hash32], data: [UInt8]) {
        capture(Log(address: address, topics: topics, data: data))
    }

    private func captureTransfer(from sender: Address, to recipient: Address, value: UInt256) {
        capture(Log(address: Self.transferAddress,
                    topics: [Self.transferTopic, Hash32(paddedAddress: sender), Hash32(paddedAddress: recipient)],
                    data: value.bigEndianBytes))
    }

    private func capture(_ log: Log) {
        if frames.isEmpty { frames = [[]] }
        frames[frames.count - 1].append((log, count))
        count += 1
    }
}

extension Address {
    /// The address in the low 20 bytes of a stack word.
    fileprivate init(stackWord word: UInt256) { self.init(Array(word.bigEndianBytes.suffix(20))) }
}

extension Hash32 {
    /// An address left-padded to 32 bytes, as a log topic.
    fileprivate init(paddedAddress address: Address) { self.init(Array(repeating: 0, count: 12) + address.bytes) }
}
