import Primitives

/// Why a genesis file was rejected. Every case names the field (as a dotted path such as
/// `config.clique.period` or `alloc.0x…​.balance`) and the value found, and says what was expected.
public enum GenesisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The genesis file could not be read from disk.
    case unreadableFile(path: String, reason: String)
    /// The text is not valid JSON; the offset counts bytes from the start of the file.
    case invalidJSON(offset: Int, message: String)
    /// A required field is absent.
    case missingField(String)
    /// An object names the same member twice (JSON allows it, but which one would count is a guess).
    case duplicateField(String)
    /// A field holds a JSON value of the wrong kind (an array where an object belongs, …).
    case wrongType(field: String, expected: String, found: String)
    /// A field that must be a non-negative integer holds something else.
    case invalidNumber(field: String, value: String)
    /// A field's integer is larger than its type allows.
    case numberTooLarge(field: String, value: String, maximum: String)
    /// A field that must be hex holds a non-hex or odd-length string.
    case invalidHex(field: String, value: String)
    /// A field's bytes have the wrong length (a hash, a measurement, an 8-byte nonce).
    case wrongLength(field: String, value: String, expected: Int, actual: Int)
    /// A field (or an alloc key) that must be an address is not 20 bytes of hex with a valid EIP-55 checksum.
    case invalidAddress(field: String, value: String)
    /// The Clique extra data does not have the EIP-225 layout: 32-byte vanity ‖ N×20-byte signers ‖ 65-byte seal.
    case invalidExtraData(length: Int, reason: String)
    /// The extra data lists no signer, so no block could ever be sealed.
    case noSigners
    /// A hard-fork block or time is not 0: GoldenGrain runs Cancun rules from genesis on.
    case unsupportedForkActivation(field: String, value: String)
    /// A trusted root certificate is neither valid PEM nor hex DER.
    case invalidCertificate(field: String, reason: String)
    /// A trusted root's declared SHA-256 is not the digest of its certificate.
    case certificateDigestMismatch(field: String, declared: Hash32, actual: Hash32)
    /// Two precompiles, or a precompile and a standard precompile, share an address.
    case precompileAddressClash(field: String, address: Address)

    /// A user-facing message naming the field, the value and what was expected.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read genesis file \(path): \(reason)"
        case .invalidJSON(let offset, let message):
            return "genesis is not valid JSON at byte \(offset): \(message)"
        case .duplicateField(let field):
            return "genesis field \(field) appears more than once, expected each member once"
        case .missingField(let field):
            return "genesis field \(field) is missing"
        case .wrongType(let field, let expected, let found):
            return "genesis field \(field) is \(found), expected \(expected)"
        case .invalidNumber(let field, let value):
            return "genesis field \(field): \(value) is not a number, expected a non-negative integer (a JSON number, a decimal string or a 0x-prefixed hex string)"
        case .numberTooLarge(let field, let value, let maximum):
            return "genesis field \(field): \(value) is too large, expected at most \(maximum)"
        case .invalidHex(let field, let value):
            return "genesis field \(field): \(value) is not hex, expected 0x-prefixed pairs of hex digits"
        case .wrongLength(let field, let value, let expected, let actual):
            return "genesis field \(field): \(value) is \(actual) bytes, expected \(expected)"
        case .invalidAddress(let field, let value):
            return "genesis field \(field): \(value) is not an address, expected 20 bytes of hex (mixed case must carry a valid EIP-55 checksum)"
        case .invalidExtraData(let length, let reason):
            return "genesis field extraData: \(length) bytes \(reason), expected 32-byte vanity ‖ N×20-byte signer addresses ‖ 65-byte zero seal (EIP-225)"
        case .noSigners:
            return "genesis field extraData lists no signer, expected at least one 20-byte signer address between the vanity and the seal (EIP-225)"
        case .unsupportedForkActivation(let field, let value):
            return "genesis field \(field): \(value) is not 0, expected every fork active from genesis (GoldenGrain runs Cancun rules from block 0)"
        case .invalidCertificate(let field, let reason):
            return "genesis field \(field): \(reason)"
        case .certificateDigestMismatch(let field, let declared, let actual):
            return "genesis field \(field): declared sha256 \(declared) but the certificate's SHA-256 is \(actual)"
        case .precompileAddressClash(let field, let address):
            return "genesis field \(field): address \(address) is already taken by another precompile"
        }
    }
}
