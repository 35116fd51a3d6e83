import Primitives

// Internal bridges between `Hash32` (four big-endian words, no heap storage) and the byte pointers
// that libsecp256k1 and OpenSSL take, so hot paths hand 32-byte values to C without allocating.
extension Hash32 {
    /// Calls `body` with a pointer to the 32 big-endian bytes, laid out on the stack.
    /// - Parameter body: a closure that reads the 32 bytes; the pointer is valid only inside it.
    /// - Returns: what `body` returns.
    @inline(__always)
    func withBigEndianBytes<Result>(_ body: (UnsafePointer<UInt8>) -> Result) -> Result {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return withUnsafeBytes(of: &words) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Reads 32 big-endian bytes.
    /// - Parameter pointer: the first of 32 readable bytes.
    @inline(__always)
    init(bigEndianBytesAt pointer: UnsafeRawPointer) {
        self.init(words: UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                  UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                  UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                  UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }
}

/// 72 bytes of stack storage, enough for an uncompressed SEC 1 public key (65 bytes: 0x04 ‖ x ‖ y)
/// or a compact signature r ‖ s (64 bytes).
typealias StackBytes72 = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

/// A zeroed `StackBytes72`.
let zeroStackBytes72: StackBytes72 = (0, 0, 0, 0, 0, 0, 0, 0, 0)
