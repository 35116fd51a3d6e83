import Testing
import P2P
import Primitives
import Signatures

/// Node records. Vectors: EIP-778 / devp2p enr.md "Test Vectors" (the example record, its RLP
/// structure, signing key and node id), and go-ethereum v1.13.15 p2p/enode/urlv4_test.go's "enr:"
/// cases (a record for key 45a915e4… with ip 127.0.0.1, udp 30303, seq 99; "enr:", "enr:x", and a
/// record with an invalid signature).
@Suite struct ENRTests {
    static let example = "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8"
    static let exampleKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

    @Test func exampleRecordDecodesToTheStatedStructure() throws {
        let record = try ENR(text: Self.example)
        #expect(record.signature == (try [UInt8](hex: "7098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b76f2635f4e234738f30813a89eb9137e3e3df5266e3a1f11df72ecf1145ccb9c")))
        #expect(record.sequence == 1)
        #expect(record.pairs.map(\.key) == ["id", "ip", "secp256k1", "udp"])
        #expect(record.identityScheme == "v4")
        #expect(record.ipv4 == [0x7f, 0, 0, 1])
        #expect(record.bytes(forKey: "secp256k1") == (try [UInt8](hex: "03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138")))
        #expect(record.udpPort == 30303)
        #expect(record.tcpPort == nil)
    }

    @Test func exampleRecordVerifiesAndHasTheStatedNodeId() throws {
        let record = try ENR(text: Self.example)
        try record.verifyV4()
        #expect(try record.nodeId() == (try Hash32(hex: "a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7")))
    }

    @Test func exampleRecordReencodes() throws {
        #expect(try ENR(text: Self.example).description == Self.example)
    }

    @Test func signingTheExampleContentGivesTheExampleRecord() throws {
        // RFC 6979 nonces make the signature deterministic, so signing the same content with the
        // same key must reproduce the published record byte for byte.
        let key = try PrivateKey(bytes: try [UInt8](hex: Self.exampleKey))
        let record = ENR.signV4(sequence: 1, pairs: [
            ENR.Pair(key: "ip", encodedValue: RLP.encode(bytes: [0x7f, 0, 0, 1])),
            ENR.Pair(key: "udp", encodedValue: RLP.encode(uint: 30303)),
        ], key: key)
        #expect(record.description == Self.example)
    }

    @Test func alteredRecordFailsVerification() throws {
        // EIP-778's example with sequence 2 instead of 1: same signature, other content.
        var record = try ENR(text: Self.example)
        record.sequence = 2
        #expect(throws: ENRError.invalidSignature) { try record.verifyV4() }
    }

    @Test func gethRecordWithSequence99Verifies() throws {
        let record = try ENR(text: "enr:-IS4QGrdq0ugARp5T2BZ41TrZOqLc_oKvZoPuZP5--anqWE_J-Tucc1xgkOL7qXl0puJgT7qc2KSvcupc4NCb0nr4tdjgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQM6UUF2Rm-oFe1IH_rQkRCi00T2ybeMHRSvw1HDpRvjPYN1ZHCCdl8")
        try record.verifyV4()
        #expect(record.sequence == 99)
        #expect(record.ipv4 == [127, 0, 0, 1])
        #expect(record.udpPort == 30303)
        let key = try PrivateKey(bytes: try [UInt8](hex: "45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"))
        #expect(try record.publicKey() == key.publicKey)
    }

    @Test func gethRecordWithInvalidSignatureFails() throws {
        let record = try ENR(text: "enr:-EmGZm9vYmFyY4JpZIJ2NIJpcIR_AAABiXNlY3AyNTZrMaEDOlFBdkZvqBXtSB_60JEQotNE9sm3jB0Ur8NRw6Ub4z2DdWRwgnZf")
        #expect(throws: ENRError.invalidSignature) { try record.verifyV4() }
    }

    @Test func emptyRecordTextIsMalformed() {
        // go-ethereum: "EOF".
        #expect(throws: ENRError.malformed(.unexpectedEnd(offset: 0))) { try ENR(text: "enr:") }
    }

    @Test func invalidBase64IsRefused() {
        // go-ethereum: "illegal base64 data at input byte 0".
        #expect(throws: ENRError.invalidBase64("x")) { try ENR(text: "enr:x") }
    }

    @Test func missingPrefixIsRefused() {
        #expect(throws: ENRError.missingPrefix) { try ENR(text: "-IS4QHCY") }
    }

    @Test func recordOver300BytesIsRefused() {
        #expect(throws: ENRError.tooLarge(301)) { try ENR(encoded: [UInt8](repeating: 0, count: 301)) }
    }

    // Fuzz finding (p2p target, Fuzz/Findings/p2p of 2026-12-05): keys that are not UTF-8. Keys are
    // byte strings (EIP-778); reading them as lossy text changed the content the v4 signature covers.
    // Hand-derived: f846 = list of 70; b840 + 64 zero bytes = signature; 01 = seq 1; 81ff = key 0xff; 01 = value 1.
    @Test func keyThatIsNotUTF8IsKeptAsSent() throws {
        let bytes = try [UInt8](hex: "f846b840" + String(repeating: "00", count: 64) + "0181ff01")
        let record = try ENR(encoded: bytes)
        #expect(record.pairs == [ENR.Pair(keyBytes: [0xff], encodedValue: [0x01])])
        #expect(record.encoded == bytes)
    }

    @Test func signedRecordWithNonUTF8KeysVerifiesAfterDecoding() throws {
        let key = try PrivateKey(bytes: try [UInt8](hex: Self.exampleKey))
        let signed = ENR.signV4(sequence: 7, pairs: [ENR.Pair(keyBytes: [0xfe], encodedValue: [0x01]),
                                                     ENR.Pair(keyBytes: [0xff], encodedValue: [0x02])], key: key)
        let decoded = try ENR(encoded: signed.encoded)
        #expect(decoded.pairs.map(\.keyBytes) == [Array("id".utf8), Array("secp256k1".utf8), [0xfe], [0xff]])
        #expect(decoded == signed)
        #expect(throws: Never.self) { try decoded.verifyV4() }
    }

    @Test func repeatedNonUTF8KeyIsRefusedNamingItInHex() throws {
        let bytes = try [UInt8](hex: "f849b840" + String(repeating: "00", count: 64) + "0181ff0181ff02")
        #expect(throws: ENRError.unsortedKeys(previous: "0xff", key: "0xff")) { try ENR(encoded: bytes) }
    }
}
