import Testing
import Primitives
import Signatures
import P2P

/// Our initiator against our recipient with random keys, frames both ways, and tampered bytes.
@Suite struct RLPxRoundTripTests {
    /// A completed handshake: both sides' secrets and the packets exchanged.
    struct Session {
        var initiatorKey: PrivateKey
        var recipientKey: PrivateKey
        var auth: [UInt8]
        var ack: [UInt8]
        var initiatorSecrets: RLPxSecrets
        var recipientSecrets: RLPxSecrets
    }

    static func handshake(format: RLPxHandshakeFormat) throws -> Session {
        let initiatorKey = PrivateKey.generate()
        let recipientKey = PrivateKey.generate()
        var initiator = RLPxInitiatorHandshake(localKey: initiatorKey, remote: recipientKey.publicKey)
        var recipient = RLPxRecipientHandshake(localKey: recipientKey)
        let auth = initiator.makeAuth(format: format)
        let (ack, recipientSecrets) = try recipient.handleAuth(auth)
        let initiatorSecrets = try initiator.handleAck(ack)
        return Session(initiatorKey: initiatorKey, recipientKey: recipientKey, auth: auth, ack: ack,
                       initiatorSecrets: initiatorSecrets, recipientSecrets: recipientSecrets)
    }

    @Test(arguments: [RLPxHandshakeFormat.eip8, .legacy])
    func handshakeGivesMatchingSecrets(format: RLPxHandshakeFormat) throws {
        for _ in 0..<5 {
            let session = try Self.handshake(format: format)
            let a = session.initiatorSecrets, b = session.recipientSecrets
            #expect(a.aesSecret == b.aesSecret)
            #expect(a.macSecret == b.macSecret)
            #expect(a.egressMAC.currentDigest() == b.ingressMAC.currentDigest())
            #expect(a.ingressMAC.currentDigest() == b.egressMAC.currentDigest())
            #expect(a.egressMAC.currentDigest() != a.ingressMAC.currentDigest())
            #expect(a.remotePublicKey == session.recipientKey.publicKey)
            #expect(b.remotePublicKey == session.initiatorKey.publicKey)
            // Packet lengths follow the format, and the length helper reads them from two bytes.
            if format == .legacy {
                #expect(session.auth.count == 307 && session.ack.count == 210)
            } else {
                #expect(session.auth[0] != 0x04 && session.ack[0] != 0x04)
            }
            #expect(try RLPxHandshakePacket.length(of: .auth, startingWith: session.auth.prefix(2)) == session.auth.count)
            #expect(try RLPxHandshakePacket.length(of: .ack, startingWith: session.ack.prefix(2)) == session.ack.count)
        }
    }

    /// Frames of many sizes (around the 16-byte padding and large), both directions, in sequence.
    @Test func framesRoundTripBothWays() throws {
        let session = try Self.handshake(format: .eip8)
        var initiator = RLPxFrameCodec(secrets: session.initiatorSecrets)
        var recipient = RLPxFrameCodec(secrets: session.recipientSecrets)
        var generator = SystemRandomNumberGenerator()
        let sizes = [0, 1, 14, 15, 16, 17, 31, 32, 33, 1000, 70_000]
        for (index, size) in sizes.enumerated() {
            let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let code = UInt64(index) * 0x1_0001  // 0, 65537, … : one- and multi-byte codes
            for direction in 0..<2 {
                let frame = direction == 0
                    ? try initiator.encodeFrame(code: code, payload: payload)
                    : try recipient.encodeFrame(code: code, payload: payload)
                let header = Array(frame[0..<32])
                let size = direction == 0 ? try recipient.decodeHeader(header) : try initiator.decodeHeader(header)
                #expect(frame.count == 32 + RLPxFrame.encryptedBodyLength(frameSize: size))
                let body = Array(frame[32...])
                let decoded = direction == 0 ? try recipient.decodeFrame(body: body) : try initiator.decodeFrame(body: body)
                #expect(decoded.code == code && decoded.payload == payload, "size \(size) direction \(direction)")
            }
        }
    }

    /// A frame read with the sender's own codec fails: egress and ingress MAC states differ.
    @Test func frameDoesNotVerifyWithTheSendersIngressState() throws {
        let session = try Self.handshake(format: .eip8)
        var initiator = RLPxFrameCodec(secrets: session.initiatorSecrets)
        var other = RLPxFrameCodec(secrets: session.initiatorSecrets)
        let frame = try initiator.encodeFrame(code: 1, payload: [1, 2, 3])
        #expect(throws: RLPxError.self) { _ = try other.decodeHeader(Array(frame[0..<32])) }
    }

    /// Every byte of a frame flipped in turn: the header MAC catches bytes 0–31, the frame MAC the rest.
    @Test func everyFlippedFrameByteIsRefused() throws {
        let session = try Self.handshake(format: .eip8)
        var sender = RLPxFrameCodec(secrets: session.initiatorSecrets)
        let receiver = RLPxFrameCodec(secrets: session.recipientSecrets)
        let frame = try sender.encodeFrame(code: 0x10, payload: Array("a message of some length".utf8))
        for index in frame.indices {
            var tampered = frame
            tampered[index] ^= 0x01
            var codec = receiver
            do {
                let size = try codec.decodeHeader(Array(tampered[0..<32]))
                #expect(index >= 32, "header byte \(index) flipped was accepted")
                _ = size
                _ = try codec.decodeFrame(body: Array(tampered[32...]))
                Issue.record("frame with byte \(index) flipped was accepted")
            } catch {
                if index < 32 {
                    guard case .headerMACMismatch = error else { Issue.record("byte \(index): \(error)"); continue }
                } else {
                    guard case .frameMACMismatch = error else { Issue.record("byte \(index): \(error)"); continue }
                }
            }
        }
        // The untampered frame still decodes with a fresh copy.
        var codec = receiver
        _ = try codec.decodeHeader(Array(frame[0..<32]))
        #expect(try codec.decodeFrame(body: Array(frame[32...])).code == 0x10)
    }

    /// Every byte of an auth packet flipped in turn is refused, with the error its position calls for:
    /// the size prefix (a length or size error, or the MAC since the prefix is MAC data), the key
    /// prefix and coordinates (not a point), and the rest (the ECIES tag).
    @Test(arguments: [RLPxHandshakeFormat.eip8, .legacy])
    func everyFlippedAuthByteIsRefused(format: RLPxHandshakeFormat) throws {
        let recipientKey = PrivateKey.generate()
        var initiator = RLPxInitiatorHandshake(localKey: PrivateKey.generate(), remote: recipientKey.publicKey)
        let auth = initiator.makeAuth(format: format)
        let keyStart = format == .eip8 ? 2 : 0
        for index in auth.indices {
            var tampered = auth
            tampered[index] ^= 0x01
            var recipient = RLPxRecipientHandshake(localKey: recipientKey)
            do {
                _ = try recipient.handleAuth(tampered)
                Issue.record("auth with byte \(index) flipped was accepted")
            } catch {
                switch error {
                case .handshakeSizeOutOfRange, .handshakePacketLengthMismatch:
                    #expect(index < 2, "byte \(index): \(error)")
                case .eciesInvalidEphemeralKey:
                    #expect(index >= keyStart && index < keyStart + 65, "byte \(index): \(error)")
                case .eciesMACMismatch:
                    // A flipped x or y is almost never another point with the same partner coordinate,
                    // so MAC failures come from the IV, ciphertext and tag (or, for legacy, byte 0's
                    // neighbour cannot occur: byte 0 is the key prefix).
                    #expect(index >= keyStart + 65 || index < keyStart, "byte \(index): \(error)")
                default:
                    Issue.record("byte \(index): unexpected \(error)")
                }
            }
        }
    }

    /// Flipped ack bytes are refused by the initiator too.
    @Test func everyFlippedAckByteIsRefused() throws {
        let initiatorKey = PrivateKey.generate()
        let recipientKey = PrivateKey.generate()
        var initiator = RLPxInitiatorHandshake(localKey: initiatorKey, remote: recipientKey.publicKey)
        var recipient = RLPxRecipientHandshake(localKey: recipientKey)
        let (ack, _) = try recipient.handleAuth(initiator.makeAuth())
        for index in ack.indices {
            var tampered = ack
            tampered[index] ^= 0x80
            var attempt = initiator
            #expect(throws: RLPxError.self, "ack byte \(index)") { _ = try attempt.handleAck(tampered) }
        }
        #expect(throws: Never.self) { _ = try initiator.handleAck(ack) }
    }

    /// An auth encrypted to another node fails the ECIES tag; a truncated one fails on length.
    @Test func authForAnotherNodeOrTruncatedIsRefused() throws {
        var initiator = RLPxInitiatorHandshake(localKey: PrivateKey.generate(), remote: PrivateKey.generate().publicKey)
        let auth = initiator.makeAuth()
        var stranger = RLPxRecipientHandshake(localKey: PrivateKey.generate())
        #expect(throws: RLPxError.eciesMACMismatch) { _ = try stranger.handleAuth(auth) }
        #expect(throws: RLPxError.handshakePacketLengthMismatch(length: auth.count - 1, expected: auth.count)) {
            _ = try stranger.handleAuth(Array(auth.dropLast()))
        }
    }

    /// The size prefix: legacy on 0x04, EIP-8 within 114…2048, nil before two bytes.
    @Test func packetLengthFromFirstBytes() throws {
        #expect(try RLPxHandshakePacket.length(of: .auth, startingWith: [UInt8]()) == nil)
        #expect(try RLPxHandshakePacket.length(of: .auth, startingWith: [0x01]) == nil)
        #expect(try RLPxHandshakePacket.length(of: .auth, startingWith: [0x04, 0x00]) == 307)
        #expect(try RLPxHandshakePacket.length(of: .ack, startingWith: [0x04, 0xFF]) == 210)
        #expect(try RLPxHandshakePacket.length(of: .ack, startingWith: [0x00, 0x72]) == 2 + 114)
        #expect(try RLPxHandshakePacket.length(of: .ack, startingWith: [0x08, 0x00]) == 2 + 2048)
        #expect(throws: RLPxError.handshakeSizeOutOfRange(size: 113, minimum: 114, maximum: 2048)) {
            _ = try RLPxHandshakePacket.length(of: .auth, startingWith: [0x00, 0x71])
        }
        #expect(throws: RLPxError.handshakeSizeOutOfRange(size: 2049, minimum: 114, maximum: 2048)) {
            _ = try RLPxHandshakePacket.length(of: .auth, startingWith: [0x08, 0x01, 0x00])
        }
        #expect(RLPxError.handshakeSizeOutOfRange(size: 2049, minimum: 114, maximum: 2048).description
                == "EIP-8 handshake size prefix is 2049, expected 114…2048")
    }

    /// A legacy auth whose carried ephemeral-key hash does not match the signature's key is refused.
    @Test func legacyAuthWithWrongEphemeralHashIsRefused() throws {
        let recipientKey = PrivateKey.generate()
        let initiator = RLPxInitiatorHandshake(localKey: PrivateKey.generate(), remote: recipientKey.publicKey)
        var message = initiator.authMessage
        message.ephemeralPublicKeyHash = Hash32.zero
        let packet = RLPxHandshakePacket.sealLegacy(message.legacyBody, to: recipientKey.publicKey)
        var recipient = RLPxRecipientHandshake(localKey: recipientKey)
        #expect(throws: RLPxError.ephemeralKeyHashMismatch(expected: Keccak256.hash(initiator.ephemeralKey.publicKey.bytes),
                                                           actual: Hash32.zero)) {
            _ = try recipient.handleAuth(packet)
        }
    }

    /// An EIP-8 auth whose signature is not a valid recoverable signature is refused as such.
    @Test func authWithBadSignatureIsRefused() throws {
        let recipientKey = PrivateKey.generate()
        let initiator = RLPxInitiatorHandshake(localKey: PrivateKey.generate(), remote: recipientKey.publicKey)
        var message = initiator.authMessage
        message.signature[64] = 7  // recovery id out of range
        let packet = RLPxHandshakePacket.sealEIP8(message.eip8Body, to: recipientKey.publicKey)
        var recipient = RLPxRecipientHandshake(localKey: recipientKey)
        do {
            _ = try recipient.handleAuth(packet)
            Issue.record("accepted a signature with recovery id 7")
        } catch {
            guard case .badAuthSignature = error else { Issue.record("\(error)"); return }
            #expect(error.description.hasPrefix("bad auth signature: "))
        }
    }

    /// An EIP-8 body that is not the required list is refused as malformed.
    @Test func malformedEIP8BodyIsRefused() throws {
        let recipientKey = PrivateKey.generate()
        let packet = RLPxHandshakePacket.sealEIP8([0xC2, 0x01, 0x02], to: recipientKey.publicKey)
        var recipient = RLPxRecipientHandshake(localKey: recipientKey)
        do {
            _ = try recipient.handleAuth(packet)
            Issue.record("accepted a two-element auth")
        } catch {
            guard case .malformedHandshakeBody(let message, _) = error, message == "auth" else { Issue.record("\(error)"); return }
        }
    }
}
