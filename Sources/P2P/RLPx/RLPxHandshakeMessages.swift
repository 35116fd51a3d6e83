import Primitives
import Signatures

/// The two encodings of RLPx handshake messages.
///
/// Pre-EIP-8 ("legacy", RLPx v4 as first specified): fixed-size plaintexts (194-byte auth, 97-byte
/// ack) encrypted without shared MAC data, 307 and 210 bytes on the wire. EIP-8: an RLP list, then
/// random padding, encrypted with the packet's 2-byte big-endian size prefix as the ECIES shared MAC
/// data; list elements after the known ones are ignored, so later versions can add fields.
public enum RLPxHandshakeFormat: Sendable, Equatable {
    /// EIP-8: size prefix, RLP body, padding. What go-ethereum sends since 1.4.
    case eip8
    /// Pre-EIP-8 fixed-size packets.
    case legacy
}

/// The initiator's first handshake message (devp2p rlpx.md, "auth").
///
/// EIP-8 body: `[signature (65), initiator-pubk (64), initiator-nonce (32), auth-vsn, ...]`.
/// Legacy body: signature (65) ‖ keccak256(ephemeral-pubk) (32) ‖ initiator-pubk (64) ‖ nonce (32) ‖ 0x00.
/// The signature is the initiator's ephemeral key signing static-shared-secret XOR nonce, so the
/// recipient recovers the ephemeral public key from it.
public struct RLPxAuthMessage: Equatable, Sendable {
    /// r ‖ s ‖ v (v = 0 or 1) by the initiator's ephemeral key over static-shared-secret XOR nonce.
    public var signature: [UInt8]
    /// The initiator's static public key (its node id).
    public var initiatorPublicKey: PublicKey
    /// The initiator's 32-byte random nonce.
    public var nonce: Hash32
    /// auth-vsn: 4 for the current protocol; higher values are accepted and ignored (EIP-8).
    public var version: UInt64
    /// The raw RLP encodings of any list elements after the version (EIP-8 forward compatibility).
    public var additionalElements: [[UInt8]]
    /// keccak256 of the ephemeral public key, present only in the legacy format.
    public var ephemeralPublicKeyHash: Hash32?

    /// Creates a message.
    /// - Parameters:
    ///   - signature: 65 bytes r ‖ s ‖ v.
    ///   - initiatorPublicKey: the initiator's static key.
    ///   - nonce: the initiator's nonce.
    ///   - version: auth-vsn, 4.
    ///   - additionalElements: extra RLP items to append (EIP-8 only).
    ///   - ephemeralPublicKeyHash: for the legacy format, keccak256 of the ephemeral key's 64 bytes.
    public init(signature: [UInt8], initiatorPublicKey: PublicKey, nonce: Hash32, version: UInt64 = 4,
                additionalElements: [[UInt8]] = [], ephemeralPublicKeyHash: Hash32? = nil) {
        self.signature = signature
        self.initiatorPublicKey = initiatorPublicKey
        self.nonce = nonce
        self.version = version
        self.additionalElements = additionalElements
        self.ephemeralPublicKeyHash = ephemeralPublicKeyHash
    }

    /// The size of a legacy auth plaintext: 65 + 32 + 64 + 32 + 1.
    public static let legacyBodyByteCount = 194

    /// The EIP-8 RLP list, without padding.
    public var eip8Body: [UInt8] {
        var writer = RLPWriter()
        writer.appendList { list in
            list.append(bytes: signature)
            list.append(bytes: initiatorPublicKey.bytes)
            list.append(bytes: nonce.bytes)
            list.append(uint: version)
            for element in additionalElements { list.append(encoded: element) }
        }
        return writer.finish()
    }

    /// The legacy 194-byte plaintext.
    /// - Precondition: `ephemeralPublicKeyHash` is set.
    public var legacyBody: [UInt8] {
        guard let hash = ephemeralPublicKeyHash else { preconditionFailure("a legacy auth body needs the ephemeral key hash") }
        return signature + hash.bytes + initiatorPublicKey.bytes + nonce.bytes + [0x00]
    }

    /// Parses a decrypted auth plaintext.
    /// - Parameters:
    ///   - plaintext: the ECIES plaintext (for EIP-8, trailing padding is ignored).
    ///   - format: which encoding the packet used.
    /// - Returns: the message.
    /// - Throws: `RLPxError.malformedHandshakeBody` or `.invalidPublicKey`.
    public static func decode(_ plaintext: [UInt8], format: RLPxHandshakeFormat) throws(RLPxError) -> RLPxAuthMessage {
        switch format {
        case .legacy:
            guard plaintext.count == legacyBodyByteCount else {
                throw .malformedHandshakeBody(message: "auth",
                                              reason: "legacy body is \(plaintext.count) bytes, expected \(legacyBodyByteCount)")
            }
            let key = try parsePublicKey(plaintext[97..<161], field: "auth initiator public key")
            return RLPxAuthMessage(signature: Array(plaintext[0..<65]), initiatorPublicKey: key,
                                   nonce: Hash32(plaintext[161..<193]), version: 4,
                                   ephemeralPublicKeyHash: Hash32(plaintext[65..<97]))
        case .eip8:
            do {
                var reader = RLPReader(plaintext)
                var list = try reader.enterList()
                // Padding after the list is ignored (go-ethereum decodes the first value of the stream).
                let signature = try list.readBytes(exactly: 65)
                let keyBytes = try list.readBytes(exactly: 64)
                let nonce = try list.readBytes(exactly: 32)
                let version = try list.readUInt64()
                var extra: [[UInt8]] = []
                while !list.isAtEnd { extra.append(Array(try list.readRawItem())) }
                let key = try parsePublicKey(keyBytes, field: "auth initiator public key")
                return RLPxAuthMessage(signature: Array(signature), initiatorPublicKey: key, nonce: Hash32(nonce),
                                       version: version, additionalElements: extra)
            } catch let error as RLPError {
                throw .malformedHandshakeBody(message: "auth", reason: error.description)
            } catch let error as RLPxError {
                throw error
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
    }
}

/// The recipient's answer (devp2p rlpx.md, "ack").
///
/// EIP-8 body: `[recipient-ephemeral-pubk (64), recipient-nonce (32), ack-vsn, ...]`.
/// Legacy body: recipient-ephemeral-pubk (64) ‖ nonce (32) ‖ 0x00.
public struct RLPxAckMessage: Equatable, Sendable {
    /// The recipient's ephemeral public key.
    public var ephemeralPublicKey: PublicKey
    /// The recipient's 32-byte random nonce.
    public var nonce: Hash32
    /// ack-vsn: 4; higher values are accepted and ignored (EIP-8).
    public var version: UInt64
    /// The raw RLP encodings of any list elements after the version.
    public var additionalElements: [[UInt8]]

    /// Creates a message.
    /// - Parameters:
    ///   - ephemeralPublicKey: the recipient's ephemeral key.
    ///   - nonce: the recipient's nonce.
    ///   - version: ack-vsn, 4.
    ///   - additionalElements: extra RLP items to append (EIP-8 only).
    public init(ephemeralPublicKey: PublicKey, nonce: Hash32, version: UInt64 = 4, additionalElements: [[UInt8]] = []) {
        self.ephemeralPublicKey = ephemeralPublicKey
        self.nonce = nonce
        self.version = version
        self.additionalElements = additionalElements
    }

    /// The size of a legacy ack plaintext: 64 + 32 + 1.
    public static let legacyBodyByteCount = 97

    /// The EIP-8 RLP list, without padding.
    public var eip8Body: [UInt8] {
        var writer = RLPWriter()
        writer.appendList { list in
            list.append(bytes: ephemeralPublicKey.bytes)
            list.append(bytes: nonce.bytes)
            list.append(uint: version)
            for element in additionalElements { list.append(encoded: element) }
        }
        return writer.finish()
    }

    /// The legacy 97-byte plaintext.
    public var legacyBody: [UInt8] { ephemeralPublicKey.bytes + nonce.bytes + [0x00] }

    /// Parses a decrypted ack plaintext.
    /// - Parameters:
    ///   - plaintext: the ECIES plaintext (for EIP-8, trailing padding is ignored).
    ///   - format: which encoding the packet used.
    /// - Returns: the message.
    /// - Throws: `RLPxError.malformedHandshakeBody` or `.invalidPublicKey`.
    public static func decode(_ plaintext: [UInt8], format: RLPxHandshakeFormat) throws(RLPxError) -> RLPxAckMessage {
        switch format {
        case .legacy:
            guard plaintext.count == legacyBodyByteCount else {
                throw .malformedHandshakeBody(message: "ack",
                                              reason: "legacy body is \(plaintext.count) bytes, expected \(legacyBodyByteCount)")
            }
            let key = try parsePublicKey(plaintext[0..<64], field: "ack ephemeral public key")
            return RLPxAckMessage(ephemeralPublicKey: key, nonce: Hash32(plaintext[64..<96]), version: 4)
        case .eip8:
            do {
                var reader = RLPReader(plaintext)
                var list = try reader.enterList()
                let keyBytes = try list.readBytes(exactly: 64)
                let nonce = try list.readBytes(exactly: 32)
                let version = try list.readUInt64()
                var extra: [[UInt8]] = []
                while !list.isAtEnd { extra.append(Array(try list.readRawItem())) }
                let key = try parsePublicKey(keyBytes, field: "ack ephemeral public key")
                return RLPxAckMessage(ephemeralPublicKey: key, nonce: Hash32(nonce), version: version,
                                      additionalElements: extra)
            } catch let error as RLPError {
                throw .malformedHandshakeBody(message: "ack", reason: error.description)
            } catch let error as RLPxError {
                throw error
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
    }
}

/// Parses 64 bytes x ‖ y as a curve point, naming the field on failure.
func parsePublicKey(_ bytes: ArraySlice<UInt8>, field: String) throws(RLPxError) -> PublicKey {
    do {
        return try PublicKey(bytes: bytes)
    } catch {
        throw .invalidPublicKey(field: field, reason: error.description)
    }
}
