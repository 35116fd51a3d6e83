// Decimal and hexadecimal text for words. `hexQuantity` is the Ethereum JSON-RPC QUANTITY encoding
// (execution-apis: "0x"-prefixed, lower case, no leading zeros, "0x0" for zero); `init(hex:)` reads it
// and also any longer, zero-padded or odd-length hex, as users paste it.

extension UInt256 {
    /// The decimal digits of the value, with no sign or grouping.
    public var description: String {
        if (w1 | w2 | w3) == 0 { return String(w0) }
        // Peel off 19 decimal digits at a time (10^19 is the largest power of ten below 2^64).
        let chunk: UInt64 = 10_000_000_000_000_000_000
        var rest = self
        var chunks: [UInt64] = []
        chunks.reserveCapacity(5)
        while !rest.isZero {
            let (quotient, remainder) = rest.dividedByLimb(chunk)
            chunks.append(remainder.w0)
            rest = quotient
        }
        var text = String(chunks.removeLast())
        for part in chunks.reversed() {
            let digits = String(part)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }

    /// The value as an Ethereum JSON quantity: "0x" then lower-case hex with no leading zeros.
    public var hexQuantity: String {
        let digitCount = Swift.max(1, (bitWidth + 3) >> 2)
        return String(unsafeUninitializedCapacity: digitCount + 2) { out in
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: "x")
            for index in 0..<digitCount {
                let nibble = (self >> ((digitCount - 1 - index) * 4)).w0 & 0xf
                out[2 + index] = nibble < 10 ? UInt8(ascii: "0") + UInt8(nibble) : UInt8(ascii: "a") + UInt8(nibble - 10)
            }
            return digitCount + 2
        }
    }

    /// Parses unsigned decimal digits.
    /// - Parameter decimal: one or more ASCII digits, with no sign, spaces or separators.
    /// - Returns: `nil` if the text is empty, holds a non-digit, or names a value of 2^256 or more.
    public init?(decimal: String) {
        var value = UInt256.zero
        var sawDigit = false
        for character in decimal.utf8 {
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
            let product = value.multipliedFullWidth(by: 10)
            guard product.high.isZero else { return nil }
            let (sum, overflow) = product.low.addingReportingOverflow(UInt256(UInt64(character - UInt8(ascii: "0"))))
            guard !overflow else { return nil }
            value = sum
            sawDigit = true
        }
        guard sawDigit else { return nil }
        self = value
    }

    /// Parses hexadecimal text such as "0x1a", "1A" or a zero-padded 32-byte word.
    /// - Parameter hex: hex digits in either case with an optional "0x" or "0X" prefix; any number of
    ///   digits is accepted (odd counts too) as long as at most 64 remain after leading zeros, and no
    ///   digits at all ("0x") reads as zero.
    /// - Throws: `HexError.invalidCharacter` naming the offset of a non-hex character, or
    ///   `HexError.wrongLength` when the value needs more than 32 bytes.
    public init(hex: some StringProtocol) throws(HexError) {
        let utf8 = hex.utf8
        var index = utf8.startIndex
        var prefixLength = 0
        if utf8.count >= 2, utf8[index] == UInt8(ascii: "0") {
            let second = utf8[utf8.index(after: index)]
            if second == UInt8(ascii: "x") || second == UInt8(ascii: "X") {
                index = utf8.index(index, offsetBy: 2)
                prefixLength = 2
            }
        }
        var offset = prefixLength
        var value = UInt256.zero
        var significantDigits = 0
        while index != utf8.endIndex {
            guard let nibble = Hex.nibble(utf8[index]) else {
                throw .invalidCharacter(String(hex), position: offset)
            }
            if significantDigits > 0 || nibble != 0 { significantDigits += 1 }
            if significantDigits > 64 {
                throw .wrongLength(String(hex), expected: 32, actual: (utf8.count - prefixLength + 1) / 2)
            }
            value = UInt256(words: value.w0 << 4 | UInt64(nibble),
                            value.w1 << 4 | value.w0 >> 60,
                            value.w2 << 4 | value.w1 >> 60,
                            value.w3 << 4 | value.w2 >> 60)
            index = utf8.index(after: index)
            offset += 1
        }
        self = value
    }
}
