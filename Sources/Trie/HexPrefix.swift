import Primitives

/// Nibble paths and their hex-prefix ("compact") encoding (Yellow Paper, appendix C; go-ethereum
/// `trie/encoding.go`).
///
/// A trie key of n bytes is walked as 2n nibbles (4-bit values), high nibble first. Leaf and
/// extension nodes store the rest of a path; on the wire the path is packed two nibbles per byte
/// behind a one-nibble flag, padded with a zero nibble when the nibble count is even:
///
/// | flag nibble | node      | nibble count | first byte          |
/// |-------------|-----------|--------------|---------------------|
/// | 0           | extension | even         | 0x00, then pairs    |
/// | 1           | extension | odd          | 0x1 ‖ first nibble  |
/// | 2           | leaf      | even         | 0x20, then pairs    |
/// | 3           | leaf      | odd          | 0x3 ‖ first nibble  |
///
/// In memory, nibble paths are `[UInt8]`/`ArraySlice<UInt8>` with one nibble (0…15) per element.
public enum HexPrefix {
    /// Splits key bytes into nibbles, high nibble first.
    /// - Parameter key: the key bytes.
    /// - Returns: `2 × key.count` values in 0…15.
    public static func nibbles(of key: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: key.count * 2) { buffer, count in
            for (index, byte) in key.enumerated() {
                buffer[2 * index] = byte >> 4
                buffer[2 * index + 1] = byte & 0x0f
            }
            count = key.count * 2
        }
    }

    /// Packs nibbles back into bytes.
    /// - Parameter nibbles: an even number of values in 0…15.
    /// - Returns: `nibbles.count / 2` bytes.
    /// - Precondition: the nibble count is even.
    public static func bytes(fromNibbles nibbles: ArraySlice<UInt8>) -> [UInt8] {
        precondition(nibbles.count % 2 == 0, "a key has an even number of nibbles, got \(nibbles.count)")
        var out = [UInt8]()
        out.reserveCapacity(nibbles.count / 2)
        var index = nibbles.startIndex
        while index < nibbles.endIndex {
            out.append(nibbles[index] << 4 | nibbles[index + 1])
            index += 2
        }
        return out
    }

    /// Hex-prefix encodes a nibble path.
    /// - Parameters:
    ///   - nibbles: the path, values in 0…15.
    ///   - isLeaf: whether the path ends at a leaf (flag 2/3) rather than an extension (flag 0/1).
    /// - Returns: `nibbles.count / 2 + 1` bytes.
    public static func encode(_ nibbles: ArraySlice<UInt8>, isLeaf: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(nibbles.count / 2 + 1)
        appendPacked(nibbles, isLeaf: isLeaf, to: &out)
        return out
    }

    /// Decodes a hex-prefix encoded path.
    /// - Parameter bytes: the encoding.
    /// - Returns: the nibbles and whether the flag marks a leaf, or nil if the input is empty, the
    ///   flag nibble is above 3, or an even path's padding nibble is not zero.
    public static func decode(_ bytes: ArraySlice<UInt8>) -> (nibbles: [UInt8], isLeaf: Bool)? {
        guard let first = bytes.first else { return nil }
        let flag = first >> 4
        guard flag <= 3 else { return nil }
        let isOdd = flag & 1 == 1
        if !isOdd && first & 0x0f != 0 { return nil }
        var nibbles = [UInt8]()
        nibbles.reserveCapacity(bytes.count * 2)
        if isOdd { nibbles.append(first & 0x0f) }
        for byte in bytes.dropFirst() {
            nibbles.append(byte >> 4)
            nibbles.append(byte & 0x0f)
        }
        return (nibbles, flag >= 2)
    }

    /// The length of the RLP string holding the hex-prefix encoding of a path of `nibbleCount` nibbles.
    @inline(__always)
    static func rlpLength(nibbleCount: Int) -> Int {
        let packed = nibbleCount / 2 + 1
        // A lone flag byte (< 0x80) is its own RLP; paths of at most 64 nibbles keep a one-byte header.
        return packed == 1 ? 1 : 1 + packed
    }

    /// Appends the hex-prefix encoding of a path as an RLP byte string, with no temporary array.
    static func appendRLP(_ nibbles: ArraySlice<UInt8>, isLeaf: Bool, to out: inout [UInt8]) {
        let packed = nibbles.count / 2 + 1
        if packed > 1 { RLP.appendStringHeader(payloadLength: packed, to: &out) }
        appendPacked(nibbles, isLeaf: isLeaf, to: &out)
    }

    private static func appendPacked(_ nibbles: ArraySlice<UInt8>, isLeaf: Bool, to out: inout [UInt8]) {
        var flag: UInt8 = isLeaf ? 2 : 0
        var index = nibbles.startIndex
        if nibbles.count % 2 == 1 {
            flag |= 1
            out.append(flag << 4 | nibbles[index])
            index += 1
        } else {
            out.append(flag << 4)
        }
        while index < nibbles.endIndex {
            out.append(nibbles[index] << 4 | nibbles[index + 1])
            index += 2
        }
    }
}
