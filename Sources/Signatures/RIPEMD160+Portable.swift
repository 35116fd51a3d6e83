// RIPEMD-160 in portable Swift, used when OpenSSL offers no implementation (see RIPEMD160.swift).
//
// Follows "RIPEMD-160: A Strengthened Version of RIPEMD" (Dobbertin, Bosselaers, Preneel, 1996),
// appendix A pseudo-code: two parallel lines of 80 steps over 16 little-endian 32-bit words per
// 64-byte block, MD4-style padding with the bit length as a little-endian 64-bit integer.

extension RIPEMD160 {
    /// Hashes a message with the portable Swift implementation, whatever OpenSSL offers.
    ///
    /// Public so that the same known-answer tests run over both implementations.
    /// - Parameter bytes: the message.
    /// - Returns: the 20-byte digest.
    public static func portableHash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { portableHash(raw: $0) }
    }

    /// Hashes a raw buffer with the portable Swift implementation.
    /// - Parameter raw: the message.
    /// - Returns: the 20-byte digest.
    static func portableHash(raw: UnsafeRawBufferPointer) -> [UInt8] {
        var state = PortableState()
        let fullBlocks = raw.count / 64
        for block in 0..<fullBlocks {
            state.compress(UnsafeRawBufferPointer(rebasing: raw[(block * 64)..<(block * 64 + 64)]))
        }
        // Padding: 0x80, zeros to 56 mod 64, then the bit length (little-endian 64-bit).
        var tail = [UInt8](raw[(fullBlocks * 64)...])
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bitLength = UInt64(raw.count) &* 8
        for shift in stride(from: 0, to: 64, by: 8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { padded in
            for block in 0..<(padded.count / 64) {
                state.compress(UnsafeRawBufferPointer(rebasing: padded[(block * 64)..<(block * 64 + 64)]))
            }
        }
        var output = [UInt8]()
        output.reserveCapacity(20)
        for word in [state.h0, state.h1, state.h2, state.h3, state.h4] {
            for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return output
    }
}

/// The five chaining words and the compression function.
private struct PortableState {
    var h0: UInt32 = 0x6745_2301, h1: UInt32 = 0xEFCD_AB89, h2: UInt32 = 0x98BA_DCFE
    var h3: UInt32 = 0x1032_5476, h4: UInt32 = 0xC3D2_E1F0

    /// Message word selection, left line (r) and right line (r').
    static let leftWord: [Int] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
        3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
        1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
        4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
    ]
    static let rightWord: [Int] = [
        5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
        6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
        15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
        8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
        12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
    ]
    /// Rotation amounts, left line (s) and right line (s').
    static let leftRotation: [UInt32] = [
        11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
        7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
        11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
        11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
        9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
    ]
    static let rightRotation: [UInt32] = [
        8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
        9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
        9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
        15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
        8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
    ]
    /// Round constants K (left) and K' (right), one per group of 16 steps.
    static let leftConstant: [UInt32] = [0x0000_0000, 0x5A82_7999, 0x6ED9_EBA1, 0x8F1B_BCDC, 0xA953_FD4E]
    static let rightConstant: [UInt32] = [0x50A2_8BE6, 0x5C4D_D124, 0x6D70_3EF3, 0x7A6D_76E9, 0x0000_0000]

    /// The five boolean functions f₀…f₄ (one per round).
    @inline(__always) static func function(_ round: Int, _ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 {
        switch round {
        case 0: return x ^ y ^ z
        case 1: return (x & y) | (~x & z)
        case 2: return (x | ~y) ^ z
        case 3: return (x & z) | (y & ~z)
        default: return x ^ (y | ~z)
        }
    }

    @inline(__always) static func rotateLeft(_ value: UInt32, _ amount: UInt32) -> UInt32 {
        (value << amount) | (value >> (32 - amount))
    }

    /// Processes one 64-byte block.
    mutating func compress(_ block: UnsafeRawBufferPointer) {
        var words = [UInt32](repeating: 0, count: 16)
        for index in 0..<16 { words[index] = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)) }
        var (al, bl, cl, dl, el) = (h0, h1, h2, h3, h4)
        var (ar, br, cr, dr, er) = (h0, h1, h2, h3, h4)
        for step in 0..<80 {
            let round = step / 16
            var t = Self.rotateLeft(al &+ Self.function(round, bl, cl, dl) &+ words[Self.leftWord[step]]
                                    &+ Self.leftConstant[round], Self.leftRotation[step]) &+ el
            (al, el, dl, cl, bl) = (el, dl, Self.rotateLeft(cl, 10), bl, t)
            t = Self.rotateLeft(ar &+ Self.function(4 - round, br, cr, dr) &+ words[Self.rightWord[step]]
                                &+ Self.rightConstant[round], Self.rightRotation[step]) &+ er
            (ar, er, dr, cr, br) = (er, dr, Self.rotateLeft(cr, 10), br, t)
        }
        let t = h1 &+ cl &+ dr
        h1 = h2 &+ dl &+ er
        h2 = h3 &+ el &+ ar
        h3 = h4 &+ al &+ br
        h4 = h0 &+ bl &+ cr
        h0 = t
    }
}
