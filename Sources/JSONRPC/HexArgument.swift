import Primitives

/// Strict decoding of hex arguments, with go-ethereum's rules and messages (`common/hexutil`).
///
/// Quantities (`"0x1a"`) must have the prefix, at least one digit and no leading zero (`"0x0"` is
/// the only way to write zero); data (`"0x00ff"`) must have the prefix and an even digit count.
/// Fixed-size values (addresses, hashes) must have exactly their size. The messages are those
/// geth's JSON decoder gives, e.g. "json: cannot unmarshal hex string without 0x prefix into Go
/// value of type common.Address", so clients that match on them keep working.
public enum HexArgument {
    /// The geth type names used in messages.
    public enum GoType: String, Sendable {
        /// A 20-byte address.
        case address = "common.Address"
        /// A 32-byte hash.
        case hash = "common.Hash"
        /// Arbitrary bytes.
        case bytes = "hexutil.Bytes"
        /// A 256-bit quantity.
        case big = "*hexutil.Big"
        /// A 64-bit quantity.
        case uint64 = "hexutil.Uint64"
        /// A platform-sized quantity.
        case uint = "hexutil.Uint"
    }

    /// Decodes a JSON string holding a 20-byte address.
    /// - Parameter value: the JSON value.
    /// - Returns: the address.
    /// - Throws: `ArgumentError` with geth's message.
    public static func address(_ value: JSON) throws(ArgumentError) -> Address {
        Address(try fixed(value, byteCount: 20, type: .address))
    }

    /// Decodes a JSON string holding a 32-byte hash.
    /// - Parameter value: the JSON value.
    /// - Returns: the hash.
    /// - Throws: `ArgumentError` with geth's message.
    public static func hash(_ value: JSON) throws(ArgumentError) -> Hash32 {
        Hash32(try fixed(value, byteCount: 32, type: .hash))
    }

    /// Decodes a JSON string holding hex data ("" and "0x" are empty data).
    /// - Parameter value: the JSON value.
    /// - Returns: the bytes.
    /// - Throws: `ArgumentError` with geth's message.
    public static func bytes(_ value: JSON) throws(ArgumentError) -> [UInt8] {
        guard case .string(let text) = value else { throw nonString(.bytes) }
        if text.isEmpty { return [] }
        return try decodeData(text, type: .bytes)
    }

    /// Decodes a JSON string holding a quantity below 2^256.
    /// - Parameter value: the JSON value.
    /// - Returns: the number.
    /// - Throws: `ArgumentError` with geth's message.
    public static func quantity(_ value: JSON) throws(ArgumentError) -> UInt256 {
        guard case .string(let text) = value else { throw nonString(.big) }
        do {
            return try decodeQuantity(text, maximumDigits: 64)
        } catch {
            throw wrap(error, .big)
        }
    }

    /// Decodes a JSON string holding a quantity below 2^64.
    /// - Parameters:
    ///   - value: the JSON value.
    ///   - type: the geth type named in messages (`hexutil.Uint64` by default).
    /// - Returns: the number.
    /// - Throws: `ArgumentError` with geth's message.
    public static func uint64(_ value: JSON, type: GoType = .uint64) throws(ArgumentError) -> UInt64 {
        guard case .string(let text) = value else { throw nonString(type) }
        do {
            return try decodeQuantity(text, maximumDigits: 16).low64
        } catch {
            throw wrap(error, type)
        }
    }

    /// Decodes a bare quantity string (no JSON type wrapping in messages), as geth's
    /// `hexutil.DecodeUint64` does for block numbers.
    /// - Parameter text: the hex text.
    /// - Returns: the number.
    /// - Throws: `ArgumentError` with hexutil's plain message ("hex string without 0x prefix", …).
    package static func decodeUint64(_ text: String) throws(ArgumentError) -> UInt64 {
        try decodeQuantity(text, maximumDigits: 16).low64
    }

    // MARK: - hexutil rules

    package static func nonString(_ type: GoType) -> ArgumentError {
        ArgumentError("json: cannot unmarshal non-string into Go value of type \(type.rawValue)")
    }

    package static func wrap(_ error: ArgumentError, _ type: GoType) -> ArgumentError {
        ArgumentError("json: cannot unmarshal \(error.message) into Go value of type \(type.rawValue)")
    }

    package static func hasPrefix(_ utf8: [UInt8]) -> Bool {
        utf8.count >= 2 && utf8[0] == UInt8(ascii: "0") && (utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X"))
    }

    package static func decodeQuantity(_ text: String, maximumDigits: Int) throws(ArgumentError) -> UInt256 {
        let utf8 = Array(text.utf8)
        if utf8.isEmpty { throw ArgumentError("empty hex string") }
        guard hasPrefix(utf8) else { throw ArgumentError("hex string without 0x prefix") }
        let digits = utf8[2...]
        if digits.isEmpty { throw ArgumentError("hex string \"0x\"") }
        if digits.count > 1 && digits.first == UInt8(ascii: "0") { throw ArgumentError("hex number with leading zero digits") }
        if digits.count > maximumDigits {
            throw ArgumentError(maximumDigits == 16 ? "hex number > 64 bits" : "hex number > 256 bits")
        }
        var value = UInt256.zero
        for digit in digits {
            guard let nibble = nibble(digit) else { throw ArgumentError("invalid hex string") }
            value = value << 4 | UInt256(UInt64(nibble))
        }
        return value
    }

    package static func decodeData(_ text: String, type: GoType) throws(ArgumentError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard hasPrefix(utf8) else { throw wrap(ArgumentError("hex string without 0x prefix"), type) }
        guard utf8.count % 2 == 0 else { throw wrap(ArgumentError("hex string of odd length"), type) }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count / 2 - 1)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw wrap(ArgumentError("invalid hex string"), type)
            }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    package static func fixed(_ value: JSON, byteCount: Int, type: GoType) throws(ArgumentError) -> [UInt8] {
        guard case .string(let text) = value else { throw nonString(type) }
        let utf8 = Array(text.utf8)
        if utf8.isEmpty { throw wrap(ArgumentError("empty hex string"), type) }
        guard hasPrefix(utf8) else { throw wrap(ArgumentError("hex string without 0x prefix"), type) }
        guard utf8.count % 2 == 0 else { throw wrap(ArgumentError("hex string of odd length"), type) }
        if utf8.count - 2 != byteCount * 2 {
            throw ArgumentError("hex string has length \(utf8.count - 2), want \(byteCount * 2) for \(type.rawValue)")
        }
        return try decodeData(text, type: type)
    }

    package static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A parameter that could not be decoded; the message is geth's, without the
/// "invalid argument N: " prefix that `RPCParameters` adds.
public struct ArgumentError: Error, Equatable, Sendable {
    /// The message.
    public var message: String

    /// Creates an error.
    /// - Parameter message: the message.
    public init(_ message: String) { self.message = message }
}
