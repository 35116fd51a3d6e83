import Testing
import Primitives
import Signatures

/// Hash, MAC and KDF known answers from their specifications.
@Suite struct DigestTests {
    /// FIPS 180-2 Appendix B.1: SHA-256("abc").
    @Test func sha256OfABC() {
        #expect(SHA256.hash(Array("abc".utf8)).description == "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// FIPS 180-2 Appendix B.2: the 56-byte two-block message, also fed in pieces.
    @Test func sha256TwoBlocksIncremental() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        let expected = "0x248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        #expect(SHA256.hash(message).description == expected)
        var hasher = SHA256()
        hasher.update(Array(message[0..<10]))
        hasher.update(Array(message[10...]))
        #expect(hasher.finalize().description == expected)
    }

    /// SHA-256 of the empty message (FIPS 180-4 examples, NIST CSRC "SHA256.pdf").
    @Test func sha256OfEmpty() {
        #expect(SHA256.hash([UInt8]()).description == "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RIPEMD-160 page (Bosselaers, homes.esat.kuleuven.be/~bosselae/ripemd160.html), "Test vectors".
    static let ripemdVectors: [(String, String)] = [
        ("", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
        ("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
        ("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
    ]

    @Test(arguments: ripemdVectors.indices)
    func ripemd160(_ index: Int) {
        let (message, digest) = Self.ripemdVectors[index]
        #expect(RIPEMD160.hash(Array(message.utf8)) == TestSupport.bytes(digest))
    }

    /// The same vectors through the portable Swift implementation (the fallback when OpenSSL lacks RIPEMD-160).
    @Test(arguments: ripemdVectors.indices)
    func ripemd160Portable(_ index: Int) {
        let (message, digest) = Self.ripemdVectors[index]
        #expect(RIPEMD160.portableHash(Array(message.utf8)) == TestSupport.bytes(digest))
    }

    /// Both implementations agree across every padding boundary (lengths 0…200).
    @Test func ripemd160ImplementationsAgree() {
        for length in 0...200 {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(RIPEMD160.hash(message) == RIPEMD160.portableHash(message), "length \(length)")
        }
    }

    /// RFC 4231 §4.2, test case 1: key 0x0b × 20, data "Hi There".
    @Test func hmacSHA256TestCase1() {
        let tag = HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(tag.description == "0xb0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    /// RFC 4231 §4.2, test case 1, HMAC-SHA-512.
    @Test func hmacSHA512TestCase1() {
        let tag = HMAC.sha512(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(tag == TestSupport.bytes("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                                          + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"))
    }

    /// RFC 4231 §4.3, test case 2: a key shorter than the block ("Jefe").
    @Test func hmacSHA256TestCase2() {
        let tag = HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(tag.description == "0x5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// RFC 5869 Appendix A.1, test case 1 (HKDF-SHA256, L = 42).
    @Test func hkdfTestCase1() {
        let okm = HKDF.sha256(inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22),
                              salt: TestSupport.bytes("000102030405060708090a0b0c"),
                              info: TestSupport.bytes("f0f1f2f3f4f5f6f7f8f9"), outputByteCount: 42)
        #expect(okm == TestSupport.bytes("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
    }

    /// RFC 5869 Appendix A.3, test case 3: empty salt and info (the ECIES configuration).
    @Test func hkdfTestCase3EmptySaltAndInfo() {
        let okm = HKDF.sha256(inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], outputByteCount: 42)
        #expect(okm == TestSupport.bytes("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
    }
}
