import Testing
import EVM
import Primitives

/// sha256 (0x02), ripemd160 (0x03), identity (0x04) and blake2f (0x09) beyond the fixture files.
///
/// Digests are the published known answers: SHA-256("abc") and SHA-256("") from FIPS 180-2
/// appendix B.1 and NIST's examples; RIPEMD-160("abc") and RIPEMD-160("") from the test vectors of
/// Dobbertin, Bosselaers and Preneel's RIPEMD-160 page. Gas is the Yellow Paper appendix E formula
/// worked by hand.
@Suite struct PrecompileHashTests {
    @Test func sha256OfABC() {
        let (gas, output) = PrecompileCaller.call(0x02, Array("abc".utf8))
        #expect(output == .success(try! [UInt8](hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")))
        #expect(gas == 72)  // 60 + 12·1
    }

    @Test func sha256OfEmptyInputCostsTheBaseOnly() {
        let (gas, output) = PrecompileCaller.call(0x02, [])
        #expect(output == .success(try! [UInt8](hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")))
        #expect(gas == 60)
    }

    @Test func sha256ChargesPartialWordsAsWholeWords() {
        #expect(PrecompileCaller.precompile(0x02).requiredGas(input: [UInt8](repeating: 0, count: 33)) == 84)
    }

    @Test func ripemd160OfABCIsLeftPadded() {
        let (gas, output) = PrecompileCaller.call(0x03, Array("abc".utf8))
        #expect(output == .success([UInt8](repeating: 0, count: 12)
            + (try! [UInt8](hex: "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"))))
        #expect(gas == 720)  // 600 + 120·1
    }

    @Test func ripemd160OfEmptyInput() {
        let (gas, output) = PrecompileCaller.call(0x03, [])
        #expect(output == .success([UInt8](repeating: 0, count: 12)
            + (try! [UInt8](hex: "9c1185a5c5e9fc54612808977ee8f548b2258d31"))))
        #expect(gas == 600)
    }

    @Test(arguments: [(0, UInt64(15)), (1, 18), (32, 18), (33, 21), (1024, 111)])
    func identityReturnsItsInput(length: Int, gas: UInt64) {
        let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let (charged, output) = PrecompileCaller.call(0x04, input)
        #expect(output == .success(input))
        #expect(charged == gas)
    }

    /// EIP-152: a final-block flag other than 0 or 1 fails (the fixture's case uses 2; 0xff too).
    @Test func blake2fRejectsFinalFlag255() {
        var input = [UInt8](repeating: 0, count: 213)
        input[3] = 12
        input[212] = 0xff
        guard case .failure = PrecompileCaller.call(0x09, input).output else {
            Issue.record("flag 0xff must fail")
            return
        }
    }

    /// EIP-152: gas is the round count, read big-endian from the first four bytes.
    @Test func blake2fGasIsTheRoundCount() {
        var input = [UInt8](repeating: 0, count: 213)
        input[0] = 0x01; input[1] = 0x02; input[2] = 0x03; input[3] = 0x04
        #expect(PrecompileCaller.precompile(0x09).requiredGas(input: input) == 0x0102_0304)
    }
}
