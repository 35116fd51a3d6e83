import Chain
import ChainTypes
import Clique
import GoldenGrainNode
import Primitives
import RPC
import Storage
import Testing
import TestSupport

/// clique_getSnapshot with votes in flight, in geth's JSON: the three signers of
/// Genesis/testnet-3.json (test-mnemonic accounts 0–2); account 0 votes account 3 in and seals
/// block 1. One vote of three is no majority, so the vote and its tally stay in the snapshot.
@Suite struct CliqueSnapshotMethodTests {
    static let account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    static let account1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    static let account2 = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
    static let account3 = "0x90f79bf6eb2c4f870365e785982e1f101e93b906"

    @Test func aPendingVoteAndItsTallyAreShown() async throws {
        let genesis = try Genesis(contentsOfFile: TestFiles.genesis.appendingPathComponent("testnet-3.json").path)
        var configuration = NodeConfiguration(genesis: genesis, signerKey: devKeys[0])
        configuration.isAutomine = false
        let store = MemoryStore()
        try configuration.installGoldenGrain(snapshotStore: store)
        let node = try Node(configuration: configuration, store: store)
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        #expect(await dispatch(service, request("clique_propose", "[\"\(Self.account3)\", true]")) == result("null"))
        try node.mine(blocks: 1, timestamp: 1_002)
        let head = try #require(try node.block(.latest))
        #expect(await dispatch(service, request("clique_getSnapshot", "[\"latest\"]"))
                == result("{\"number\":1,\"hash\":\"\(Hex.encode(head.hash.bytes))\","
                          + "\"signers\":{\"\(Self.account2)\":{},\"\(Self.account1)\":{},\"\(Self.account0)\":{}},"
                          + "\"recents\":{\"1\":\"\(Self.account0)\"},"
                          + "\"votes\":[{\"signer\":\"\(Self.account0)\",\"block\":1,\"address\":\"\(Self.account3)\",\"authorize\":true}],"
                          + "\"tally\":{\"\(Self.account3)\":{\"authorize\":true,\"votes\":1}}}"))
    }
}
