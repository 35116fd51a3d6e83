/// gzip (RFC 1952) over DEFLATE (RFC 1951), for anvil's state dumps (anvil_dumpState answers
/// hex of gzip-compressed JSON; anvil_loadState takes it back).
///
/// `decompress` inflates any DEFLATE stream (stored, fixed and dynamic Huffman blocks), as zlib
/// writes them; `compress` writes stored (uncompressed) blocks, which every gzip reader accepts
/// (a state dump is small, and hex doubles it anyway).
public enum Gzip {
    /// The most bytes `decompress` produces (a bound on what a small input can expand to).
    public static let maximumOutput = 256 << 20

    /// Whether the bytes start with gzip's magic number 1f 8b.
    /// - Parameter bytes: the data.
    /// - Returns: true for a gzip stream.
    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// Wraps data in a gzip member with stored DEFLATE blocks.
    /// - Parameter data: the data.
    /// - Returns: the gzip stream.
    public static func compress(_ data: [UInt8]) -> [UInt8] {
        // ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=255 (unknown).
        var output: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        output.reserveCapacity(data.count + data.count / 65_535 * 5 + 30)
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = end - start
            output.append(end == data.count ? 1 : 0) // BFINAL, BTYPE 00 (stored); the rest of the byte pads
            output += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            output += data[start ..< end]
            start = end
        } while start < data.count
        appendLittleEndian(crc32(data), to: &output)
        appendLittleEndian(UInt32(truncatingIfNeeded: data.count), to: &output)
        return output
    }

    /// Inflates the first gzip member of `data`, checking its CRC-32 and length.
    /// - Parameter data: a gzip stream.
    /// - Returns: the uncompressed bytes.
    /// - Throws: `GzipError` naming what is wrong (not gzip, a bad header, a bad DEFLATE block, a
    ///   checksum mismatch, truncation, output over `maximumOutput`).
    public static func decompress(_ data: [UInt8]) throws(GzipError) -> [UInt8] {
        guard isGzip(data) else { throw GzipError("not gzip: the data does not start with 1f 8b") }
        guard data.count >= 18 else { throw GzipError("truncated gzip stream: \(data.count) bytes") }
        guard data[2] == 8 else { throw GzipError("compression method \(data[2]), expected 8 (deflate)") }
        let flags = data[3]
        guard flags & 0xE0 == 0 else { throw GzipError("reserved gzip header flags set: \(flags)") }
        var position = 10
        if flags & 0x04 != 0 { // FEXTRA
            guard position + 2 <= data.count else { throw GzipError("truncated gzip header") }
            position += 2 + Int(data[position]) + Int(data[position + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 { // FNAME, FCOMMENT: zero-terminated
            while position < data.count, data[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 0x02 != 0 { position += 2 } // FHCRC
        guard position < data.count else { throw GzipError("truncated gzip header") }
        var inflater = Inflater(data: data, position: position)
        let output = try inflater.inflate()
        let trailer = inflater.reader.position
        guard trailer + 8 <= data.count else { throw GzipError("truncated gzip stream: no CRC-32 and length after the data") }
        let storedCRC = readLittleEndian(data, at: trailer)
        let storedLength = readLittleEndian(data, at: trailer + 4)
        guard storedCRC == crc32(output) else {
            throw GzipError("CRC-32 mismatch: the stream says \(storedCRC), the data has \(crc32(output))")
        }
        guard storedLength == UInt32(truncatingIfNeeded: output.count) else {
            throw GzipError("length mismatch: the stream says \(storedLength) bytes, it inflated to \(output.count)")
        }
        return output
    }

    /// The IEEE CRC-32 of the data (gzip's, zlib's `crc32`).
    /// - Parameter data: the data.
    /// - Returns: the checksum.
    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0 ..< 256).map { index in
        var value = UInt32(index)
        for _ in 0 ..< 8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func appendLittleEndian(_ value: UInt32, to output: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func readLittleEndian(_ data: [UInt8], at position: Int) -> UInt32 {
        (0 ..< 4).reduce(0) { $0 | UInt32(data[position + $1]) << UInt32(8 * $1) }
    }
}

/// Why a gzip stream could not be read.
public struct GzipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// Creates the error.
    /// - Parameter reason: what is wrong.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Bits least significant first, as DEFLATE packs them.
private struct BitReader {
    let data: [UInt8]
    var position: Int
    var buffer: UInt32 = 0
    var count = 0

    mutating func bits(_ needed: Int) throws(GzipError) -> Int {
        while count < needed {
            guard position < data.count else { throw GzipError("truncated DEFLATE data") }
            buffer |= UInt32(data[position]) << UInt32(count)
            position += 1
            count += 8
        }
        let value = Int(buffer & ((1 << UInt32(needed)) - 1))
        buffer >>= UInt32(needed)
        count -= needed
        return value
    }

    /// Drops the bits left in the current byte (fewer than 8: `bits` loads a byte only when short).
    mutating func alignToByte() {
        buffer = 0
        count = 0
    }
}

/// A canonical Huffman code: how many codes each length has, and the symbols in code order.
private struct HuffmanCode {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]
    /// The 15-bit codes no symbol uses: 0 for a complete code.
    var unused = 0

    init(lengths: ArraySlice<Int>) throws(GzipError) {
        for length in lengths { counts[length] += 1 }
        var left = 1
        for length in 1 ... 15 {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw GzipError("over-subscribed Huffman code lengths") }
        }
        unused = left
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1 ..< 15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }

    /// Every bit sequence starts a code.
    var isComplete: Bool { unused == 0 }

    /// One symbol with a 1-bit code, the other bit value unused (zlib's one allowed incomplete code).
    var isSingleOneBitCode: Bool { counts[1] == 1 && counts[2...].allSatisfy { $0 == 0 } }

    /// No symbol has a code.
    var isEmpty: Bool { counts[1...].allSatisfy { $0 == 0 } }

    func decode(_ reader: inout BitReader) throws(GzipError) -> Int {
        var code = 0, first = 0, index = 0
        for length in 1 ... 15 {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - count < first { return symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw GzipError("invalid Huffman code in DEFLATE data")
    }
}

/// DEFLATE decoding (RFC 1951 §3.2).
private struct Inflater {
    var reader: BitReader
    var output: [UInt8] = []

    init(data: [UInt8], position: Int) { reader = BitReader(data: data, position: position) }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                               2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
                                13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func inflate() throws(GzipError) -> [UInt8] {
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try stored()
            case 1:
                var lengths = [Int](repeating: 8, count: 288)
                for symbol in 144 ..< 256 { lengths[symbol] = 9 }
                for symbol in 256 ..< 280 { lengths[symbol] = 7 }
                try codes(literals: try HuffmanCode(lengths: lengths[...]),
                          distances: try HuffmanCode(lengths: [Int](repeating: 5, count: 30)[...]))
            case 2: try dynamic()
            default: throw GzipError("DEFLATE block type 3 (reserved)")
            }
        }
        reader.alignToByte()
        return output
    }

    mutating func stored() throws(GzipError) {
        reader.alignToByte()
        let length = try reader.bits(16)
        let complement = try reader.bits(16)
        guard length == ~complement & 0xFFFF else { throw GzipError("stored block length \(length) does not match its complement") }
        guard reader.position + length <= reader.data.count else { throw GzipError("truncated stored DEFLATE block") }
        try reserve(length)
        output += reader.data[reader.position ..< reader.position + length]
        reader.position += length
    }

    mutating func dynamic() throws(GzipError) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw GzipError("too many DEFLATE length or distance codes") }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for index in 0 ..< codeLengthCount { codeLengthLengths[Self.codeLengthOrder[index]] = try reader.bits(3) }
        // Incomplete codes (some bit sequences start no code) are refused as zlib refuses them: no
        // encoder writes one, and a reader that took them would inflate streams zlib and gzip refuse.
        // zlib allows a single 1-bit literal/length or distance code, and no distance code at all.
        let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths[...])
        guard codeLengthCode.isComplete else { throw GzipError("incomplete DEFLATE code length code") }
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengthCode.decode(&reader)
            switch symbol {
            case 0 ..< 16: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw GzipError("DEFLATE repeat code with no previous length") }
                lengths += repeatElement(previous, count: 3 + (try reader.bits(2)))
            case 17: lengths += repeatElement(0, count: 3 + (try reader.bits(3)))
            default: lengths += repeatElement(0, count: 11 + (try reader.bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw GzipError("DEFLATE code lengths run past their count") }
        guard lengths[256] != 0 else { throw GzipError("DEFLATE block has no end-of-block code") }
        let literals = try HuffmanCode(lengths: lengths[0 ..< literalCount])
        guard literals.isComplete || literals.isSingleOneBitCode else { throw GzipError("incomplete DEFLATE literal/length code") }
        let distances = try HuffmanCode(lengths: lengths[literalCount...])
        guard distances.isComplete || distances.isSingleOneBitCode || distances.isEmpty else {
            throw GzipError("incomplete DEFLATE distance code")
        }
        try codes(literals: literals, distances: distances)
    }

    mutating func codes(literals: HuffmanCode, distances: HuffmanCode) throws(GzipError) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                try reserve(1)
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw GzipError("invalid DEFLATE length code \(symbol)") }
            let length = Self.lengthBase[lengthIndex] + (try reader.bits(Self.lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < 30 else { throw GzipError("invalid DEFLATE distance code \(distanceSymbol)") }
            let distance = Self.distanceBase[distanceSymbol] + (try reader.bits(Self.distanceExtra[distanceSymbol]))
            guard distance <= output.count else {
                throw GzipError("DEFLATE distance \(distance) reaches before the start of the data (\(output.count) bytes)")
            }
            try reserve(length)
            let start = output.count - distance
            for offset in 0 ..< length { output.append(output[start + offset]) }
        }
    }

    func reserve(_ count: Int) throws(GzipError) {
        guard output.count + count <= Gzip.maximumOutput else {
            throw GzipError("gzip data inflates to more than \(Gzip.maximumOutput) bytes")
        }
    }
}
