import Attestation
import Foundation
import Primitives
import Testing

/// The Intel SGX extension (OID 1.2.840.113741.1.13.1) of the PCK leaf certificates of the three
/// real SGX quotes in ../shared/vectors/sgx, and malformed variants of it.
///
/// Expected values: read at test-writing time with an independent reader, OpenSSL 3 —
/// the leaf PEM cut from each quote's certification data, then
/// `openssl asn1parse -in leaf.pem -strparse <offset of the 1.2.840.113741.1.13.1 OCTET STRING>`
/// (offsets 627, 625, 626), which prints every OID and value of the extension. The FMSPC and
/// PCE-ID are cross-checked at run time against the `fmspc`/`pceId` of the TCB Info JSON that ships
/// with two of the vectors (read with Foundation's JSONSerialization, not the verifier's parser).
@Suite struct PCKExtensionsTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        let folder: String
        let ppid: String
        let components: [UInt8]
        let pceSVN: UInt16
        let cpuSVN: String
        let pceID: String
        let fmspc: String
        let sgxType: Int
        /// The TCB Info JSON shipped with the vector (its `tcbInfo.fmspc` and `pceId`), if any.
        let tcbInfoFile: String?
        var testDescription: String { folder }
    }

    static let vectors: [Expected] = [
        // openssl asn1parse … -strparse 627: a Processor CA certificate, no PlatformInstanceID.
        Expected(folder: "phala_sgx_v3", ppid: "d04ec06d4e6d92dc90d0ad3cf5ee2ddf",
                 components: [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], pceSVN: 13,
                 cpuSVN: "0b0b0202ff0100000000000000000000", pceID: "0000", fmspc: "00a067110000", sgxType: 0,
                 tcbInfoFile: "phala_sgx_v3/collateral.json"),
        // -strparse 625: a Platform CA certificate, with PlatformInstanceID (.6) and Configuration (.7).
        Expected(folder: "automata_sgx_v3", ppid: "186950b6d8d014d89f0c144d1d90ebad",
                 components: [14, 14, 3, 3, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], pceSVN: 13,
                 cpuSVN: "0e0e0303ffff01000000000000000000", pceID: "0000", fmspc: "00606a000000", sgxType: 1,
                 tcbInfoFile: nil),
        // -strparse 626.
        Expected(folder: "automata_solana_sgx_v3", ppid: "f94f246ca440226f82bcf30c83c13581",
                 components: [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], pceSVN: 13,
                 cpuSVN: "0b0b0202ff0100000000000000000000", pceID: "0000", fmspc: "00a067110000", sgxType: 0,
                 tcbInfoFile: "automata_solana_sgx_v3/tcb_info_v3_sgx.json"),
    ]

    /// The PCK leaf certificate's DER, through the Quote API.
    static func leafDER(_ folder: String) throws -> [UInt8] {
        try Quote(bytes: SGXVectors.read("\(folder)/quote.bin")).pckCertificateDER()
    }

    @Test(arguments: vectors)
    func readsTheSGXExtension(_ expected: Expected) throws {
        let extensions = try PCKExtensions(certificateDER: Self.leafDER(expected.folder))
        #expect(extensions.ppid == SGXVectors.bytes(expected.ppid))
        #expect(extensions.sgxComponents == expected.components)
        #expect(extensions.pceSVN == expected.pceSVN)
        #expect(extensions.cpuSVN == SGXVectors.bytes(expected.cpuSVN))
        #expect(extensions.pceID == SGXVectors.bytes(expected.pceID))
        #expect(extensions.fmspc == SGXVectors.bytes(expected.fmspc))
        #expect(extensions.sgxType == expected.sgxType)
        // The quote form reads the same certificate.
        let fromQuote = try PCKExtensions(pckCertificateOf: Quote(bytes: SGXVectors.read("\(expected.folder)/quote.bin")))
        #expect(fromQuote == extensions)
    }

    /// The FMSPC and PCE-ID agree with the TCB Info Intel issued for the platform.
    @Test(arguments: vectors.filter { $0.tcbInfoFile != nil })
    func fmspcMatchesTheShippedTCBInfo(_ expected: Expected) throws {
        let tcbInfo = try Self.tcbInfoObject(expected.tcbInfoFile!)
        let extensions = try PCKExtensions(certificateDER: Self.leafDER(expected.folder))
        #expect(Hex.encode(extensions.fmspc, prefix: false) == (tcbInfo["fmspc"] as? String)?.lowercased())
        #expect(Hex.encode(extensions.pceID, prefix: false) == (tcbInfo["pceId"] as? String)?.lowercased())
    }

    /// The `tcbInfo` object of an Intel TCB Info file or of dcap-qvl's collateral.json (whose
    /// `tcb_info` member is the object as a string).
    static func tcbInfoObject(_ file: String) throws -> [String: Any] {
        let data = Data(SGXVectors.read(file))
        let top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        if let object = top["tcbInfo"] as? [String: Any] { return object }
        let text = try #require(top["tcb_info"] as? String)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: - Malformed extensions

    /// The DER bytes of `1.2.840.113741.1.13.1` (10 bytes after the tag and length 06 0A… for
    /// entries; 06 09 for the extension's own OID).
    static let sgxArc: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF8, 0x4D, 0x01, 0x0D, 0x01]

    /// The offset of the first occurrence of `pattern` in `bytes`.
    static func offset(of pattern: [UInt8], in bytes: [UInt8]) throws -> Int {
        let index = (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
        return try #require(index, "pattern \(Hex.encode(pattern)) not in the certificate")
    }

    /// One byte change at the end of a located pattern and the error it must cause.
    struct Mutation: Sendable, CustomTestStringConvertible {
        let name: String
        /// The bytes to find (in the phala leaf); the byte at `pattern.count - 1 + delta` is replaced.
        let pattern: [UInt8]
        let delta: Int
        let replacement: UInt8
        let expected: TCBEvaluationError
        var testDescription: String { name }
    }

    /// The DER of the OID `1.2.840.113741.1.13.1.arc` (tag, length, value).
    static func oid(_ arc: UInt8) -> [UInt8] { [0x06, 0x0A] + sgxArc + [arc] }
    /// The DER of the OID `1.2.840.113741.1.13.1.2.arc`.
    static func tcbOID(_ arc: UInt8) -> [UInt8] { [0x06, 0x0B] + sgxArc + [0x02, arc] }
    static let sgxExtensionOID = "1.2.840.113741.1.13.1"

    static let mutations: [Mutation] = [
        // The extension's own OID …13.1 → …13.2: no SGX extension left.
        Mutation(name: "extension OID", pattern: [0x06, 0x09] + sgxArc, delta: 0, replacement: 0x02,
                 expected: .pckExtension(field: "SGX extension (\(sgxExtensionOID))", found: "0 such extensions", expected: "exactly one")),
        // FMSPC entry OID …13.1.4 → …13.1.9.
        Mutation(name: "FMSPC OID unknown", pattern: oid(4), delta: 0, replacement: 9,
                 expected: .pckExtension(field: "SGX extension entry", found: "unknown OID \(sgxExtensionOID).9",
                                         expected: "\(sgxExtensionOID).1 … .7")),
        // FMSPC entry OID …13.1.4 → …13.1.3: PCE-ID twice.
        Mutation(name: "PCE-ID twice", pattern: oid(4), delta: 0, replacement: 3,
                 expected: .pckExtension(field: "PCE-ID", found: "a second entry", expected: "one entry")),
        // FMSPC value tag OCTET STRING (04) → UTF8String (0C).
        Mutation(name: "FMSPC not an OCTET STRING", pattern: oid(4) + [0x04], delta: 0, replacement: 0x0C,
                 expected: .pckExtension(field: "FMSPC", found: "universal tag 12",
                                         expected: "an OCTET STRING")),
        // SGX Type ENUMERATED 0 → 5.
        Mutation(name: "SGX Type out of range", pattern: oid(5) + [0x0A, 0x01], delta: 1, replacement: 5,
                 expected: .pckExtension(field: "SGX Type", found: "5", expected: "an ENUMERATED in 0…2")),
        // TCB component 3 OID → component 2: component 2 twice.
        Mutation(name: "TCB component twice", pattern: tcbOID(3), delta: 0, replacement: 2,
                 expected: .pckExtension(field: "TCB component 2 SVN", found: "a second entry", expected: "one entry")),
        // TCB component 3 OID → …2.19: unknown TCB entry.
        Mutation(name: "TCB entry unknown", pattern: tcbOID(3), delta: 0, replacement: 19,
                 expected: .pckExtension(field: "TCB entry", found: "unknown OID \(sgxExtensionOID).2.19",
                                         expected: "\(sgxExtensionOID).2.1 … .18")),
        // PCESVN INTEGER 13 → tag OCTET STRING.
        Mutation(name: "PCESVN not an INTEGER", pattern: tcbOID(17) + [0x02], delta: 0, replacement: 0x04,
                 expected: .pckExtension(field: "PCESVN", found: "universal tag 4",
                                         expected: "an INTEGER")),
        // Component 5's 02 02 00 FF → 02 02 80 FF = −32513 (two's complement, still minimal DER).
        Mutation(name: "TCB component negative", pattern: tcbOID(5) + [0x02, 0x02, 0x00], delta: 0, replacement: 0x80,
                 expected: .pckExtension(field: "TCB component 5 SVN", found: "-32513", expected: "an INTEGER in 0…255")),
        // Component 5's 02 02 00 FF → 02 02 01 FF = 511.
        Mutation(name: "TCB component above 255", pattern: tcbOID(5) + [0x02, 0x02, 0x00], delta: 0, replacement: 0x01,
                 expected: .pckExtension(field: "TCB component 5 SVN", found: "511", expected: "an INTEGER in 0…255")),
    ]

    @Test(arguments: mutations)
    func malformedFieldIsRefusedByName(_ mutation: Mutation) throws {
        var der = try Self.leafDER("phala_sgx_v3")
        let at = try Self.offset(of: mutation.pattern, in: der) + mutation.pattern.count - 1 + mutation.delta
        der[at] = mutation.replacement
        #expect(throws: AttestationError.tcbEvaluation(mutation.expected)) { try PCKExtensions(certificateDER: der) }
    }

    /// A missing entry: the FMSPC entry's OID turned into an entry the Platform CA profile allows
    /// (PlatformInstanceID, .6) leaves no FMSPC.
    @Test func missingFMSPCIsNamed() throws {
        var der = try Self.leafDER("phala_sgx_v3")
        der[try Self.offset(of: Self.oid(4), in: der) + 11] = 6
        #expect(throws: AttestationError.tcbEvaluation(.pckExtension(field: "FMSPC", found: "nothing",
                                                                      expected: "an entry with OID \(Self.sgxExtensionOID).4"))) {
            try PCKExtensions(certificateDER: der)
        }
    }

    /// A truncated certificate is not DER.
    @Test func truncatedCertificateIsRefused() throws {
        let der = try Self.leafDER("phala_sgx_v3")
        do {
            _ = try PCKExtensions(certificateDER: Array(der.dropLast()))
            Issue.record("a truncated certificate was accepted")
        } catch {
            guard case .tcbEvaluation(.pckExtension(let field, _, let expected)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(field == "PCK certificate")
            #expect(expected == "DER")
        }
    }
}
