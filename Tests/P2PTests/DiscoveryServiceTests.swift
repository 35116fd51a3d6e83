import Testing
import NIOCore
import P2P
import Primitives
import Glibc
import Synchronization

/// Discovery v4 over real UDP sockets on 127.0.0.1: three nodes, B and C given only A as bootnode,
/// find each other through A (Ping/Pong bonding, FindNode/Neighbours lookups).
@Suite struct DiscoveryServiceTests {
    final class Found: Sendable {
        let nodes = Mutex<[[UInt8]: Enode]>([:])
        func add(_ node: Enode) { nodes.withLock { $0[node.nodeId] = node } }
        func has(_ key: NodeKey) -> Enode? { nodes.withLock { $0[key.nodeId] } }
    }

    @Test(.timeLimit(.minutes(1)))
    func nodesGivenOneBootnodeFindEachOther() async throws {
        let keys = (0 ..< 3).map { _ in NodeKey.generate() }
        let found = (0 ..< 3).map { _ in Found() }
        func make(_ index: Int, bootnodes: [Enode]) -> Discovery {
            Discovery(nodeKey: keys[index], host: "127.0.0.1", port: 0, advertisedHost: "127.0.0.1",
                      tcpPort: UInt16(31000 + index), bootnodes: bootnodes, refreshInterval: 1,
                      responseTimeout: .milliseconds(300), onNode: { found[index].add($0) })
        }
        let a = make(0, bootnodes: [])
        let channelA = try await a.bind()
        let bootnode = a.selfNode
        #expect(bootnode.udpPort != 0 && bootnode.tcpPort == 31000)
        let b = make(1, bootnodes: [bootnode])
        let c = make(2, bootnodes: [bootnode])
        let channelB = try await b.bind()
        let channelC = try await c.bind()
        let tasks = [Task { try await a.run(channelA) }, Task { try await b.run(channelB) }, Task { try await c.run(channelC) }]
        defer { for task in tasks { task.cancel() } }

        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if found[1].has(keys[2]) != nil && found[2].has(keys[1]) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let cSeenByB = try #require(found[1].has(keys[2]), "B did not learn C within 20 s")
        let bSeenByC = try #require(found[2].has(keys[1]), "C did not learn B within 20 s")
        #expect(cSeenByB.tcpPort == 31002 && cSeenByB.udpPort == UInt16(c.localPort ?? -1))
        #expect(bSeenByC.tcpPort == 31001 && bSeenByC.udpPort == UInt16(b.localPort ?? -1))
        #expect(cSeenByB.host?.description == "127.0.0.1")
        // A learned both; B and C learned A (the bootnode) as well.
        #expect(found[0].has(keys[1]) != nil && found[0].has(keys[2]) != nil)
        #expect(found[1].has(keys[0]) != nil && found[2].has(keys[0]) != nil)
        #expect(Set(b.nodes.map(\.nodeId)) == Set([keys[0].nodeId, keys[2].nodeId]))
        // A lookup from B for C's id returns C first.
        let result = await b.lookup(target: keys[2].nodeId)
        #expect(result.first?.nodeId == keys[2].nodeId)
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
    }
}

/// A hand-driven peer (a bare UDP socket speaking packets built with `DiscoveryPacket`) against one
/// Discovery node: FindNode before bonding gets no answer (go-ethereum's rule against reply
/// amplification); Ping gets a Pong echoing the Ping's hash and our address, and is followed by the
/// node's own Ping; once we answer it, FindNode gets Neighbours.
@Suite struct DiscoveryRawPeerTests {
    typealias Socket = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>

    /// Datagrams received, decoded, in arrival order (a reader task fills it; cancelling a pending
    /// `next()` would end the channel's inbound stream, so the test never does).
    final class Inbox: Sendable {
        let packets = Mutex<[DiscoveryPacket.Received]>([])

        /// The next packet, or nil if none arrives within `timeout`.
        func receive(within timeout: Duration) async throws -> DiscoveryPacket.Received? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let first = packets.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return first }
                try await Task.sleep(for: .milliseconds(10))
            }
            return nil
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func findNodeNeedsABondThenIsAnswered() async throws {
        let serverKey = NodeKey.generate()
        let server = Discovery(nodeKey: serverKey, host: "127.0.0.1", port: 0, tcpPort: 30999, bootnodes: [],
                               refreshInterval: 60, responseTimeout: .milliseconds(300), onNode: { _ in })
        let serverChannel = try await server.bind()
        let task = Task { try await server.run(serverChannel) }
        defer { task.cancel() }
        let serverAddress = try SocketAddress(ipAddress: "127.0.0.1", port: server.localPort ?? 0)

        let key = NodeKey.generate()
        let socket = try await Discovery.bindUDP(host: "127.0.0.1", port: 0)
        let ourPort = UInt16(socket.channel.localAddress?.port ?? 0)
        try await socket.executeThenClose { inbound, outbound in
            func send(_ packet: DiscoveryPacket) async throws -> Hash32 {
                let (bytes, hash) = try packet.encode(key: key)
                try await outbound.write(AddressedEnvelope(remoteAddress: serverAddress, data: ByteBuffer(bytes: bytes)))
                return hash
            }
            let expiration = UInt64(time(nil)) + 20
            let inbox = Inbox()
            let reader = Task {
                for try await envelope in inbound {
                    let received = try DiscoveryPacket.decode(Array(envelope.data.readableBytesView))
                    inbox.packets.withLock { $0.append(received) }
                }
            }
            defer { reader.cancel() }
            let findNode = DiscoveryPacket.findNode(.init(target: key.nodeId, expiration: expiration))

            // 1. Not bonded: no answer.
            _ = try await send(findNode)
            let early = try await inbox.receive(within: .milliseconds(600))
            #expect(early == nil, "FindNode from an unverified node was answered: \(String(describing: early?.packet.name))")

            // 2. Ping → Pong with our hash and address, then the server's Ping.
            let me = DiscoveryPacket.Endpoint(ip: [127, 0, 0, 1], udpPort: ourPort, tcpPort: 4242)
            let to = DiscoveryPacket.Endpoint(ip: [127, 0, 0, 1], udpPort: UInt16(server.localPort ?? 0), tcpPort: 30999)
            let pingHash = try await send(.ping(.init(from: me, to: to, expiration: expiration)))
            var gotPong = false
            var serverPing: DiscoveryPacket.Received?
            for _ in 0 ..< 2 {
                guard let received = try await inbox.receive(within: .seconds(2)) else { break }
                #expect(received.sender == serverKey.publicKey)
                switch received.packet {
                case .pong(let pong):
                    #expect(pong.pingHash == pingHash)
                    #expect(pong.to == DiscoveryPacket.Endpoint(ip: [127, 0, 0, 1], udpPort: ourPort, tcpPort: 4242))
                    gotPong = true
                case .ping(let ping):
                    #expect(ping.version == 4)
                    #expect(ping.from == to)
                    #expect(ping.to.udpPort == ourPort)
                    serverPing = received
                default:
                    Issue.record("unexpected \(received.packet.name)")
                }
            }
            #expect(gotPong)
            let theirPing = try #require(serverPing, "the server did not ping back")

            // 3. Answer its Ping; then FindNode is answered with Neighbours listing us.
            _ = try await send(.pong(.init(to: to, pingHash: theirPing.hash, expiration: expiration)))
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.nodes.map(\.nodeId) == [key.nodeId])
            _ = try await send(findNode)
            let reply = try #require(try await inbox.receive(within: .seconds(2)), "no Neighbours after bonding")
            guard case .neighbours(let neighbours) = reply.packet else {
                Issue.record("expected Neighbours, got \(reply.packet.name)")
                return
            }
            #expect(neighbours.nodes == [DiscoveryPacket.Node(ip: [127, 0, 0, 1], udpPort: ourPort, tcpPort: 4242, nodeId: key.nodeId)])
        }
    }
}
