import Testing
import Signatures

/// AES block function and AES-CTR against NIST's published vectors: FIPS 197 appendix C.3 (AES-256
/// single block) and SP 800-38A appendix F.1.5 (ECB-AES256), F.5.1 (CTR-AES128) and F.5.5
/// (CTR-AES256). The four plaintext blocks are the same in all SP 800-38A examples.
@Suite struct AESCTRTests {
    /// SP 800-38A appendix F, the common plaintext (four blocks).
    static let plaintext = TestSupport.bytes(
        "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710")
    /// SP 800-38A F.5.1/F.5.5, the initial counter block.
    static let initialCounter = TestSupport.bytes("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
    /// SP 800-38A F.5.1, CTR-AES128 key and ciphertext.
    static let key128 = TestSupport.bytes("2b7e151628aed2a6abf7158809cf4f3c")
    static let ciphertext128 = TestSupport.bytes(
        "874d6191b620e3261bef6864990db6ce" + "9806f66b7970fdff8617187bb9fffdff"
        + "5ae4df3edbd5d35e5b4f09020db03eab" + "1e031dda2fbe03d1792170a0f3009cee")
    /// SP 800-38A F.5.5 (and F.1.5), the AES-256 key; F.5.5 CTR ciphertext.
    static let key256 = TestSupport.bytes("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
    static let ciphertext256 = TestSupport.bytes(
        "601ec313775789a5b7a7f504bbf3d228" + "f443e3ca4d62b59aca84e990cacaf5c5"
        + "2b0930daa23de94ce87017ba2d84988d" + "dfc9c58db67aada613c2dd08457941a6")

    @Test func fips197AppendixC3SingleBlock() throws {
        var cipher = try AESBlockCipher(key: TestSupport.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
        let block = try cipher.encrypt(block: TestSupport.bytes("00112233445566778899aabbccddeeff"))
        #expect(block == TestSupport.bytes("8ea2b7ca516745bfeafc49904b496089"))
    }

    @Test func sp80038aF15ECBAES256() throws {
        // SP 800-38A F.1.5 ECB-AES256.Encrypt, block by block.
        let expected = TestSupport.bytes(
            "f3eed1bdb5d2a03c064b5a7e3db181f8" + "591ccb10d410ed26dc5ba74a31362870"
            + "b6ed21b99ca6f4f9f153e7b1beafed1d" + "23304b7a39f9f3ff067d8d8f9e24ecc7")
        var cipher = try AESBlockCipher(key: Self.key256)
        for index in 0..<4 {
            let block = try cipher.encrypt(block: Array(Self.plaintext[index * 16 ..< index * 16 + 16]))
            #expect(block == Array(expected[index * 16 ..< index * 16 + 16]), "block \(index + 1)")
        }
    }

    @Test func sp80038aF51CTRAES128() throws {
        var stream = try AESCTR(key: Self.key128, iv: Self.initialCounter)
        #expect(stream.process(Self.plaintext) == Self.ciphertext128)
        var decrypt = try AESCTR(key: Self.key128, iv: Self.initialCounter)
        #expect(decrypt.process(Self.ciphertext128) == Self.plaintext)
    }

    @Test func sp80038aF55CTRAES256() throws {
        var stream = try AESCTR(key: Self.key256, iv: Self.initialCounter)
        #expect(stream.process(Self.plaintext) == Self.ciphertext256)
    }

    /// The stream keeps its position: any split of the input gives the one-shot vector.
    @Test(arguments: [[1, 15, 17, 31], [16, 16, 16, 16], [3, 5, 7, 11, 13, 17, 8], [64], [0, 64, 0]])
    func ctrStreamStateCarriesAcrossCalls(split: [Int]) throws {
        var stream = try AESCTR(key: Self.key256, iv: Self.initialCounter)
        var output: [UInt8] = []
        var offset = 0
        for length in split {
            output += stream.process(Array(Self.plaintext[offset ..< offset + length]))
            offset += length
        }
        #expect(output == Self.ciphertext256, "split \(split)")
    }

    /// A copy continues from the same position and then advances on its own.
    @Test func copiedStreamAdvancesIndependently() throws {
        var stream = try AESCTR(key: Self.key128, iv: Self.initialCounter)
        _ = stream.process(Array(Self.plaintext[0..<20]))
        var copy = stream
        let fromOriginal = stream.process(Array(Self.plaintext[20...]))
        let fromCopy = copy.process(Array(Self.plaintext[20...]))
        #expect(fromOriginal == Array(Self.ciphertext128[20...]))
        #expect(fromCopy == Array(Self.ciphertext128[20...]))
    }

    /// The counter is one 128-bit integer: from …ff ff the carry reaches the high half, as Go's
    /// `cipher.NewCTR` does. Expected blocks are E(k, 00…01 00…00) and E(k, 00…01 00…01), checked
    /// with the block function (whose own vector is above).
    @Test func counterCarriesIntoTheHighHalf() throws {
        let iv = TestSupport.bytes("0000000000000000ffffffffffffffff")
        var stream = try AESCTR(key: Self.key128, iv: iv)
        let keystream = stream.process([UInt8](repeating: 0, count: 48))
        var block = try AESBlockCipher(key: Self.key128)
        #expect(Array(keystream[0..<16]) == (try block.encrypt(block: iv)))
        #expect(Array(keystream[16..<32]) == (try block.encrypt(block: TestSupport.bytes("00000000000000010000000000000000"))))
        #expect(Array(keystream[32..<48]) == (try block.encrypt(block: TestSupport.bytes("00000000000000010000000000000001"))))
    }

    /// Long input in uneven pieces (crossing the 64-block batches) against a naive keystream built
    /// block by block with the block function: E(iv), E(iv + 1), …
    @Test func longInputMatchesNaiveKeystream() throws {
        var generator = SystemRandomNumberGenerator()
        let message = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var block = try AESBlockCipher(key: Self.key256)
        var naive: [UInt8] = []
        var counter = Self.initialCounter
        while naive.count < message.count {
            naive += try block.encrypt(block: counter)
            for index in stride(from: 15, through: 0, by: -1) {
                counter[index] &+= 1
                if counter[index] != 0 { break }
            }
        }
        let expected = zip(message, naive).map { $0 ^ $1 }
        var stream = try AESCTR(key: Self.key256, iv: Self.initialCounter)
        var output: [UInt8] = []
        var offset = 0
        var length = 1
        while offset < message.count {
            let end = min(message.count, offset + length)
            output += stream.process(Array(message[offset..<end]))
            offset = end
            length = length * 3 % 1531 + 1
        }
        #expect(output == expected)
    }

    @Test func wrongLengthsAreRefused() {
        #expect(throws: AESError.invalidKeyLength(15)) { try AESCTR(key: [UInt8](repeating: 0, count: 15), iv: Self.initialCounter) }
        #expect(throws: AESError.invalidIVLength(12)) { try AESCTR(key: Self.key128, iv: [UInt8](repeating: 0, count: 12)) }
        #expect(throws: AESError.partialBlock(length: 15)) {
            var cipher = try AESBlockCipher(key: Self.key128)
            _ = try cipher.encrypt(block: [UInt8](repeating: 0, count: 15))
        }
        #expect(AESError.invalidKeyLength(15).description == "AES key is 15 bytes, expected 16, 24 or 32")
    }
}
