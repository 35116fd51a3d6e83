import Marketplace
import Primitives
import Signatures
import Testing

/// The RPC client and wallet against a real `goldengrain node --dev` (the release binary).
@Suite(.enabled(if: DevNode.isAvailable, "needs .build/release/goldengrain: run `swift build -c release` (make test does)"))
struct RPCClientNodeTests {
    /// A contract whose every call reverts with `Error("nope")`, assembled by hand:
    /// runtime = mstore(0, 0x08c379a0 << 224); mstore(4, 0x20); mstore(0x24, 4); mstore(0x44, "nope"); revert(0, 0x64);
    /// init code = codecopy(0, 11, 0x57); return(0, 0x57).
    static let revertingInitCode = TestSupport.bytes(
        "6057 80 600b 6000 39 6000 f3"
        + "7f 08c379a0 00000000000000000000000000000000000000000000000000000000" + "6000 52"
        + "6020 6004 52" + "6004 6024 52"
        + "7f 6e6f7065 00000000000000000000000000000000000000000000000000000000" + "6044 52"
        + "6064 6000 fd")

    @Test func chainStateHelpers() async throws {
        let node = try await DevNode()
        defer { node.stop() }
        let client = node.rpc
        #expect(try await client.chainId() == DevNode.chainId)
        #expect(try await client.blockNumber() == 0)
        // Dev accounts start with 10,000 ether, as anvil's.
        let tenThousandEther = UInt256(10_000) &* UInt256(1_000_000_000_000_000_000)
        #expect(try await client.getBalance(DevNode.keys[0].address) == tenThousandEther)
        #expect(try await client.getTransactionCount(DevNode.keys[0].address) == 0)
        let genesis = try #require(try await client.getBlockByNumber(.number(0)))
        #expect(genesis.number == 0)
        #expect(try await client.getBlockByNumber(.number(99)) == nil)
        #expect(try await client.baseFee() == genesis.baseFeePerGas ?? .zero)
        #expect(try await client.gasPrice() > .zero)
        #expect(try await client.getCode(DevNode.keys[0].address).isEmpty)
        // An unknown method comes back as the node's JSON-RPC error, code and message intact.
        await #expect {
            _ = try await client.call("eth_noSuchMethod", [])
        } throws: { error in
            guard case RPCClientError.rpc(let method, let code, _, _) = error else { return false }
            return method == "eth_noSuchMethod" && code == -32601
        }
    }

    @Test func transferIsMinedAndMovesValue() async throws {
        let node = try await DevNode()
        defer { node.stop() }
        let client = node.rpc
        let wallet = Wallet(key: DevNode.keys[0], client: client)
        let recipient = try Address(hex: "0x000000000000000000000000000000000000beef")
        let receipt = try await wallet.sendAndWait(to: recipient, value: 12_345)
        #expect(receipt.isSuccess)
        #expect(receipt.gasUsed == 21_000)
        #expect(receipt.from == DevNode.keys[0].address)
        #expect(receipt.to == recipient)
        #expect(try await client.getBalance(recipient) == 12_345)
        #expect(try await client.getTransactionCount(DevNode.keys[0].address, block: .latest) == 1)
        let block = try #require(try await client.getBlockByNumber(.number(receipt.blockNumber)))
        #expect(block.transactionHashes == [receipt.transactionHash])
        // Two sends in a row get consecutive nonces from the wallet's local count.
        async let first = wallet.send(to: recipient, value: 1)
        async let second = wallet.send(to: recipient, value: 2)
        let hashes = try await [first, second]
        for hash in hashes { #expect(try await client.waitForReceipt(hash).isSuccess) }
        #expect(try await client.getBalance(recipient) == 12_348)
    }

    @Test func revertsCarryTheirReason() async throws {
        let node = try await DevNode()
        defer { node.stop() }
        let client = node.rpc
        let wallet = Wallet(key: DevNode.keys[1], client: client)
        let (contract, deployment) = try await wallet.deploy(bytecode: Self.revertingInitCode)
        #expect(deployment.contractAddress == contract)
        #expect(try await client.getCode(contract).count == 0x57)
        // eth_call: code 3 with the revert data, decoded to the reason.
        await #expect {
            _ = try await client.call(CallRequest(to: contract, data: [1, 2, 3, 4]))
        } throws: { error in
            (error as? RPCClientError)?.revert == .error("nope")
        }
        // Sending estimates first, so the reason shows before anything is signed.
        await #expect {
            _ = try await wallet.send(to: contract, data: [1, 2, 3, 4])
        } throws: { error in
            (error as? RPCClientError)?.revert == .error("nope")
        }
        // With a fixed gas limit it is mined, fails, and the replay finds the reason.
        await #expect {
            _ = try await wallet.sendAndWait(to: contract, data: [1, 2, 3, 4], gasLimit: 100_000)
        } throws: { error in
            guard case RPCClientError.transactionReverted(_, let gasUsed, let reason) = error else { return false }
            return gasUsed > 21_000 && reason == .error("nope")
        }
    }

    @Test func logsAndTimeTravel() async throws {
        let node = try await DevNode()
        defer { node.stop() }
        let client = node.rpc
        let before = try #require(try await client.getBlockByNumber(.latest))
        try await client.increaseTime(seconds: 3600)
        try await client.mine()
        let after = try #require(try await client.getBlockByNumber(.latest))
        #expect(after.number == before.number + 1)
        #expect(after.timestamp >= before.timestamp + 3600)
        #expect(try await client.getLogs(LogQuery(fromBlock: .earliest, toBlock: .latest)).isEmpty)
    }

    @Test func unreachableNodeIsATransportError() async throws {
        let client = RPCClient(url: "http://127.0.0.1:\(try DevNode.freePort())", requestTimeout: .seconds(5))
        await #expect {
            _ = try await client.chainId()
        } throws: { error in
            if case RPCClientError.transport = error { return true }
            return false
        }
    }
}
