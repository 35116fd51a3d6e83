import Testing
import Primitives

/// Keccak-256 known answers. Sources: the empty-string digest is Ethereum's KECCAK_EMPTY (Yellow Paper
/// appendix, go-ethereum `types.EmptyCodeHash`); "abc" is the Keccak team's published Keccak-256 value.
@Suite struct KeccakTests {
    @Test func emptyInput() {
        #expect(Keccak256.hash([UInt8]()).description == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }

    @Test func abc() {
        #expect(Keccak256.hash(Array("abc".utf8)).description == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }
}
