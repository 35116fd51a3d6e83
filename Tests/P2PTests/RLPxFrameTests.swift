import Testing
import Primitives
import Signatures
import P2P

/// go-ethereum v1.13.15 p2p/rlpx/rlpx_test.go `fakeHash`: a "hash" that ignores its input and always
/// returns 32 bytes of 0x01, so the frame MACs are 01…01 and only the encryption is under test.
struct FixedDigestMAC: RLPxMACState {
    mutating func update(_ bytes: [UInt8]) {}
    func currentDigest() -> Hash32 { Hash32([UInt8](repeating: 0x01, count: 32)) }
}

@Suite struct RLPxFrameTests {
    /// go-ethereum v1.13.15 p2p/rlpx/rlpx_test.go `TestFrameReadWrite`: AES and MAC secrets are
    /// keccak256() of nothing, both MAC states are `fakeHash`, message code 8, payload RLP([1, 2, 3, 4]).
    static let golden = RLPxTestSupport.bytes("""
        00828ddae471818bb0bfa6b551d1cb42
        01010101010101010101010101010101
        ba628a4ba590cb43f7848f41c4382885
        01010101010101010101010101010101
        """)

    static func gethTestCodec() -> RLPxFrameCipher<FixedDigestMAC> {
        RLPxFrameCipher(aesSecret: Hash32.emptyKeccak, macSecret: Hash32.emptyKeccak,
                        egressMAC: FixedDigestMAC(), ingressMAC: FixedDigestMAC())
    }

    @Test func gethFrameReadWriteWrite() throws {
        var codec = Self.gethTestCodec()
        let payload = RLPxTestSupport.bytes("c401020304")  // rlp.EncodeToBytes([]uint{1, 2, 3, 4})
        #expect(try codec.encodeFrame(code: 8, payload: payload) == Self.golden)
    }

    @Test func gethFrameReadWriteRead() throws {
        var codec = Self.gethTestCodec()
        let size = try codec.decodeHeader(Array(Self.golden[0..<32]))
        // go-ethereum: the frame content is 08 c401020304, six bytes.
        #expect(size == 6)
        #expect(RLPxFrame.encryptedBodyLength(frameSize: size) == 32)
        let (code, payload) = try codec.decodeFrame(body: Array(Self.golden[32...]))
        #expect(code == 8)
        #expect(payload == RLPxTestSupport.bytes("c401020304"))
    }

    @Test func headerOfWrongLengthIsRefused() {
        var codec = Self.gethTestCodec()
        #expect(throws: RLPxError.headerLengthMismatch(length: 31, expected: 32)) {
            _ = try codec.decodeHeader(Array(Self.golden[0..<31]))
        }
    }

    @Test func headerSizeAboveTheLimitIsRefused() {
        var codec = Self.gethTestCodec()
        codec.maximumFrameSize = 5
        #expect(throws: RLPxError.frameTooLarge(size: 6, maximum: 5)) {
            _ = try codec.decodeHeader(Array(Self.golden[0..<32]))
        }
    }

    @Test func bodyOfWrongLengthIsRefused() throws {
        var codec = Self.gethTestCodec()
        _ = try codec.decodeHeader(Array(Self.golden[0..<32]))
        #expect(throws: RLPxError.frameBodyLengthMismatch(length: 31, expected: 32)) {
            _ = try codec.decodeFrame(body: Array(Self.golden[32..<63]))
        }
    }

    /// A frame of RLP(code) ‖ payload longer than 2²⁴ − 1 bytes cannot be announced in 3 bytes.
    @Test func oversizedFrameIsNotEncoded() {
        var codec = Self.gethTestCodec()
        let payload = [UInt8](repeating: 0, count: RLPxFrame.maximumSize)
        #expect(throws: RLPxError.frameTooLarge(size: RLPxFrame.maximumSize + 1, maximum: RLPxFrame.maximumSize)) {
            _ = try codec.encodeFrame(code: 0, payload: payload)
        }
        // One byte less fits: code 0 is the single byte 0x80.
        #expect(throws: Never.self) { _ = try codec.encodeFrame(code: 0, payload: Array(payload.dropLast())) }
    }

    /// A frame whose content does not start with a canonical integer is refused after its MAC checks:
    /// the content 0x00 (a leading-zero integer) is built with the fixed-MAC codec.
    @Test func nonCanonicalMessageCodeIsRefused() throws {
        var writer = Self.gethTestCodec()
        // Encode code 0 (0x80) with an empty payload, then decode a frame whose plaintext is 0x00:
        // the ciphertext byte differs from ours by 0x80 ^ 0x00, and the MAC is fixed, so it still verifies.
        var frame = try writer.encodeFrame(code: 0, payload: [])
        frame[32] ^= 0x80
        var reader = Self.gethTestCodec()
        #expect(try reader.decodeHeader(Array(frame[0..<32])) == 1)
        #expect(throws: RLPxError.self) { _ = try reader.decodeFrame(body: Array(frame[32...])) }
        do {
            var again = Self.gethTestCodec()
            _ = try again.decodeHeader(Array(frame[0..<32]))
            _ = try again.decodeFrame(body: Array(frame[32...]))
        } catch {
            guard case .invalidMessageCode = error else { Issue.record("expected invalidMessageCode, got \(error)"); return }
            #expect(error.description.hasPrefix("frame does not start with a message code"))
        }
    }
}
