import Primitives
import Signatures

/// The session secrets both sides derive at the end of the handshake (devp2p rlpx.md, "Handshake").
///
///     ephemeral-key = ecdh.agree(ephemeral-privkey, remote-ephemeral-pubk)   (x-coordinate)
///     shared-secret = keccak256(ephemeral-key ‖ keccak256(recipient-nonce ‖ initiator-nonce))
///     aes-secret    = keccak256(ephemeral-key ‖ shared-secret)
///     mac-secret    = keccak256(ephemeral-key ‖ aes-secret)
///     initiator egress-mac = keccak256.update(mac-secret ⊕ recipient-nonce).update(auth)
///     initiator ingress-mac = keccak256.update(mac-secret ⊕ initiator-nonce).update(ack)
///
/// and the recipient's egress and ingress MACs are the initiator's ingress and egress. `auth` and
/// `ack` are the packets as sent, including an EIP-8 size prefix. The MACs are running Keccak-256
/// states (value types): the frame codec keeps absorbing into them.
public struct RLPxSecrets: Sendable {
    /// The AES-256-CTR key for frames, both directions.
    public let aesSecret: Hash32
    /// The AES-256 key of the frame MAC's block encryption.
    public let macSecret: Hash32
    /// The running MAC state of what this side sends.
    public var egressMAC: Keccak256
    /// The running MAC state of what this side receives.
    public var ingressMAC: Keccak256
    /// The remote side's static public key.
    public let remotePublicKey: PublicKey

    /// The remote node id: its static public key as 64 bytes x ‖ y (as in enode URLs).
    public var remoteNodeID: [UInt8] { remotePublicKey.bytes }

    /// Derives the secrets from the handshake's values.
    /// - Parameters:
    ///   - isInitiator: whether this side sent the auth message.
    ///   - ephemeralKey: this side's ephemeral private key.
    ///   - remoteEphemeralPublicKey: the other side's ephemeral public key.
    ///   - initiatorNonce: the nonce in the auth message.
    ///   - recipientNonce: the nonce in the ack message.
    ///   - authPacket: the auth packet as sent on the wire.
    ///   - ackPacket: the ack packet as sent on the wire.
    ///   - remotePublicKey: the other side's static public key.
    /// - Returns: the secrets, with egress and ingress oriented for this side.
    public static func derive(isInitiator: Bool, ephemeralKey: PrivateKey, remoteEphemeralPublicKey: PublicKey,
                              initiatorNonce: Hash32, recipientNonce: Hash32, authPacket: [UInt8], ackPacket: [UInt8],
                              remotePublicKey: PublicKey) -> RLPxSecrets {
        let ephemeralShared = ephemeralKey.sharedSecret(with: remoteEphemeralPublicKey)
        let sharedSecret = Keccak256.hash(ephemeralShared + Keccak256.hash(recipientNonce.bytes + initiatorNonce.bytes).bytes)
        let aesSecret = Keccak256.hash(ephemeralShared + sharedSecret.bytes)
        let macSecret = Keccak256.hash(ephemeralShared + aesSecret.bytes)
        var initiatorEgress = Keccak256()
        initiatorEgress.update(xor(macSecret, recipientNonce))
        initiatorEgress.update(authPacket)
        var initiatorIngress = Keccak256()
        initiatorIngress.update(xor(macSecret, initiatorNonce))
        initiatorIngress.update(ackPacket)
        return RLPxSecrets(aesSecret: aesSecret, macSecret: macSecret,
                           egressMAC: isInitiator ? initiatorEgress : initiatorIngress,
                           ingressMAC: isInitiator ? initiatorIngress : initiatorEgress,
                           remotePublicKey: remotePublicKey)
    }

    /// Creates secrets from known values (tests, or a session resumed by other means).
    /// - Parameters:
    ///   - aesSecret: the frame encryption key.
    ///   - macSecret: the frame MAC key.
    ///   - egressMAC: the egress MAC state.
    ///   - ingressMAC: the ingress MAC state.
    ///   - remotePublicKey: the remote static key.
    public init(aesSecret: Hash32, macSecret: Hash32, egressMAC: Keccak256, ingressMAC: Keccak256, remotePublicKey: PublicKey) {
        self.aesSecret = aesSecret
        self.macSecret = macSecret
        self.egressMAC = egressMAC
        self.ingressMAC = ingressMAC
        self.remotePublicKey = remotePublicKey
    }
}

/// a ⊕ b over 32 bytes.
func xor(_ a: Hash32, _ b: Hash32) -> [UInt8] {
    zip(a.bytes, b.bytes).map { $0 ^ $1 }
}
