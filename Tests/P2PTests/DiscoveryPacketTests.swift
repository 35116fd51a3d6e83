import Testing
import P2P
import Primitives
import Signatures

/// Discovery v4 packet codec.
///
/// Vectors: EIP-8 "Test Vectors / Discovery" (https://eips.ethereum.org/EIPS/eip-8, ethereum/EIPs
/// EIPS/eip-8.md: Ping version 4 and version 555, Pong, FindNode and Neighbours, all with extra list
/// elements, the last four also with random bytes after the RLP list) and go-ethereum
/// p2p/discover/v4wire/v4wire_test.go `testPackets` (the same packets plus a plain Ping). All are
/// signed with the EIP-8 key b71c71a6…f291; the expected fields come from go-ethereum's `wantPacket`
/// values where it lists the packet, else (Ping 555, Pong) from reading the RLP by hand, shown in
/// each test's comment.
@Suite struct DiscoveryPacketTests {
    static let eip8Key = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

    /// go-ethereum v4wire_test.go testPackets[0]: Ping version 4 without extra elements.
    static let gethPlainPing = "71dbda3a79554728d4f94411e42ee1f8b0d561c10e1e5f5893367948c6a7d70bb87b235fa28a77070271b6c164a2dce8c7e13a5739b53b5e96f2e5acb0e458a02902f5965d55ecbeb2ebb6cabb8b2b232896a36b737666c55265ad0a68412f250001ea04cb847f000001820cfa8215a8d790000000000000000000000000000000018208ae820d058443b9a355"

    /// EIP-8 "ping packet with version 4, additional list elements" (= v4wire_test.go testPackets[1]).
    static let eip8PingV4 = "e9614ccfd9fc3e74360018522d30e1419a143407ffcce748de3e22116b7e8dc92ff74788c0b6663a"
        + "aa3d67d641936511c8f8d6ad8698b820a7cf9e1be7155e9a241f556658c55428ec0563514365799a"
        + "4be2be5a685a80971ddcfa80cb422cdd0101ec04cb847f000001820cfa8215a8d790000000000000"
        + "000000000000000000018208ae820d058443b9a3550102"

    /// EIP-8 "ping packet with version 555, additional list elements and additional random data".
    static let eip8PingV555 = "577be4349c4dd26768081f58de4c6f375a7a22f3f7adda654d1428637412c3d7fe917cadc56d4e5e"
        + "7ffae1dbe3efffb9849feb71b262de37977e7c7a44e677295680e9e38ab26bee2fcbae207fba3ff3"
        + "d74069a50b902a82c9903ed37cc993c50001f83e82022bd79020010db83c4d001500000000abcdef"
        + "12820cfa8215a8d79020010db885a308d313198a2e037073488208ae82823a8443b9a355c5010203"
        + "040531b9019afde696e582a78fa8d95ea13ce3297d4afb8ba6433e4154caa5ac6431af1b80ba7602"
        + "3fa4090c408f6b4bc3701562c031041d4702971d102c9ab7fa5eed4cd6bab8f7af956f7d565ee191"
        + "7084a95398b6a21eac920fe3dd1345ec0a7ef39367ee69ddf092cbfe5b93e5e568ebc491983c09c7"
        + "6d922dc3"

    /// EIP-8 "pong packet with additional list elements and additional random data".
    static let eip8Pong = "09b2428d83348d27cdf7064ad9024f526cebc19e4958f0fdad87c15eb598dd61d08423e0bf66b206"
        + "9869e1724125f820d851c136684082774f870e614d95a2855d000f05d1648b2d5945470bc187c2d2"
        + "216fbe870f43ed0909009882e176a46b0102f846d79020010db885a308d313198a2e037073488208"
        + "ae82823aa0fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c9548443b9"
        + "a355c6010203c2040506a0c969a58f6f9095004c0177a6b47f451530cab38966a25cca5cb58f0555"
        + "42124e"

    /// EIP-8 "findnode packet with additional list elements and additional random data" (= testPackets[2]).
    static let eip8FindNode = "c7c44041b9f7c7e41934417ebac9a8e1a4c6298f74553f2fcfdcae6ed6fe53163eb3d2b52e39fe91"
        + "831b8a927bf4fc222c3902202027e5e9eb812195f95d20061ef5cd31d502e47ecb61183f74a504fe"
        + "04c51e73df81f25c4d506b26db4517490103f84eb840ca634cae0d49acb401d8a4c6b6fe8c55b70d"
        + "115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be0081290476"
        + "7bf5ccd1fc7f8443b9a35582999983999999280dc62cc8255c73471e0a61da0c89acdc0e035e260a"
        + "dd7fc0c04ad9ebf3919644c91cb247affc82b69bd2ca235c71eab8e49737c937a2c396"

    /// EIP-8 "neighbours packet with additional list elements and additional random data" (= testPackets[3]).
    static let eip8Neighbours = "c679fc8fe0b8b12f06577f2e802d34f6fa257e6137a995f6f4cbfc9ee50ed3710faf6e66f932c4c8"
        + "d81d64343f429651328758b47d3dbc02c4042f0fff6946a50f4a49037a72bb550f3a7872363a83e1"
        + "b9ee6469856c24eb4ef80b7535bcf99c0004f9015bf90150f84d846321163782115c82115db84031"
        + "55e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa8291"
        + "15d224c523596b401065a97f74010610fce76382c0bf32f84984010203040101b840312c55512422"
        + "cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d20951933beea1e4dfa6f968212385e82"
        + "9f04c2d314fc2d4e255e0d3bc08792b069dbf8599020010db83c4d001500000000abcdef12820d05"
        + "820d05b84038643200b172dcfef857492156971f0e6aa2c538d8b74010f8e140811d53b98c765dd2"
        + "d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aacf8599020010db885a308d3"
        + "13198a2e037073488203e78203e8b8408dcab8618c3253b558d459da53bd8fa68935a719aff8b811"
        + "197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df73"
        + "8443b9a355010203b525a138aa34383fec3d2719a0"

    static let ipv4Loopback: [UInt8] = [127, 0, 0, 1]
    static let ipv6Loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
    /// 2001:db8:3c4d:15::abcd:ef12
    static let ipv6A = bytes("20010db83c4d001500000000abcdef12")
    /// 2001:db8:85a3:8d3:1319:8a2e:370:7348
    static let ipv6B = bytes("20010db885a308d313198a2e03707348")
    /// 1136239445 = 0x43b9a355 (2006-01-02 22:04:05 UTC), the expiration of every vector.
    static let expiration: UInt64 = 1_136_239_445

    static func bytes(_ hex: String) -> [UInt8] { try! [UInt8](hex: hex) }

    static func decode(_ hex: String) throws -> DiscoveryPacket.Received {
        let received = try DiscoveryPacket.decode(bytes(hex))
        let key = try PrivateKey(bytes: bytes(eip8Key))
        #expect(received.sender == key.publicKey, "recovered node id must be the EIP-8 key's")
        #expect(received.hash == Hash32(bytes(hex).prefix(32)))
        return received
    }

    @Test func gethPlainPingDecodes() throws {
        let received = try Self.decode(Self.gethPlainPing)
        #expect(received.packet == .ping(.init(version: 4,
                                               from: .init(ip: Self.ipv4Loopback, udpPort: 3322, tcpPort: 5544),
                                               to: .init(ip: Self.ipv6Loopback, udpPort: 2222, tcpPort: 3333),
                                               expiration: Self.expiration)))
    }

    /// go-ethereum: ENRSeq 1, Rest [0x02].
    @Test func eip8PingVersion4Decodes() throws {
        let received = try Self.decode(Self.eip8PingV4)
        #expect(received.packet == .ping(.init(version: 4,
                                               from: .init(ip: Self.ipv4Loopback, udpPort: 3322, tcpPort: 5544),
                                               to: .init(ip: Self.ipv6Loopback, udpPort: 2222, tcpPort: 3333),
                                               expiration: Self.expiration, enrSequence: 1, extraFields: [[0x02]])))
    }

    /// By hand: f83e [82 022b = 555, d7 [90 2001:db8:3c4d:15::abcd:ef12, 82 0cfa = 3322, 82 15a8 = 5544],
    /// d7 [90 2001:db8:85a3:8d3:1319:8a2e:370:7348, 82 08ae = 2222, 82 823a = 33338], 84 43b9a355,
    /// c5 [1, 2, 3, 4, 5]] (3 + 24 + 24 + 5 + 6 = 62 = 0x3e), then random bytes 31b9019a….
    /// The list in the enr-seq position is not an integer, so it is an extra field.
    @Test func eip8PingVersion555Decodes() throws {
        let received = try Self.decode(Self.eip8PingV555)
        #expect(received.packet == .ping(.init(version: 555,
                                               from: .init(ip: Self.ipv6A, udpPort: 3322, tcpPort: 5544),
                                               to: .init(ip: Self.ipv6B, udpPort: 2222, tcpPort: 33338),
                                               expiration: Self.expiration, enrSequence: nil,
                                               extraFields: [Self.bytes("c50102030405")])))
    }

    /// By hand: f846 [d7 [90 2001:db8:85a3:8d3:1319:8a2e:370:7348, 82 08ae = 2222, 82 823a = 33338],
    /// a0 fbc914b1…c954 (ping hash), 84 43b9a355, c6 [1, 2, 3, c2 [4, 5]], 06]
    /// (24 + 33 + 5 + 7 + 1 = 70 = 0x46), then random bytes a0c969a5….
    @Test func eip8PongDecodes() throws {
        let received = try Self.decode(Self.eip8Pong)
        let pingHash = try Hash32(hex: "fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c954")
        #expect(received.packet == .pong(.init(to: .init(ip: Self.ipv6B, udpPort: 2222, tcpPort: 33338),
                                               pingHash: pingHash, expiration: Self.expiration, enrSequence: nil,
                                               extraFields: [Self.bytes("c6010203c20405"), [0x06]])))
    }

    /// go-ethereum: Target ca634cae…fc7f, Rest [82 9999, 83 999999].
    @Test func eip8FindNodeDecodes() throws {
        let received = try Self.decode(Self.eip8FindNode)
        let target = Self.bytes("ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f")
        #expect(received.packet == .findNode(.init(target: target, expiration: Self.expiration,
                                                   extraFields: [[0x82, 0x99, 0x99], [0x83, 0x99, 0x99, 0x99]])))
    }

    /// go-ethereum: four nodes, Rest [1, 2, 3].
    @Test func eip8NeighboursDecodes() throws {
        let received = try Self.decode(Self.eip8Neighbours)
        let nodes: [DiscoveryPacket.Node] = [
            .init(ip: [99, 33, 22, 55], udpPort: 4444, tcpPort: 4445,
                  nodeId: Self.bytes("3155e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa829115d224c523596b401065a97f74010610fce76382c0bf32")),
            .init(ip: [1, 2, 3, 4], udpPort: 1, tcpPort: 1,
                  nodeId: Self.bytes("312c55512422cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d20951933beea1e4dfa6f968212385e829f04c2d314fc2d4e255e0d3bc08792b069db")),
            .init(ip: Self.ipv6A, udpPort: 3333, tcpPort: 3333,
                  nodeId: Self.bytes("38643200b172dcfef857492156971f0e6aa2c538d8b74010f8e140811d53b98c765dd2d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aac")),
            .init(ip: Self.ipv6B, udpPort: 999, tcpPort: 1000,
                  nodeId: Self.bytes("8dcab8618c3253b558d459da53bd8fa68935a719aff8b811197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df73")),
        ]
        #expect(received.packet == .neighbours(.init(nodes: nodes, expiration: Self.expiration, extraFields: [[0x01], [0x02], [0x03]])))
        #expect(nodes[0].enode?.description == "enode://3155e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa829115d224c523596b401065a97f74010610fce76382c0bf32@99.33.22.55:4445?discport=4444")
    }

    /// Every vector is refused once its 2006 expiration is in the past.
    @Test func eip8VectorsAreExpiredToday() throws {
        for vector in [Self.gethPlainPing, Self.eip8PingV4, Self.eip8PingV555, Self.eip8Pong, Self.eip8FindNode, Self.eip8Neighbours] {
            #expect(throws: DiscoveryError.self) { try DiscoveryPacket.decode(Self.bytes(vector), now: Self.expiration + 1) }
        }
        #expect(throws: DiscoveryError.expired(packet: "Ping", expiration: Self.expiration, now: Self.expiration + 1)) {
            try DiscoveryPacket.decode(Self.bytes(Self.eip8PingV4), now: Self.expiration + 1)
        }
        // Not yet expired at the expiration second itself.
        _ = try DiscoveryPacket.decode(Self.bytes(Self.eip8PingV4), now: Self.expiration)
    }

    // MARK: Round trips and refusals

    static let key = NodeKey(privateKey: try! PrivateKey(bytes: bytes("49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee")))

    static let samplePackets: [DiscoveryPacket] = {
        let record = ENR.signV4(sequence: 3, pairs: [ENR.Pair(key: "ip", encodedValue: RLP.encode(bytes: [10, 0, 0, 1]))], key: key.privateKey)
        return [
            .ping(.init(from: .init(ip: [10, 0, 0, 1], udpPort: 30303, tcpPort: 30303), to: .init(ip: ipv6B, udpPort: 1, tcpPort: 0),
                        expiration: 2_000_000_000, enrSequence: 7)),
            .pong(.init(to: .init(ip: [10, 0, 0, 2], udpPort: 30304, tcpPort: 0), pingHash: Keccak256.hash([1]), expiration: 2_000_000_000)),
            .findNode(.init(target: key.nodeId, expiration: 2_000_000_000)),
            .neighbours(.init(nodes: [.init(ip: [1, 2, 3, 4], udpPort: 5, tcpPort: 6, nodeId: key.nodeId)], expiration: 2_000_000_000)),
            .enrRequest(.init(expiration: 2_000_000_000)),
            .enrResponse(.init(requestHash: Keccak256.hash([2]), record: record)),
        ]
    }()

    @Test(arguments: samplePackets)
    func roundTrip(packet: DiscoveryPacket) throws {
        let (bytes, hash) = try packet.encode(key: Self.key)
        let received = try DiscoveryPacket.decode(bytes, now: 1_999_999_999)
        #expect(received.packet == packet)
        #expect(received.sender == Self.key.publicKey)
        #expect(received.hash == hash)
        #expect(Array(bytes.prefix(32)) == Keccak256.hash(Array(bytes.dropFirst(32))).bytes)
        #expect(bytes[97] == packet.type)
    }

    @Test func tamperedHashIsRefused() throws {
        var (bytes, _) = try Self.samplePackets[0].encode(key: Self.key)
        bytes[5] ^= 1
        let claimed = Hash32(bytes.prefix(32))
        let actual = Keccak256.hash(Array(bytes.dropFirst(32)))
        #expect(throws: DiscoveryError.hashMismatch(expected: actual, actual: claimed)) { try DiscoveryPacket.decode(bytes) }
    }

    /// A changed signature or body with a recomputed hash: the recovered sender is no longer the signer
    /// (or recovery fails).
    @Test(arguments: [40, 70, 110])
    func tamperedSignatureOrBodyChangesSender(offset: Int) throws {
        var (bytes, _) = try Self.samplePackets[2].encode(key: Self.key)
        bytes[offset] ^= 0x10
        let rehashed = Keccak256.hash(Array(bytes.dropFirst(32))).bytes + bytes.dropFirst(32)
        do throws(DiscoveryError) {
            let received = try DiscoveryPacket.decode(rehashed)
            #expect(received.sender != Self.key.publicKey)
        } catch {
            guard case .invalidSignature = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func expiredPacketIsRefused() throws {
        let (bytes, _) = try DiscoveryPacket.enrRequest(.init(expiration: 1000)).encode(key: Self.key)
        #expect(throws: DiscoveryError.expired(packet: "ENRRequest", expiration: 1000, now: 1001)) {
            try DiscoveryPacket.decode(bytes, now: 1001)
        }
    }

    @Test func sizeLimits() throws {
        #expect(throws: DiscoveryError.tooLarge(size: 1281)) { try DiscoveryPacket.decode([UInt8](repeating: 0, count: 1281)) }
        #expect(throws: DiscoveryError.tooSmall(size: 97)) { try DiscoveryPacket.decode([UInt8](repeating: 0, count: 97)) }
        // 13 IPv6 nodes: each item 2 + 17 + 3 + 3 + 66 = 91 bytes, 13 × 91 = 1183, list 3 + 1183,
        // expiration 5, outer header 3: data 1194 + 98 = 1292 > 1280.
        let node = DiscoveryPacket.Node(ip: Self.ipv6B, udpPort: 30303, tcpPort: 30303, nodeId: Self.key.nodeId)
        let big = DiscoveryPacket.neighbours(.init(nodes: Array(repeating: node, count: 13), expiration: 2_000_000_000))
        #expect(throws: DiscoveryError.tooLarge(size: 1292)) { try big.encode(key: Self.key) }
        let twelve = DiscoveryPacket.neighbours(.init(nodes: Array(repeating: node, count: 12), expiration: 2_000_000_000))
        #expect(try twelve.encode(key: Self.key).bytes.count == 1292 - 91)
    }

    @Test func neighboursAreSplitUnder1280Bytes() throws {
        let nodes = (0 ..< 16).map { i in
            DiscoveryPacket.Node(ip: Self.ipv6B, udpPort: UInt16(30000 + i), tcpPort: 30303, nodeId: Self.key.nodeId)
        }
        let packets = Discovery.neighbourPackets(nodes, expiration: 2_000_000_000, key: Self.key)
        #expect(packets.count == 2)
        var all: [DiscoveryPacket.Node] = []
        for bytes in packets {
            #expect(bytes.count <= 1280)
            guard case .neighbours(let n) = try DiscoveryPacket.decode(bytes).packet else { Issue.record("not Neighbours"); continue }
            all += n.nodes
        }
        #expect(all == nodes)
    }

    @Test func malformedFieldsNameTheField() throws {
        // Ping whose "from" endpoint has a 3-byte port: [4, [ip, 0x010000, 1], [ip, 1, 1], 2000000000]
        var writer = RLPWriter()
        writer.appendList { list in
            list.append(uint: 4)
            list.appendList { $0.append(bytes: [1, 2, 3, 4]); $0.append(uint: 0x1_0000); $0.append(uint: 1) }
            list.appendList { $0.append(bytes: [1, 2, 3, 4]); $0.append(uint: 1); $0.append(uint: 1) }
            list.append(uint: 2_000_000_000)
        }
        #expect(throws: DiscoveryError.invalidPort(field: "Ping from udp-port", value: 65536)) {
            try DiscoveryPacket.decodeBody(type: 1, data: writer.finish()[...])
        }
        #expect(throws: DiscoveryError.unknownPacketType(7)) { try DiscoveryPacket.decodeBody(type: 7, data: [0xc0]) }
        #expect(throws: DiscoveryError.missingFields(packet: "FindNode", expected: 2, actual: 1)) {
            try DiscoveryPacket.decodeBody(type: 3, data: [0xc1, 0x01])
        }
        #expect(throws: DiscoveryError.invalidNodeId(field: "FindNode target", length: 1)) {
            try DiscoveryPacket.decodeBody(type: 3, data: [0xc2, 0x01, 0x01])
        }
    }
}
