import Primitives

/// Why a command-line value could not be read; the message names the value and what was expected.
public struct MarketInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The full message, e.g. `--budget "1.5x": expected a decimal ether amount such as 0.5`.
    public let description: String

    /// Creates an error.
    /// - Parameter description: the message.
    public init(_ description: String) { self.description = description }
}

/// Ether amounts as decimal text, exactly (1 ether = 10¹⁸ wei; no floating point anywhere).
public enum Ether {
    /// Wei per ether.
    public static let weiPerEther = UInt256(1_000_000_000_000_000_000)
    /// Decimal places of an ether amount.
    public static let decimals = 18

    /// Reads a decimal ether amount: "1", "0.5", "2.000000000000000001", ".25", "3.".
    /// - Parameters:
    ///   - text: digits with at most one point and at most 18 digits after it; no sign, exponent or spaces.
    ///   - name: how the value is called in messages ("--budget").
    /// - Returns: the amount in wei.
    /// - Throws: `MarketInputError` naming the text and what was expected.
    public static func parse(_ text: String, name: String = "amount") throws(MarketInputError) -> UInt256 {
        let expected = "expected a decimal ether amount such as 0.5 or 2 (digits, at most one point, at most 18 decimals)"
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2 else { throw MarketInputError("\(name) \"\(text)\": \(expected)") }
        let whole = String(parts[0])
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard !(whole.isEmpty && fraction.isEmpty),
              (whole + fraction).utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw MarketInputError("\(name) \"\(text)\": \(expected)")
        }
        guard fraction.count <= decimals else {
            throw MarketInputError("\(name) \"\(text)\": \(fraction.count) decimals, expected at most 18 (1 wei = 0.000000000000000001 ether)")
        }
        let digits = (whole.isEmpty ? "0" : whole) + fraction + String(repeating: "0", count: decimals - fraction.count)
        guard let wei = UInt256(decimal: digits) else {
            throw MarketInputError("\(name) \"\(text)\": too large, expected at most 2^256 − 1 wei")
        }
        return wei
    }

    /// Formats wei as decimal ether with no trailing zeros: 5×10¹⁷ → "0.5", 10¹⁸ → "1", 0 → "0".
    /// - Parameter wei: the amount.
    /// - Returns: the decimal text.
    public static func format(_ wei: UInt256) -> String {
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: weiPerEther)
        if fraction.isZero { return whole.description }
        var digits = fraction.description
        digits = String(repeating: "0", count: decimals - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return whole.description + "." + digits
    }
}

/// Durations as "90s", "30m", "1h", "2d" or combinations in decreasing order ("1h30m").
public enum MarketDuration {
    /// Seconds per unit.
    static let units: [(Character, UInt64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Reads a duration.
    /// - Parameters:
    ///   - text: one or more `<digits><unit>` parts, units d, h, m, s, each at most once and in that order.
    ///   - name: how the value is called in messages ("--deadline").
    /// - Returns: the duration in seconds (at least 1).
    /// - Throws: `MarketInputError` naming the text and what was expected.
    public static func parse(_ text: String, name: String = "duration") throws(MarketInputError) -> UInt64 {
        let expected = "expected a duration such as 90s, 30m, 1h, 2d or 1h30m"
        var total: UInt64 = 0
        var number = ""
        var nextUnit = 0
        var sawPart = false
        for character in text {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            guard let unitIndex = units.firstIndex(where: { $0.0 == character }) else {
                throw MarketInputError("\(name) \"\(text)\": \"\(character)\" is not a unit (d, h, m, s); \(expected)")
            }
            guard !number.isEmpty else { throw MarketInputError("\(name) \"\(text)\": a unit without a number; \(expected)") }
            guard unitIndex >= nextUnit else {
                throw MarketInputError("\(name) \"\(text)\": units must come once each, largest first; \(expected)")
            }
            guard let value = UInt64(number) else { throw MarketInputError("\(name) \"\(text)\": too large") }
            let (product, overflow) = value.multipliedReportingOverflow(by: units[unitIndex].1)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow, !overflow2 else { throw MarketInputError("\(name) \"\(text)\": too large") }
            total = sum
            number = ""
            nextUnit = unitIndex + 1
            sawPart = true
        }
        guard number.isEmpty else {
            throw MarketInputError("\(name) \"\(text)\": \"\(number)\" has no unit; \(expected)")
        }
        guard sawPart else { throw MarketInputError("\(name) \"\(text)\": \(expected)") }
        guard total > 0 else { throw MarketInputError("\(name) \"\(text)\": must be longer than 0 seconds") }
        return total
    }

    /// Formats seconds compactly: 5400 → "1h30m", 0 → "0s".
    /// - Parameter seconds: the duration.
    /// - Returns: the text.
    public static func format(_ seconds: UInt64) -> String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, size) in units where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}

/// Basis points (0…10000) as text: 9250 → "92.50%".
public enum BasisPoints {
    /// Reads a whole number of basis points.
    /// - Parameters:
    ///   - text: decimal digits, 0…10000.
    ///   - name: how the value is called in messages ("--min-accuracy").
    /// - Returns: the value.
    /// - Throws: `MarketInputError` naming the text and the range.
    public static func parse(_ text: String, name: String = "accuracy") throws(MarketInputError) -> UInt16 {
        guard let value = UInt16(text), value <= 10_000 else {
            throw MarketInputError("\(name) \"\(text)\": expected basis points, a whole number from 0 to 10000 (9000 = 90%)")
        }
        return value
    }

    /// "92.50%".
    /// - Parameter bps: basis points.
    /// - Returns: a percentage with two decimals.
    public static func percent(_ bps: UInt16) -> String {
        let fraction = bps % 100
        return "\(bps / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
