/// Why an AES block cipher or AES-CTR stream could not be set up.
public enum AESError: Error, Equatable, CustomStringConvertible {
    /// The key was not 16, 24 or 32 bytes (AES-128, AES-192, AES-256; FIPS 197 §5).
    case invalidKeyLength(Int)
    /// The CTR initial counter block was not 16 bytes (one AES block; NIST SP 800-38A §6.5).
    case invalidIVLength(Int)
    /// A block operation was given a length that is not a multiple of the 16-byte block.
    case partialBlock(length: Int)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .invalidKeyLength(let length): return "AES key is \(length) bytes, expected 16, 24 or 32"
        case .invalidIVLength(let length): return "AES-CTR initial counter block is \(length) bytes, expected 16"
        case .partialBlock(let length): return "AES block input is \(length) bytes, expected a multiple of 16"
        }
    }
}
