import Chain
import ChainTypes
import Clique
import Primitives
import Signatures
import Testing

@Suite("seal and signer recovery")
struct SealTests {
    let engine = Clique(config: CliqueConfig(period: 1))

    var unsealed: Header {
        var vanity = [UInt8](repeating: 0, count: 32)
        vanity[0] = 0x67
        return TestChain.header(number: 1, parentHash: Hash32(words: 1, 2, 3, 4), timestamp: 1_700_000_001,
                                extraData: CliqueExtraData(vanity: vanity, signers: []).bytes)
    }

    @Test func sealThenRecoverGivesTheSigner() throws {
        let sealed = try engine.seal(unsealed, with: TestAccounts.key("A"))
        // A fresh engine has no cached answer, so this recovers from the signature itself.
        let fresh = Clique(config: CliqueConfig(period: 1))
        #expect(try fresh.signer(of: sealed) == TestAccounts.address("A"))
        #expect(try engine.signer(of: sealed) == TestAccounts.address("A"))
    }

    @Test func sealIsTheSignatureOverTheSealHashInTheLast65Bytes() throws {
        let header = unsealed
        let sealed = try engine.seal(header, with: TestAccounts.key("B"))
        #expect(sealed.extraData.count == 97)
        #expect(Array(sealed.extraData.suffix(65)) == TestAccounts.key("B").sign(hash: header.sealHash).bytes)
        #expect(Array(sealed.extraData.prefix(32)) == Array(header.extraData.prefix(32)))
        #expect(sealed.sealHash == header.sealHash)
        var unchanged = sealed
        unchanged.extraData = header.extraData
        #expect(unchanged == header)
    }

    @Test func sealHashIsTheHashWithoutTheLast65ExtraDataBytes() {
        let header = unsealed
        var stripped = header
        stripped.extraData = Array(header.extraData.dropLast(65))
        #expect(header.sealHash == stripped.hash)
        var otherVanity = header
        otherVanity.extraData[1] = 1
        #expect(otherVanity.sealHash != header.sealHash)
    }

    @Test func differentKeysRecoverDifferentSigners() throws {
        let sealedByA = try engine.seal(unsealed, with: TestAccounts.key("A"))
        let sealedByB = try engine.seal(unsealed, with: TestAccounts.key("B"))
        #expect(sealedByA.hash != sealedByB.hash)
        #expect(try engine.signer(of: sealedByB) == TestAccounts.address("B"))
    }

    @Test func zeroSealRecoversNoSigner() {
        let genesis = TestChain.genesis(signers: ["A"])
        #expect(throws: CliqueError.invalidSeal(number: 0, .componentOutOfRange(component: "r", value: .zero))) {
            try engine.signer(of: genesis)
        }
    }

    @Test func sealNeedsRoomForTheSeal() {
        var header = unsealed
        header.extraData = Array(repeating: 0, count: 40)
        #expect(throws: CliqueError.missingSignature(number: 1, length: 40)) {
            try engine.seal(header, with: TestAccounts.key("A"))
        }
    }

    @Test func checkpointSignersAreReadInListedOrder() throws {
        let addresses = [TestAccounts.address("B"), TestAccounts.address("A")]
        let header = TestChain.header(number: 0, parentHash: .zero, timestamp: 0,
                                      extraData: CliqueExtraData(signers: addresses).bytes)
        #expect(try Clique.checkpointSigners(of: header) == addresses)
    }
}
