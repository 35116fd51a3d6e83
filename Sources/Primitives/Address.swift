/// A 20-byte Ethereum account address.
///
/// Stored as big-endian words (bytes 0–7, 8–15, 16–19) so that it is a plain value and a cheap
/// dictionary key. Text output uses the EIP-55 mixed-case checksum; text input is accepted in
/// all lower or all upper case, and mixed-case input must carry a correct checksum.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var high: UInt64, middle: UInt64, low: UInt32

    /// The zero address 0x000…0.
    public static let zero = Address(high: 0, middle: 0, low: 0)

    /// Creates an address from its three big-endian words.
    @inlinable public init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high; self.middle = middle; self.low = low
    }

    /// Creates an address from exactly 20 bytes.
    /// - Parameter bytes: 20 bytes, most significant first.
    /// - Precondition: `bytes.count == 20`.
    @inlinable public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 20, "Address needs 20 bytes, got \(bytes.count)")
        var high: UInt64 = 0, middle: UInt64 = 0, low: UInt32 = 0
        var i = 0
        for byte in bytes {
            if i < 8 { high = high << 8 | UInt64(byte) } else if i < 16 { middle = middle << 8 | UInt64(byte) } else { low = low << 8 | UInt32(byte) }
            i += 1
        }
        self.init(high: high, middle: middle, low: low)
    }

    /// Takes the low 20 bytes of a 32-byte word (as the EVM does for addresses on the stack).
    /// - Parameter hash: the 32-byte value.
    @inlinable public init(lowBytesOf hash: Hash32) {
        // Bytes 12…31 of the word: the low half of w1, then w2, then w3.
        self.init(high: (hash.w1 << 32) | (hash.w2 >> 32),
                  middle: (hash.w2 << 32) | (hash.w3 >> 32),
                  low: UInt32(truncatingIfNeeded: hash.w3))
    }

    /// Parses hex text of exactly 20 bytes ("0x" optional), checking the EIP-55 checksum when
    /// the letters are of mixed case.
    /// - Parameter hex: the address text.
    /// - Throws: `AddressError` naming the text and what is wrong.
    public init(hex: some StringProtocol) throws(AddressError) {
        let text = String(hex)
        let bytes: [UInt8]
        do { bytes = try Hex.decode(text) } catch { throw .invalidHex(text, error) }
        guard bytes.count == 20 else { throw .wrongLength(text, bytes.count) }
        self.init(bytes)
        let body = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        let hasLower = body.contains { $0.isLowercase }, hasUpper = body.contains { $0.isUppercase }
        if hasLower && hasUpper && body != String(checksummed.dropFirst(2)) {
            throw .badChecksum(text, expected: checksummed)
        }
    }

    /// The 20 bytes, most significant first.
    @inlinable public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return out
    }

    /// The address as a 32-byte word, left-padded with zeros.
    @inlinable public var word: Hash32 {
        Hash32(words: 0, UInt64(high >> 32), (high << 32) | (middle >> 32), (middle << 32) | UInt64(low))
    }

    /// The EIP-55 mixed-case checksum form, "0x"-prefixed.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let digest = Keccak256.hash(lower).bytes
        var out = [UInt8]("0x".utf8)
        for (i, c) in lower.enumerated() {
            let nibble = (i % 2 == 0) ? digest[i / 2] >> 4 : digest[i / 2] & 0x0f
            out.append(c >= UInt8(ascii: "a") && nibble >= 8 ? c - 32 : c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The EIP-55 checksummed text.
    public var description: String { checksummed }

    @inlinable public static func < (a: Address, b: Address) -> Bool {
        (a.high, a.middle, a.low) < (b.high, b.middle, b.low)
    }
}

/// Why text could not be read as an address.
public enum AddressError: Error, Equatable, CustomStringConvertible {
    /// The text is not hex.
    case invalidHex(String, HexError)
    /// The text decodes to a byte count other than 20.
    case wrongLength(String, Int)
    /// Mixed-case text whose letters do not match its EIP-55 checksum.
    case badChecksum(String, expected: String)

    public var description: String {
        switch self {
        case .invalidHex(let text, let error): return "address \"\(text.prefix(80))\" is not hex: \(error)"
        case .wrongLength(let text, let count): return "address \"\(text.prefix(80))\" is \(count) bytes, expected 20"
        case .badChecksum(let text, let expected):
            return "address \(text) has a bad EIP-55 checksum, expected \(expected)"
        }
    }
}
