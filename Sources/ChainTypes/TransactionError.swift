import Primitives

/// Why a transaction was rejected: its encoding (EIP-2718 envelope, RLP fields), its signature
/// (EIP-2, EIP-155) or a rule that needs no state (EIP-1559, EIP-2681, EIP-3860, intrinsic gas).
///
/// Messages name the values found and what was expected, and reuse go-ethereum's phrases
/// ("intrinsic gas too low", "max priority fee per gas higher than max fee per gas", …) where it
/// has one, so that users who know geth recognise them.
public enum TransactionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The raw transaction has no bytes at all.
    case emptyInput
    /// The first byte is neither a transaction type (0x00–0x7f) nor an RLP list header (0xc0–0xff), per EIP-2718.
    case invalidEnvelope(firstByte: UInt8)
    /// The EIP-2718 type byte names a type this chain does not accept (blob transactions, type 3, among them).
    case unsupportedType(UInt8)
    /// A field, or the list around the fields, is not canonical RLP of the shape the field needs.
    case malformedField(field: String, RLPError)
    /// The transaction's RLP list has a different number of fields from the number its type defines.
    case wrongFieldCount(type: TransactionType, expected: Int, actual: Int)
    /// An address field is not 20 bytes long (the recipient may also be empty, for a contract creation).
    case invalidAddressLength(field: String, length: Int)
    /// An access-list storage key is not exactly 32 bytes long.
    case invalidStorageKeyLength(length: Int)
    /// A legacy transaction's v is neither 27/28 nor chainId·2 + 35/36 with a 64-bit chain id (EIP-155).
    case invalidV(UInt256)
    /// A typed transaction's y-parity field is neither 0 nor 1.
    case invalidYParity(UInt64)
    /// The transaction is signed for another chain than the one checking it (EIP-155, EIP-2930).
    case chainIdMismatch(expected: UInt64, actual: UInt64)
    /// The sender of a transaction without a signature was asked for.
    case unsigned
    /// The signature's r or s is zero or not below the secp256k1 group order n.
    case signatureValueOutOfRange(component: String, value: UInt256)
    /// The signature's s is above n/2, which EIP-2 forbids so that signatures are not malleable.
    case highS(UInt256)
    /// No public key can be recovered from the signature over the transaction's signing hash.
    case recoveryFailed(signingHash: Hash32)
    /// The nonce is 2^64 − 1, which EIP-2681 forbids because the sender's next nonce would overflow.
    case nonceAtMaximum
    /// The priority fee per gas is above the fee cap (EIP-1559).
    case priorityFeeAboveMaxFee(maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256)
    /// The gas limit times the fee cap (or gas price) does not fit in 256 bits.
    case gasCostOverflow(gasLimit: UInt64, maxFeePerGas: UInt256)
    /// A contract creation's init code is longer than EIP-3860's limit of 49152 bytes.
    case initCodeTooLarge(size: Int, limit: Int)
    /// The gas limit is below the transaction's intrinsic gas (Yellow Paper §6.2, EIP-2028, EIP-2930, EIP-3860).
    case intrinsicGasTooLow(gasLimit: UInt64, intrinsicGas: UInt64)

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .emptyInput:
            return "transaction is empty, expected an RLP list or a type byte followed by a payload (EIP-2718)"
        case .invalidEnvelope(let firstByte):
            return "transaction starts with byte \(Self.hex(firstByte)), expected a type byte 0x00–0x7f or an RLP list header 0xc0–0xff (EIP-2718)"
        case .unsupportedType(let type):
            return "unsupported transaction type \(type), expected 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559)"
        case .malformedField(let field, let error):
            return "transaction field \(field): \(error)"
        case .wrongFieldCount(let type, let expected, let actual):
            return "\(type) transaction has \(actual) fields, expected \(expected)"
        case .invalidAddressLength(let field, let length):
            return "transaction field \(field) is \(length) bytes, expected a 20-byte address"
        case .invalidStorageKeyLength(let length):
            return "access list storage key is \(length) bytes, expected 32"
        case .invalidV(let v):
            return "invalid transaction v: legacy v \(v) is not 27, 28 or chainId*2+35/36 with a 64-bit chain id (EIP-155)"
        case .invalidYParity(let value):
            return "transaction y-parity \(value) is invalid, expected 0 or 1"
        case .chainIdMismatch(let expected, let actual):
            return "invalid chain id for signer: have \(actual) want \(expected)"
        case .unsigned:
            return "transaction is not signed, expected a signature to recover the sender from"
        case .signatureValueOutOfRange(let component, let value):
            return "invalid transaction v, r, s values: \(component) \(value.hexQuantity) is not in [1, n-1] (n is the secp256k1 group order)"
        case .highS(let s):
            return "invalid transaction v, r, s values: s \(s.hexQuantity) is above n/2, which EIP-2 forbids"
        case .recoveryFailed(let signingHash):
            return "invalid sender: no public key recovers from the signature over signing hash \(signingHash)"
        case .nonceAtMaximum:
            return "nonce has max value: \(UInt64.max), expected at most \(UInt64.max - 1) (EIP-2681)"
        case .priorityFeeAboveMaxFee(let priority, let maximum):
            return "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas \(priority), maxFeePerGas \(maximum)"
        case .gasCostOverflow(let gasLimit, let maxFeePerGas):
            return "gas limit \(gasLimit) times max fee per gas \(maxFeePerGas) overflows 256 bits"
        case .initCodeTooLarge(let size, let limit):
            return "max initcode size exceeded: code size \(size) limit \(limit) (EIP-3860)"
        case .intrinsicGasTooLow(let gasLimit, let intrinsicGas):
            return "intrinsic gas too low: have \(gasLimit), want \(intrinsicGas)"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
    }
}
