/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 … 0x80), not SHA3-256's 0x06.
///
/// OpenSSL 3.0 has no Keccak-256, so the sponge is written here over `KeccakState.permute()`.
/// Rate is 136 bytes (17 lanes); capacity 512 bits. The hasher is a value type with no heap storage.
public struct Keccak256: Sendable {
    @usableFromInline static let rateBytes = 136

    @usableFromInline var state = KeccakState()
    /// Bytes of a partial block waiting for more input (fewer than `rateBytes`).
    @usableFromInline var buffer = KeccakBlockBuffer()
    @usableFromInline var buffered = 0

    /// Creates a hasher with an empty state.
    @inlinable public init() {}

    /// Hashes a whole message at once.
    /// - Parameter bytes: the message.
    /// - Returns: the 32-byte Keccak-256 digest.
    @inlinable public static func hash(_ bytes: [UInt8]) -> Hash32 {
        bytes.withUnsafeBytes { hash(raw: $0) }
    }

    /// Hashes a slice of a byte array.
    /// - Parameter bytes: the message.
    /// - Returns: the 32-byte Keccak-256 digest.
    @inlinable public static func hash(_ bytes: ArraySlice<UInt8>) -> Hash32 {
        bytes.withUnsafeBytes { hash(raw: $0) }
    }

    /// Hashes the bytes of a raw buffer.
    /// - Parameter raw: the message.
    /// - Returns: the 32-byte Keccak-256 digest.
    @inlinable public static func hash(raw: UnsafeRawBufferPointer) -> Hash32 {
        var hasher = Keccak256()
        hasher.update(raw: raw)
        return hasher.finalize()
    }

    /// Absorbs more message bytes.
    /// - Parameter bytes: the next part of the message.
    @inlinable public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(raw: $0) }
    }

    /// Absorbs more message bytes from a raw buffer.
    /// - Parameter raw: the next part of the message.
    @inlinable public mutating func update(raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        var offset = 0
        let count = raw.count
        if buffered > 0 {
            let take = min(Keccak256.rateBytes - buffered, count)
            buffer.copy(from: base, count: take, at: buffered)
            buffered += take
            offset = take
            if buffered < Keccak256.rateBytes { return }
            let block = buffer
            block.withPointer { absorbBlock($0) }
            buffered = 0
        }
        while count - offset >= Keccak256.rateBytes {
            absorbBlock(base + offset)
            offset += Keccak256.rateBytes
        }
        if offset < count {
            buffer.copy(from: base + offset, count: count - offset, at: 0)
            buffered = count - offset
        }
    }

    /// Pads, permutes and squeezes the digest. The hasher must not be used afterwards.
    /// - Returns: the 32-byte Keccak-256 digest.
    @inlinable public mutating func finalize() -> Hash32 {
        buffer.zero(from: buffered)
        buffer.xorByte(0x01, at: buffered)
        buffer.xorByte(0x80, at: Keccak256.rateBytes - 1)
        let block = buffer
        block.withPointer { absorbBlock($0) }
        return Hash32(words: state.a0.byteSwapped, state.a1.byteSwapped,
                      state.a2.byteSwapped, state.a3.byteSwapped)
    }

    /// XORs one 136-byte block into the first 17 lanes and permutes.
    @inlinable @inline(__always)
    mutating func absorbBlock(_ p: UnsafeRawPointer) {
        @inline(__always) func lane(_ i: Int) -> UInt64 {
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
        }
        state.a0 ^= lane(0); state.a1 ^= lane(1); state.a2 ^= lane(2); state.a3 ^= lane(3)
        state.a4 ^= lane(4); state.a5 ^= lane(5); state.a6 ^= lane(6); state.a7 ^= lane(7)
        state.a8 ^= lane(8); state.a9 ^= lane(9); state.a10 ^= lane(10); state.a11 ^= lane(11)
        state.a12 ^= lane(12); state.a13 ^= lane(13); state.a14 ^= lane(14); state.a15 ^= lane(15)
        state.a16 ^= lane(16)
        state.permute()
    }
}

/// A fixed 136-byte block buffer held inline (17 UInt64 words), so the hasher never allocates.
@usableFromInline
struct KeccakBlockBuffer: Sendable {
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                  UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    @usableFromInline init() {}

    @inlinable func withPointer<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        withUnsafeBytes(of: words) { body($0.baseAddress!) }
    }

    @inlinable mutating func copy(from source: UnsafeRawPointer, count: Int, at offset: Int) {
        withUnsafeMutableBytes(of: &words) { ($0.baseAddress! + offset).copyMemory(from: source, byteCount: count) }
    }

    @inlinable mutating func zero(from offset: Int) {
        withUnsafeMutableBytes(of: &words) { buffer in
            for i in offset..<136 { buffer[i] = 0 }
        }
    }

    @inlinable mutating func xorByte(_ byte: UInt8, at offset: Int) {
        withUnsafeMutableBytes(of: &words) { $0[offset] ^= byte }
    }
}

