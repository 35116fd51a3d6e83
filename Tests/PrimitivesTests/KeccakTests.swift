import Testing
import Primitives

/// Keccak-256 known answers.
///
/// Sources: the empty-string digest is Ethereum's KECCAK_EMPTY (go-ethereum `types.EmptyCodeHash`,
/// the Yellow Paper's empty code hash); "abc" is the Keccak team's published Keccak-256 value; the
/// remaining digests were computed with an independent implementation, pycryptodome 3.23
/// (`Crypto.Hash.keccak.new(digest_bits=256)`), not with this code.
@Suite struct KeccakTests {
    @Test func emptyInput() {
        #expect(Keccak256.hash([UInt8]()).description == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hash32.emptyKeccak.description == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }

    @Test func abc() {
        #expect(Keccak256.hash(Array("abc".utf8)).description == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }

    /// One mebibyte of the pattern byte[i] = i mod 251 (a period prime to the 136-byte rate).
    @Test func oneMebibyte() {
        let message = (0..<(1 << 20)).map { UInt8($0 % 251) }
        #expect(Keccak256.hash(message).description == "0x2fd6b833d9e25ae8d7dda1c3ed07af04df131ce89010c888534d4e825e40e875")
        #expect(Keccak256.hash([UInt8](repeating: 0, count: 1 << 20)).description
            == "0x7b6ff0a03e9c5a8e77a2059bf28e26a7f0e8d3939a7cfe2193908ad8d683be90")
    }

    /// Lengths around the 136-byte rate exercise the padding when 0x01 and 0x80 share a byte or not.
    @Test(arguments: [
        (135, "0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
        (136, "0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
        (137, "0xd869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
    ])
    func rateBoundary(length: Int, expected: String) {
        #expect(Keccak256.hash([UInt8](repeating: UInt8(ascii: "a"), count: length)).description == expected)
    }

    /// Feeding the message in uneven pieces gives the one-shot digest.
    @Test func incrementalMatchesOneShot() {
        let message = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let expected = Keccak256.hash(message)
        for chunk in [1, 3, 64, 135, 136, 137, 1000] {
            var hasher = Keccak256()
            var offset = 0
            while offset < message.count {
                let end = min(offset + chunk, message.count)
                hasher.update(Array(message[offset..<end]))
                offset = end
            }
            #expect(hasher.finalize() == expected, "chunk size \(chunk)")
        }
    }
}
