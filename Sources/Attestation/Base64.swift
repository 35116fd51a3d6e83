/// Strict standard base64 (RFC 4648 §4) for PEM bodies.
///
/// Decoding is canonical: the length is a multiple of 4, `=` appears only as one or two final
/// pad characters, and the bits a final partial group leaves unused must be zero. A lenient decoder
/// would map several encodings to one DER, so a flipped bit in a quote's PEM could go unnoticed;
/// this one rejects every such change.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    /// Decodes canonical base64, or returns `nil`.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var index = 0
        while index < text.count {
            let isLast = index + 4 == text.count
            let group = text[index..<(index + 4)]
            var padding = 0
            if isLast {
                if group[group.startIndex + 3] == UInt8(ascii: "=") { padding = 1 }
                if padding == 1 && group[group.startIndex + 2] == UInt8(ascii: "=") { padding = 2 }
            }
            var accumulator: UInt32 = 0
            for (position, character) in group.enumerated() {
                if position >= 4 - padding {
                    accumulator <<= 6
                    continue
                }
                let value = values[Int(character)]
                guard value != 0xff else { return nil }
                accumulator = accumulator << 6 | UInt32(value)
            }
            // Unused bits of a padded group must be zero (RFC 4648 §3.5 canonical encoding).
            if padding == 1 && accumulator & 0xff != 0 { return nil }
            if padding == 2 && accumulator & 0xffff != 0 { return nil }
            out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
            if padding < 2 { out.append(UInt8(truncatingIfNeeded: accumulator >> 8)) }
            if padding < 1 { out.append(UInt8(truncatingIfNeeded: accumulator)) }
            index += 4
        }
        return out
    }

    /// Encodes bytes as base64 with padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var accumulator: UInt32 = 0
            for offset in 0..<3 {
                accumulator = accumulator << 8 | UInt32(offset < count ? bytes[index + offset] : 0)
            }
            for position in 0..<4 {
                if position <= count {
                    out.append(alphabet[Int((accumulator >> (18 - 6 * position)) & 0x3f)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
