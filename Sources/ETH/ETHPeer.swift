import ChainTypes
import P2P
import Primitives
import Synchronization

/// A peer as eth/68 sees it (go-ethereum eth/protocols/eth/peer.go): its announced head and total
/// difficulty, the blocks and transactions it is known to have (so nothing is sent to it twice),
/// and its requests in flight, matched to their answers by request id (EIP-2481).
final class ETHPeer: Sendable {
    /// An answer to one of our requests.
    enum Response: Sendable {
        case headers([Header])
        case bodies([BlockBody])
        case receipts([[Receipt]])
        case transactions([Transaction])
    }

    /// How long a peer has to answer a request (go-ethereum's downloader allows about as much).
    static let requestTimeout: Duration = .seconds(10)
    /// How many block and transaction hashes are remembered per peer (go-ethereum `maxKnownBlocks`,
    /// `maxKnownTxs`).
    static let knownBlockLimit = 1_024
    static let knownTransactionLimit = 32_768

    private struct State {
        var head: Hash32
        var totalDifficulty: UInt256
        var nextRequestId: UInt64 = 1
        var pending: [UInt64: CheckedContinuation<Response, any Error>] = [:]
    }

    let connection: ProtocolPeer
    private let state: Mutex<State>
    private let knownBlocks = BoundedCache<Hash32, Bool>(capacity: ETHPeer.knownBlockLimit)
    private let knownTransactions = BoundedCache<Hash32, Bool>(capacity: ETHPeer.knownTransactionLimit)

    init(connection: ProtocolPeer, head: Hash32, totalDifficulty: UInt256) {
        self.connection = connection
        state = Mutex(State(head: head, totalDifficulty: totalDifficulty))
    }

    var peer: Peer { connection.peer }

    /// The peer's head and its total difficulty, as last announced.
    var head: (hash: Hash32, totalDifficulty: UInt256) { state.withLock { ($0.head, $0.totalDifficulty) } }

    /// Records a head the peer announced, if heavier than the one known.
    func noteHead(_ hash: Hash32, totalDifficulty: UInt256) {
        state.withLock { state in
            if totalDifficulty > state.totalDifficulty {
                state.head = hash
                state.totalDifficulty = totalDifficulty
            }
        }
    }

    /// Records that the peer has a block (the oldest of `knownBlockLimit` is forgotten first).
    func markBlock(_ hash: Hash32) { knownBlocks.insert(true, for: hash) }

    /// Records that the peer has a transaction.
    func markTransaction(_ hash: Hash32) { knownTransactions.insert(true, for: hash) }

    func knowsBlock(_ hash: Hash32) -> Bool { knownBlocks[hash] != nil }
    func knowsTransaction(_ hash: Hash32) -> Bool { knownTransactions[hash] != nil }

    /// Sends a message.
    func send<Message: ETHMessage>(_ message: Message) {
        connection.send(code: UInt64(Message.code.rawValue), payload: message.encoded)
    }

    /// Sends a request built around a fresh request id and waits for its answer.
    /// - Throws: `ETHSyncError.timeout` after `requestTimeout`, `CancellationError` if the session ends.
    func request<Message: ETHMessage>(_ what: String, _ build: (UInt64) -> Message) async throws -> Response {
        let id = state.withLock { state in
            defer { state.nextRequestId &+= 1 }
            return state.nextRequestId
        }
        let message = build(id)
        let timer = Task { [weak self] in
            try await Task.sleep(for: Self.requestTimeout)
            self?.fail(id, ETHSyncError.timeout("\(what) from \(self?.peer.description ?? "a peer")"))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { $0.pending[id] = continuation }
                send(message)
            }
        } onCancel: {
            fail(id, CancellationError())
        }
    }

    /// Hands an answer to the request waiting for it.
    /// - Returns: false when no request has this id (an unsolicited or late answer).
    func deliver(_ id: UInt64, _ response: Response) -> Bool {
        guard let continuation = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return false }
        continuation.resume(returning: response)
        return true
    }

    private func fail(_ id: UInt64, _ error: any Error) {
        state.withLock { $0.pending.removeValue(forKey: id) }?.resume(throwing: error)
    }

    /// Fails every request in flight (the session ended).
    func failAll() {
        let waiting = state.withLock { state in
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        for continuation in waiting { continuation.resume(throwing: CancellationError()) }
    }
}

/// Why catching up with a peer failed.
enum ETHSyncError: Error, CustomStringConvertible {
    case timeout(String)
    case badAnswer(String)

    var description: String {
        switch self {
        case .timeout(let what): "no answer in time: \(what)"
        case .badAnswer(let what): what
        }
    }
}
