import Primitives

/// Why a header, block, receipt or log could not be decoded.
public enum BlockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field (or the list around the fields) of the named structure is not canonical RLP of the shape it needs.
    case malformedField(structure: String, field: String, RLPError)
    /// The named structure's RLP list has a number of fields its definition does not allow.
    case wrongFieldCount(structure: String, expected: String, actual: Int)
    /// A block lists ommers, which a proof-of-authority chain never has (EIP-225).
    case nonEmptyOmmers(count: Int)
    /// A transaction of a block body does not decode.
    case invalidTransaction(index: Int, TransactionError)
    /// A receipt starts with a type byte of no supported transaction type (EIP-2718).
    case unsupportedReceiptType(UInt8)
    /// A receipt's status is neither empty (failure) nor 0x01 (success), as a pre-Byzantium state root would be (EIP-658).
    case invalidReceiptStatus([UInt8])

    /// A user-facing message naming the values involved and what was expected.
    public var description: String {
        switch self {
        case .malformedField(let structure, let field, let error):
            return "\(structure) field \(field): \(error)"
        case .wrongFieldCount(let structure, let expected, let actual):
            return "\(structure) has \(actual) fields, expected \(expected)"
        case .nonEmptyOmmers(let count):
            return "block lists \(count) ommers, expected none (a Clique chain has no uncles)"
        case .invalidTransaction(let index, let error):
            return "block transaction \(index): \(error)"
        case .unsupportedReceiptType(let type):
            return "unsupported receipt type \(type), expected 0 (legacy), 1 (EIP-2930) or 2 (EIP-1559)"
        case .invalidReceiptStatus(let bytes):
            return "receipt status \(Hex.encode(bytes)) is invalid, expected empty (failure) or 0x01 (success) per EIP-658"
        }
    }
}

/// Runs one read of a structure's field, labelling any RLP error with the structure and field names.
func readField<T>(_ structure: String, _ field: String, _ body: (inout RLPReader) throws(RLPError) -> T,
                  from reader: inout RLPReader) throws(BlockError) -> T {
    do throws(RLPError) {
        return try body(&reader)
    } catch {
        throw .malformedField(structure: structure, field: field, error)
    }
}
