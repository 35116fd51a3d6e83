import Primitives
import Signatures

/// A running MAC state for RLPx frames: absorbs bytes and reports the digest so far without ending.
///
/// RLPx uses Keccak-256 (`RLPxFrameCodec`); the protocol exists so go-ethereum's frame test, which
/// replaces the hash by one with a fixed output, can be reproduced byte for byte.
public protocol RLPxMACState: Sendable {
    /// Absorbs more bytes.
    /// - Parameter bytes: the next input.
    mutating func update(_ bytes: [UInt8])
    /// The digest of everything absorbed so far; the state is unchanged and keeps absorbing.
    /// - Returns: 32 bytes.
    func currentDigest() -> Hash32
}

extension Keccak256: RLPxMACState {
    /// The digest so far, computed on a copy (the value type makes the running state cheap to copy).
    /// - Returns: keccak256 of everything absorbed.
    public func currentDigest() -> Hash32 {
        var copy = self
        return copy.finalize()
    }
}

/// Constants of the RLPx frame format.
public enum RLPxFrame {
    /// An encrypted header with its MAC: 16 + 16 bytes.
    public static let headerByteCount = 32
    /// A MAC: 16 bytes.
    public static let macByteCount = 16
    /// The largest frame size the 3-byte (24-bit) size field can hold: 16 MiB − 1.
    public static let maximumSize = 0xFF_FFFF

    /// The bytes that follow a header announcing `frameSize`: the frame padded to 16, then its MAC.
    /// - Parameter frameSize: the size from `decodeHeader`.
    /// - Returns: what `decodeFrame(body:)` expects.
    public static func encryptedBodyLength(frameSize: Int) -> Int {
        (frameSize + 15) / 16 * 16 + macByteCount
    }
}

/// The RLPx frame codec over the MAC state `MAC`; use `RLPxFrameCodec` (Keccak-256).
///
/// Wire format of one frame (devp2p rlpx.md, "Framing"; go-ethereum `p2p/rlpx` `writeFrame`):
///
///     header-ciphertext (16) ‖ header-mac (16) ‖ frame-ciphertext (frame size padded to 16) ‖ frame-mac (16)
///     header     = frame-size (3, big-endian) ‖ RLP([0, 0]) = c2 80 80 ‖ zero padding to 16
///     frame      = RLP(message code) ‖ payload ‖ zero padding to a multiple of 16
///
/// Both directions encrypt with AES-256-CTR under aes-secret and an all-zero IV, each with its own
/// stream that runs for the whole connection. MACs (`hashMAC` in go-ethereum):
///
///     header-mac = first 16 of mac.update(aes(mac-secret, mac.digest[:16]) ⊕ header-ciphertext).digest
///     frame-mac  = mac.update(frame-ciphertext); seed = mac.digest;
///                  first 16 of mac.update(aes(mac-secret, seed[:16]) ⊕ seed[:16]).digest
///
/// with the egress MAC state for frames sent and the ingress state for frames received. Reading is
/// two steps because the header gives the length of what follows: `decodeHeader` (32 bytes) returns
/// the frame size, then `decodeFrame(body:)` takes `RLPxFrame.encryptedBodyLength(frameSize:)` bytes.
/// The header-data list is not checked (go-ethereum ignores it). Snappy compression of the payload is
/// the session's business, not the codec's.
///
/// Limits: a frame is at most `RLPxFrame.maximumSize` bytes (24-bit size field); received frames may
/// be limited further with `maximumFrameSize`. After any thrown error the cipher and MAC states have
/// advanced over the bad bytes: drop the connection.
public struct RLPxFrameCipher<MAC: RLPxMACState>: Sendable {
    private var encryptStream: AESCTR
    private var decryptStream: AESCTR
    private var macCipher: AESBlockCipher
    private var egressMAC: MAC
    private var ingressMAC: MAC
    /// The size announced by the last header read, until its body is read.
    private var pendingFrameSize: Int?
    /// The largest frame size `decodeHeader` accepts (at most `RLPxFrame.maximumSize`).
    public var maximumFrameSize = RLPxFrame.maximumSize

    /// Creates a codec from the handshake's secrets.
    /// - Parameters:
    ///   - aesSecret: the AES-256-CTR key.
    ///   - macSecret: the AES-256 key of the MAC's block encryption.
    ///   - egressMAC: the running MAC state for frames sent.
    ///   - ingressMAC: the running MAC state for frames received.
    public init(aesSecret: Hash32, macSecret: Hash32, egressMAC: MAC, ingressMAC: MAC) {
        let zeroIV = [UInt8](repeating: 0, count: 16)
        do {
            encryptStream = try AESCTR(key: aesSecret.bytes, iv: zeroIV)
            decryptStream = try AESCTR(key: aesSecret.bytes, iv: zeroIV)
            macCipher = try AESBlockCipher(key: macSecret.bytes)
        } catch {
            preconditionFailure("AES-256 refused a 32-byte key: \(error)")
        }
        self.egressMAC = egressMAC
        self.ingressMAC = ingressMAC
    }

    /// Encrypts one message as a frame.
    /// - Parameters:
    ///   - code: the message code (RLP-encoded in front of the payload).
    ///   - payload: the message data (already Snappy-compressed if the session compresses).
    /// - Returns: header, header MAC, encrypted padded frame and frame MAC.
    /// - Throws: `RLPxError.frameTooLarge` if RLP(code) ‖ payload exceeds `RLPxFrame.maximumSize`.
    public mutating func encodeFrame(code: UInt64, payload: [UInt8]) throws(RLPxError) -> [UInt8] {
        let frameSize = RLP.encodedLength(ofUInt: code) + payload.count
        guard frameSize <= RLPxFrame.maximumSize else { throw .frameTooLarge(size: frameSize, maximum: RLPxFrame.maximumSize) }
        var header: [UInt8] = [UInt8(truncatingIfNeeded: frameSize >> 16), UInt8(truncatingIfNeeded: frameSize >> 8),
                               UInt8(truncatingIfNeeded: frameSize), 0xC2, 0x80, 0x80]
        header += [UInt8](repeating: 0, count: 10)
        encryptStream.process(inPlace: &header)
        let headerMAC = Self.headerMAC(&egressMAC, cipher: &macCipher, headerCiphertext: header)

        var frame: [UInt8] = []
        frame.reserveCapacity(RLPxFrame.encryptedBodyLength(frameSize: frameSize))
        RLP.append(uint: code, to: &frame)
        frame += payload
        frame += [UInt8](repeating: 0, count: (16 - frameSize % 16) % 16)
        encryptStream.process(inPlace: &frame)
        let frameMAC = Self.frameMAC(&egressMAC, cipher: &macCipher, frameCiphertext: frame)

        var output = header
        output.reserveCapacity(RLPxFrame.headerByteCount + frame.count + RLPxFrame.macByteCount)
        output += headerMAC
        output += frame
        output += frameMAC
        return output
    }

    /// Checks a header's MAC and decrypts the frame size.
    /// - Parameter header: the first 32 bytes of a frame.
    /// - Returns: the frame size; `RLPxFrame.encryptedBodyLength(frameSize:)` bytes follow.
    /// - Throws: `RLPxError.headerLengthMismatch`, `.headerMACMismatch`, or `.frameTooLarge` above `maximumFrameSize`.
    public mutating func decodeHeader(_ header: [UInt8]) throws(RLPxError) -> Int {
        guard header.count == RLPxFrame.headerByteCount else {
            throw .headerLengthMismatch(length: header.count, expected: RLPxFrame.headerByteCount)
        }
        var ciphertext = Array(header[0..<16])
        let expected = Self.headerMAC(&ingressMAC, cipher: &macCipher, headerCiphertext: ciphertext)
        guard constantTimeEqual(expected, header[16..<32]) else {
            throw .headerMACMismatch(expected: expected, actual: Array(header[16..<32]))
        }
        decryptStream.process(inPlace: &ciphertext)
        let frameSize = Int(ciphertext[0]) << 16 | Int(ciphertext[1]) << 8 | Int(ciphertext[2])
        guard frameSize <= maximumFrameSize else { throw .frameTooLarge(size: frameSize, maximum: maximumFrameSize) }
        pendingFrameSize = frameSize
        return frameSize
    }

    /// Checks the frame MAC, decrypts, and splits off the message code.
    /// - Parameter body: `RLPxFrame.encryptedBodyLength(frameSize:)` bytes after the header.
    /// - Returns: the message code and the payload (still compressed if the session compresses).
    /// - Throws: `RLPxError.frameBodyLengthMismatch`, `.frameMACMismatch` or `.invalidMessageCode`.
    /// - Precondition: `decodeHeader` returned a size that no body has been read for yet.
    public mutating func decodeFrame(body: [UInt8]) throws(RLPxError) -> (code: UInt64, payload: [UInt8]) {
        guard let frameSize = pendingFrameSize else { preconditionFailure("decodeFrame called without a decoded header") }
        pendingFrameSize = nil
        let expectedLength = RLPxFrame.encryptedBodyLength(frameSize: frameSize)
        guard body.count == expectedLength else { throw .frameBodyLengthMismatch(length: body.count, expected: expectedLength) }
        let macStart = body.count - RLPxFrame.macByteCount
        var frame = Array(body[0..<macStart])
        let expected = Self.frameMAC(&ingressMAC, cipher: &macCipher, frameCiphertext: frame)
        guard constantTimeEqual(expected, body[macStart...]) else {
            throw .frameMACMismatch(expected: expected, actual: Array(body[macStart...]))
        }
        decryptStream.process(inPlace: &frame)
        var reader = RLPReader(frame[0..<frameSize])
        let code: UInt64
        do {
            code = try reader.readUInt64()
        } catch {
            throw .invalidMessageCode(reason: error.description)
        }
        return (code, Array(frame[reader.offset..<frameSize]))
    }

    /// go-ethereum `hashMAC.computeHeader`.
    private static func headerMAC(_ mac: inout MAC, cipher: inout AESBlockCipher, headerCiphertext: [UInt8]) -> [UInt8] {
        compute(&mac, cipher: &cipher, sum: mac.currentDigest(), seed: headerCiphertext[0..<16])
    }

    /// go-ethereum `hashMAC.computeFrame`.
    private static func frameMAC(_ mac: inout MAC, cipher: inout AESBlockCipher, frameCiphertext: [UInt8]) -> [UInt8] {
        mac.update(frameCiphertext)
        let seed = mac.currentDigest()
        return compute(&mac, cipher: &cipher, sum: seed, seed: seed.bytes[0..<16])
    }

    /// mac.update(aes(mac-secret, sum[:16]) ⊕ seed); first 16 bytes of mac.digest.
    private static func compute(_ mac: inout MAC, cipher: inout AESBlockCipher, sum: Hash32, seed: ArraySlice<UInt8>) -> [UInt8] {
        var block: [UInt8]
        do {
            block = try cipher.encrypt(block: Array(sum.bytes[0..<16]))
        } catch {
            preconditionFailure("AES refused a 16-byte block: \(error)")
        }
        for (index, byte) in seed.enumerated() { block[index] ^= byte }
        mac.update(block)
        return Array(mac.currentDigest().bytes[0..<16])
    }
}

/// The RLPx frame codec with Keccak-256 MAC states, as the protocol specifies.
public typealias RLPxFrameCodec = RLPxFrameCipher<Keccak256>

extension RLPxFrameCipher where MAC == Keccak256 {
    /// Creates the codec for a session from its handshake secrets.
    /// - Parameter secrets: the result of `RLPxInitiatorHandshake.handleAck` or `RLPxRecipientHandshake.handleAuth`.
    public init(secrets: RLPxSecrets) {
        self.init(aesSecret: secrets.aesSecret, macSecret: secrets.macSecret,
                  egressMAC: secrets.egressMAC, ingressMAC: secrets.ingressMAC)
    }
}
