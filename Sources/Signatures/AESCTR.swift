/// AES in counter mode (NIST SP 800-38A §6.5) as a stream cipher that keeps its position between
/// calls, as go-ethereum's `cipher.NewCTR` stream does.
///
/// The counter block starts at the IV and is incremented as one 128-bit big-endian integer per
/// block (wrapping at 2¹²⁸), the "standard incrementing function" of SP 800-38A appendix B.1 that Go
/// and OpenSSL use. Input may arrive in pieces of any length: the unused tail of a keystream block
/// is kept for the next call, so encrypting "ab" then "cd" equals encrypting "abcd". Encryption and
/// decryption are the same operation.
///
/// devp2p uses AES-128-CTR inside ECIES (handshake messages) and AES-256-CTR with an all-zero IV for
/// RLPx frames, one stream per direction for the whole connection.
///
/// A value type: copying a stream copies its position, and the two copies then advance
/// independently (the OpenSSL context underneath is copied on write; see `AESBlockCipher`).
public struct AESCTR: Sendable {
    /// The counter block length: 16 bytes.
    public static let ivByteCount = 16

    private var cipher: AESBlockCipher
    /// The next counter block to encrypt, as two big-endian halves.
    private var counterHigh: UInt64
    private var counterLow: UInt64
    /// Keystream produced but not yet used; `keystreamOffset` is the first unused byte.
    private var keystream: [UInt8] = []
    private var keystreamOffset = 0

    /// The number of keystream blocks produced per OpenSSL call for long inputs.
    private static let batchBlocks = 64

    /// Starts a stream.
    /// - Parameters:
    ///   - key: 16, 24 or 32 bytes (AES-128, AES-192, AES-256).
    ///   - iv: the 16-byte initial counter block.
    /// - Throws: `AESError.invalidKeyLength` or `.invalidIVLength`.
    public init(key: [UInt8], iv: [UInt8]) throws(AESError) {
        guard iv.count == Self.ivByteCount else { throw .invalidIVLength(iv.count) }
        cipher = try AESBlockCipher(key: key)
        counterHigh = iv[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        counterLow = iv[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Encrypts (or decrypts) the next bytes of the stream.
    /// - Parameter bytes: the next part of the message.
    /// - Returns: `bytes` XORed with the next `bytes.count` keystream bytes.
    public mutating func process(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        process(inPlace: &output)
        return output
    }

    /// Encrypts (or decrypts) the next bytes of the stream in place.
    /// - Parameter bytes: the next part of the message, replaced by its transform.
    public mutating func process(inPlace bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { process(inPlace: $0) }
    }

    /// Encrypts (or decrypts) the next bytes of the stream in place, in a raw buffer.
    /// - Parameter buffer: the next part of the message, replaced by its transform.
    public mutating func process(inPlace buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            if keystreamOffset == keystream.count {
                refill(blocks: min(Self.batchBlocks, (buffer.count - offset + 15) / 16))
            }
            let take = min(buffer.count - offset, keystream.count - keystreamOffset)
            let start = keystreamOffset
            keystream.withUnsafeBytes { stream in
                let source = stream.baseAddress! + start
                let destination = base + offset
                // Eight bytes at a time, then the tail.
                var index = 0
                while index + 8 <= take {
                    let word = destination.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        ^ source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    destination.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < take {
                    let byte = destination.load(fromByteOffset: index, as: UInt8.self) ^ source.load(fromByteOffset: index, as: UInt8.self)
                    destination.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
                    index += 1
                }
            }
            offset += take
            keystreamOffset += take
        }
    }

    /// Replaces the keystream buffer with E(counter), E(counter + 1), … for `blocks` blocks.
    private mutating func refill(blocks: Int) {
        let byteCount = blocks * 16
        // Keep the buffer when its size is right (copy-on-write keeps copies of the stream apart).
        if keystream.count != byteCount { keystream = [UInt8](repeating: 0, count: byteCount) }
        var high = counterHigh, low = counterLow
        keystream.withUnsafeMutableBytes { raw in
            for block in 0..<blocks {
                raw.storeBytes(of: high.bigEndian, toByteOffset: block * 16, as: UInt64.self)
                raw.storeBytes(of: low.bigEndian, toByteOffset: block * 16 + 8, as: UInt64.self)
                let (next, carry) = low.addingReportingOverflow(1)
                low = next
                if carry { high &+= 1 }
            }
        }
        counterHigh = high
        counterLow = low
        keystream.withUnsafeMutableBytes { raw in
            cipher.encryptBlocks(UnsafeRawBufferPointer(raw), into: raw)
        }
        keystreamOffset = 0
    }
}
