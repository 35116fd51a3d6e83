import Testing
import NIOCore
import P2P
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
