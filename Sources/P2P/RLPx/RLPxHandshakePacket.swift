import Primitives
import Signatures

/// Framing of handshake packets on the stream: how long the next one is, and sealing/opening.
///
/// Telling the formats apart from the first bytes: a legacy packet is a bare ECIES message, so it
/// starts with 0x04 (the uncompressed ephemeral key's prefix) and is exactly 307 (auth) or 210 (ack)
/// bytes. An EIP-8 packet starts with its size as a 2-byte big-endian integer, then that many bytes.
/// A first byte of 0x04 is therefore read as legacy; an EIP-8 packet starting with 0x04 would need a
/// size of 1,024–1,279 bytes, which no client sends (go-ethereum adds 100–199 bytes of padding to a
/// ~170-byte auth body and ~100-byte ack body, so its packets are 300–500 bytes). EIP-8 sizes must
/// lie in `minimumEIP8Size…maximumEIP8Size`; the upper limit (2,048, so at most 2,050 bytes are read
/// before anything is authenticated) bounds what a peer can make us buffer, and is go-ethereum's
/// order of magnitude (its read buffer starts at 512 bytes; the 2-byte prefix allows 65,535).
public enum RLPxHandshakePacket {
    /// Which handshake message a packet carries.
    public enum Kind: Sendable {
        /// The initiator's auth message.
        case auth
        /// The recipient's ack message.
        case ack

        /// The length of a legacy packet: 307 for auth, 210 for ack (plaintext + ECIES overhead).
        public var legacyPacketByteCount: Int {
            switch self {
            case .auth: return RLPxAuthMessage.legacyBodyByteCount + RLPxECIES.overhead
            case .ack: return RLPxAckMessage.legacyBodyByteCount + RLPxECIES.overhead
            }
        }

        var name: String { self == .auth ? "auth" : "ack" }
    }

    /// The smallest EIP-8 size prefix accepted: an ECIES message of at least one plaintext byte.
    public static let minimumEIP8Size = RLPxECIES.overhead + 1
    /// The largest EIP-8 size prefix accepted.
    public static let maximumEIP8Size = 2048

    /// How many bytes the packet that starts with `prefix` occupies on the stream.
    /// - Parameters:
    ///   - kind: auth (recipient reading) or ack (initiator reading).
    ///   - prefix: the bytes received so far; two are enough.
    /// - Returns: the packet's total length (for EIP-8, including the 2-byte prefix), or `nil` if fewer
    ///   than two bytes have arrived.
    /// - Throws: `RLPxError.handshakeSizeOutOfRange` for an EIP-8 size outside the accepted range.
    public static func length(of kind: Kind, startingWith prefix: some Collection<UInt8>) throws(RLPxError) -> Int? {
        guard prefix.count >= 2 else { return nil }
        let first = prefix[prefix.startIndex]
        if first == 0x04 { return kind.legacyPacketByteCount }
        let size = Int(first) << 8 | Int(prefix[prefix.index(after: prefix.startIndex)])
        guard size >= minimumEIP8Size && size <= maximumEIP8Size else {
            throw .handshakeSizeOutOfRange(size: size, minimum: minimumEIP8Size, maximum: maximumEIP8Size)
        }
        return 2 + size
    }

    /// Decrypts a whole packet with the receiver's static key, detecting its format.
    /// - Parameters:
    ///   - packet: the packet, exactly as many bytes as `length(of:startingWith:)` gave.
    ///   - kind: which message it should carry.
    ///   - key: the receiver's static private key.
    /// - Returns: the ECIES plaintext (for EIP-8 with its padding) and the format.
    /// - Throws: `RLPxError` for a wrong length, a size out of range, or an ECIES failure.
    public static func open(_ packet: [UInt8], kind: Kind, with key: PrivateKey) throws(RLPxError)
        -> (plaintext: [UInt8], format: RLPxHandshakeFormat) {
        guard let expected = try length(of: kind, startingWith: packet) else {
            throw .handshakePacketLengthMismatch(length: packet.count, expected: kind.legacyPacketByteCount)
        }
        guard packet.count == expected else { throw .handshakePacketLengthMismatch(length: packet.count, expected: expected) }
        if packet[0] == 0x04 {
            return (try RLPxECIES.decrypt(packet, with: key), .legacy)
        }
        return (try RLPxECIES.decrypt(packet[2...], with: key, sharedMacData: Array(packet[0..<2])), .eip8)
    }

    /// Seals an EIP-8 packet: size prefix ‖ ECIES(body ‖ zero padding) with the prefix as shared MAC data.
    ///
    /// The padding is zeros of random length 100–199, as go-ethereum's `sealEIP8` adds; it is
    /// encrypted, so its content does not matter, and its length hides the body's.
    /// - Parameters:
    ///   - body: the RLP list.
    ///   - recipient: the receiver's static public key.
    ///   - paddingByteCount: the padding length (random 100–199 unless given).
    /// - Returns: the packet.
    public static func sealEIP8(_ body: [UInt8], to recipient: PublicKey,
                                paddingByteCount: Int = Int.random(in: 100...199)) -> [UInt8] {
        let plaintext = body + [UInt8](repeating: 0, count: paddingByteCount)
        let size = plaintext.count + RLPxECIES.overhead
        precondition(size <= maximumEIP8Size, "EIP-8 handshake of \(size) bytes exceeds \(maximumEIP8Size)")
        let prefix = [UInt8(size >> 8), UInt8(size & 0xFF)]
        return prefix + RLPxECIES.encrypt(plaintext, to: recipient, sharedMacData: prefix)
    }

    /// Seals a legacy packet: ECIES(body) without shared MAC data.
    /// - Parameters:
    ///   - body: the fixed-size legacy plaintext.
    ///   - recipient: the receiver's static public key.
    /// - Returns: the packet.
    public static func sealLegacy(_ body: [UInt8], to recipient: PublicKey) -> [UInt8] {
        RLPxECIES.encrypt(body, to: recipient)
    }
}
