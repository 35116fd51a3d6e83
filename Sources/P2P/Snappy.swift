import CSnappy

/// Snappy block compression (not the framing format), which devp2p applies to every message after
/// the Hello exchange (devp2p rlpx.md, "Message Compression"; go-ethereum p2p/rlpx uses golang/snappy's
/// `Encode`/`Decode`). The decoder reads the length the block announces before it allocates, and
/// refuses anything that would decompress to more than `maximumDecodedLength` bytes, so a peer cannot
/// make us allocate gigabytes with a few bytes of input.
public enum Snappy {
    /// The largest message devp2p accepts after decompression: 16 MiB (go-ethereum's `maxUint24`).
    public static let maximumDecodedLength = 16 * 1024 * 1024

    /// Compresses bytes into one Snappy block.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        if input.isEmpty { return [0x00] }  // the preamble alone: decoded length 0
        var capacity = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: capacity)
        let status = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                snappy_compress(source.baseAddress!.assumingMemoryBound(to: CChar.self), input.count,
                                target.baseAddress!.assumingMemoryBound(to: CChar.self), &capacity)
            }
        }
        precondition(status == SNAPPY_OK, "snappy_compress failed with an output buffer of its own maximum size")
        output.removeSubrange(capacity...)
        return output
    }

    /// The length a Snappy block says it decompresses to, read from its varint preamble.
    /// - Throws: `SnappyError.malformed` when the preamble is not a valid varint.
    public static func decodedLength(of input: [UInt8]) throws(SnappyError) -> Int {
        guard !input.isEmpty else { throw .malformed }
        var length = 0
        let status = input.withUnsafeBytes { source in
            snappy_uncompressed_length(source.baseAddress!.assumingMemoryBound(to: CChar.self), input.count,
                                       &length)
        }
        guard status == SNAPPY_OK else { throw .malformed }
        return length
    }

    /// Decompresses one Snappy block.
    /// - Parameter limit: the largest decoded length accepted (default 16 MiB).
    /// - Throws: `SnappyError.tooLarge` when the block announces more than `limit` bytes, before any
    ///   allocation; `SnappyError.malformed` when the block is not valid Snappy.
    public static func decompress(_ input: [UInt8], limit: Int = maximumDecodedLength) throws(SnappyError) -> [UInt8] {
        let announced = try decodedLength(of: input)
        guard announced <= limit else { throw .tooLarge(announced: announced, limit: limit) }
        if announced == 0 {
            // The only valid block for an empty message is the single preamble byte 0x00.
            guard input == [0] else { throw .malformed }
            return []
        }
        var output = [UInt8](repeating: 0, count: announced)
        var written = announced
        let status = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                snappy_uncompress(source.baseAddress!.assumingMemoryBound(to: CChar.self), input.count,
                                  target.baseAddress!.assumingMemoryBound(to: CChar.self), &written)
            }
        }
        guard status == SNAPPY_OK, written == announced else { throw .malformed }
        return output
    }
}

/// Why a Snappy block was refused.
public enum SnappyError: Error, Equatable, CustomStringConvertible {
    /// The block announces a decoded length above the limit.
    case tooLarge(announced: Int, limit: Int)
    /// The block is not valid Snappy (bad preamble, bad tag, offset out of range, wrong length).
    case malformed

    public var description: String {
        switch self {
        case .tooLarge(let announced, let limit):
            "snappy block decompresses to \(announced) bytes, more than the limit of \(limit)"
        case .malformed:
            "invalid snappy block"
        }
    }
}
