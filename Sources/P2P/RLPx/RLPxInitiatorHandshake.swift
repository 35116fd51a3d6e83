import Primitives
import Signatures

/// The dialing side of the RLPx handshake, without I/O: it makes the auth packet and turns the ack
/// packet into session secrets (devp2p rlpx.md, "Initial Handshake").
///
/// Use: `var handshake = RLPxInitiatorHandshake(localKey: nodeKey, remote: peerKey)`, write
/// `handshake.makeAuth()`, read `RLPxHandshakePacket.length(of: .ack, startingWith:)` bytes, then
/// `let secrets = try handshake.handleAck(packet)` and build an `RLPxFrameCodec(secrets:)`.
/// The auth packet is EIP-8, as go-ethereum sends; the ack may be EIP-8 or legacy.
public struct RLPxInitiatorHandshake: Sendable {
    /// This node's static key.
    public let localKey: PrivateKey
    /// The static public key of the node being dialed (from its enode URL).
    public let remotePublicKey: PublicKey
    /// This side's ephemeral key for this handshake.
    public let ephemeralKey: PrivateKey
    /// This side's nonce.
    public let nonce: Hash32
    /// The auth packet once made (it enters the MAC states).
    public private(set) var authPacket: [UInt8]?
    /// The recipient's ack once handled.
    public private(set) var ack: RLPxAckMessage?

    /// Prepares a handshake.
    /// - Parameters:
    ///   - localKey: this node's static key.
    ///   - remote: the dialed node's static public key.
    ///   - ephemeralKey: a fresh key (given by tests to reproduce vectors).
    ///   - nonce: 32 random bytes (given by tests).
    public init(localKey: PrivateKey, remote: PublicKey, ephemeralKey: PrivateKey = .generate(),
                nonce: Hash32 = Hash32(SecureRandom.bytes(count: 32))) {
        self.localKey = localKey
        self.remotePublicKey = remote
        self.ephemeralKey = ephemeralKey
        self.nonce = nonce
    }

    /// The auth message: the ephemeral key's signature over static-shared-secret ⊕ nonce, this node's
    /// static public key, the nonce and version 4.
    public var authMessage: RLPxAuthMessage {
        let token = Hash32(localKey.sharedSecret(with: remotePublicKey))
        let signature = ephemeralKey.sign(hash: Hash32(xor(token, nonce)))
        return RLPxAuthMessage(signature: signature.bytes, initiatorPublicKey: localKey.publicKey, nonce: nonce,
                               version: 4, ephemeralPublicKeyHash: Keccak256.hash(ephemeralKey.publicKey.bytes))
    }

    /// Makes the auth packet to send and remembers it.
    /// - Parameter format: `.eip8` (the default, as go-ethereum sends) or `.legacy`.
    /// - Returns: the packet.
    public mutating func makeAuth(format: RLPxHandshakeFormat = .eip8) -> [UInt8] {
        let message = authMessage
        let packet: [UInt8]
        switch format {
        case .eip8: packet = RLPxHandshakePacket.sealEIP8(message.eip8Body, to: remotePublicKey)
        case .legacy: packet = RLPxHandshakePacket.sealLegacy(message.legacyBody, to: remotePublicKey)
        }
        authPacket = packet
        return packet
    }

    /// Decrypts and checks the ack packet and derives the session secrets.
    /// - Parameter packet: the whole ack packet (length from `RLPxHandshakePacket.length(of: .ack, …)`).
    /// - Returns: the secrets, oriented for the initiator.
    /// - Throws: `RLPxError` if the packet does not decrypt with our key or does not parse.
    /// - Precondition: `makeAuth` was called.
    public mutating func handleAck(_ packet: [UInt8]) throws(RLPxError) -> RLPxSecrets {
        guard let authPacket else { preconditionFailure("handleAck called before makeAuth") }
        let (plaintext, format) = try RLPxHandshakePacket.open(packet, kind: .ack, with: localKey)
        let message = try RLPxAckMessage.decode(plaintext, format: format)
        ack = message
        return RLPxSecrets.derive(isInitiator: true, ephemeralKey: ephemeralKey,
                                  remoteEphemeralPublicKey: message.ephemeralPublicKey,
                                  initiatorNonce: nonce, recipientNonce: message.nonce,
                                  authPacket: authPacket, ackPacket: packet, remotePublicKey: remotePublicKey)
    }
}
