import Testing
import P2P
import Primitives

/// Hello and capability matching. Vectors: EIP-8 "Test Vectors / devp2p Base Protocol" (a Hello with
/// extra list elements; its text says "version 22", but the bytes announce 0x37 = 55, which is what
/// decoders report); the hand-built Hello is derived byte by byte in its comment.
@Suite struct HelloTests {
    static let eip8Hello = "f87137916b6e6574682f76302e39312f706c616e39cdc5836574683dc6846d6f726b1682270fb840"
        + "fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569"
        + "bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877c883666f6f836261720304"

    @Test func eip8HelloWithExtraElementsDecodes() throws {
        let bytes = try [UInt8](hex: Self.eip8Hello)
        let hello = try Hello(encoded: bytes)
        #expect(hello.protocolVersion == 0x37)
        #expect(hello.clientId == "kneth/v0.91/plan9")
        #expect(hello.capabilities == [Capability(name: "eth", version: 61), Capability(name: "mork", version: 22)])
        #expect(hello.listenPort == 9999)
        #expect(hello.nodeId == (try [UInt8](hex: "fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877")))
        // The extra elements: ["foo", "bar"], 3, 4 — kept as their encodings.
        #expect(hello.extraFields == [try [UInt8](hex: "c883666f6f83626172"), [0x03], [0x04]])
    }

    @Test func eip8HelloReencodesIdentically() throws {
        let bytes = try [UInt8](hex: Self.eip8Hello)
        #expect(try Hello(encoded: bytes).encoded == bytes)
    }

    /// Hand-derived: [5, "a", [["eth", 68]], 30303, 64 × 0x01]
    /// 05 · 61 ("a" is its own byte) · c6 [c5 [83 657468, 44]] · 82 765f · b840 ‖ 64 bytes
    /// payload = 1 + 1 + 7 + 3 + 66 = 78 = 0x4e → header f8 4e.
    @Test func ourHelloEncodesAsDerivedByHand() throws {
        let hello = Hello(clientId: "a", capabilities: [Capability(name: "eth", version: 68)], listenPort: 30303,
                          nodeId: [UInt8](repeating: 1, count: 64))
        let expected = try [UInt8](hex: "f84e0561c6c5836574684482765fb840" + String(repeating: "01", count: 64))
        #expect(hello.encoded == expected)
        #expect(try Hello(encoded: expected) == hello)
        #expect(hello.protocolVersion == 5)
    }

    @Test func helloWithShortNodeIdIsRefused() throws {
        let hello = Hello(clientId: "a", capabilities: [], listenPort: 0, nodeId: [UInt8](repeating: 1, count: 63))
        #expect(throws: BaseProtocolError.invalidNodeIdLength(63)) { try Hello(encoded: hello.encoded) }
    }

    @Test func helloWithFourFieldsIsRefused() throws {
        // [5, "a", [], 0]
        let bytes: [UInt8] = [0xc4, 0x05, 0x61, 0xc0, 0x80]
        #expect(throws: BaseProtocolError.missingFields(message: "Hello", expected: "at least 5 (protocolVersion, clientId, capabilities, listenPort, nodeId)", actual: 4)) {
            try Hello(encoded: bytes)
        }
    }

    @Test func capabilityWithThreeFieldsIsRefused() throws {
        // [5, "a", [["eth", 68, 1]], 0, id]
        let bytes = try [UInt8](hex: "f84d0561c7c6836574684401" + "80b840" + String(repeating: "01", count: 64))
        #expect(throws: BaseProtocolError.wrongCapabilityFieldCount(index: 0, actual: 3)) { try Hello(encoded: bytes) }
    }

    @Test func nonCanonicalVersionNamesTheField() throws {
        // version 0x8105 wraps a single byte below 0x80.
        let bytes = try [UInt8](hex: "f847810561c0" + "80b840" + String(repeating: "01", count: 64))
        do {
            _ = try Hello(encoded: bytes)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("Hello field protocolVersion"))
        }
    }
}

/// Capability matching (devp2p rlpx.md; go-ethereum v1.13.15 p2p/peer.go `matchProtocols` and
/// peer_test.go `TestMatchProtocols`' cases, which are stated as rules, transcribed here).
@Suite struct CapabilityMatchingTests {
    static func cap(_ name: String, _ version: UInt64) -> Capability { Capability(name: name, version: version) }
    static func local(_ name: String, _ version: UInt64, _ count: UInt64) -> LocalProtocol {
        LocalProtocol(capability: cap(name, version), messageCount: count)
    }

    @Test func noRemoteCapabilitiesShareNothing() {
        #expect(SharedCapability.match(local: [Self.local("a", 1, 1)], remote: []).isEmpty)
    }

    @Test func noLocalMatchSharesNothing() {
        #expect(SharedCapability.match(local: [Self.local("b", 1, 1)], remote: [Self.cap("a", 1)]).isEmpty)
    }

    @Test func versionMismatchSharesNothing() {
        #expect(SharedCapability.match(local: [Self.local("a", 2, 1)], remote: [Self.cap("a", 1)]).isEmpty)
    }

    @Test func offsetsFollowNameOrderFrom0x10() {
        let shared = SharedCapability.match(local: [Self.local("c", 1, 3), Self.local("a", 1, 1), Self.local("b", 1, 2)],
                                            remote: [Self.cap("c", 1), Self.cap("b", 1), Self.cap("a", 1)])
        #expect(shared == [
            SharedCapability(capability: Self.cap("a", 1), offset: 0x10, messageCount: 1),
            SharedCapability(capability: Self.cap("b", 1), offset: 0x11, messageCount: 2),
            SharedCapability(capability: Self.cap("c", 1), offset: 0x13, messageCount: 3),
        ])
    }

    @Test func highestCommonVersionWinsAndTakesTheOffset() {
        let shared = SharedCapability.match(local: [Self.local("eth", 67, 17), Self.local("eth", 68, 17), Self.local("snap", 1, 8)],
                                            remote: [Self.cap("snap", 1), Self.cap("eth", 68), Self.cap("eth", 67), Self.cap("eth", 69)])
        #expect(shared == [
            SharedCapability(capability: Self.cap("eth", 68), offset: 0x10, messageCount: 17),
            SharedCapability(capability: Self.cap("snap", 1), offset: 0x21, messageCount: 8),
        ])
        #expect(shared[0].contains(code: 0x10) && shared[0].contains(code: 0x20) && !shared[0].contains(code: 0x21))
    }

    @Test func unsharedNamesTakeNoCodes() {
        let shared = SharedCapability.match(local: [Self.local("a", 1, 1), Self.local("c", 1, 1)],
                                            remote: [Self.cap("a", 1), Self.cap("b", 1), Self.cap("c", 1)])
        #expect(shared.map(\.offset) == [0x10, 0x11])
    }

    // Fuzz finding (p2p target, Fuzz/Findings/p2p of 2026-12-05): text fields that are not UTF-8.
    // Hand-derived: f84d = list of 77 bytes; 05 = version 5; 81ff = client id, the one byte 0xff;
    // c6 c5 83 657468 44 = [["eth", 68]]; 80 = port 0; b840 00…3f = 64-byte node id.
    static let helloWithNonUTF8ClientId = "f84d0581ffc6c58365746844" + "80b840"
        + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"

    @Test func clientIdThatIsNotUTF8IsKeptAsSent() throws {
        let bytes = try [UInt8](hex: Self.helloWithNonUTF8ClientId)
        let hello = try Hello(encoded: bytes)
        #expect(hello.clientIdBytes == [0xff])
        #expect(hello.clientId == "\u{FFFD}")
        #expect(hello.encoded == bytes)
    }

    /// Two capability names that are different invalid UTF-8 ([0xfe], [0xff]) stay different, in
    /// byte order, and the Hello re-encodes to its bytes. Hand-derived: f84e = list of 78; 05;
    /// 80 = empty client id; c8 = list of 8: c3 81fe 01, c3 81ff 01; 80; b840 + 64 × 0x01.
    @Test func capabilityNamesThatAreNotUTF8AreKeptAsSent() throws {
        let bytes = try [UInt8](hex: "f84e0580c8c381fe01c381ff0180b840" + String(repeating: "01", count: 64))
        let hello = try Hello(encoded: bytes)
        #expect(hello.capabilities == [Capability(nameBytes: [0xfe], version: 1), Capability(nameBytes: [0xff], version: 1)])
        #expect(hello.capabilities[0] < hello.capabilities[1])
        #expect(hello.capabilities[0] != hello.capabilities[1])
        #expect(hello.encoded == bytes)
    }
}
