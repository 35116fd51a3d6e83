import Chain
import ChainTypes
import Primitives
import RPC
import Testing

/// eth_syncing and net_peerCount as a node with peers answers them (the values come from
/// the eth handler through `RPCServerConfiguration`; here from fixed closures).
@Suite struct SyncingMethodTests {
    @Test func notSyncingIsFalseAndNoPeersIsZero() async throws {
        let service = RPCService(configuration: RPCServerConfiguration(), node: try makeNode())
        #expect(await dispatch(service, request("eth_syncing")) == result("false"))
        #expect(await dispatch(service, request("net_peerCount")) == result("\"0x0\""))
    }

    @Test func catchingUpIsGethsObject() async throws {
        var configuration = RPCServerConfiguration()
        configuration.syncProgress = { SyncProgress(startingBlock: 0, highestBlock: 0x12c) }
        configuration.peerCount = { 2 }
        let service = RPCService(configuration: configuration, node: try makeNode())
        #expect(await dispatch(service, request("eth_syncing"))
                == result("{\"startingBlock\":\"0x0\",\"currentBlock\":\"0x0\",\"highestBlock\":\"0x12c\"}"))
        #expect(await dispatch(service, request("net_peerCount")) == result("\"0x2\""))
    }
}
