import Primitives
import Signatures
import Synchronization

/// A connected devp2p peer after the handshake and Hello (go-ethereum `p2p.Peer`).
public final class Peer: Sendable, CustomStringConvertible {
    /// The peer's public key (its identity, proven by the RLPx handshake).
    public let publicKey: PublicKey
    /// The peer's Hello.
    public let hello: Hello
    /// The protocols both sides run, with their message-code offsets.
    public let shared: [SharedCapability]
    /// Whether the peer dialed us.
    public let isInbound: Bool
    /// The remote "ip:port" of the TCP connection.
    public let remoteAddress: String
    /// Our "ip:port" of the TCP connection.
    public let localAddress: String
    /// Whether the peer is one of ours to keep connected (--bootnodes, admin_addPeer).
    public let isStatic: Bool

    private let outgoing: AsyncStream<OutgoingMessage>.Continuation
    private let queued = Atomic<Int>(0)

    /// The most messages queued for one peer before the peer is dropped as too slow (go-ethereum
    /// bounds the write side by a 20 s deadline instead; a count is simpler to reason about here).
    static let maximumQueuedMessages = 4_096

    init(publicKey: PublicKey, hello: Hello, shared: [SharedCapability], isInbound: Bool, remoteAddress: String,
         localAddress: String, isStatic: Bool, outgoing: AsyncStream<OutgoingMessage>.Continuation) {
        self.publicKey = publicKey
        self.hello = hello
        self.shared = shared
        self.isInbound = isInbound
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.isStatic = isStatic
        self.outgoing = outgoing
    }

    /// The node id as 128 hex characters (x ‖ y).
    public var nodeIdHex: String { Hex.encode(publicKey.bytes, prefix: false) }

    /// The client's name from its Hello.
    public var name: String { hello.clientId }

    /// "peer 0123abcd… (client name) at ip:port".
    public var description: String { "peer \(nodeIdHex.prefix(16))… (\(name)) at \(remoteAddress)" }

    /// Ends the session: sends Disconnect with `reason` after the messages already queued.
    public func disconnect(_ reason: DisconnectReason) {
        outgoing.yield(.disconnect(reason))
    }

    func enqueue(_ message: OutgoingMessage) {
        if queued.add(1, ordering: .relaxed).newValue > Self.maximumQueuedMessages {
            outgoing.yield(.disconnect(.readTimeout))
            return
        }
        outgoing.yield(message)
    }

    func dequeued() { queued.subtract(1, ordering: .relaxed) }
}

/// What the writer of a session sends next.
enum OutgoingMessage: Sendable {
    /// A message by its session-wide code (base protocol below 0x10).
    case message(code: UInt64, payload: [UInt8])
    /// End the session with this reason.
    case disconnect(DisconnectReason)
}

/// A summary of a peer for `admin_peers` (go-ethereum `p2p.PeerInfo`).
public struct PeerInfo: Sendable {
    public var enode: String
    public var id: String
    public var name: String
    public var capabilities: [String]
    public var localAddress: String
    public var remoteAddress: String
    public var isInbound: Bool
    public var isStatic: Bool
}
