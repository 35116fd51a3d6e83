import Testing
import Primitives

/// EIP-55 checksum examples, from the EIP-55 text ("Test Cases", all caps / all lower / normal).
@Suite struct AddressTests {
    static let eip55Examples = [
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ]

    @Test(arguments: eip55Examples)
    func checksumRoundTrip(text: String) throws {
        let address = try Address(hex: text)
        #expect(address.checksummed == text)
    }

    @Test func lowerCaseInputIsAccepted() throws {
        let address = try Address(hex: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        #expect(address.checksummed == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }

    @Test func badChecksumIsRejected() {
        #expect(throws: AddressError.badChecksum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
                                                 expected: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")) {
            try Address(hex: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
        }
    }

    @Test func wrongLengthNamesTheCount() {
        #expect(throws: AddressError.wrongLength("0x1234", 2)) { try Address(hex: "0x1234") }
    }

    @Test func wordRoundTrip() throws {
        let address = try Address(hex: "0x8617E340B3D01FA5F11F306F4090FD50E238070D")
        let word = address.word
        #expect(word.bytes == [UInt8](repeating: 0, count: 12) + address.bytes)
        #expect(Address(lowBytesOf: word) == address)
    }
}

@Suite struct HexTests {
    @Test func roundTrip() throws {
        #expect(try [UInt8](hex: "0x00ff10") == [0x00, 0xff, 0x10])
        #expect(Hex.encode([0xde, 0xad]) == "0xdead")
        #expect(Hex.encode([0xde, 0xad], prefix: false) == "dead")
    }

    @Test func oddLengthIsRejectedUnlessAllowed() throws {
        #expect(throws: HexError.oddLength("0x123")) { try [UInt8](hex: "0x123") }
        #expect(try Hex.decode("0x123", allowOddLength: true) == [0x01, 0x23])
    }

    @Test func badCharacterNamesItsOffset() {
        #expect(throws: HexError.invalidCharacter("0x12zz", position: 4)) { try [UInt8](hex: "0x12zz") }
    }
}
