import Testing
import P2P

/// Disconnect reasons and encodings. Reason codes and texts: go-ethereum v1.13.15 p2p/peer_error.go
/// (`DiscReason`, `discReasonToString`) and devp2p rlpx.md. Encodings are derived by hand from the
/// RLP rules: [r] for r < 0x80 is c1 ‖ r, with r = 0 written as 0x80.
@Suite struct DisconnectTests {
    @Test func reasonCodesAndTextsAreGeths() {
        let expected: [(DisconnectReason, UInt8, String)] = [
            (.requested, 0x00, "disconnect requested"), (.networkError, 0x01, "network error"),
            (.protocolError, 0x02, "breach of protocol"), (.uselessPeer, 0x03, "useless peer"),
            (.tooManyPeers, 0x04, "too many peers"), (.alreadyConnected, 0x05, "already connected"),
            (.incompatibleVersion, 0x06, "incompatible p2p protocol version"),
            (.invalidIdentity, 0x07, "invalid node identity"), (.quitting, 0x08, "client quitting"),
            (.unexpectedIdentity, 0x09, "unexpected identity"), (.connectedToSelf, 0x0a, "connected to self"),
            (.readTimeout, 0x0b, "read timeout"), (.subprotocolError, 0x10, "subprotocol error"),
        ]
        for (reason, code, text) in expected {
            #expect(reason.rawValue == code)
            #expect(reason.description == text)
        }
        #expect(DisconnectReason(rawValue: 0x0c).description == "unknown disconnect reason 12")
    }

    @Test(arguments: [(DisconnectReason.requested, "c180"), (.tooManyPeers, "c104"), (.subprotocolError, "c110"),
                      (.uselessPeer, "c103")])
    func encodesAsAOneItemList(reason: DisconnectReason, hex: String) throws {
        let bytes = try [UInt8](hex: hex)
        #expect(Disconnect(reason: reason).encoded == bytes)
        #expect(try Disconnect(encoded: bytes).reason == reason)
    }

    @Test func bareReasonIsAccepted() throws {
        #expect(try Disconnect(encoded: [0x04]).reason == .tooManyPeers)
        #expect(try Disconnect(encoded: [0x80]).reason == .requested)
        #expect(try Disconnect(encoded: [0x10]).reason == .subprotocolError)
    }

    @Test func emptyListReadsAsRequested() throws {
        #expect(try Disconnect(encoded: [0xc0]).reason == .requested)
    }

    @Test func twoReasonsAreRefused() throws {
        #expect(throws: BaseProtocolError.wrongDisconnectFieldCount(2)) { try Disconnect(encoded: [0xc2, 0x04, 0x05]) }
    }

    @Test func wideReasonIsRefused() throws {
        #expect(throws: BaseProtocolError.disconnectReasonTooLarge(byteCount: 2)) { try Disconnect(encoded: [0xc3, 0x82, 0x01, 0x00]) }
    }

    @Test func trailingBytesAreRefused() throws {
        #expect(throws: BaseProtocolError.self) { try Disconnect(encoded: [0x04, 0x05]) }
    }

    @Test func pingPayloadIsTheEmptyList() {
        #expect(BaseProtocol.pingPayload == [0xc0])
        #expect(BaseProtocol.MessageCode.allCases.map(\.rawValue) == [0, 1, 2, 3])
        #expect(BaseProtocol.version == 5 && BaseProtocol.reservedCodeCount == 16)
    }
}
