import Primitives
import Signatures

/// The listening side of the RLPx handshake, without I/O: it reads the auth packet, answers with an
/// ack packet and derives the session secrets (devp2p rlpx.md, "Initial Handshake").
///
/// An EIP-8 auth gets an EIP-8 ack and a legacy auth a legacy ack, as go-ethereum did while it
/// still accepted legacy packets (EIP-8: "the recipient must respond in the format of the auth").
/// The initiator's ephemeral key is recovered from the auth signature; in the legacy format the
/// keccak256 of that key, which the message also carries, must match.
public struct RLPxRecipientHandshake: Sendable {
    /// This node's static key.
    public let localKey: PrivateKey
    /// This side's ephemeral key for this handshake.
    public let ephemeralKey: PrivateKey
    /// This side's nonce.
    public let nonce: Hash32
    /// The initiator's auth message once handled.
    public private(set) var auth: RLPxAuthMessage?
    /// The format the initiator used, once handled.
    public private(set) var authFormat: RLPxHandshakeFormat?
    /// The initiator's ephemeral public key, recovered from the auth signature.
    public private(set) var remoteEphemeralPublicKey: PublicKey?

    /// The initiator's static public key (its node id), once the auth is handled.
    public var remotePublicKey: PublicKey? { auth?.initiatorPublicKey }

    /// Prepares to answer one handshake.
    /// - Parameters:
    ///   - localKey: this node's static key.
    ///   - ephemeralKey: a fresh key (given by tests to reproduce vectors).
    ///   - nonce: 32 random bytes (given by tests).
    public init(localKey: PrivateKey, ephemeralKey: PrivateKey = .generate(),
                nonce: Hash32 = Hash32(SecureRandom.bytes(count: 32))) {
        self.localKey = localKey
        self.ephemeralKey = ephemeralKey
        self.nonce = nonce
    }

    /// Decrypts and checks an auth packet, without answering.
    /// - Parameter packet: the whole auth packet.
    /// - Returns: the message, its format and the initiator's ephemeral public key.
    /// - Throws: `RLPxError` if the packet does not decrypt, does not parse, or its signature does not
    ///   recover (or, in the legacy format, recovers a key whose hash differs from the one sent).
    public func readAuth(_ packet: [UInt8]) throws(RLPxError)
        -> (message: RLPxAuthMessage, format: RLPxHandshakeFormat, ephemeralPublicKey: PublicKey) {
        let (plaintext, format) = try RLPxHandshakePacket.open(packet, kind: .auth, with: localKey)
        let message = try RLPxAuthMessage.decode(plaintext, format: format)
        let token = Hash32(localKey.sharedSecret(with: message.initiatorPublicKey))
        let signedHash = Hash32(xor(token, message.nonce))
        let ephemeral: PublicKey
        do {
            ephemeral = try RecoverableSignature(bytes: message.signature).recoverPublicKey(from: signedHash)
        } catch {
            throw .badAuthSignature(reason: error.description)
        }
        if let sentHash = message.ephemeralPublicKeyHash {
            let actualHash = Keccak256.hash(ephemeral.bytes)
            guard sentHash == actualHash else { throw .ephemeralKeyHashMismatch(expected: actualHash, actual: sentHash) }
        }
        return (message, format, ephemeral)
    }

    /// Handles the auth packet: checks it, makes the ack packet, derives the secrets.
    /// - Parameter packet: the whole auth packet (length from `RLPxHandshakePacket.length(of: .auth, …)`).
    /// - Returns: the ack packet to send (same format as the auth) and the secrets, oriented for the recipient.
    /// - Throws: as `readAuth(_:)`.
    public mutating func handleAuth(_ packet: [UInt8]) throws(RLPxError) -> (ack: [UInt8], secrets: RLPxSecrets) {
        let (message, format, ephemeral) = try readAuth(packet)
        auth = message
        authFormat = format
        remoteEphemeralPublicKey = ephemeral
        let ackMessage = RLPxAckMessage(ephemeralPublicKey: ephemeralKey.publicKey, nonce: nonce, version: 4)
        let ackPacket: [UInt8]
        switch format {
        case .eip8: ackPacket = RLPxHandshakePacket.sealEIP8(ackMessage.eip8Body, to: message.initiatorPublicKey)
        case .legacy: ackPacket = RLPxHandshakePacket.sealLegacy(ackMessage.legacyBody, to: message.initiatorPublicKey)
        }
        let secrets = RLPxSecrets.derive(isInitiator: false, ephemeralKey: ephemeralKey, remoteEphemeralPublicKey: ephemeral,
                                         initiatorNonce: message.nonce, recipientNonce: nonce,
                                         authPacket: packet, ackPacket: ackPacket,
                                         remotePublicKey: message.initiatorPublicKey)
        return (ackPacket, secrets)
    }
}
