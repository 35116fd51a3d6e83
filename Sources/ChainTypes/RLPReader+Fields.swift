import Primitives

// Field-level reads for the typed decoders of this module. Each read names the field it is for, so
// that an `RLPError` (which knows only an offset) becomes a message such as
// "transaction field nonce: RLP at offset 1: integer starts with a zero byte".

extension RLPReader {
    /// Reads a canonical integer of at most 32 bytes.
    mutating func readUInt256() throws(RLPError) -> UInt256 {
        UInt256(bigEndianBytes: try readIntegerBytes(maximumByteCount: 32))
    }

    /// Reads a 32-byte string as a hash.
    mutating func readHash32() throws(RLPError) -> Hash32 {
        Hash32(try readBytes(exactly: 32))
    }

    /// Counts the items left in this reader without consuming them, checking each header.
    /// - Returns: the number of items, or the index of the first malformed one with its error.
    func countItems() -> Result<Int, IndexedRLPError> {
        var copy = self
        var count = 0
        while !copy.isAtEnd {
            do throws(RLPError) {
                try copy.skipItem()
            } catch {
                return .failure(IndexedRLPError(index: count, error: error))
            }
            count += 1
        }
        return .success(count)
    }
}

/// An RLP error at the item with the given index in a list.
struct IndexedRLPError: Error {
    var index: Int
    var error: RLPError
}

extension RLPWriter {
    /// Appends a 256-bit integer in its minimal big-endian form (zero is the empty string).
    mutating func append(uint256 value: UInt256) {
        append(bytes: value.minimalBigEndianBytes)
    }
}
