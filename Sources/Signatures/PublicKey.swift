internal import CSecp256k1
import Primitives

/// A secp256k1 public key: a point (x, y) on the curve, never the point at infinity.
///
/// Encodings (SEC 1 §2.3.3): 64 bytes x ‖ y (Ethereum's usual form, as in enode URLs and
/// go-ethereum's `FromECDSAPub` without the prefix), 65 bytes 0x04 ‖ x ‖ y (uncompressed) and
/// 33 bytes 0x02|0x03 ‖ x (compressed; the prefix is the parity of y). Held as the two 32-byte
/// coordinates, so equality and hashing compare the point itself whatever form it came in.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The x-coordinate, big-endian.
    public let x: Hash32
    /// The y-coordinate, big-endian.
    public let y: Hash32

    /// Parses a public key in any of the three encodings.
    /// - Parameter bytes: 33 bytes (0x02/0x03 ‖ x), 64 bytes (x ‖ y) or 65 bytes (0x04 ‖ x ‖ y).
    /// - Throws: `SignatureError.invalidPublicKeyLength`, `.invalidPublicKeyPrefix`, or
    ///   `.publicKeyNotOnCurve` if the coordinates are not a point of secp256k1.
    public init(bytes: some Collection<UInt8>) throws(SignatureError) {
        var encoded = Array(bytes)
        switch encoded.count {
        case 64: encoded.insert(0x04, at: 0)
        case 65: guard encoded[0] == 0x04 else { throw .invalidPublicKeyPrefix(encoded[0], length: 65) }
        case 33: guard encoded[0] == 0x02 || encoded[0] == 0x03 else { throw .invalidPublicKeyPrefix(encoded[0], length: 33) }
        default: throw .invalidPublicKeyLength(encoded.count)
        }
        var point = secp256k1_pubkey()
        let parsed = secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &point, encoded, encoded.count)
        guard parsed == 1 else { throw .publicKeyNotOnCurve(Hex.encode(bytes)) }
        self.init(libsecp256k1Point: point)
    }

    /// Creates a key from coordinates, checking that they are on the curve.
    /// - Parameters:
    ///   - x: the x-coordinate.
    ///   - y: the y-coordinate.
    /// - Throws: `SignatureError.publicKeyNotOnCurve` if (x, y) is not a point of secp256k1.
    public init(x: Hash32, y: Hash32) throws(SignatureError) {
        try self.init(bytes: x.bytes + y.bytes)
    }

    /// Reads the coordinates of a point libsecp256k1 has already validated.
    init(libsecp256k1Point point: secp256k1_pubkey) {
        var point = point
        var buffer = zeroStackBytes72
        var length = 65
        let (x, y) = withUnsafeMutableBytes(of: &buffer) { raw in
            _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.pointer,
                                              raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
                                              &point, UInt32(SECP256K1_EC_UNCOMPRESSED))
            return (Hash32(bigEndianBytesAt: raw.baseAddress! + 1), Hash32(bigEndianBytesAt: raw.baseAddress! + 33))
        }
        self.x = x
        self.y = y
    }

    /// The point in libsecp256k1's internal form. The coordinates were validated on creation.
    var libsecp256k1Point: secp256k1_pubkey {
        var buffer = zeroStackBytes72
        withUnsafeMutableBytes(of: &buffer) { raw in
            raw[0] = 0x04
            x.withBigEndianBytes { (raw.baseAddress! + 1).copyMemory(from: $0, byteCount: 32) }
            y.withBigEndianBytes { (raw.baseAddress! + 33).copyMemory(from: $0, byteCount: 32) }
        }
        var point = secp256k1_pubkey()
        let parsed = withUnsafeBytes(of: &buffer) { raw in
            secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &point,
                                      raw.baseAddress!.assumingMemoryBound(to: UInt8.self), 65)
        }
        precondition(parsed == 1, "a validated public key no longer parses")
        return point
    }

    /// The 64 bytes x ‖ y.
    public var bytes: [UInt8] { x.bytes + y.bytes }

    /// The 65-byte uncompressed SEC 1 form 0x04 ‖ x ‖ y.
    public var uncompressedBytes: [UInt8] { [0x04] + x.bytes + y.bytes }

    /// The 33-byte compressed SEC 1 form: 0x02 (y even) or 0x03 (y odd), then x.
    public var compressedBytes: [UInt8] { [y.w3 & 1 == 0 ? 0x02 : 0x03] + x.bytes }

    /// The Ethereum address: the low 20 bytes of keccak256(x ‖ y) (Yellow Paper eq. 284).
    public var address: Address {
        var words = (x.w0.bigEndian, x.w1.bigEndian, x.w2.bigEndian, x.w3.bigEndian,
                     y.w0.bigEndian, y.w1.bigEndian, y.w2.bigEndian, y.w3.bigEndian)
        return Address(lowBytesOf: withUnsafeBytes(of: &words) { Keccak256.hash(raw: $0) })
    }

    /// "0x"-prefixed hex of x ‖ y.
    public var description: String { Hex.encode(bytes) }
}
