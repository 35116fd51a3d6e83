import Testing
import P2P
import Primitives
import Signatures

/// enode URLs. Vectors: go-ethereum v1.13.15 p2p/enode/urlv4_test.go `parseNodeTests` (the enode://
/// cases, the prefix cases and the enr: cases), with its stub resolver (only
/// "node.example.org" resolves, to 33.44.55.66). go-ethereum's error texts are matched where ours
/// keep them ("invalid port", "invalid discport in query", "invalid public key (wrong length, want 128
/// hex chars)", "no such host"); its errMissingPrefix names 'enr:', ours names 'enode://'.
@Suite struct EnodeTests {
    static let id = "1dd9d65c4552b5eb43d5ad55a2ee3f56c6cbc1c64a5c8d659f51fcd51bace24351232b8d7821617d2b29b54b81cdefb9b3e9c37d7fd5f63270bcc9e1a6f6a439"

    static func stubLookup(_ name: String) -> [[UInt8]]? {
        name == "node.example.org" ? [[33, 44, 55, 66]] : nil
    }

    static func parseError(_ text: String) -> EnodeError? {
        do {
            _ = try Enode(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func ipv4WithPort() throws {
        let text = "enode://\(Self.id)@127.0.0.1:52150"
        let node = try Enode(parsing: text)
        #expect(node.nodeId == (try [UInt8](hex: Self.id)))
        #expect(node.host == .ipv4([127, 0, 0, 1]))
        #expect(node.tcpPort == 52150 && node.udpPort == 52150)
        #expect(node.description == text)
    }

    @Test func ipv6Unspecified() throws {
        let text = "enode://\(Self.id)@[::]:52150"
        let node = try Enode(parsing: text)
        #expect(node.host == .ipv6([UInt8](repeating: 0, count: 16)))
        #expect(node.tcpPort == 52150 && node.udpPort == 52150)
        #expect(node.description == text)
    }

    @Test func ipv6Full() throws {
        let text = "enode://\(Self.id)@[2001:db8:3c4d:15::abcd:ef12]:52150"
        let node = try Enode(parsing: text)
        #expect(node.host == .ipv6([0x20, 0x01, 0x0d, 0xb8, 0x3c, 0x4d, 0x00, 0x15, 0, 0, 0, 0, 0xab, 0xcd, 0xef, 0x12]))
        #expect(node.description == text)
    }

    @Test func discportDiffersFromTCPPort() throws {
        let text = "enode://\(Self.id)@127.0.0.1:52150?discport=22334"
        let node = try Enode(parsing: text)
        #expect(node.host == .ipv4([0x7f, 0, 0, 1]))
        #expect(node.tcpPort == 52150 && node.udpPort == 22334)
        #expect(node.description == text)
    }

    @Test func incompleteURLHasNoAddress() throws {
        let text = "enode://\(Self.id)"
        let node = try Enode(parsing: text)
        #expect(node.host == nil && node.tcpPort == 0 && node.udpPort == 0)
        #expect(node.description == text)
    }

    @Test func dnsNameResolvesThroughTheLookup() throws {
        let node = try Enode(parsing: "enode://\(Self.id)@node.example.org:30303")
        #expect(node.host == .name("node.example.org"))
        let resolved = try node.resolved(using: Self.stubLookup)
        #expect(resolved.host == .ipv4([33, 44, 55, 66]))
        #expect(resolved.description == "enode://\(Self.id)@33.44.55.66:30303")
    }

    @Test func unknownHostFailsToResolve() throws {
        let node = try Enode(parsing: "enode://\(Self.id)@invalid.:3")
        do {
            _ = try node.resolved(using: Self.stubLookup)
            Issue.record("expected an error")
        } catch {
            #expect(error == .unresolvableHost("invalid."))
            #expect(error.description.contains("no such host"))
        }
    }

    @Test func nonNumericPort() {
        let error = Self.parseError("enode://\(Self.id)@127.0.0.1:foo")
        #expect(error == .invalidPort("foo"))
        #expect(error?.description.contains("invalid port") == true)
    }

    @Test func nonNumericDiscport() {
        let error = Self.parseError("enode://\(Self.id)@127.0.0.1:3?discport=foo")
        #expect(error == .invalidDiscoveryPort("foo"))
        #expect(error?.description.contains("invalid discport in query") == true)
    }

    @Test(arguments: ["", "1dd9d65c4552b5eb43d5ad55a2ee3f56c6cbc1c64a5c8d659f51fcd51bace24351232b8d7821617d2b29b54b81cdefb9b3e9c37d7fd5f63270bcc9e1a6f6a439",
                      "01010101", "http://foobar", "://foo"])
    func missingPrefix(text: String) {
        #expect(Self.parseError(text) == .missingPrefix(text))
    }

    @Test(arguments: ["enode://01010101@123.124.125.126:3", "enode://01010101"])
    func shortPublicKey(text: String) {
        let error = Self.parseError(text)
        #expect(error == .wrongPublicKeyLength(hexDigits: 8))
        #expect(error?.description.contains("invalid public key (wrong length, want 128 hex chars)") == true)
    }

    @Test func publicKeyOffTheCurve() {
        // x = 1, y = 1 is not on y² = x³ + 7.
        let id = String(repeating: "0", count: 63) + "1" + String(repeating: "0", count: 63) + "1"
        guard case .invalidPublicKey = Self.parseError("enode://\(id)@127.0.0.1:1") else {
            Issue.record("expected invalidPublicKey")
            return
        }
    }

    @Test func portAboveRange() {
        #expect(Self.parseError("enode://\(Self.id)@127.0.0.1:65536") == .invalidPort("65536"))
    }

    // go-ethereum's "enr:" cases of parseNodeTests.

    @Test func recordParsesToItsKeyAndEndpoints() throws {
        let node = try Enode(parsing: "enr:-IS4QGrdq0ugARp5T2BZ41TrZOqLc_oKvZoPuZP5--anqWE_J-Tucc1xgkOL7qXl0puJgT7qc2KSvcupc4NCb0nr4tdjgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQM6UUF2Rm-oFe1IH_rQkRCi00T2ybeMHRSvw1HDpRvjPYN1ZHCCdl8")
        let key = try PrivateKey(bytes: try [UInt8](hex: "45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"))
        #expect(node.publicKey == key.publicKey)
        #expect(node.host == .ipv4([127, 0, 0, 1]))
        #expect(node.udpPort == 30303 && node.tcpPort == 0)
    }

    @Test func emptyRecordIsRefused() {
        // go-ethereum: "EOF".
        #expect(Self.parseError("enr:") == .invalidRecord(.malformed(.unexpectedEnd(offset: 0))))
    }

    @Test func recordWithBadBase64IsRefused() {
        // go-ethereum: "illegal base64 data at input byte 0".
        #expect(Self.parseError("enr:x") == .invalidRecord(.invalidBase64("x")))
    }

    @Test func recordWithInvalidSignatureIsRefused() {
        // go-ethereum: enr.ErrInvalidSig.
        let error = Self.parseError("enr:-EmGZm9vYmFyY4JpZIJ2NIJpcIR_AAABiXNlY3AyNTZrMaEDOlFBdkZvqBXtSB_60JEQotNE9sm3jB0Ur8NRw6Ub4z2DdWRwgnZf")
        #expect(error == .invalidRecord(.invalidSignature))
        #expect(error?.description.contains("invalid signature") == true)
    }
}
