/// Why a devp2p session ended or could not start. Each description names what happened and, where
/// there is one, the value that was wrong.
public enum P2PError: Error, Sendable, CustomStringConvertible {
    /// The TCP connection closed.
    case connectionClosed
    /// A step took longer than its limit (the handshake, Hello, a read).
    case timeout(String)
    /// The peer broke the protocol (an oversized or undecodable message, a code nobody owns…).
    case protocolBreach(String)
    /// The session ended with a Disconnect, sent by the peer (`byPeer`) or by us.
    case disconnected(DisconnectReason, byPeer: Bool)
    /// The encryption handshake or a frame failed (bad MAC, bad signature, …).
    case transport(String)
    /// The connection became a peer, whose end the server has already logged and counted.
    case admittedAndEnded

    public var description: String {
        switch self {
        case .connectionClosed: "connection closed"
        case .timeout(let what): "timed out waiting for \(what)"
        case .protocolBreach(let what): "protocol breach: \(what)"
        case .disconnected(let reason, let byPeer): byPeer ? "peer disconnected: \(reason)" : "disconnected: \(reason)"
        case .transport(let what): "transport: \(what)"
        case .admittedAndEnded: "the peer's session ended"
        }
    }

    /// The reason sent to a peer when a session ends with this error (go-ethereum
    /// `discReasonForError`): a breach of the base protocol is a protocol error, a timeout is a read
    /// timeout, everything else a subprotocol error.
    var disconnectReason: DisconnectReason {
        switch self {
        case .disconnected(let reason, _): reason
        case .timeout: .readTimeout
        case .protocolBreach: .protocolError
        case .connectionClosed, .transport, .admittedAndEnded: .networkError
        }
    }
}

/// Thrown by a subprotocol to end a session with a given reason (go-ethereum returns a
/// `DiscReason` from a protocol's Run for the same effect).
public struct PeerDisconnect: Error, Sendable, CustomStringConvertible {
    /// The reason sent to the peer.
    public var reason: DisconnectReason
    /// What went wrong, for the log.
    public var detail: String

    public init(_ reason: DisconnectReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason): \(detail)" }
}
