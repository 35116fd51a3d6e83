import Foundation
import P2P
import Primitives
import Signatures
import Synchronization
import Testing

/// Two P2P servers in one process over loopback TCP: the whole session (RLPx handshake, Hello,
/// Snappy, a subprotocol's messages both ways) and the refusals of the base protocol, each checked
/// by the reason the other side reports (devp2p rlpx.md; go-ethereum p2p/server.go and peer.go).
@Suite(.serialized) struct P2PServerTests {
    /// A test subprotocol: on an outbound session it sends `payload` as message 0; the other side
    /// answers every message 0 with message 1 carrying the same bytes; every message 1 is recorded.
    final class EchoProtocol: SubProtocol {
        let capability: Capability
        let messageCount: UInt64 = 2
        let payload: [UInt8]
        let answers: Mutex<[[UInt8]]>

        init(name: String = "echo", payload: [UInt8] = []) {
            capability = Capability(name: name, version: 1)
            self.payload = payload
            answers = Mutex([])
        }

        func run(_ peer: ProtocolPeer) async throws {
            if !peer.peer.isInbound { peer.send(code: 0, payload: payload) }
            for await message in peer.messages {
                if message.code == 0 {
                    peer.send(code: 1, payload: message.payload)
                } else {
                    answers.withLock { $0.append(message.payload) }
                }
            }
        }
    }

    /// A running server with its log lines.
    final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    final class Running: Sendable {
        let server: P2PServer
        let lines = LogLines()
        private let task = Mutex<Task<Void, any Error>?>(nil)

        init(protocols: [any SubProtocol], maximumPeers: Int = 50) async throws {
            let lines = self.lines
            server = P2PServer(configuration: .init(
                nodeKey: .generate(), listenHost: "127.0.0.1", listenPort: 0, maximumPeers: maximumPeers,
                clientId: "GoldenGrainTest/v0", protocols: protocols) { line in lines.append(line) })
            let listener = try await server.bind()
            let server = self.server
            task.withLock { $0 = Task { try await server.run(listener) } }
        }

        func log() -> String { lines.text }

        func stop() async {
            let task = self.task.withLock { $0 }
            task?.cancel()
            _ = try? await task?.value
        }
    }

    static func waitUntil(_ seconds: Double = 10, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { Issue.record("condition not met within \(seconds) s"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func waitUntil(_ seconds: Double = 10, _ condition: () -> Bool) async throws {
        try await Self.waitUntil(seconds, condition)
    }

    @Test func aSubprotocolMessageCrossesASessionBothWays() async throws {
        // 200 kB of a repeating pattern: Snappy compresses it, and it still fits one frame.
        let payload = (0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let echoA = EchoProtocol(payload: payload)
        let echoB = EchoProtocol()
        let a = try await Running(protocols: [echoA])
        let b = try await Running(protocols: [echoB])
        a.server.addPeer(b.server.enode)
        try await waitUntil { echoA.answers.withLock { !$0.isEmpty } }
        #expect(echoA.answers.withLock { $0 } == [payload])
        #expect(a.server.peers.count == 1 && b.server.peers.count == 1)
        let outbound = try #require(a.server.peers.first)
        #expect(outbound.publicKey == b.server.configuration.nodeKey.publicKey)
        #expect(!outbound.isInbound && outbound.isStatic)
        #expect(outbound.hello.capabilities == [Capability(name: "echo", version: 1)])
        #expect(b.server.peers.first?.isInbound == true)
        await a.stop()
        await b.stop()
    }

    @Test func aPeerWithNoSharedProtocolIsSentAwayAsUseless() async throws {
        let a = try await Running(protocols: [EchoProtocol(name: "echo")])
        let b = try await Running(protocols: [EchoProtocol(name: "other")])
        a.server.addPeer(b.server.enode)
        try await waitUntil { a.log().contains("useless peer") && b.log().contains("useless peer") }
        #expect(a.server.peers.isEmpty && b.server.peers.isEmpty)
        await a.stop()
        await b.stop()
    }

    @Test func aFullServerRefusesInboundPeersAsTooMany() async throws {
        let a = try await Running(protocols: [EchoProtocol()])
        let b = try await Running(protocols: [EchoProtocol()], maximumPeers: 0)
        a.server.addPeer(b.server.enode)
        try await waitUntil { a.log().contains("peer disconnected: too many peers") }
        #expect(b.server.peers.isEmpty)
        await a.stop()
        await b.stop()
    }

    @Test func removingAPeerEndsItsSessionAndItsRedials() async throws {
        let a = try await Running(protocols: [EchoProtocol()])
        let b = try await Running(protocols: [EchoProtocol()])
        a.server.addPeer(b.server.enode)
        try await waitUntil { a.server.peers.count == 1 && b.server.peers.count == 1 }
        a.server.removePeer(b.server.enode)
        try await waitUntil { a.server.peers.isEmpty && b.server.peers.isEmpty }
        #expect(b.log().contains("disconnect requested"))
        // Longer than the first redial delay (1 s): a removed peer is not dialled again.
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(a.server.peers.isEmpty)
        await a.stop()
        await b.stop()
    }

    /// Two nodes that find each other by discovery dial each other at about the same time. Each
    /// round starts both dials back to back; however the two handshakes interleave, both ends must
    /// keep the same one connection (the one dialled by the lower public key) and drop the other,
    /// never both (which left the e2e discovery test's nodes unconnected under load).
    @Test func nodesDiallingEachOtherAtOnceKeepOneConnection() async throws {
        for _ in 0 ..< 10 {
            let a = try await Running(protocols: [EchoProtocol()])
            let b = try await Running(protocols: [EchoProtocol()])
            try await waitUntil { a.server.isRunning && b.server.isRunning }
            a.server.connect(b.server.enode)
            b.server.connect(a.server.enode)
            try await waitUntil { a.server.peers.count == 1 && b.server.peers.count == 1 }
            // Whichever connection was refused or replaced has had time to close by now.
            try await Task.sleep(for: .milliseconds(300))
            let aKey = a.server.configuration.nodeKey.publicKey.bytes
            let bKey = b.server.configuration.nodeKey.publicKey.bytes
            let aDialled = aKey.lexicographicallyPrecedes(bKey)
            #expect(a.server.peers.map(\.isInbound) == [!aDialled], "\(a.log())\n--\n\(b.log())")
            #expect(b.server.peers.map(\.isInbound) == [aDialled])
            await a.stop()
            await b.stop()
        }
    }

    @Test func aServerDoesNotDialItself() async throws {
        let a = try await Running(protocols: [EchoProtocol()])
        #expect(a.server.addPeer(a.server.enode) == false)
        await a.stop()
    }
}
