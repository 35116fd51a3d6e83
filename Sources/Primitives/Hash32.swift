/// A 32-byte value: a Keccak-256 digest, a block or transaction hash, a storage key.
///
/// Held as four big-endian 64-bit words (`w0` holds bytes 0–7), so it is a plain value with no heap
/// storage, compares in four instructions and hashes cheaply as a dictionary key.
public struct Hash32: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The all-zero hash.
    public static let zero = Hash32(words: 0, 0, 0, 0)

    /// Creates a hash from its four big-endian words.
    @inlinable public init(words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Creates a hash from exactly 32 bytes.
    /// - Parameter bytes: 32 bytes, most significant first.
    /// - Precondition: `bytes.count == 32`.
    @inlinable public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 32, "Hash32 needs 32 bytes, got \(bytes.count)")
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var i = 0
        for byte in bytes {
            switch i >> 3 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
            i += 1
        }
        self.init(words: words.0, words.1, words.2, words.3)
    }

    /// Parses "0x"-prefixed or bare hex of exactly 32 bytes.
    /// - Parameter hex: the hex text.
    /// - Throws: `HexError` if the text is not hex or not 32 bytes.
    public init(hex: some StringProtocol) throws(HexError) {
        let bytes = try Hex.decode(hex)
        guard bytes.count == 32 else { throw .wrongLength(String(hex), expected: 32, actual: bytes.count) }
        self.init(bytes)
    }

    /// The 32 bytes, most significant first.
    @inlinable public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
        }
        return out
    }

    /// Whether every byte is zero.
    @inlinable public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// "0x"-prefixed lower-case hex of the 32 bytes.
    public var description: String { Hex.encode(bytes) }

    @inlinable public static func < (a: Hash32, b: Hash32) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }

    /// Keccak-256 of the empty string, the code hash of an account with no code.
    public static let emptyKeccak = Keccak256.hash([UInt8]())
}
