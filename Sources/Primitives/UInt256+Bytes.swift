// Big-endian byte forms of a word: the 32-byte EVM memory and storage layout, the minimal form RLP
// uses for integers (Yellow Paper appendix B: "positive integers must be represented in big-endian
// form with no leading zeroes"), and `Hash32`, whose words are big-endian where ours are limbs.

extension UInt256 {
    /// Reads up to 32 big-endian bytes, as if left-padded with zeros to 32.
    /// - Parameter bytes: at most 32 bytes, most significant first; empty gives zero.
    /// - Precondition: `bytes.count <= 32`.
    @inlinable
    public init(bigEndianBytes bytes: some Collection<UInt8>) {
        let count = bytes.count
        precondition(count <= 32, "UInt256 holds at most 32 bytes, got \(count)")
        if let value = bytes.withContiguousStorageIfAvailable({ UInt256(bigEndianBuffer: UnsafeRawBufferPointer($0)) }) {
            self = value
            return
        }
        var value = UInt256.zero
        for byte in bytes {
            value = UInt256(words: value.w0 << 8 | UInt64(byte),
                            value.w1 << 8 | value.w0 >> 56,
                            value.w2 << 8 | value.w1 >> 56,
                            value.w3 << 8 | value.w2 >> 56)
        }
        self = value
    }

    /// Reads up to 32 big-endian bytes from a buffer, one limb at a time from the end.
    @inlinable
    init(bigEndianBuffer buffer: UnsafeRawBufferPointer) {
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var end = buffer.count
        for limbIndex in 0..<4 where end > 0 {
            let start = Swift.max(0, end - 8)
            var limb: UInt64 = 0
            if end - start == 8 {
                limb = UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            } else {
                for offset in start..<end { limb = limb << 8 | UInt64(buffer[offset]) }
            }
            switch limbIndex {
            case 0: limbs.0 = limb
            case 1: limbs.1 = limb
            case 2: limbs.2 = limb
            default: limbs.3 = limb
            }
            end = start
        }
        self.init(words: limbs.0, limbs.1, limbs.2, limbs.3)
    }

    /// Reads exactly 32 big-endian bytes from memory, with no alignment requirement.
    /// - Parameter pointer: the address of the most significant byte; 32 bytes must be readable.
    @inlinable
    public init(loadingBigEndianFrom pointer: UnsafeRawPointer) {
        self.init(words: UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
                  UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                  UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                  UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }

    /// Writes exactly 32 big-endian bytes to memory, with no alignment requirement.
    /// - Parameter pointer: where the most significant byte goes; 32 bytes must be writable.
    @inlinable
    public func storeBigEndian(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: w3.bigEndian, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: w2.bigEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: w1.bigEndian, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: w0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Reads a 32-byte hash as a big-endian integer (as SLOAD keys and BLOCKHASH results are).
    /// - Parameter hash: the hash.
    @inlinable
    public init(_ hash: Hash32) {
        self.init(words: hash.w3, hash.w2, hash.w1, hash.w0)
    }

    /// The value as a 32-byte hash, most significant byte first.
    @inlinable
    public var hash32: Hash32 { Hash32(words: w3, w2, w1, w0) }

    /// The 32 big-endian bytes, most significant first, zero-padded.
    public var bigEndianBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, initialized in
            storeBigEndian(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            initialized = 32
        }
    }

    /// The big-endian bytes with no leading zeros, as RLP encodes integers; empty for zero.
    public var minimalBigEndianBytes: [UInt8] {
        let count = byteWidth
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { full in
                storeBigEndian(to: UnsafeMutableRawPointer(full.baseAddress!))
                for index in 0..<count { buffer[index] = full[32 - count + index] }
            }
            initialized = count
        }
    }
}
