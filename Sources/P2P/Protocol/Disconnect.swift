import Primitives

/// Why a peer ends a session: the one-byte reason of the Disconnect message (devp2p rlpx.md;
/// go-ethereum v1.13.15 p2p/peer_error.go `DiscReason`).
///
/// Any byte is accepted from a peer, as go-ethereum accepts it; the named constants are the
/// reasons the specification defines, and `description` gives go-ethereum's wording.
public struct DisconnectReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The reason code.
    public var rawValue: UInt8

    /// Wraps a reason code.
    /// - Parameter rawValue: the code.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 0x00: the peer asked to disconnect.
    public static let requested = DisconnectReason(rawValue: 0x00)
    /// 0x01: a TCP sub-system error.
    public static let networkError = DisconnectReason(rawValue: 0x01)
    /// 0x02: a breach of protocol, such as a malformed message or a bad MAC.
    public static let protocolError = DisconnectReason(rawValue: 0x02)
    /// 0x03: the peer is of no use (no shared capability, wrong chain).
    public static let uselessPeer = DisconnectReason(rawValue: 0x03)
    /// 0x04: the node has as many peers as it accepts.
    public static let tooManyPeers = DisconnectReason(rawValue: 0x04)
    /// 0x05: a session with this node already exists.
    public static let alreadyConnected = DisconnectReason(rawValue: 0x05)
    /// 0x06: the base protocol versions are incompatible.
    public static let incompatibleVersion = DisconnectReason(rawValue: 0x06)
    /// 0x07: the node identity received is invalid.
    public static let invalidIdentity = DisconnectReason(rawValue: 0x07)
    /// 0x08: the client is shutting down.
    public static let quitting = DisconnectReason(rawValue: 0x08)
    /// 0x09: the identity is not the one expected (a dialled node answered with another key).
    public static let unexpectedIdentity = DisconnectReason(rawValue: 0x09)
    /// 0x0a: the node connected to itself.
    public static let connectedToSelf = DisconnectReason(rawValue: 0x0a)
    /// 0x0b: no message arrived in time.
    public static let readTimeout = DisconnectReason(rawValue: 0x0b)
    /// 0x10: a subprotocol (such as eth) failed, for instance on a fork-id mismatch.
    public static let subprotocolError = DisconnectReason(rawValue: 0x10)

    /// go-ethereum's text for the reason ("disconnect requested", …), or "unknown disconnect reason N".
    public var description: String {
        switch rawValue {
        case 0x00: return "disconnect requested"
        case 0x01: return "network error"
        case 0x02: return "breach of protocol"
        case 0x03: return "useless peer"
        case 0x04: return "too many peers"
        case 0x05: return "already connected"
        case 0x06: return "incompatible p2p protocol version"
        case 0x07: return "invalid node identity"
        case 0x08: return "client quitting"
        case 0x09: return "unexpected identity"
        case 0x0a: return "connected to self"
        case 0x0b: return "read timeout"
        case 0x10: return "subprotocol error"
        default: return "unknown disconnect reason \(rawValue)"
        }
    }
}

/// The Disconnect message (base protocol code 0x01).
///
/// Encoding: `rlp([reason])`. Decoding also accepts a bare `rlp(reason)`, which some
/// implementations send (devp2p rlpx.md), and the empty list, which go-ethereum reads as reason 0
/// (its decoder leaves the reason at its zero value).
public struct Disconnect: Hashable, Sendable {
    /// Why the sender disconnects.
    public var reason: DisconnectReason

    /// Creates a Disconnect.
    /// - Parameter reason: the reason.
    public init(reason: DisconnectReason) { self.reason = reason }

    /// The message payload, `rlp([reason])`.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        RLP.appendListHeader(payloadLength: RLP.encodedLength(ofUInt: UInt64(reason.rawValue)), to: &out)
        RLP.append(uint: UInt64(reason.rawValue), to: &out)
        return out
    }

    /// Decodes a Disconnect payload: `[reason]`, a bare `reason`, or `[]`.
    /// - Parameter encoded: the payload.
    /// - Throws: `BaseProtocolError.malformedField`, `.wrongDisconnectFieldCount` for a list of two or
    ///   more items, or `.disconnectReasonTooLarge` for a reason wider than one byte.
    public init(encoded: [UInt8]) throws(BaseProtocolError) {
        let message = "Disconnect"
        var outer = RLPReader(encoded)
        let isList = try readField(message, "Disconnect", from: &outer) { (reader) throws(RLPError) in try reader.nextItemIsList() }
        var reasonReader = outer
        if isList {
            reasonReader = try readField(message, "Disconnect", from: &outer) { (reader) throws(RLPError) in try reader.enterList() }
            var probe = reasonReader
            var count = 0
            while !probe.isAtEnd {
                _ = try readField(message, "reason", from: &probe) { (reader) throws(RLPError) in try reader.skipItem() }
                count += 1
            }
            if count > 1 { throw .wrongDisconnectFieldCount(count) }
        }
        var value: UInt64 = 0
        if !reasonReader.isAtEnd {
            let bytes = try readField(message, "reason", from: &reasonReader) { (reader) throws(RLPError) in
                try reader.readIntegerBytes(maximumByteCount: 8)
            }
            guard bytes.count <= 1 else { throw .disconnectReasonTooLarge(byteCount: bytes.count) }
            value = UInt64(bytes.first ?? 0)
            if !isList { outer = reasonReader }
        }
        _ = try readField(message, "Disconnect", from: &outer) { (reader) throws(RLPError) in try reader.expectEnd() }
        reason = DisconnectReason(rawValue: UInt8(value))
    }
}
