// The BLAKE2b compression function F of RFC 7693 §3.2, with the number of rounds as a parameter as
// EIP-152 exposes it (BLAKE2b itself uses 12). Words are little-endian 64-bit.

/// BLAKE2b's compression function F with a caller-chosen round count (EIP-152).
enum Blake2bCompression {
    /// The initialisation vector, the first 64 bits of the fractional parts of the square roots
    /// of the first eight primes (the SHA-512 IV), RFC 7693 §2.6.
    static let initializationVector: [UInt64] = [
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179,
    ]

    /// The message word permutations σ of RFC 7693 §2.7, ten rows of sixteen, flattened so the
    /// round loop indexes one buffer (round r uses entries 16·(r mod 10) ..< 16·(r mod 10) + 16).
    static let sigma: [UInt8] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ]

    /// Compresses one message block into the state.
    /// - Parameters:
    ///   - state: h, eight words, updated in place.
    ///   - message: m, sixteen words.
    ///   - offset: t, the 128-bit byte counter as (low, high).
    ///   - isFinalBlock: f, whether this is the last block.
    ///   - rounds: how many rounds to run.
    static func compress(state: inout [UInt64], message: [UInt64], offset: (UInt64, UInt64),
                         isFinalBlock: Bool, rounds: UInt32) {
        precondition(state.count == 8 && message.count == 16, "BLAKE2b F needs 8 state and 16 message words")
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { v in
            for index in 0..<8 {
                v[index] = state[index]
                v[index + 8] = initializationVector[index]
            }
            v[12] ^= offset.0
            v[13] ^= offset.1
            if isFinalBlock { v[14] = ~v[14] }
            message.withUnsafeBufferPointer { m in
                sigma.withUnsafeBufferPointer { permutations in
                    @inline(__always)
                    func mix(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64) {
                        v[a] = v[a] &+ v[b] &+ x
                        v[d] = (v[d] ^ v[a]).rotatedRight(by: 32)
                        v[c] = v[c] &+ v[d]
                        v[b] = (v[b] ^ v[c]).rotatedRight(by: 24)
                        v[a] = v[a] &+ v[b] &+ y
                        v[d] = (v[d] ^ v[a]).rotatedRight(by: 16)
                        v[c] = v[c] &+ v[d]
                        v[b] = (v[b] ^ v[c]).rotatedRight(by: 63)
                    }
                    var round: UInt32 = 0
                    while round < rounds {
                        let row = Int(round % 10) * 16
                        @inline(__always)
                        func word(_ index: Int) -> UInt64 { m[Int(permutations[row + index])] }
                        mix(0, 4, 8, 12, word(0), word(1))
                        mix(1, 5, 9, 13, word(2), word(3))
                        mix(2, 6, 10, 14, word(4), word(5))
                        mix(3, 7, 11, 15, word(6), word(7))
                        mix(0, 5, 10, 15, word(8), word(9))
                        mix(1, 6, 11, 12, word(10), word(11))
                        mix(2, 7, 8, 13, word(12), word(13))
                        mix(3, 4, 9, 14, word(14), word(15))
                        round += 1
                    }
                }
            }
            for index in 0..<8 { state[index] ^= v[index] ^ v[index + 8] }
        }
    }
}

extension UInt64 {
    /// The value rotated right by `count` bits (0 < count < 64).
    @inline(__always)
    fileprivate func rotatedRight(by count: UInt64) -> UInt64 {
        (self >> count) | (self << (64 - count))
    }
}
