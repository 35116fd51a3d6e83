import Attestation
import Primitives
import Signatures
import Testing

/// The SIMULATED enclave: a reproducible test CA, quotes in the DCAP v3 layout that the real
/// verifier accepts when the simulated root is trusted, and REPORTDATA binding the enclave address.
@Suite struct SimulatedEnclaveTests {
    static let authority = SimulatedCertificateAuthority.standard
    static let verifier = QuoteVerifier(trustedRoots: [authority.trustedRoot])
    /// A fixed enclave key so the quotes are reproducible.
    static let enclave = SimulatedEnclave(signingKey: try! PrivateKey(bytes: [UInt8](repeating: 0x11, count: 32)))

    @Test func simulatedRootHashIsTheDocumentedConstant() {
        #expect(SHA256.hash(Self.authority.rootDER) == SimulatedCertificateAuthority.rootSHA256)
        #expect(Self.authority.trustedRoot.sha256 == SimulatedCertificateAuthority.rootSHA256)
    }

    @Test func rebuildingTheAuthorityGivesTheSameRoot() throws {
        let rebuilt = try SimulatedCertificateAuthority(label: SimulatedCertificateAuthority.standardLabel)
        #expect(rebuilt.rootDER == Self.authority.rootDER)
        #expect(rebuilt.certificationData == Self.authority.certificationData)
    }

    @Test func simulatedRootIsLabelledAndValidFrom2025To2049() throws {
        let root = Self.authority.trustedRoot
        #expect(root.subject == "/CN=GoldenGrain SIMULATED INSECURE SGX Root CA/O=GoldenGrain SIMULATED INSECURE")
        #expect(Self.authority.rootPEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(try TrustedRoot(pem: Self.authority.rootPEM).sha256 == SimulatedCertificateAuthority.rootSHA256)
    }

    @Test func registrationQuoteVerifiesAndBindsTheEnclaveAddress() throws {
        let quote = Self.enclave.registrationQuote()
        let verified = try Self.verifier.verify(quote, at: 1_767_225_600)
        #expect(verified.mrEnclave == Keccak256.hash(Array("GoldenGrain INSECURE simulated enclave MRENCLAVE v1".utf8)))
        #expect(verified.mrSigner == Keccak256.hash(Array("GoldenGrain INSECURE simulated enclave MRSIGNER v1".utf8)))
        #expect(verified.isvProdID == 1)
        #expect(verified.isvSVN == 1)
        #expect(verified.reportData == Self.enclave.address.bytes + [UInt8](repeating: 0, count: 44))
        #expect(verified.reportDataAddress == Self.enclave.address)
        #expect(verified.rootKeyHash == SimulatedCertificateAuthority.rootSHA256)
    }

    /// The values docs/formats.md lists for the simulated enclave's identity.
    @Test func simulatedIdentityIsTheDocumentedConstants() {
        #expect(Hex.encode(SimulatedEnclave.mrEnclave.bytes, prefix: false)
                == "430836ed34a6354883a229c77ad29354d6e7154c120bb8b5b13caac5042f6835")
        #expect(Hex.encode(SimulatedEnclave.mrSigner.bytes, prefix: false)
                == "3eef7827135a535a37a653f1aadc654aa764edc125379037d7cd4cd8e8c29165")
        #expect(Hex.encode(SimulatedCertificateAuthority.rootSHA256.bytes, prefix: false)
                == "0683343b7c52a645d8bc41f3e08d898768f20ce6c102cee9d1f18bee68c44e4c")
    }

    @Test func simulatedQuoteHasTheDCAPv3Layout() throws {
        let quote = Self.enclave.registrationQuote()
        let parsed = try Quote(bytes: quote)
        #expect(parsed.header.version == 3)
        #expect(parsed.header.attestationKeyType == 2)
        #expect(parsed.header.teeType == 0)
        #expect(parsed.certificationDataType == 5)
        #expect(parsed.qeAuthenticationData.count == 32)
        #expect(parsed.bytes == quote)
        #expect(try parsed.certificateSummaries().map(\.subject) == [
            "/CN=GoldenGrain SIMULATED INSECURE SGX PCK Certificate/O=GoldenGrain SIMULATED INSECURE",
            "/CN=GoldenGrain SIMULATED INSECURE SGX PCK Platform CA/O=GoldenGrain SIMULATED INSECURE",
            "/CN=GoldenGrain SIMULATED INSECURE SGX Root CA/O=GoldenGrain SIMULATED INSECURE",
        ])
    }

    @Test func quotesAreDeterministic() throws {
        let reportData = [UInt8](repeating: 0xab, count: 64)
        #expect(try Self.enclave.quote(reportData: reportData) == (try Self.enclave.quote(reportData: reportData)))
    }

    @Test func arbitraryReportDataIsCarriedThrough() throws {
        let reportData = (0..<64).map { UInt8($0 * 3 & 0xff) }
        let verified = try Self.verifier.verify(try Self.enclave.quote(reportData: reportData), at: 1_767_225_600)
        #expect(verified.reportData == reportData)
    }

    @Test func reportDataOfWrongLengthIsRefused() {
        #expect(throws: AttestationError.invalidReportDataLength(63)) {
            try Self.enclave.quote(reportData: [UInt8](repeating: 0, count: 63))
        }
    }

    @Test func simulatedQuoteIsUntrustedByTheIntelRoot() {
        let error = SGXVectors.error(verifying: Self.enclave.registrationQuote())
        #expect(error == .untrustedRoot(sha256: SimulatedCertificateAuthority.rootSHA256))
    }

    /// OpenSSL treats a certificate as valid for notBefore ≤ t < notAfter (X509_cmp_time).
    @Test func simulatedChainIsValidOnlyFrom2025Through2049() {
        let quote = Self.enclave.registrationQuote()
        #expect(SGXVectors.error(verifying: quote, with: Self.verifier, at: 1_735_689_600) == nil)
        #expect(SGXVectors.error(verifying: quote, with: Self.verifier, at: 2_524_607_998) == nil)
        let early = SGXVectors.error(verifying: quote, with: Self.verifier, at: 1_735_689_599)
        let late = SGXVectors.error(verifying: quote, with: Self.verifier, at: 2_524_607_999)
        #expect(early?.check == .pckCertificateChain)
        #expect(late?.check == .pckCertificateChain)
        guard case .certificateNotYetValid(_, let notBefore, 1_735_689_599) = early else {
            Issue.record("expected certificateNotYetValid, got \(String(describing: early))"); return
        }
        #expect(notBefore == 1_735_689_600)
        guard case .certificateExpired(_, let notAfter, 2_524_607_999) = late else {
            Issue.record("expected certificateExpired, got \(String(describing: late))"); return
        }
        #expect(notAfter == 2_524_607_999)
    }
}

/// RFC 6979 deterministic signing, which makes the simulated root reproducible.
@Suite struct P256SigningKeyTests {
    /// RFC 6979 Appendix A.2.5: P-256, SHA-256, message "sample".
    @Test func rfc6979AppendixA25Sample() throws {
        let key = try P256SigningKey(privateKey: Hash32(hex: "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"))
        #expect(key.publicKey.x == (try Hash32(hex: "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")))
        #expect(key.publicKey.y == (try Hash32(hex: "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")))
        let signature = key.signature(for: Array("sample".utf8))
        #expect(Hex.encode(signature, prefix: false) ==
                "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8")
    }

    /// RFC 6979 Appendix A.2.5: P-256, SHA-256, message "test".
    @Test func rfc6979AppendixA25Test() throws {
        let key = try P256SigningKey(privateKey: Hash32(hex: "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"))
        let signature = key.signature(for: Array("test".utf8))
        #expect(Hex.encode(signature, prefix: false) ==
                "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
                + "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083")
        #expect(P256.verify(signature: signature, message: Array("test".utf8), publicKey: key.publicKey.rawRepresentation))
    }
}
