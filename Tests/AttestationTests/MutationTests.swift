import Attestation
import Primitives
import Signatures
import Testing

/// Mutated real quotes are rejected by the check responsible for the mutated bytes.
///
/// Regions follow the Intel SGX ECDSA Quote Library API, Appendix A (docs/formats.md). For each
/// region a spread of byte positions (first, last, evenly spaced between) gets one bit flipped,
/// the bit index varying with the position; fields of at most 4 bytes get every bit flipped.
@Suite struct MutationTests {
    /// What a mutation must be rejected with: an exact error, or any error of one check when the
    /// exact case depends on where the flip lands (PEM text, a length that moves later fields).
    enum Expected: CustomStringConvertible {
        case exactly(AttestationError)
        case check(AttestationCheck)

        var description: String {
            switch self {
            case .exactly(let error): "exactly \(error)"
            case .check(let check): "a \(check) error"
            }
        }

        func matches(_ error: AttestationError?) -> Bool {
            switch self {
            case .exactly(let expected): error == expected
            case .check(let check): error?.check == check
            }
        }
    }

    /// A named byte range of a quote and the error a flipped bit there must cause.
    struct Region: CustomStringConvertible {
        let name: String
        let range: Range<Int>
        let samples: Int
        /// The expected rejection of the mutated quote.
        let expected: ([UInt8]) -> Expected
        var description: String { name }
    }

    static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    /// The regions of a quote whose QE authentication data is `a` bytes and certification data `c` bytes.
    static func regions(of quote: [UInt8]) -> [Region] {
        let parsed = try! Quote(bytes: quote)
        let a = parsed.qeAuthenticationData.count
        let c = parsed.certificationData.count
        let signatureDataLength = UInt32(quote.count - 436)
        let authenticationData = 1014..<(1014 + a)
        let certificationDataType = authenticationData.upperBound..<(authenticationData.upperBound + 2)
        let certificationDataSize = certificationDataType.upperBound..<(certificationDataType.upperBound + 4)
        let certificationData = certificationDataSize.upperBound..<quote.count
        func qeBindingMismatch(_ mutated: [UInt8]) -> Expected {
            let key = Array(mutated[500..<564]), auth = Array(mutated[authenticationData])
            return .exactly(.qeReportDataMismatch(expected: SHA256.hash(key + auth).bytes + [UInt8](repeating: 0, count: 32),
                                                  found: Array(mutated[(564 + 320)..<(564 + 384)])))
        }
        return [
            Region(name: "header version", range: 0..<2, samples: 16) {
                .exactly(.unsupportedVersion(UInt16(littleEndian($0, 0, 2))))
            },
            Region(name: "header attestation key type", range: 2..<4, samples: 16) {
                .exactly(.unsupportedAttestationKeyType(UInt16(littleEndian($0, 2, 2))))
            },
            Region(name: "header TEE type", range: 4..<8, samples: 16) {
                .exactly(.unsupportedTEEType(UInt32(littleEndian($0, 4, 4))))
            },
            Region(name: "header SVNs, QE vendor ID, user data", range: 8..<48, samples: 16) { _ in
                .exactly(.invalidISVReportSignature)
            },
            Region(name: "ISV report body", range: 48..<432, samples: 24) { _ in .exactly(.invalidISVReportSignature) },
            Region(name: "signature data length", range: 432..<436, samples: 16) {
                .exactly(.signatureDataLengthMismatch(declared: UInt32(littleEndian($0, 432, 4)), actual: Int(signatureDataLength)))
            },
            Region(name: "ISV report signature", range: 436..<500, samples: 16) { _ in .exactly(.invalidISVReportSignature) },
            Region(name: "attestation key", range: 500..<564, samples: 16, expected: qeBindingMismatch),
            Region(name: "QE report body", range: 564..<948, samples: 24) { _ in .exactly(.invalidQEReportSignature) },
            Region(name: "QE report signature", range: 948..<1012, samples: 16) { _ in .exactly(.invalidQEReportSignature) },
            Region(name: "QE authentication data length", range: 1012..<1014, samples: 16) { _ in .check(.structure) },
            Region(name: "QE authentication data", range: authenticationData, samples: 16, expected: qeBindingMismatch),
            Region(name: "certification data type", range: certificationDataType, samples: 16) {
                .exactly(.unsupportedCertificationDataType(UInt16(littleEndian($0, certificationDataType.lowerBound, 2))))
            },
            Region(name: "certification data size", range: certificationDataSize, samples: 16) {
                .exactly(.certificationDataSizeMismatch(declared: UInt32(littleEndian($0, certificationDataSize.lowerBound, 4)),
                                                        actual: c))
            },
            Region(name: "certification data (PEM chain)", range: certificationData, samples: 96) { _ in
                .check(.pckCertificateChain)
            },
        ]
    }

    /// Positions spread over a range: first, last and evenly spaced between.
    static func positions(in range: Range<Int>, count: Int) -> [Int] {
        guard range.count > count else { return Array(range) }
        return (0..<count).map { range.lowerBound + $0 * (range.count - 1) / (count - 1) }
    }

    @Test(arguments: SGXVector.all)
    func flippedBitInEveryRegionIsRejectedByTheRightCheck(vector: SGXVector) {
        let quote = vector.quote
        var mutations = 0
        for region in Self.regions(of: quote) {
            // Length and type fields (at most 4 bytes) get every bit flipped; larger regions one bit per sampled byte.
            let flips: [(position: Int, bit: Int)] = region.range.count <= 4
                ? region.range.flatMap { position in (0..<8).map { (position, $0) } }
                : Self.positions(in: region.range, count: region.samples).enumerated().map { ($1, ($1 + $0) % 8) }
            for (position, bit) in flips {
                var mutated = quote
                mutated[position] ^= UInt8(1) << UInt8(bit)
                let error = SGXVectors.error(verifying: mutated)
                let expected = region.expected(mutated)
                #expect(expected.matches(error),
                        "\(vector.folder): bit flip at byte \(position) in \(region.name): expected \(expected), got \(String(describing: error))")
                mutations += 1
            }
        }
        #expect(mutations == 384)
    }

    @Test(arguments: SGXVector.all)
    func truncationAtEveryRegionBoundaryIsAStructureError(vector: SGXVector) {
        let quote = vector.quote
        let parsed = try! Quote(bytes: quote)
        let a = parsed.qeAuthenticationData.count
        let declared = UInt32(quote.count - 436)
        let boundaries = [0, 2, 4, 8, 48, 432, 436, 500, 564, 948, 1012, 1014, 1014 + a, 1016 + a, 1020 + a,
                          (1020 + a + quote.count) / 2, quote.count - 1]
        for length in boundaries {
            let error = SGXVectors.error(verifying: Array(quote[0..<length]))
            let expected: AttestationError = length < 436
                ? .quoteTooShort(length: length, minimum: 436)
                : .signatureDataLengthMismatch(declared: declared, actual: length - 436)
            #expect(error == expected, "\(vector.folder) truncated to \(length) bytes")
        }
    }

    static func setting(_ quote: [UInt8], at offset: Int, littleEndian value: UInt64, width: Int) -> [UInt8] {
        var mutated = quote
        for index in 0..<width { mutated[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        return mutated
    }

    static let phala = SGXVector.all[0].quote

    @Test(arguments: [(UInt16(2), AttestationError.unsupportedVersion(2)), (4, .unsupportedVersion(4)), (5, .unsupportedVersion(5))])
    func wrongVersion(version: UInt16, expected: AttestationError) {
        #expect(SGXVectors.error(verifying: Self.setting(Self.phala, at: 0, littleEndian: UInt64(version), width: 2)) == expected)
    }

    @Test func ecdsa384AttestationKeyTypeIsRejected() {
        #expect(SGXVectors.error(verifying: Self.setting(Self.phala, at: 2, littleEndian: 3, width: 2))
                == .unsupportedAttestationKeyType(3))
    }

    @Test func tdxTEETypeIsRejected() {
        #expect(SGXVectors.error(verifying: Self.setting(Self.phala, at: 4, littleEndian: 0x81, width: 4)) == .unsupportedTEEType(0x81))
    }

    @Test func trailingByteAfterTheQuoteIsRejected() {
        #expect(SGXVectors.error(verifying: Self.phala + [0]) == .signatureDataLengthMismatch(declared: 4164, actual: 4165))
    }

    @Test func trailingByteCountedInSignatureDataOnlyIsRejected() {
        let mutated = Self.setting(Self.phala + [0], at: 432, littleEndian: 4165, width: 4)
        #expect(SGXVectors.error(verifying: mutated) == .certificationDataSizeMismatch(declared: 3548, actual: 3549))
    }

    @Test func trailingByteInsideTheCertificationDataIsRejected() {
        var mutated = Self.setting(Self.phala + [0], at: 432, littleEndian: 4165, width: 4)
        mutated = Self.setting(mutated, at: 1048, littleEndian: 3549, width: 4)
        guard case .malformedCertificationData = SGXVectors.error(verifying: mutated) else {
            Issue.record("expected malformedCertificationData"); return
        }
    }

    @Test func signatureDataTooShortForItsFixedFields() {
        let mutated = Self.setting(Array(Self.phala[0..<536]), at: 432, littleEndian: 100, width: 4)
        #expect(SGXVectors.error(verifying: mutated) == .signatureDataTooShort(length: 100, minimum: 584))
    }

    @Test func qeAuthenticationDataLengthPastTheEndIsRejected() {
        let mutated = Self.setting(Self.phala, at: 1012, littleEndian: 0xffff, width: 2)
        #expect(SGXVectors.error(verifying: mutated) == .qeAuthenticationDataOutOfBounds(declared: 0xffff, available: 4600 - 1014 - 6))
    }

    @Test func quoteOver16KiBIsRejected() throws {
        var quote = try Quote(bytes: Self.phala)
        quote.certificationData += [UInt8](repeating: 0x0a, count: 16_385 - 4600)
        #expect(quote.bytes.count == 16_385)
        #expect(SGXVectors.error(verifying: quote.bytes) == .quoteTooLarge(length: 16_385, maximum: 16_384))
        quote.certificationData.removeLast()
        guard case .malformedCertificationData = SGXVectors.error(verifying: quote.bytes) else {
            Issue.record("a 16,384-byte quote passes the structure check and fails on its padded PEM"); return
        }
    }
}

/// PEM blocks of a certification data, for rearranging chains.
enum PEMBlocks {
    static func split(_ certificationData: [UInt8]) -> [String] {
        let text = String(decoding: certificationData.filter { $0 != 0 }, as: UTF8.self)
        return text.components(separatedBy: "-----END CERTIFICATE-----\n").filter { !$0.isEmpty }
            .map { $0 + "-----END CERTIFICATE-----\n" }
    }

    static func join(_ blocks: [String]) -> [UInt8] { Array(blocks.joined().utf8) + [0] }
}

/// Chains that are swapped, foreign, incomplete or used outside their validity.
@Suite struct CertificateChainTests {
    static let phala = SGXVector.all[0].quote

    static func replacingChain(of quote: [UInt8], with certificationData: [UInt8]) -> [UInt8] {
        var parsed = try! Quote(bytes: quote)
        parsed.certificationData = certificationData
        return parsed.bytes
    }

    @Test(arguments: SGXVector.all)
    func leafAndIntermediateSwappedIsRejected(vector: SGXVector) throws {
        let blocks = PEMBlocks.split(try Quote(bytes: vector.quote).certificationData)
        #expect(blocks.count == 3)
        let mutated = Self.replacingChain(of: vector.quote, with: PEMBlocks.join([blocks[1], blocks[0], blocks[2]]))
        let error = SGXVectors.error(verifying: mutated)
        guard case .certificateChainInvalid = error else {
            Issue.record("\(vector.folder): expected certificateChainInvalid, got \(String(describing: error))"); return
        }
    }

    @Test func rootFirstIsUntrusted() throws {
        let blocks = PEMBlocks.split(try Quote(bytes: Self.phala).certificationData)
        let mutated = Self.replacingChain(of: Self.phala, with: PEMBlocks.join([blocks[2], blocks[1], blocks[0]]))
        let leafHash = try Quote(bytes: Self.phala).certificateSummaries()[0].sha256
        #expect(SGXVectors.error(verifying: mutated) == .untrustedRoot(sha256: leafHash))
    }

    @Test func chainFromAnotherQuoteFailsTheQEReportSignature() throws {
        let automataChain = try Quote(bytes: SGXVector.all[1].quote).certificationData
        let mutated = Self.replacingChain(of: Self.phala, with: automataChain)
        #expect(SGXVectors.error(verifying: mutated) == .invalidQEReportSignature)
    }

    @Test(arguments: [1, 2, 4])
    func chainOfOtherLengthIsRejected(count: Int) throws {
        let blocks = PEMBlocks.split(try Quote(bytes: Self.phala).certificationData)
        let chosen = (0..<count).map { blocks[min($0, 2)] }
        let mutated = Self.replacingChain(of: Self.phala, with: PEMBlocks.join(chosen))
        #expect(SGXVectors.error(verifying: mutated) == .unexpectedCertificateCount(found: count, expected: 3))
    }

    @Test func foreignRootOnlyIsUntrusted() throws {
        let foreign = try SimulatedCertificateAuthority(label: "a freshly generated foreign root for tests")
        let verifier = QuoteVerifier(trustedRoots: [foreign.trustedRoot])
        let intelHash = try Hash32(hex: SGXVectors.intelRootSHA256)
        for vector in SGXVector.all {
            #expect(SGXVectors.error(verifying: vector.quote, with: verifier) == .untrustedRoot(sha256: intelHash))
        }
    }

    @Test func trustedRootThatDidNotIssueTheIntermediateIsRejected() throws {
        let simulated = SimulatedCertificateAuthority.standard
        let blocks = PEMBlocks.split(try Quote(bytes: Self.phala).certificationData)
        let mutated = Self.replacingChain(of: Self.phala, with: PEMBlocks.join([blocks[0], blocks[1], simulated.rootPEM]))
        // Only the simulated root trusted: OpenSSL finds no issuer for the Intel intermediate.
        let onlySimulated = QuoteVerifier(trustedRoots: [simulated.trustedRoot])
        guard case .certificateChainInvalid = SGXVectors.error(verifying: mutated, with: onlySimulated) else {
            Issue.record("expected certificateChainInvalid with only the simulated root trusted"); return
        }
        // Both trusted: OpenSSL completes the chain with the Intel root, which is not the embedded one.
        let both = QuoteVerifier(trustedRoots: [simulated.trustedRoot, SGXVectors.intelRoot])
        guard case .certificateChainInvalid(depth: 2, _) = SGXVectors.error(verifying: mutated, with: both) else {
            Issue.record("expected certificateChainInvalid at depth 2 with both roots trusted"); return
        }
    }

    @Test(arguments: SGXVector.all)
    func beforeNotBeforeIsNotYetValid(vector: SGXVector) {
        // 2017-07-14, before the Intel SGX Root CA (2018) and every PCK certificate.
        let error = SGXVectors.error(verifying: vector.quote, at: 1_500_000_000)
        guard case .certificateNotYetValid(_, let notBefore, 1_500_000_000) = error else {
            Issue.record("\(vector.folder): expected certificateNotYetValid, got \(String(describing: error))"); return
        }
        #expect(notBefore > 1_500_000_000)
    }

    @Test(arguments: SGXVector.all)
    func afterNotAfterIsExpired(vector: SGXVector) {
        // 2033-05-18, after the PCK certificates' 2030-09-20 at the latest (README).
        let error = SGXVectors.error(verifying: vector.quote, at: 2_000_000_000)
        guard case .certificateExpired(_, let notAfter, 2_000_000_000) = error else {
            Issue.record("\(vector.folder): expected certificateExpired, got \(String(describing: error))"); return
        }
        #expect(notAfter <= 2_000_000_000)
    }
}

/// High-s ECDSA signatures: real quotes carry them, so both s and n − s are accepted.
@Suite struct HighSPolicyTests {
    static let halfOrder = try! Hash32(hex: "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8")
    static let order = try! Hash32(hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")

    static func negated(_ s: [UInt8]) -> [UInt8] {
        let n = order.bytes
        var out = [UInt8](repeating: 0, count: 32), borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int(n[index]) - Int(s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            out[index] = UInt8(difference)
        }
        return out
    }

    @Test func automataQuoteHasHighSSignaturesAndVerifies() throws {
        let quote = SGXVector.all[1].quote
        #expect(Hash32(quote[(436 + 32)..<(436 + 64)]) > Self.halfOrder)
        #expect(Hash32(quote[(948 + 32)..<(948 + 64)]) > Self.halfOrder)
        #expect(SGXVectors.error(verifying: quote) == nil)
    }

    @Test(arguments: SGXVector.all)
    func bothSignaturesVerifyWithSReplacedByNMinusS(vector: SGXVector) {
        var quote = vector.quote
        for offset in [436 + 32, 948 + 32] {
            quote.replaceSubrange(offset..<(offset + 32), with: Self.negated(Array(quote[offset..<(offset + 32)])))
        }
        #expect(SGXVectors.error(verifying: quote) == nil)
    }
}
