import Attestation
import Primitives
import Testing

/// The PCK leaf's key is used where OpenSSL decoded it (`CertificateP256Key`), so its ECDSA
/// signature encoding and scalar checks are tested here: DER by hand from X.690 §8.3 (INTEGER: minimal
/// two's complement, a 0x00 before a set high bit) and RFC 3279 §2.2.3 (SEQUENCE { r, s }), and
/// r, s outside [1, n − 1] refused through check (c) of a real quote.
@Suite struct CertificateP256KeyTests {
    static func scalar(_ hex: String) -> ArraySlice<UInt8> { SGXVectors.bytes(hex)[...] }

    @Test func signatureDERIsMinimalAndPositive() {
        let one = Self.scalar(String(repeating: "00", count: 31) + "01")
        let high = Self.scalar("80" + String(repeating: "11", count: 31))
        let leadingZeroThenHigh = Self.scalar("00" + "ff" + String(repeating: "22", count: 30))
        let leadingZeroThenLow = Self.scalar("00" + "7f" + String(repeating: "33", count: 30))
        // r = 1, s = 1: 30 06 02 01 01 02 01 01.
        #expect(CertificateP256Key.ecdsaSignatureDER(r: one, s: one) == [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01])
        // A 32-byte value with its high bit set takes a 0x00 and 33 content bytes.
        let highDER = CertificateP256Key.ecdsaSignatureDER(r: high, s: one)
        #expect(highDER == [0x30, 0x26, 0x02, 0x21, 0x00] + Array(high) + [0x02, 0x01, 0x01])
        // A leading zero byte is dropped; then a high bit needs the 0x00 back (32 content bytes).
        let zeroHighDER = CertificateP256Key.ecdsaSignatureDER(r: one, s: leadingZeroThenHigh)
        #expect(zeroHighDER == [0x30, 0x25, 0x02, 0x01, 0x01, 0x02, 0x20, 0x00] + Array(leadingZeroThenHigh.dropFirst()))
        // … and a low first byte does not (31 content bytes; 33 + 3 = 36 = 0x24 in the SEQUENCE).
        let zeroLowDER = CertificateP256Key.ecdsaSignatureDER(r: leadingZeroThenLow, s: one)
        #expect(zeroLowDER == [0x30, 0x24, 0x02, 0x1f] + Array(leadingZeroThenLow.dropFirst()) + [0x02, 0x01, 0x01])
    }

    /// The QE report signature is checked with the PCK leaf's certificate key: r or s equal to 0
    /// or to the group order n, or the signature's r and s swapped, fail check (c).
    @Test(arguments: SGXVector.all)
    func outOfRangeScalarsFailTheQEReportSignature(vector: SGXVector) throws {
        let order = SGXVectors.bytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let zero = [UInt8](repeating: 0, count: 32)
        let original = try Quote(bytes: vector.quote)
        let r = Array(original.qeReportSignature[0..<32]), s = Array(original.qeReportSignature[32..<64])
        _ = try SGXVectors.intelVerifier.verify(original, at: SGXVectors.verificationTime)
        for signature in [zero + s, r + zero, order + s, r + order, s + r] {
            var quote = original
            quote.qeReportSignature = signature
            #expect(throws: AttestationError.invalidQEReportSignature) {
                _ = try SGXVectors.intelVerifier.verify(quote, at: SGXVectors.verificationTime)
            }
        }
    }
}
