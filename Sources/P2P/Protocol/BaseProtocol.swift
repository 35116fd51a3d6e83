import Primitives

/// The devp2p base protocol ("p2p" capability, devp2p rlpx.md; go-ethereum v1.13.15 p2p/peer.go), which
/// every RLPx session speaks before and beside its subprotocols.
///
/// Message codes 0x00–0x0f belong to it; subprotocols are stacked from 0x10 upwards in the order
/// `SharedCapability.match` gives. Its four messages, each an RLP list as the payload:
///
/// | code | message    | payload                                                           |
/// |------|------------|-------------------------------------------------------------------|
/// | 0x00 | Hello      | [protocolVersion, clientId, [[capName, capVersion], …], listenPort, nodeId, …] |
/// | 0x01 | Disconnect | [reason] (a bare reason is accepted too)                           |
/// | 0x02 | Ping       | []                                                                |
/// | 0x03 | Pong       | []                                                                |
public enum BaseProtocol {
    /// The base protocol version GoldenGrain announces in Hello (go-ethereum `baseProtocolVersion`).
    public static let version: UInt64 = 5
    /// How many message codes the base protocol reserves; the first subprotocol starts here.
    public static let reservedCodeCount: UInt64 = 16
    /// The largest Hello accepted (go-ethereum `baseProtocolMaxMsgSize`): 2 KiB.
    public static let maximumHelloSize = 2 * 1024

    /// Message codes of the base protocol.
    public enum MessageCode: UInt64, Sendable, CaseIterable {
        /// The first message of each side: who it is and what it speaks.
        case hello = 0x00
        /// The last message: why the sender is closing the session.
        case disconnect = 0x01
        /// Asks the peer to answer with Pong (a liveness check).
        case ping = 0x02
        /// The answer to Ping.
        case pong = 0x03
    }

    /// The payload of Ping and Pong: the empty RLP list.
    public static let pingPayload: [UInt8] = [0xc0]
}
