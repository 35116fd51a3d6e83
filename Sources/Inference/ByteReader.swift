/// A cursor over a byte array for the strict little-endian formats in docs/formats.md. Every read
/// checks the remaining length first and names the field in its error, so a truncated file says
/// where it ended and what was being read.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.end = bytes.count
    }

    var remaining: Int { end - offset }

    mutating func require(_ count: Int, reading field: String) throws(InferenceError) {
        guard count <= remaining else {
            throw .truncated(offset: offset, reading: field, needed: count, available: remaining)
        }
    }

    mutating func readMagic(_ magic: String) throws(InferenceError) {
        let expected = Array(magic.utf8)
        let available = min(remaining, expected.count)
        let found = Array(bytes[offset..<(offset + available)])
        guard found == Array(expected.prefix(available)) else { throw .badMagic(format: magic, found: found) }
        try require(expected.count, reading: "magic")
        offset += expected.count
    }

    mutating func readUInt8(_ field: String) throws(InferenceError) -> UInt8 {
        try require(1, reading: field)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt32(_ field: String) throws(InferenceError) -> UInt32 {
        try require(4, reading: field)
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    mutating func readInt32(_ field: String) throws(InferenceError) -> Int32 {
        Int32(bitPattern: try readUInt32(field))
    }

    /// Reads a u32 size and checks it against `minimum...limit`.
    mutating func readSize(_ field: String, minimum: Int = 1, limit: Int) throws(InferenceError) -> Int {
        let value = Int(try readUInt32(field))
        guard value >= minimum, value <= limit else {
            throw .sizeOutOfRange(field: field, value: value, minimum: minimum, maximum: limit)
        }
        return value
    }

    mutating func readInt8Array(count: Int, _ field: String) throws(InferenceError) -> [Int8] {
        try require(count, reading: field)
        defer { offset += count }
        return bytes[offset..<(offset + count)].map { Int8(bitPattern: $0) }
    }

    mutating func readUInt8Array(count: Int, _ field: String) throws(InferenceError) -> [UInt8] {
        try require(count, reading: field)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func readInt32Array(count: Int, _ field: String) throws(InferenceError) -> [Int32] {
        try require(count * 4, reading: field)
        var values = [Int32](repeating: 0, count: count)
        for index in 0..<count { values[index] = try readInt32(field) }
        return values
    }

    mutating func readFloatArray(count: Int, _ field: String) throws(InferenceError) -> [Float] {
        try require(count * 4, reading: field)
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count { values[index] = Float(bitPattern: try readUInt32(field)) }
        return values
    }

    mutating func skip(_ count: Int, reading field: String) throws(InferenceError) {
        try require(count, reading: field)
        offset += count
    }

    func requireEnd() throws(InferenceError) {
        guard remaining == 0 else { throw .trailingBytes(offset: offset, count: remaining) }
    }
}

/// Appends the little-endian fields of docs/formats.md.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) { bytes += Array(string.utf8) }
    mutating func write(_ value: UInt8) { bytes.append(value) }
    mutating func write(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    mutating func write(_ value: Int32) { write(UInt32(bitPattern: value)) }
    mutating func write(_ value: Float) { write(value.bitPattern) }
    mutating func write(_ values: [Int8]) { bytes += values.map { UInt8(bitPattern: $0) } }
    mutating func write(_ values: [UInt8]) { bytes += values }
    mutating func write(_ values: [Int32]) { for value in values { write(value) } }
    mutating func write(_ values: [Float]) { for value in values { write(value) } }
}
