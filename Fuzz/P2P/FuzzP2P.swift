import Foundation
import FuzzSupport
import P2P
import Primitives
import Signatures

// devp2p codecs (P2P): the base protocol, Snappy, the RLPx handshake and frames, discovery v4
// packets, node records and enode URLs. The first input byte picks a codec (its value modulo the
// number of cases); the rest is the input to that codec.
//
//  0 Hello: encode(decode(b)) == b and decode(encode(x)) == x (the client id and capability names
//    are kept as bytes since this target found them read as lossy text; P2PTests/HelloTests).
//  1 Disconnect: decoding is lenient on purpose (a bare reason and the empty list are accepted, as
//    devp2p rlpx.md and go-ethereum do), so encode(decode(b)) == b only for a one-item list;
//    decode(encode(x)) == x always.
//  2 Snappy.decompress (limit 1 MiB); compress/decompress returns the input (a Snappy block has many
//    encodings, so encode(decode(b)) == b is not a property).
//  3 RLPxHandshakePacket.length, RLPxRecipientHandshake.handleAuth and RLPxInitiatorHandshake.handleAck
//    with fixed keys on raw bytes: only errors (nothing here can forge the ECIES MAC).
//  4 The same handshake with the rest sealed by ECIES to the recipient's key (EIP-8 or legacy), so the
//    plaintext parsers see fuzzed bodies; when the auth is accepted, the ack it produces is accepted
//    by a matching initiator and both sides derive the same AES and MAC secrets.
//  5 RLPxAuthMessage/RLPxAckMessage.decode on raw plaintext, both formats: decode(encode(x)) == x, and
//    for EIP-8 the re-encoding is the plaintext's first RLP item (padding after it is ignored).
//  6 RLPxFrameCodec.decodeHeader/decodeFrame with fixed secrets on raw bytes (MAC failures).
//  7 Frames round trip: 1–3 frames of fuzzed code and payload through a codec pair with fixed secrets
//    decode to what was sent; one flipped bit anywhere in a frame must be refused.
//  8 DiscoveryPacket.decode on the raw datagram; decodeBody(type, data) on the rest, and the decoded
//    packet, signed with a fixed key, decodes to itself with that signer. Decoding is lenient on purpose
//    (EIP-8: bytes after the packet list and items after a Neighbours node's four fields are ignored),
//    so only decode(encode(x)) == x is checked, plus encode(decode(encode(decode(b)))) idempotence.
//  9 Enode(parsing:) on the rest as UTF-8 text; a parsed URL's description parses to the same node.
// 10 ENR(encoded:): encode(decode(b)) == b (keys valid UTF-8, as for Hello), the text form round-trips,
//    and verifyV4/publicKey/nodeId/Enode(record:) never trap.
// 11 Full handshake: an initiator with fixed keys makes an auth, the recipient answers, the initiator
//    reads the ack, the secrets agree, and the first frame (fuzzed code and payload) crosses.

@main
enum FuzzP2P {
    static func main() { Fuzz.main(test: fuzzP2P, seeds: p2pSeeds) }
}

let caseCount: UInt8 = 12

/// Fixed, public test keys (keccak256 of labels), so runs are reproducible.
func fixedKey(_ label: String) -> PrivateKey {
    do {
        return try PrivateKey(bytes: Keccak256.hash(Array(label.utf8)).bytes)
    } catch {
        fatalError("the fuzz key '\(label)' is not a valid secp256k1 key: \(error)")
    }
}

let recipientKey = fixedKey("GoldenGrain fuzz p2p recipient")
let recipientEphemeral = fixedKey("GoldenGrain fuzz p2p recipient ephemeral")
let initiatorKey = fixedKey("GoldenGrain fuzz p2p initiator")
let initiatorEphemeral = fixedKey("GoldenGrain fuzz p2p initiator ephemeral")
let recipientNonce = Keccak256.hash(Array("recipient nonce".utf8))
let initiatorNonce = Keccak256.hash(Array("initiator nonce".utf8))
let discoveryKey = NodeKey(privateKey: fixedKey("GoldenGrain fuzz p2p discovery"))

func fuzzP2P(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    guard let selector = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch selector % caseCount {
    case 0: checkHello(rest)
    case 1: checkDisconnect(rest)
    case 2: checkSnappy(rest)
    case 3: checkRawHandshake(rest)
    case 4: checkSealedHandshake(rest)
    case 5: checkHandshakeBodies(rest)
    case 6: checkRawFrames(rest)
    case 7: checkFrameRoundTrip(rest)
    case 8: checkDiscovery(rest)
    case 9: checkEnode(rest)
    case 10: checkENR(rest)
    default: checkFullHandshake(rest)
    }
    return 0
}


// MARK: 0, 1 — base protocol

func checkHello(_ input: [UInt8]) {
    guard let hello = try? Hello(encoded: input) else { return }
    let encoded = hello.encoded
    // The client id and capability names are kept as bytes, so every decoded Hello re-encodes to
    // its input (P2PTests/HelloTests has the UTF-8 case this target found).
    Fuzz.check(encoded == input, "Hello: encode(decode(b)) != b for \(Fuzz.hex(input)), re-encoded \(Fuzz.hex(encoded))")
    do {
        let again = try Hello(encoded: encoded)
        Fuzz.check(again == hello, "Hello: decode(encode(x)) != x for \(Fuzz.hex(encoded))")
    } catch {
        Fuzz.check(false, "Hello: the decoder rejects the encoder's \(Fuzz.hex(encoded)): \(error)")
    }
}

func checkDisconnect(_ input: [UInt8]) {
    if let disconnect = try? Disconnect(encoded: input) {
        // Lenient on purpose: a bare reason and [] are accepted; only [reason] is the canonical form.
        if case .list(let items)? = try? RLP.decode(input), items.count == 1 {
            Fuzz.check(disconnect.encoded == input, "Disconnect: encode(decode(b)) != b for \(Fuzz.hex(input))")
        }
        let again = try? Disconnect(encoded: disconnect.encoded)
        Fuzz.check(again == disconnect, "Disconnect: decode(encode(x)) != x for reason \(disconnect.reason.rawValue)")
    }
    let reason = DisconnectReason(rawValue: input.first ?? 0)
    let again = try? Disconnect(encoded: Disconnect(reason: reason).encoded)
    Fuzz.check(again?.reason == reason, "Disconnect: reason \(reason.rawValue) does not round-trip")
}

// MARK: 2 — Snappy

func checkSnappy(_ input: [UInt8]) {
    let limit = 1 << 20
    if let decoded = try? Snappy.decompress(input, limit: limit) {
        Fuzz.check(decoded.count <= limit, "Snappy: \(decoded.count) bytes decoded past the limit")
        Fuzz.check((try? Snappy.decodedLength(of: input)) == decoded.count, "Snappy: decodedLength disagrees with decompress")
        let again = try? Snappy.decompress(Snappy.compress(decoded), limit: limit)
        Fuzz.check(again == decoded, "Snappy: decompress(compress(x)) != x for \(decoded.count) bytes")
    }
    let compressed = Snappy.compress(input)
    do {
        let decoded = try Snappy.decompress(compressed, limit: limit)
        Fuzz.check(decoded == input, "Snappy: decompress(compress(x)) != x for \(Fuzz.hex(input))")
    } catch {
        Fuzz.check(false, "Snappy: decompress rejects compress's block for \(Fuzz.hex(input)): \(error)")
    }
}

// MARK: 3, 4, 5, 11 — RLPx handshake

func freshRecipient() -> RLPxRecipientHandshake {
    RLPxRecipientHandshake(localKey: recipientKey, ephemeralKey: recipientEphemeral, nonce: recipientNonce)
}

func freshInitiator() -> RLPxInitiatorHandshake {
    RLPxInitiatorHandshake(localKey: initiatorKey, remote: recipientKey.publicKey, ephemeralKey: initiatorEphemeral,
                           nonce: initiatorNonce)
}

func checkRawHandshake(_ input: [UInt8]) {
    for kind in [RLPxHandshakePacket.Kind.auth, .ack] {
        if let length = try? RLPxHandshakePacket.length(of: kind, startingWith: input) {
            Fuzz.check(length == kind.legacyPacketByteCount
                       || (length >= 2 + RLPxHandshakePacket.minimumEIP8Size && length <= 2 + RLPxHandshakePacket.maximumEIP8Size),
                       "RLPx: packet length \(length) out of range for \(Fuzz.hex(input.prefix(2)))")
        }
    }
    var recipient = freshRecipient()
    _ = try? recipient.handleAuth(input)
    var initiator = freshInitiator()
    _ = initiator.makeAuth()
    _ = try? initiator.handleAck(input)
}

func checkSealedHandshake(_ input: [UInt8]) {
    var reader = FuzzReader(input)
    let mode = reader.byte()
    let body = Array(reader.remaining.prefix(RLPxHandshakePacket.maximumEIP8Size - 100 - 113))
    let legacy = mode & 1 == 1
    if mode & 2 == 0 {
        // An auth to the recipient.
        let packet = legacy ? RLPxHandshakePacket.sealLegacy(body, to: recipientKey.publicKey)
            : RLPxHandshakePacket.sealEIP8(body, to: recipientKey.publicKey, paddingByteCount: 100)
        var recipient = freshRecipient()
        guard let (ack, secrets) = try? recipient.handleAuth(packet) else { return }
        guard let auth = recipient.auth, auth.initiatorPublicKey == initiatorKey.publicKey, auth.nonce == initiatorNonce,
              recipient.remoteEphemeralPublicKey == initiatorEphemeral.publicKey else { return }
        // The auth speaks for our initiator: its reading of the ack must give the same secrets.
        var initiator = freshInitiator()
        _ = initiator.makeAuth(format: legacy ? .legacy : .eip8)
        do {
            let theirs = try initiator.handleAck(ack)
            Fuzz.check(theirs.aesSecret == secrets.aesSecret && theirs.macSecret == secrets.macSecret,
                       "RLPx: initiator and recipient derive different secrets for auth body \(Fuzz.hex(body))")
        } catch {
            Fuzz.check(false, "RLPx: the initiator rejects the recipient's ack for auth body \(Fuzz.hex(body)): \(error)")
        }
    } else {
        // An ack to the initiator.
        let packet = legacy ? RLPxHandshakePacket.sealLegacy(body, to: initiatorKey.publicKey)
            : RLPxHandshakePacket.sealEIP8(body, to: initiatorKey.publicKey, paddingByteCount: 100)
        var initiator = freshInitiator()
        _ = initiator.makeAuth()
        _ = try? initiator.handleAck(packet)
    }
}

func checkHandshakeBodies(_ input: [UInt8]) {
    let firstItem: [UInt8]? = {
        var reader = RLPReader(input)
        return (try? reader.readRawItem()).map(Array.init)
    }()
    for format in [RLPxHandshakeFormat.eip8, .legacy] {
        if let auth = try? RLPxAuthMessage.decode(input, format: format) {
            let encoded = format == .eip8 ? auth.eip8Body : auth.legacyBody
            if format == .eip8 {
                Fuzz.check(encoded == firstItem, "RLPx auth: eip8Body != the plaintext's first item for \(Fuzz.hex(input))")
            } else {
                Fuzz.check(encoded.prefix(193) == input.prefix(193), "RLPx auth: legacyBody differs from \(Fuzz.hex(input))")
            }
            let again = try? RLPxAuthMessage.decode(encoded, format: format)
            Fuzz.check(again == auth, "RLPx auth: decode(encode(x)) != x for \(Fuzz.hex(encoded))")
        }
        if let ack = try? RLPxAckMessage.decode(input, format: format) {
            let encoded = format == .eip8 ? ack.eip8Body : ack.legacyBody
            if format == .eip8 {
                Fuzz.check(encoded == firstItem, "RLPx ack: eip8Body != the plaintext's first item for \(Fuzz.hex(input))")
            } else {
                Fuzz.check(encoded.prefix(96) == input.prefix(96), "RLPx ack: legacyBody differs from \(Fuzz.hex(input))")
            }
            let again = try? RLPxAckMessage.decode(encoded, format: format)
            Fuzz.check(again == ack, "RLPx ack: decode(encode(x)) != x for \(Fuzz.hex(encoded))")
        }
    }
}

func checkFullHandshake(_ input: [UInt8]) {
    var reader = FuzzReader(input)
    let legacy = reader.byte() & 1 == 1
    var initiator = freshInitiator()
    let auth = initiator.makeAuth(format: legacy ? .legacy : .eip8)
    var recipient = freshRecipient()
    do {
        let (ack, recipientSecrets) = try recipient.handleAuth(auth)
        let initiatorSecrets = try initiator.handleAck(ack)
        Fuzz.check(initiatorSecrets.aesSecret == recipientSecrets.aesSecret
                   && initiatorSecrets.macSecret == recipientSecrets.macSecret
                   && initiatorSecrets.egressMAC.currentDigest() == recipientSecrets.ingressMAC.currentDigest()
                   && initiatorSecrets.ingressMAC.currentDigest() == recipientSecrets.egressMAC.currentDigest(),
                   "RLPx: the two sides of a handshake derive different secrets")
        var sender = RLPxFrameCodec(secrets: initiatorSecrets)
        var receiver = RLPxFrameCodec(secrets: recipientSecrets)
        let code = reader.uint64(byteCount: Int(reader.byte() % 9))
        let payload = Array(reader.remaining)
        let frame = try sender.encodeFrame(code: code, payload: payload)
        let size = try receiver.decodeHeader(Array(frame.prefix(RLPxFrame.headerByteCount)))
        let (decodedCode, decodedPayload) = try receiver.decodeFrame(body: Array(frame.dropFirst(RLPxFrame.headerByteCount)))
        Fuzz.check(size == RLP.encodedLength(ofUInt: code) + payload.count, "RLPx: frame size \(size)")
        Fuzz.check(decodedCode == code && decodedPayload == payload, "RLPx: a frame after the handshake does not cross")
    } catch {
        Fuzz.check(false, "RLPx: a handshake between our own sides fails: \(error)")
    }
}

// MARK: 6, 7 — RLPx frames

func macState(_ label: String) -> Keccak256 {
    var mac = Keccak256()
    mac.update(Array(label.utf8))
    return mac
}

let aesSecret = Keccak256.hash(Array("GoldenGrain fuzz aes secret".utf8))
let macSecret = Keccak256.hash(Array("GoldenGrain fuzz mac secret".utf8))

/// A sender and a receiver whose states match (the sender's egress is the receiver's ingress).
func codecPair() -> (sender: RLPxFrameCodec, receiver: RLPxFrameCodec) {
    let a = macState("a"), b = macState("b")
    return (RLPxFrameCodec(aesSecret: aesSecret, macSecret: macSecret, egressMAC: a, ingressMAC: b),
            RLPxFrameCodec(aesSecret: aesSecret, macSecret: macSecret, egressMAC: b, ingressMAC: a))
}

func checkRawFrames(_ input: [UInt8]) {
    var receiver = codecPair().receiver
    receiver.maximumFrameSize = 1 << 16
    var rest = input[...]
    // Up to three frames back to back, as a session reads them.
    for _ in 0 ..< 3 {
        let header = Array(rest.prefix(RLPxFrame.headerByteCount))
        guard let size = try? receiver.decodeHeader(header) else { return }
        rest = rest.dropFirst(RLPxFrame.headerByteCount)
        let length = RLPxFrame.encryptedBodyLength(frameSize: size)
        guard (try? receiver.decodeFrame(body: Array(rest.prefix(length)))) != nil else { return }
        rest = rest.dropFirst(length)
    }
}

func checkFrameRoundTrip(_ input: [UInt8]) {
    var reader = FuzzReader(input)
    var (sender, receiver) = codecPair()
    let frameCount = Int(reader.byte() % 3) + 1
    let tamper = reader.uint64(byteCount: 3)
    for index in 0 ..< frameCount {
        let code = reader.uint64(byteCount: Int(reader.byte() % 9))
        let payload = index == frameCount - 1 ? Array(reader.remaining) : reader.chunk()
        var frame: [UInt8]
        do {
            frame = try sender.encodeFrame(code: code, payload: payload)
        } catch {
            Fuzz.check(false, "RLPx: encodeFrame refuses \(payload.count) bytes: \(error)")
            return
        }
        Fuzz.check(frame.count == RLPxFrame.headerByteCount + RLPxFrame.encryptedBodyLength(frameSize: RLP.encodedLength(ofUInt: code) + payload.count),
                   "RLPx: frame of \(frame.count) bytes for a \(payload.count)-byte payload")
        let tampered = index == frameCount - 1 && tamper & 1 == 1
        if tampered {
            let position = Int(tamper >> 1) % frame.count
            frame[position] ^= UInt8(1 << (tamper % 8))
        }
        let header = Array(frame.prefix(RLPxFrame.headerByteCount))
        let body = Array(frame.dropFirst(RLPxFrame.headerByteCount))
        do {
            let size = try receiver.decodeHeader(header)
            if size != RLP.encodedLength(ofUInt: code) + payload.count {
                Fuzz.check(tampered, "RLPx: header announces \(size) bytes for code \(code) and \(payload.count) payload bytes")
                return
            }
            let (decodedCode, decodedPayload) = try receiver.decodeFrame(body: body)
            Fuzz.check(!tampered, "RLPx: a frame with one flipped bit at \(Int(tamper >> 1) % frame.count) was accepted")
            Fuzz.check(decodedCode == code && decodedPayload == payload,
                       "RLPx: frame \(index) decodes to code \(decodedCode), \(decodedPayload.count) bytes; sent \(code), \(payload.count) bytes")
        } catch {
            Fuzz.check(tampered, "RLPx: the receiver refuses frame \(index) (code \(code), \(payload.count) bytes): \(error)")
            return
        }
    }
}

// MARK: 8 — discovery

func checkDiscovery(_ input: [UInt8]) {
    _ = try? DiscoveryPacket.decode(input)
    _ = try? DiscoveryPacket.decode(input, now: 1_700_000_000)
    guard let type = input.first, let packet = try? DiscoveryPacket.decodeBody(type: type, data: input.dropFirst()) else { return }
    _ = packet.name
    _ = packet.expiration
    let data = packet.packetData
    Fuzz.check(packet.type == type, "discovery: type \(packet.type) decoded from type \(type)")
    guard let again = try? DiscoveryPacket.decodeBody(type: type, data: data[...]) else {
        Fuzz.check(false, "discovery: decodeBody rejects the encoder's \(Fuzz.hex(data))")
        return
    }
    Fuzz.check(again == packet, "discovery: decode(encode(x)) != x for \(Fuzz.hex(data))")
    Fuzz.check(again.packetData == data, "discovery: encoding is not idempotent for \(Fuzz.hex(data))")
    if case .neighbours(let neighbours) = packet {
        for node in neighbours.nodes { _ = node.enode }
    }
    // Signed with a fixed key, the datagram decodes to the packet, the signer and the hash.
    guard let (datagram, hash) = try? packet.encode(key: discoveryKey) else { return }
    do {
        let received = try DiscoveryPacket.decode(datagram)
        Fuzz.check(received.packet == packet && received.hash == hash && received.sender == discoveryKey.publicKey,
                   "discovery: a signed datagram does not decode to its packet, hash and signer: \(Fuzz.hex(datagram))")
    } catch {
        Fuzz.check(false, "discovery: decode rejects the encoder's datagram \(Fuzz.hex(datagram)): \(error)")
    }
}

// MARK: 9, 10 — enode URLs and node records

func checkEnode(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    guard let enode = try? Enode(parsing: text) else { return }
    _ = enode.id
    if !text.hasPrefix("enr:") {
        let again = try? Enode(parsing: enode.description)
        Fuzz.check(again == enode, "enode: \(text) parses to \(enode), whose description parses to \(String(describing: again))")
    }
}

func checkENR(_ input: [UInt8]) {
    guard let record = try? ENR(encoded: input) else { return }
    let keys = record.pairs.map(\.key)
    _ = record.identityScheme
    _ = record.ipv4
    _ = record.ipv6
    _ = record.udpPort
    _ = record.tcpPort
    _ = try? record.verifyV4()
    _ = try? record.publicKey()
    _ = try? record.nodeId()
    _ = try? Enode(record: record)
    // Keys are kept as bytes, so every decoded record re-encodes to its input (P2PTests/ENRTests).
    Fuzz.check(record.encoded == input, "ENR: encode(decode(b)) != b for \(Fuzz.hex(input)), re-encoded \(Fuzz.hex(record.encoded))")
    let again = try? ENR(encoded: record.encoded)
    Fuzz.check(again == record, "ENR: decode(encode(x)) != x for keys \(keys)")
    let text = try? ENR(text: record.description)
    Fuzz.check(text == record, "ENR: the text form \(record.description) does not round-trip")
}

// MARK: Seeds

func p2pSeeds() -> [(name: String, bytes: [UInt8])] {
    func seed(_ name: String, _ selector: UInt8, _ bytes: [UInt8]) -> (name: String, bytes: [UInt8]) {
        (name: name, bytes: [selector] + bytes)
    }
    let hello = Hello(clientId: "GoldenGrain/v0.1.0/linux-x86_64",
                      capabilities: [Capability(name: "eth", version: 68), Capability(name: "snap", version: 1)],
                      listenPort: 30303, nodeId: recipientKey.publicKey.bytes)
    let helloExtra = Hello(protocolVersion: 22, clientId: "Geth/v1.13.15", capabilities: [Capability(name: "eth", version: 68)],
                           listenPort: 0, nodeId: initiatorKey.publicKey.bytes, extraFields: [[0x82, 0x01, 0x02], [0xc0]])
    var initiator = freshInitiator()
    let authEIP8 = initiator.makeAuth(format: .eip8)
    var legacyInitiator = freshInitiator()
    let authLegacy = legacyInitiator.makeAuth(format: .legacy)
    var recipient = freshRecipient()
    let ack = (try? recipient.handleAuth(authEIP8))?.ack ?? []
    let authMessage = initiator.authMessage
    let ackMessage = RLPxAckMessage(ephemeralPublicKey: recipientEphemeral.publicKey, nonce: recipientNonce)
    var (sender, _) = codecPair()
    let frames = ((try? sender.encodeFrame(code: 0x10, payload: Snappy.compress([0xc0]))) ?? [])
        + ((try? sender.encodeFrame(code: 0x00, payload: hello.encoded)) ?? [])
    let endpoint = DiscoveryPacket.Endpoint(ip: [127, 0, 0, 1], udpPort: 30303, tcpPort: 30303)
    let record = ENR.signV4(sequence: 3, pairs: [
        ENR.Pair(key: "id", encodedValue: RLP.encode(.bytes(Array("v4".utf8)))),
        ENR.Pair(key: "ip", encodedValue: RLP.encode(.bytes([10, 0, 0, 1]))),
        ENR.Pair(key: "secp256k1", encodedValue: RLP.encode(.bytes(discoveryKey.privateKey.publicKey.compressedBytes))),
        ENR.Pair(key: "tcp", encodedValue: RLP.encode(uint: 30303)),
        ENR.Pair(key: "udp", encodedValue: RLP.encode(uint: 30301)),
    ], key: discoveryKey.privateKey)
    let packets: [(String, DiscoveryPacket)] = [
        ("ping", .ping(DiscoveryPacket.Ping(from: endpoint, to: endpoint, expiration: 1_900_000_000, enrSequence: 3))),
        ("pong", .pong(DiscoveryPacket.Pong(to: endpoint, pingHash: recipientNonce, expiration: 1_900_000_000))),
        ("findnode", .findNode(DiscoveryPacket.FindNode(target: initiatorKey.publicKey.bytes, expiration: 1_900_000_000))),
        ("neighbours", .neighbours(DiscoveryPacket.Neighbours(nodes: [
            DiscoveryPacket.Node(ip: [10, 0, 0, 2], udpPort: 30303, tcpPort: 30304, nodeId: recipientKey.publicKey.bytes),
            DiscoveryPacket.Node(ip: [UInt8](repeating: 0, count: 15) + [1], udpPort: 1, tcpPort: 2, nodeId: initiatorKey.publicKey.bytes),
        ], expiration: 1_900_000_000))),
        ("enrrequest", .enrRequest(DiscoveryPacket.ENRRequest(expiration: 1_900_000_000, extraFields: [[0x01]]))),
        ("enrresponse", .enrResponse(DiscoveryPacket.ENRResponse(requestHash: initiatorNonce, record: record))),
    ]
    var seeds: [(name: String, bytes: [UInt8])] = [
        seed("hello", 0, hello.encoded),
        seed("hello-extra-fields", 0, helloExtra.encoded),
        seed("disconnect", 1, Disconnect(reason: .tooManyPeers).encoded),
        seed("disconnect-bare", 1, [0x10]),
        seed("snappy", 2, Snappy.compress(hello.encoded + hello.encoded)),
        seed("handshake-auth-eip8", 3, authEIP8),
        seed("handshake-auth-legacy", 3, authLegacy),
        seed("handshake-ack-eip8", 3, ack),
        seed("sealed-auth-eip8", 4, [0] + authMessage.eip8Body),
        seed("sealed-auth-legacy", 4, [1] + authMessage.legacyBody),
        seed("sealed-ack-eip8", 4, [2] + ackMessage.eip8Body),
        seed("body-auth-eip8", 5, authMessage.eip8Body + [UInt8](repeating: 0, count: 100)),
        seed("body-ack-legacy", 5, ackMessage.legacyBody),
        seed("frames", 6, frames),
        seed("frame-round-trip", 7, [2, 0, 0, 0, 1, 0x10, 3, 0xc0, 0x80, 0x80, 1, 0x01] + hello.encoded),
        seed("enode-ipv4", 9, Array("enode://\(Hex.encode(recipientKey.publicKey.bytes, prefix: false))@10.3.58.6:30303?discport=30301".utf8)),
        seed("enode-ipv6", 9, Array("enode://\(Hex.encode(initiatorKey.publicKey.bytes, prefix: false))@[::ffff:10.0.0.1]:30303".utf8)),
        seed("enode-enr", 9, Array(record.description.utf8)),
        seed("enr", 10, record.encoded),
        seed("full-handshake", 11, [0, 1, 0x10] + Snappy.compress(hello.encoded)),
    ]
    for (name, packet) in packets {
        seeds.append(seed("discovery-body-\(name)", 8, [packet.type] + packet.packetData))
        if let datagram = try? packet.encode(key: discoveryKey).bytes {
            seeds.append(seed("discovery-datagram-\(name)", 8, datagram))
        }
    }
    return seeds
}
