import Testing
import Primitives
import Signatures
import P2P

/// Frames with real Keccak-256 MAC states, checked against a second implementation.
///
/// Setting: the EIP-8 session (Auth₂, Ack₂) with its aes-secret and mac-secret (EIP-8 "Test
/// Vectors"). Node B sends three frames. The expected bytes were computed by hand-written Python from
/// devp2p rlpx.md's formulas, with pycryptodome 3.23 (AES-256-CTR from counter 0, AES-256-ECB of the
/// mac-secret, keccak with `update_after_digest=True`) and pyrlp 5.0 for RLP(code):
///
///     egress = keccak(); egress.update(mac ^ nonceA); egress.update(ack2)     # B's egress
///     header = size.to_bytes(3) + c28080 + zeros(10);  hct = ctr.encrypt(header)
///     egress.update(ecb(mac).encrypt(egress.digest()[:16]) ^ hct);  hmac = egress.digest()[:16]
///     fct = ctr.encrypt(rlp(code) + payload + zero padding to 16);  egress.update(fct)
///     seed = egress.digest()[:16];  egress.update(ecb(mac).encrypt(seed) ^ seed);  fmac = egress.digest()[:16]
///     frame = hct + hmac + fct + fmac
@Suite struct RLPxFrameCrossCheckTests {
    typealias Vectors = RLPxEIP8VectorTests

    /// (code, payload, frame) in the order B sends them (the CTR stream and MACs run on).
    static let frames: [(code: UInt64, payload: [UInt8], frame: [UInt8])] = [
        (0x10, Array("hello, frame".utf8), RLPxTestSupport.bytes("""
            f2592df27a7e8fa7ba4cbb3756ff0ca1ec3886279c2d269ea3f5a254032204b5
            2fdbb7b18081cee884d6604d128b1d76e00adaf3fa8c07913244ebd564bd3189
            """)),
        (0, [], RLPxTestSupport.bytes("""
            c6b2926bb5cb17b2f98088cc80674b692fb7767be40eda4da4937db120fbba60
            3d6c55b43df812cb24452f012951442b54c7caeb3519a878b2caed9f67522533
            """)),
        (0x1234, [UInt8](0..<40), RLPxTestSupport.bytes("""
            13251d2be201869edc3dd48d207af8ee47859475538a23db884b7af8f9f9744d
            4a15d608daaa0e3ce5cf9c0101ff0406d9c01682831e08c094f2dfe74ac8899a
            7833fe6f782b8f87e9dac7cf9b9d9081c4afe67809d550df57a8b697fa11f04e
            """)),
    ]

    static func secrets(isInitiator: Bool) -> RLPxSecrets {
        RLPxSecrets.derive(isInitiator: isInitiator,
                           ephemeralKey: isInitiator ? Vectors.ephemeralKeyA : Vectors.ephemeralKeyB,
                           remoteEphemeralPublicKey: isInitiator ? Vectors.ephemeralKeyB.publicKey : Vectors.ephemeralKeyA.publicKey,
                           initiatorNonce: Vectors.nonceA, recipientNonce: Vectors.nonceB,
                           authPacket: Vectors.auth2, ackPacket: Vectors.ack2,
                           remotePublicKey: isInitiator ? Vectors.staticKeyB.publicKey : Vectors.staticKeyA.publicKey)
    }

    @Test func recipientEncodesThePythonFrames() throws {
        var codec = RLPxFrameCodec(secrets: Self.secrets(isInitiator: false))
        for (index, vector) in Self.frames.enumerated() {
            #expect(try codec.encodeFrame(code: vector.code, payload: vector.payload) == vector.frame, "frame \(index + 1)")
        }
    }

    @Test func initiatorDecodesThePythonFrames() throws {
        var codec = RLPxFrameCodec(secrets: Self.secrets(isInitiator: true))
        for (index, vector) in Self.frames.enumerated() {
            let size = try codec.decodeHeader(Array(vector.frame[0..<32]))
            #expect(vector.frame.count == 32 + RLPxFrame.encryptedBodyLength(frameSize: size), "frame \(index + 1)")
            let decoded = try codec.decodeFrame(body: Array(vector.frame[32...]))
            #expect(decoded.code == vector.code && decoded.payload == vector.payload, "frame \(index + 1)")
        }
    }

    /// Out of order, the second frame's header fails: the ingress MAC state has not absorbed the first.
    @Test func framesOutOfOrderAreRefused() {
        var codec = RLPxFrameCodec(secrets: Self.secrets(isInitiator: true))
        do {
            _ = try codec.decodeHeader(Array(Self.frames[1].frame[0..<32]))
            Issue.record("second frame's header verified before the first was read")
        } catch {
            guard case .headerMACMismatch = error else { Issue.record("\(error)"); return }
        }
    }
}
