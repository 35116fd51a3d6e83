import Chain
import Primitives
import RPC
import Testing

/// The methods over the fake node, with exact JSON.
@Suite struct MethodTests {
    let account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    let account1 = "0x70997970c51812dc3a010c7d01b50e20d4dc79c8"

    @Test func chainFacts() async throws {
        let node = FakeNode()
        #expect(try await call(request("eth_chainId"), node: node) == result("\"0x7a69\""))
        #expect(try await call(request("net_version"), node: node) == result("\"31337\""))
        #expect(try await call(request("net_listening"), node: node) == result("true"))
        #expect(try await call(request("net_peerCount"), node: node) == result("\"0x0\""))
        #expect(try await call(request("eth_syncing"), node: node) == result("false"))
        #expect(try await call(request("eth_blockNumber"), node: node) == result("\"0x0\""))
        #expect(try await call(request("web3_clientVersion"), node: node) == result("\"GoldenGrain/v0.1.0/linux-x86_64/swift6.3\""))
        #expect(try await call(request("eth_accounts"), node: node) == result("[\"\(account0)\",\"\(account1)\"]"))
        #expect(try await call(request("eth_gasPrice"), node: node) == result("\"0x77359400\""))
    }

    @Test func web3Sha3() async throws {
        #expect(try await call(request("web3_sha3", "[\"0x68656c6c6f20776f726c64\"]"))
                == result("\"0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad\""))
    }

    @Test func balanceOfDevAccountAtLatestAndByEIP1898() async throws {
        let node = FakeNode()
        #expect(try await call(request("eth_getBalance", "[\"\(account0)\", \"latest\"]"), node: node)
                == result("\"0x21e19e0c9bab2400000\""))
        #expect(try await call(request("eth_getBalance", "[\"\(account0)\", {\"blockNumber\":\"0x0\"}]"), node: node)
                == result("\"0x21e19e0c9bab2400000\""))
    }

    @Test func callRevertIsCode3WithReasonAndData() async throws {
        let body = try await call(request("eth_call", "[{\"to\":\"0x00000000000000000000000000000000000000aa\"}, \"latest\"]"))
        let data = Hex.encode(FakeNode.revertData)
        #expect(body == error(3, "execution reverted: nope", data: "\"\(data)\""))
    }

    @Test func estimateGasRevertIsCode3() async throws {
        let body = try await call(request("eth_estimateGas", "[{\"to\":\"0x00000000000000000000000000000000000000aa\"}]"))
        #expect(body == error(3, "execution reverted: nope", data: "\"\(Hex.encode(FakeNode.revertData))\""))
    }

    @Test func callReturnsOutput() async throws {
        #expect(try await call(request("eth_call", "[{\"to\":\"\(account1)\",\"input\":\"0x1234\"}]")) == result("\"0x1234\""))
    }

    func signedLegacy(nonce: UInt64 = 0, value: UInt256 = 1_000) -> Transaction {
        Transaction.legacy(chainId: 31337, nonce: nonce, gasPrice: 2_000_000_000, gasLimit: 21_000,
                           to: FakeNode.account1, value: value).signed(with: FakeNode.key0)
    }

    @Test func sendRawLegacyTransactionThenLookUpTransactionAndReceipt() async throws {
        let node = FakeNode()
        let transaction = signedLegacy()
        let hash = Hex.encode(transaction.hash.bytes)
        #expect(try await call(request("eth_sendRawTransaction", "[\"\(Hex.encode(transaction.encoded))\"]"), node: node)
                == result("\"\(hash)\""))
        let block = await node.block(number: 1)!
        let blockHash = Hex.encode(block.hash.bytes)
        let signature = transaction.signature!
        let expectedTransaction = "{\"blockHash\":\"\(blockHash)\",\"blockNumber\":\"0x1\",\"from\":\"\(account0)\",\"gas\":\"0x5208\","
            + "\"gasPrice\":\"0x77359400\",\"hash\":\"\(hash)\",\"input\":\"0x\",\"nonce\":\"0x0\",\"to\":\"\(account1)\","
            + "\"transactionIndex\":\"0x0\",\"value\":\"0x3e8\",\"type\":\"0x0\",\"chainId\":\"0x7a69\",\"v\":\"\(transaction.v!.hexQuantity)\","
            + "\"r\":\"\(signature.r.hexQuantity)\",\"s\":\"\(signature.s.hexQuantity)\"}"
        #expect(try await call(request("eth_getTransactionByHash", "[\"\(hash)\"]"), node: node) == result(expectedTransaction))
        let zeroBloom = "0x" + String(repeating: "0", count: 512)
        let expectedReceipt = "{\"blockHash\":\"\(blockHash)\",\"blockNumber\":\"0x1\",\"contractAddress\":null,\"cumulativeGasUsed\":\"0x5208\","
            + "\"effectiveGasPrice\":\"0x77359400\",\"from\":\"\(account0)\",\"gasUsed\":\"0x5208\",\"logs\":[],\"logsBloom\":\"\(zeroBloom)\","
            + "\"status\":\"0x1\",\"to\":\"\(account1)\",\"transactionHash\":\"\(hash)\",\"transactionIndex\":\"0x0\",\"type\":\"0x0\"}"
        #expect(try await call(request("eth_getTransactionReceipt", "[\"\(hash)\"]"), node: node) == result(expectedReceipt))
        #expect(try await call(request("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\", \"0x0\"]"), node: node) == result(expectedTransaction))
        #expect(try await call(request("eth_getBlockTransactionCountByNumber", "[\"0x1\"]"), node: node) == result("\"0x1\""))
    }

    @Test func dynamicFeeTransactionHasEIP1559Fields() async throws {
        let node = FakeNode()
        let transaction = Transaction.dynamicFee(chainId: 31337, nonce: 0, maxPriorityFeePerGas: 1_000_000_000,
                                                 maxFeePerGas: 3_000_000_000, gasLimit: 21_000, to: FakeNode.account1, value: 5)
            .signed(with: FakeNode.key0)
        _ = try await call(request("eth_sendRawTransaction", "[\"\(Hex.encode(transaction.encoded))\"]"), node: node)
        let body = try await call(request("eth_getTransactionByHash", "[\"\(Hex.encode(transaction.hash.bytes))\"]"), node: node)
        let block = await node.block(number: 1)!
        let gasPrice = transaction.effectiveGasPrice(baseFee: block.header.baseFeePerGas!).hexQuantity
        #expect(body.contains("\"gasPrice\":\"\(gasPrice)\",\"maxFeePerGas\":\"0xb2d05e00\",\"maxPriorityFeePerGas\":\"0x3b9aca00\","))
        #expect(body.contains("\"type\":\"0x2\",\"accessList\":[],\"chainId\":\"0x7a69\",\"v\":\"0x\(transaction.signature!.yParity)\","))
        #expect(body.hasSuffix(",\"yParity\":\"0x\(transaction.signature!.yParity)\"}}\n"))
    }

    @Test func rejectionsAreMinus32000WithGethMessages() async throws {
        let node = FakeNode()
        let first = signedLegacy()
        let raw = "[\"\(Hex.encode(first.encoded))\"]"
        _ = try await call(request("eth_sendRawTransaction", raw), node: node)
        #expect(try await call(request("eth_sendRawTransaction", raw), node: node) == error(-32000, "already known"))
        let stale = signedLegacy(value: 2)
        #expect(try await call(request("eth_sendRawTransaction", "[\"\(Hex.encode(stale.encoded))\"]"), node: node)
                == error(-32000, "nonce too low: address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, tx: 0 state: 1"))
        #expect(try await call(request("eth_sendRawTransaction", "[\"0x\"]"), node: node)
                == error(-32000, "transaction is empty, expected an RLP list or a type byte followed by a payload (EIP-2718)"))
    }

    @Test func genesisBlockObjectFieldsInGethOrder() async throws {
        let node = FakeNode()
        let block = await node.block(number: 0)!
        let header = block.header
        let zeroBloom = "0x" + String(repeating: "0", count: 512)
        let expected = "{\"baseFeePerGas\":\"\(header.baseFeePerGas!.hexQuantity)\",\"difficulty\":\"\(header.difficulty.hexQuantity)\","
            + "\"extraData\":\"\(Hex.encode(header.extraData))\",\"gasLimit\":\"0x\(String(header.gasLimit, radix: 16))\",\"gasUsed\":\"0x0\","
            + "\"hash\":\"\(Hex.encode(block.hash.bytes))\",\"logsBloom\":\"\(zeroBloom)\",\"miner\":\"\(Hex.encode(header.coinbase.bytes))\","
            + "\"mixHash\":\"\(Hex.encode(header.mixHash.bytes))\",\"nonce\":\"0x0000000000000000\",\"number\":\"0x0\","
            + "\"parentHash\":\"0x\(String(repeating: "0", count: 64))\",\"receiptsRoot\":\"\(Hex.encode(header.receiptsRoot.bytes))\","
            + "\"sha3Uncles\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\","
            + "\"size\":\"0x\(String(block.encoded.count, radix: 16))\",\"stateRoot\":\"\(Hex.encode(header.stateRoot.bytes))\","
            + "\"timestamp\":\"0x\(String(header.timestamp, radix: 16))\",\"totalDifficulty\":\"\(header.difficulty.hexQuantity)\","
            + "\"transactions\":[],\"transactionsRoot\":\"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421\",\"uncles\":[]}"
        #expect(try await call(request("eth_getBlockByNumber", "[\"earliest\", true]"), node: node) == result(expected))
        #expect(try await call(request("eth_getBlockByHash", "[\"\(Hex.encode(block.hash.bytes))\", false]"), node: node) == result(expected))
        #expect(try await call(request("eth_getBlockByNumber", "[\"0x5\", false]"), node: node) == result("null"))
    }

    @Test func logsAndLogFilters() async throws {
        let node = FakeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), backend: node)
        let filterBody = await dispatch(service, request("eth_newFilter", "[{\"address\":\"0x00000000000000000000000000000000000000bb\"}]"))
        let filterId = String(filterBody.split(separator: "\"")[9])
        let blockFilterBody = await dispatch(service, request("eth_newBlockFilter"))
        let blockFilterId = String(blockFilterBody.split(separator: "\"")[9])
        let transaction = Transaction.legacy(chainId: 31337, nonce: 0, gasPrice: 2_000_000_000, gasLimit: 30_000,
                                             to: FakeNode.logger, value: 0).signed(with: FakeNode.key0)
        _ = await dispatch(service, request("eth_sendRawTransaction", "[\"\(Hex.encode(transaction.encoded))\"]"))
        let block = await node.block(number: 1)!
        let log = "{\"address\":\"0x00000000000000000000000000000000000000bb\",\"topics\":[\"\(Hex.encode(FakeNode.eventTopic.bytes))\"],"
            + "\"data\":\"0x0000000000000000000000000000000000000000000000000000000000000007\",\"blockNumber\":\"0x1\","
            + "\"transactionHash\":\"\(Hex.encode(transaction.hash.bytes))\",\"transactionIndex\":\"0x0\","
            + "\"blockHash\":\"\(Hex.encode(block.hash.bytes))\",\"logIndex\":\"0x0\",\"removed\":false}"
        #expect(await dispatch(service, request("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"topics\":[\"\(Hex.encode(FakeNode.eventTopic.bytes))\"]}]"))
                == result("[\(log)]"))
        #expect(await dispatch(service, request("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"address\":\"\(account1)\"}]")) == result("[]"))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(filterId)\"]")) == result("[\(log)]"))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(filterId)\"]")) == result("[]"))
        #expect(await dispatch(service, request("eth_getFilterLogs", "[\"\(filterId)\"]")) == result("[\(log)]"))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(blockFilterId)\"]"))
                == result("[\"\(Hex.encode(block.hash.bytes))\"]"))
        #expect(await dispatch(service, request("eth_uninstallFilter", "[\"\(filterId)\"]")) == result("true"))
        #expect(await dispatch(service, request("eth_uninstallFilter", "[\"\(filterId)\"]")) == result("false"))
        #expect(await dispatch(service, request("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x1\"}]"))
                == error(-32000, "invalid block range params"))
    }

    @Test func filtersExpireWhenIdle() async throws {
        let node = FakeNode()
        let configuration = RPCServerConfiguration(filterTimeout: .milliseconds(50))
        let router = buildRouter(configuration: configuration, node: node)
        _ = router
        let service = RPCService(configuration: configuration, backend: node)
        let installed = await service.dispatcher.handle(body: Array(request("eth_newBlockFilter").utf8))
        let id = installed?["result"]?.stringValue ?? ""
        try await Task.sleep(for: .milliseconds(120))
        let polled = await service.dispatcher.handle(body: Array(request("eth_getFilterChanges", "[\"\(id)\"]").utf8))
        #expect(polled?.serialized == "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"filter not found\"}}")
    }

    @Test func devMethods() async throws {
        let node = FakeNode()
        #expect(try await call(request("evm_snapshot"), node: node) == result("\"0x1\""))
        #expect(try await call(request("anvil_setBalance", "[\"\(account1)\", \"0x64\"]"), node: node) == result("null"))
        #expect(try await call(request("eth_getBalance", "[\"\(account1)\"]"), node: node) == result("\"0x64\""))
        #expect(try await call(request("evm_mine"), node: node) == result("\"0x0\""))
        #expect(try await call(request("anvil_mine", "[\"0x3\"]"), node: node) == result("null"))
        #expect(try await call(request("eth_blockNumber"), node: node) == result("\"0x4\""))
        #expect(try await call(request("evm_revert", "[\"0x1\"]"), node: node) == result("true"))
        #expect(try await call(request("evm_revert", "[\"0x1\"]"), node: node) == result("false"))
        #expect(try await call(request("eth_blockNumber"), node: node) == result("\"0x0\""))
        #expect(try await call(request("evm_increaseTime", "[60]"), node: node) == result("\"0x3c\""))
        #expect(try await call(request("evm_increaseTime", "[\"0x3c\"]"), node: node) == result("\"0x78\""))
        #expect(try await call(request("hardhat_setStorageAt", "[\"\(account1)\", \"0x1\", \"0x\(String(repeating: "0", count: 62))2a\"]"), node: node)
                == result("true"))
        #expect(try await call(request("eth_getStorageAt", "[\"\(account1)\", \"0x1\", \"latest\"]"), node: node)
                == result("\"0x\(String(repeating: "0", count: 62))2a\""))
        #expect(try await call(request("anvil_setCode", "[\"\(account1)\", \"0x6000\"]"), node: node) == result("null"))
        #expect(try await call(request("eth_getCode", "[\"\(account1)\"]"), node: node) == result("\"0x6000\""))
        #expect(try await call(request("evm_setAutomine", "[false]"), node: node) == result("null"))
        #expect(try await call(request("anvil_getAutomine"), node: node) == result("false"))
        #expect(try await call(request("evm_mine", "[0]"), node: node) == error(-32602, "timestamp 0 is not after the head's"))
    }

    @Test func sendTransactionFromDevAccount() async throws {
        let node = FakeNode()
        let body = try await call(request("eth_sendTransaction", "[{\"from\":\"\(account0)\",\"to\":\"\(account1)\",\"value\":\"0x1\"}]"), node: node)
        let block = await node.block(number: 1)!
        #expect(body == result("\"\(Hex.encode(block.transactions[0].hash.bytes))\""))
        #expect(try await call(request("eth_sendTransaction", "[{\"from\":\"\(account1)\"}]"), node: node) == error(-32000, "unknown account"))
    }

    @Test func feeHistoryOverTwoBlocks() async throws {
        let node = FakeNode()
        _ = try await call(request("eth_sendRawTransaction", "[\"\(Hex.encode(signedLegacy().encoded))\"]"), node: node)
        let genesis = await node.block(number: 0)!.header
        let first = await node.block(number: 1)!.header
        let next = Header.nextBaseFee(parent: first)
        let tip = UInt256(2_000_000_000) &- first.baseFeePerGas!
        let ratio = Double(21_000) / Double(first.gasLimit)
        let body = try await call(request("eth_feeHistory", "[\"0x2\", \"latest\", [50]]"), node: node)
        #expect(body == result("{\"oldestBlock\":\"0x0\",\"reward\":[[\"0x0\"],[\"\(tip.hexQuantity)\"]],"
            + "\"baseFeePerGas\":[\"\(genesis.baseFeePerGas!.hexQuantity)\",\"\(first.baseFeePerGas!.hexQuantity)\",\"\(next.hexQuantity)\"],"
            + "\"gasUsedRatio\":[0,\(ChainJSON.float(ratio).serialized)]}"))
    }

    @Test func cliqueMethods() async throws {
        let node = FakeNode()
        #expect(try await call(request("clique_getSigners"), node: node) == result("[\"\(account0)\"]"))
        #expect(try await call(request("clique_propose", "[\"\(account1)\", true]"), node: node) == result("null"))
        #expect(try await call(request("clique_proposals"), node: node) == result("{\"\(account1)\":true}"))
        #expect(try await call(request("clique_discard", "[\"\(account1)\"]"), node: node) == result("null"))
        #expect(try await call(request("clique_proposals"), node: node) == result("{}"))
        let genesis = await node.block(number: 0)!
        #expect(try await call(request("clique_getSnapshot", "[\"0x0\"]"), node: node)
                == result("{\"number\":0,\"hash\":\"\(Hex.encode(genesis.hash.bytes))\",\"signers\":{\"\(account0)\":{}},\"recents\":{},\"votes\":[],\"tally\":{}}"))
    }
}
