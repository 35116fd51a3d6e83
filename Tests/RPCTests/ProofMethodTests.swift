import Chain
import ChainTypes
import Primitives
import RPC
import Testing

/// eth_getProof over JSON-RPC: geth's result shape and field order, key echoing, argument errors.
/// (The proofs themselves are verified node-side in ChainTests/NodeProofTests and, independently
/// of the trie code, in Tests/e2e/test_get_proof.py.)
@Suite struct ProofMethodTests {
    static let nobody = "0x00000000000000000000000000000000000b0d1e"

    @Test func absentAccountResultShapeAndKeyEcho() async throws {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        let full = "0x" + String(repeating: "0", count: 62) + "02"
        let body = await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", [\"0x1\", \"\(full)\", \"3\"], \"latest\"]"))
        let response = try JSON.parse(body)
        let result = try #require(response["result"])
        guard case .object(let members) = result else { Issue.record("not an object: \(body)"); return }
        #expect(members.map(\.0) == ["address", "accountProof", "balance", "codeHash", "nonce", "storageHash", "storageProof"])
        #expect(result["address"] == .string(Self.nobody))
        #expect(result["balance"] == .string("0x0"))
        #expect(result["nonce"] == .string("0x0"))
        let zero = "0x" + String(repeating: "0", count: 64)
        #expect(result["codeHash"] == .string(zero))
        #expect(result["storageHash"] == .string(zero))
        // Keys shorter than 32 bytes come back as quantities, 32-byte keys as given (geth).
        let storage = "[{\"key\":\"0x1\",\"value\":\"0x0\",\"proof\":[]},{\"key\":\"\(full)\",\"value\":\"0x0\",\"proof\":[]},"
            + "{\"key\":\"0x3\",\"value\":\"0x0\",\"proof\":[]}]"
        #expect(result["storageProof"] == (try JSON.parse(storage)))
        // The first account-proof node hashes to the head's state root.
        guard case .array(let nodes)? = result["accountProof"], case .string(let first)? = nodes.first else {
            Issue.record("no account proof: \(body)"); return
        }
        let root = try #require(try node.block(.latest)).header.stateRoot
        #expect(Keccak256.hash(try Hex.decode(first)) == root)
    }

    @Test func contractStorageValuesAndAccountFields() async throws {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        let contract = "0x00000000000000000000000000000000000000c0"
        #expect(await dispatch(service, request("anvil_setCode", "[\"\(contract)\", \"0x00\"]")) == result("null"))
        #expect(await dispatch(service, request("anvil_setStorageAt",
                                                "[\"\(contract)\", \"0x1\", \"0x\(String(repeating: "0", count: 62))2a\"]")) == result("true"))
        #expect(await dispatch(service, request("evm_mine")) == result("\"0x0\""))
        let body = await dispatch(service, request("eth_getProof", "[\"\(contract)\", [\"0x01\"], \"0x1\"]"))
        let proof = try #require(try JSON.parse(body)["result"])
        #expect(proof["codeHash"] == .string("0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"))
        guard case .array(let slots)? = proof["storageProof"], let slot = slots.first else { Issue.record("\(body)"); return }
        #expect(slot["key"] == .string("0x1"))
        #expect(slot["value"] == .string("0x2a"))
        guard case .array(let nodes)? = slot["proof"], case .string(let rootNode)? = nodes.first,
              case .string(let storageHash)? = proof["storageHash"] else { Issue.record("\(body)"); return }
        #expect(Hex.encode(Keccak256.hash(try Hex.decode(rootNode)).bytes) == storageHash)
    }

    @Test func argumentErrorsUseGethMessages() async throws {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        let tooLong = "0x" + String(repeating: "1", count: 66)
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", [\"\(tooLong)\"]]"))
                == error(-32602, "storage key too long (want at most 32 bytes): \\\"\(tooLong)\\\""))
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", [\"0xzz\"]]"))
                == error(-32602, "invalid hex in storage key: \\\"0xzz\\\""))
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", \"0x1\"]"))
                == error(-32602, "invalid argument 1: json: cannot unmarshal string into Go value of type []string"))
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", [1]]"))
                == error(-32602, "invalid argument 1: json: cannot unmarshal number into Go value of type string"))
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\"]"))
                == error(-32602, "missing value for required argument 1"))
        let many = Array(repeating: "\"0x1\"", count: 1025).joined(separator: ",")
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", [\(many)]]"))
                == error(-32602, "too many storage keys requested (max 1024, got 1025)"))
        #expect(await dispatch(service, request("eth_getProof", "[\"\(Self.nobody)\", [], \"0x9\"]"))
                == error(-32000, "header not found"))
    }
}
