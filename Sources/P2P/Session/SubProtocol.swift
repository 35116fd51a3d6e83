import Synchronization

/// A protocol that runs over devp2p sessions beside the base protocol (go-ethereum `p2p.Protocol`):
/// eth/68 here. The server offers each one in Hello; for every peer that shares it, `run` is called
/// with that peer's message stream and returns (or throws) when the protocol is done with the peer.
public protocol SubProtocol: Sendable {
    /// Name and version, as announced in Hello.
    var capability: Capability { get }
    /// How many message codes the protocol uses.
    var messageCount: UInt64 { get }
    /// Runs the protocol with one peer. Returning ends the session with `DisconnectReason.requested`
    /// unless the peer went first; throwing `PeerDisconnect` ends it with that reason, any other
    /// error with `DisconnectReason.subprotocolError` (go-ethereum's rule).
    func run(_ peer: ProtocolPeer) async throws
}

/// One message of a subprotocol, its code relative to the protocol's offset.
public struct ProtocolMessage: Sendable {
    public var code: UInt64
    public var payload: [UInt8]

    public init(code: UInt64, payload: [UInt8]) {
        self.code = code
        self.payload = payload
    }
}

/// A peer as one subprotocol sees it: the messages of that protocol in, and a way to send.
public final class ProtocolPeer: Sendable {
    /// The session.
    public let peer: Peer
    /// The protocol's messages from the peer, codes relative to its offset; finishes when the
    /// session ends.
    public let messages: AsyncStream<ProtocolMessage>
    let shared: SharedCapability

    init(peer: Peer, shared: SharedCapability, messages: AsyncStream<ProtocolMessage>) {
        self.peer = peer
        self.shared = shared
        self.messages = messages
    }

    /// Queues a message of this protocol for the peer (code relative to the protocol's offset).
    /// Messages are written in the order queued; a message after the session ended is dropped.
    public func send(code: UInt64, payload: [UInt8]) {
        precondition(code < shared.messageCount, "message code \(code) outside \(shared.capability)'s \(shared.messageCount) codes")
        peer.enqueue(.message(code: shared.offset + code, payload: payload))
    }
}
