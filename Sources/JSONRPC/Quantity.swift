import Primitives

/// Output encodings of numbers and bytes as Ethereum JSON writes them: quantities as "0x" then
/// lower-case hex without leading zeros ("0x0" for zero), data as "0x" then two digits per byte.
public enum Quantity {
    /// A 64-bit number as a quantity.
    /// - Parameter value: the number.
    /// - Returns: e.g. "0x1a".
    public static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// A 64-bit number as a JSON quantity string.
    /// - Parameter value: the number.
    /// - Returns: the JSON string.
    public static func json(_ value: UInt64) -> JSON { .string(hex(value)) }

    /// A 256-bit number as a JSON quantity string.
    /// - Parameter value: the number.
    /// - Returns: the JSON string.
    public static func json(_ value: UInt256) -> JSON { .string(value.hexQuantity) }

    /// Bytes as a JSON data string.
    /// - Parameter bytes: the bytes.
    /// - Returns: the JSON string.
    public static func data(_ bytes: some Collection<UInt8>) -> JSON { .string(Hex.encode(bytes)) }

    /// A hash as a JSON data string.
    /// - Parameter hash: the hash.
    /// - Returns: the JSON string.
    public static func json(_ hash: Hash32) -> JSON { .string(Hex.encode(hash.bytes)) }

    /// An address as a JSON data string, in lower case as geth writes addresses in results.
    /// - Parameter address: the address.
    /// - Returns: the JSON string.
    public static func json(_ address: Address) -> JSON { .string(Hex.encode(address.bytes)) }
}
