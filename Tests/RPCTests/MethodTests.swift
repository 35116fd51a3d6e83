import Chain
import ChainTypes
import Primitives
import RPC
import Testing

/// The methods against a real in-memory dev node, with exact JSON.
@Suite struct MethodTests {
    let account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    let account1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    static let reverter = "0x00000000000000000000000000000000000000aa"
    static let logger = "0x00000000000000000000000000000000000000bb"
    static let echo = "0x00000000000000000000000000000000000000cc"
    /// Reverts with Error("nope").
    static let reverterCode = "0x6308c379a060e01b60005260206004526004602452636e6f706560e01b60445260646000fd"
    static let eventTopic = "0x" + String(repeating: "11", count: 32)
    /// Emits LOG1(eventTopic) with data 7, then stops.
    static let loggerCode = "0x60076000527f" + String(repeating: "11", count: 32) + "60206000a100"
    /// Returns its call data.
    static let echoCode = "0x366000600037366000f3"
    static let revertData = "0x08c379a0" + "0000000000000000000000000000000000000000000000000000000000000020"
        + "0000000000000000000000000000000000000000000000000000000000000004" + "6e6f7065" + String(repeating: "0", count: 56)

    /// A node with the three test contracts installed, and a long-lived service over it.
    func setUp() async throws -> (Node, RPCService) {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        for (address, code) in [(Self.reverter, Self.reverterCode), (Self.logger, Self.loggerCode), (Self.echo, Self.echoCode)] {
            #expect(await dispatch(service, request("anvil_setCode", "[\"\(address)\", \"\(code)\"]")) == result("null"))
        }
        return (node, service)
    }

    @Test func chainFacts() async throws {
        let (node, service) = try await setUp()
        #expect(await dispatch(service, request("eth_chainId")) == result("\"0x7a69\""))
        #expect(await dispatch(service, request("net_version")) == result("\"31337\""))
        #expect(await dispatch(service, request("net_listening")) == result("true"))
        #expect(await dispatch(service, request("eth_syncing")) == result("false"))
        #expect(await dispatch(service, request("eth_blockNumber")) == result("\"0x0\""))
        #expect(await dispatch(service, request("web3_clientVersion")) == result("\"GoldenGrain/v0.1.0/linux-x86_64/swift6.3\""))
        #expect(await dispatch(service, request("eth_coinbase")) == result("\"\(account0)\""))
        #expect(await dispatch(service, request("eth_gasPrice")) == result("\"\(node.gasPrice().hexQuantity)\""))
        #expect(await dispatch(service, request("eth_maxPriorityFeePerGas")) == result("\"0x3b9aca00\""))
        let accounts = await dispatch(service, request("eth_accounts"))
        #expect(accounts.hasPrefix("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"\(account0)\",\"\(account1)\","))
    }

    @Test func web3Sha3() async throws {
        #expect(try await call(request("web3_sha3", "[\"0x68656c6c6f20776f726c64\"]"))
                == result("\"0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad\""))
    }

    @Test func balanceOfDevAccountAtLatestAndByEIP1898() async throws {
        let (node, service) = try await setUp()
        #expect(await dispatch(service, request("eth_getBalance", "[\"\(account1)\", \"latest\"]")) == result("\"0x21e19e0c9bab2400000\""))
        #expect(await dispatch(service, request("eth_getBalance", "[\"\(account1)\", {\"blockNumber\":\"0x0\"}]"))
                == result("\"0x21e19e0c9bab2400000\""))
        let genesisHash = Hex.encode(try node.block(.earliest)!.hash.bytes)
        #expect(await dispatch(service, request("eth_getBalance", "[\"\(account1)\", {\"blockHash\":\"\(genesisHash)\",\"requireCanonical\":true}]"))
                == result("\"0x21e19e0c9bab2400000\""))
    }

    @Test func callRevertIsCode3WithReasonAndData() async throws {
        let (_, service) = try await setUp()
        #expect(await dispatch(service, request("eth_call", "[{\"to\":\"\(Self.reverter)\"}, \"latest\"]"))
                == error(3, "execution reverted: nope", data: "\"\(Self.revertData)\""))
        #expect(await dispatch(service, request("eth_estimateGas", "[{\"to\":\"\(Self.reverter)\"}]"))
                == error(3, "execution reverted: nope", data: "\"\(Self.revertData)\""))
    }

    @Test func callReturnsOutput() async throws {
        let (_, service) = try await setUp()
        #expect(await dispatch(service, request("eth_call", "[{\"to\":\"\(Self.echo)\",\"input\":\"0x1234\"}]")) == result("\"0x1234\""))
        #expect(await dispatch(service, request("eth_estimateGas", "[{\"from\":\"\(account0)\",\"to\":\"\(account1)\",\"value\":\"0x1\"}]"))
                == result("\"0x5208\""))
    }

    @Test func sendRawLegacyTransactionThenLookUpTransactionAndReceipt() async throws {
        let (node, service) = try await setUp()
        let transaction = Transaction.legacy(chainId: 31337, nonce: 0, gasPrice: 2_000_000_000, gasLimit: 21_000,
                                             to: devKeys[1].address, value: 1_000).signed(with: devKeys[0])
        let hash = Hex.encode(transaction.hash.bytes)
        #expect(await dispatch(service, request("eth_sendRawTransaction", "[\"\(Hex.encode(transaction.encoded))\"]")) == result("\"\(hash)\""))
        let block = try node.block(.latest)!
        let blockHash = Hex.encode(block.hash.bytes)
        let number = "0x" + String(block.number, radix: 16)
        let signature = transaction.signature!
        let timestamp = "0x" + String(block.header.timestamp, radix: 16)
        let expectedTransaction = "{\"blockHash\":\"\(blockHash)\",\"blockNumber\":\"\(number)\",\"blockTimestamp\":\"\(timestamp)\","
            + "\"from\":\"\(account0)\",\"gas\":\"0x5208\","
            + "\"gasPrice\":\"0x77359400\",\"hash\":\"\(hash)\",\"input\":\"0x\",\"nonce\":\"0x0\",\"to\":\"\(account1)\","
            + "\"transactionIndex\":\"0x0\",\"value\":\"0x3e8\",\"type\":\"0x0\",\"chainId\":\"0x7a69\",\"v\":\"\(transaction.v!.hexQuantity)\","
            + "\"r\":\"\(signature.r.hexQuantity)\",\"s\":\"\(signature.s.hexQuantity)\"}"
        #expect(await dispatch(service, request("eth_getTransactionByHash", "[\"\(hash)\"]")) == result(expectedTransaction))
        let zeroBloom = "0x" + String(repeating: "0", count: 512)
        let expectedReceipt = "{\"blockHash\":\"\(blockHash)\",\"blockNumber\":\"\(number)\",\"contractAddress\":null,\"cumulativeGasUsed\":\"0x5208\","
            + "\"effectiveGasPrice\":\"0x77359400\",\"from\":\"\(account0)\",\"gasUsed\":\"0x5208\",\"logs\":[],\"logsBloom\":\"\(zeroBloom)\","
            + "\"status\":\"0x1\",\"to\":\"\(account1)\",\"transactionHash\":\"\(hash)\",\"transactionIndex\":\"0x0\",\"type\":\"0x0\"}"
        #expect(await dispatch(service, request("eth_getTransactionReceipt", "[\"\(hash)\"]")) == result(expectedReceipt))
        #expect(await dispatch(service, request("eth_getTransactionByBlockNumberAndIndex", "[\"\(number)\", \"0x0\"]")) == result(expectedTransaction))
        #expect(await dispatch(service, request("eth_getBlockTransactionCountByNumber", "[\"\(number)\"]")) == result("\"0x1\""))
        #expect(await dispatch(service, request("eth_getTransactionCount", "[\"\(account0)\", \"latest\"]")) == result("\"0x1\""))
    }

    @Test func dynamicFeeTransactionHasEIP1559Fields() async throws {
        let (node, service) = try await setUp()
        let transaction = Transaction.dynamicFee(chainId: 31337, nonce: 0, maxPriorityFeePerGas: 1_000_000_000,
                                                 maxFeePerGas: 3_000_000_000, gasLimit: 21_000, to: devKeys[1].address, value: 5)
            .signed(with: devKeys[0])
        _ = await dispatch(service, request("eth_sendRawTransaction", "[\"\(Hex.encode(transaction.encoded))\"]"))
        let body = await dispatch(service, request("eth_getTransactionByHash", "[\"\(Hex.encode(transaction.hash.bytes))\"]"))
        let block = try node.block(.latest)!
        let gasPrice = transaction.effectiveGasPrice(baseFee: block.header.baseFeePerGas!).hexQuantity
        #expect(body.contains("\"gasPrice\":\"\(gasPrice)\",\"maxFeePerGas\":\"0xb2d05e00\",\"maxPriorityFeePerGas\":\"0x3b9aca00\","))
        #expect(body.contains("\"type\":\"0x2\",\"accessList\":[],\"chainId\":\"0x7a69\",\"v\":\"0x\(transaction.signature!.yParity)\","))
        #expect(body.hasSuffix(",\"yParity\":\"0x\(transaction.signature!.yParity)\"}}\n"))
    }

    @Test func rejectionsAreMinus32000WithGethMessages() async throws {
        let (_, service) = try await setUp()
        let first = Transaction.legacy(chainId: 31337, nonce: 0, gasPrice: 2_000_000_000, gasLimit: 21_000,
                                       to: devKeys[1].address, value: 1).signed(with: devKeys[0])
        let raw = "[\"\(Hex.encode(first.encoded))\"]"
        _ = await dispatch(service, request("eth_sendRawTransaction", raw))
        let again = await dispatch(service, request("eth_sendRawTransaction", raw))
        #expect(again.contains("\"code\":-32000,\"message\":\"") && (again.contains("already known") || again.contains("nonce too low")))
        let stale = Transaction.legacy(chainId: 31337, nonce: 0, gasPrice: 2_000_000_000, gasLimit: 21_000,
                                       to: devKeys[1].address, value: 2).signed(with: devKeys[0])
        let low = await dispatch(service, request("eth_sendRawTransaction", "[\"\(Hex.encode(stale.encoded))\"]"))
        #expect(low.hasPrefix("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"nonce too low"))
        let tooLittleGas = Transaction.legacy(chainId: 31337, nonce: 1, gasPrice: 2_000_000_000, gasLimit: 20_000,
                                              to: devKeys[1].address, value: 2).signed(with: devKeys[0])
        let intrinsic = await dispatch(service, request("eth_sendRawTransaction", "[\"\(Hex.encode(tooLittleGas.encoded))\"]"))
        #expect(intrinsic.hasPrefix("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"intrinsic gas too low"))
    }

    @Test func genesisBlockObjectFieldsInGethOrder() async throws {
        let (node, service) = try await setUp()
        let record = try node.block(.earliest)!
        let header = record.header
        let zeroBloom = "0x" + String(repeating: "0", count: 512)
        let expected = "{\"baseFeePerGas\":\"\(header.baseFeePerGas!.hexQuantity)\",\"difficulty\":\"\(header.difficulty.hexQuantity)\","
            + "\"extraData\":\"\(Hex.encode(header.extraData))\",\"gasLimit\":\"0x\(String(header.gasLimit, radix: 16))\",\"gasUsed\":\"0x0\","
            + "\"hash\":\"\(Hex.encode(record.hash.bytes))\",\"logsBloom\":\"\(zeroBloom)\",\"miner\":\"\(Hex.encode(header.coinbase.bytes))\","
            + "\"mixHash\":\"\(Hex.encode(header.mixHash.bytes))\",\"nonce\":\"0x0000000000000000\",\"number\":\"0x0\","
            + "\"parentHash\":\"0x\(String(repeating: "0", count: 64))\",\"receiptsRoot\":\"\(Hex.encode(header.receiptsRoot.bytes))\","
            + "\"sha3Uncles\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\","
            + "\"size\":\"0x\(String(record.size, radix: 16))\",\"stateRoot\":\"\(Hex.encode(header.stateRoot.bytes))\","
            + "\"timestamp\":\"0x\(String(header.timestamp, radix: 16))\",\"totalDifficulty\":\"\(header.difficulty.hexQuantity)\","
            + "\"transactions\":[],\"transactionsRoot\":\"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421\",\"uncles\":[]}"
        #expect(await dispatch(service, request("eth_getBlockByNumber", "[\"earliest\", true]")) == result(expected))
        #expect(await dispatch(service, request("eth_getBlockByHash", "[\"\(Hex.encode(record.hash.bytes))\", false]")) == result(expected))
        #expect(await dispatch(service, request("eth_getBlockByNumber", "[\"0x50\", false]")) == result("null"))
    }

    @Test func devServerShowsOnlyTheExtraDataVanity() async throws {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(extraDataLimit: 32), node: node)
        let vanity = Hex.encode(try node.block(.earliest)!.header.extraData.prefix(32))
        #expect(await dispatch(service, request("eth_getBlockByNumber", "[\"0x0\", false]")).contains("\"extraData\":\"\(vanity)\","))
    }

    @Test func logsAndLogFilters() async throws {
        let (node, service) = try await setUp()
        let filterId = String(await dispatch(service, request("eth_newFilter", "[{\"address\":\"\(Self.logger)\"}]")).split(separator: "\"")[9])
        let blockFilterId = String(await dispatch(service, request("eth_newBlockFilter")).split(separator: "\"")[9])
        let sent = await dispatch(service, request("eth_sendTransaction", "[{\"from\":\"\(account0)\",\"to\":\"\(Self.logger)\",\"gas\":\"0x186a0\"}]"))
        let transactionHash = String(sent.split(separator: "\"")[9])
        let record = try node.block(.latest)!
        let log = "{\"address\":\"\(Self.logger)\",\"topics\":[\"\(Self.eventTopic)\"],"
            + "\"data\":\"0x0000000000000000000000000000000000000000000000000000000000000007\",\"blockNumber\":\"0x\(String(record.number, radix: 16))\","
            + "\"transactionHash\":\"\(transactionHash)\",\"transactionIndex\":\"0x0\","
            + "\"blockHash\":\"\(Hex.encode(record.hash.bytes))\",\"logIndex\":\"0x0\",\"removed\":false}"
        #expect(await dispatch(service, request("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"topics\":[\"\(Self.eventTopic)\"]}]")) == result("[\(log)]"))
        #expect(await dispatch(service, request("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"address\":\"\(account1)\"}]")) == result("[]"))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(filterId)\"]")) == result("[\(log)]"))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(filterId)\"]")) == result("[]"))
        #expect(await dispatch(service, request("eth_getFilterLogs", "[\"\(filterId)\"]")) == result("[\(log)]"))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(blockFilterId)\"]")) == result("[\"\(Hex.encode(record.hash.bytes))\"]"))
        #expect(await dispatch(service, request("eth_uninstallFilter", "[\"\(filterId)\"]")) == result("true"))
        #expect(await dispatch(service, request("eth_uninstallFilter", "[\"\(filterId)\"]")) == result("false"))
        #expect(await dispatch(service, request("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x1\"}]")) == error(-32000, "invalid block range params"))
    }

    @Test func filtersExpireWhenIdle() async throws {
        let service = RPCService(configuration: RPCServerConfiguration(filterTimeout: .milliseconds(50)), node: try makeNode())
        let id = String(await dispatch(service, request("eth_newBlockFilter")).split(separator: "\"")[9])
        try await Task.sleep(for: .milliseconds(120))
        #expect(await dispatch(service, request("eth_getFilterChanges", "[\"\(id)\"]")) == error(-32000, "filter not found"))
    }

    @Test func devMethods() async throws {
        let (_, service) = try await setUp()
        #expect(await dispatch(service, request("evm_snapshot")) == result("\"0x1\""))
        #expect(await dispatch(service, request("anvil_setBalance", "[\"\(account1)\", \"0x64\"]")) == result("null"))
        #expect(await dispatch(service, request("eth_getBalance", "[\"\(account1)\"]")) == result("\"0x64\""))
        #expect(await dispatch(service, request("evm_mine")) == result("\"0x0\""))
        #expect(await dispatch(service, request("anvil_mine", "[\"0x3\"]")) == result("null"))
        #expect(await dispatch(service, request("eth_blockNumber")) == result("\"0x4\""))
        #expect(await dispatch(service, request("evm_revert", "[\"0x1\"]")) == result("true"))
        #expect(await dispatch(service, request("evm_revert", "[\"0x1\"]")) == result("false"))
        #expect(await dispatch(service, request("eth_blockNumber")) == result("\"0x0\""))
        #expect(await dispatch(service, request("evm_increaseTime", "[60]")) == result("\"0x3c\""))
        #expect(await dispatch(service, request("evm_increaseTime", "[\"0x3c\"]")) == result("\"0x78\""))
        let word = "0x" + String(repeating: "0", count: 62) + "2a"
        #expect(await dispatch(service, request("hardhat_setStorageAt", "[\"\(account1)\", \"0x1\", \"\(word)\"]")) == result("true"))
        #expect(await dispatch(service, request("eth_getStorageAt", "[\"\(account1)\", \"0x1\", \"latest\"]")) == result("\"\(word)\""))
        #expect(await dispatch(service, request("anvil_setNonce", "[\"\(account1)\", \"0x5\"]")) == result("null"))
        #expect(await dispatch(service, request("eth_getTransactionCount", "[\"\(account1)\"]")) == result("\"0x5\""))
        #expect(await dispatch(service, request("evm_setAutomine", "[false]")) == result("null"))
        #expect(await dispatch(service, request("anvil_getAutomine")) == result("false"))
        #expect(await dispatch(service, request("evm_mine", "[1]")) == result("\"0x0\""))
        let stale = await dispatch(service, request("evm_mine", "[1]"))
        #expect(stale.hasPrefix("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"timestamp 1 is lower than"))
    }

    @Test func impersonatedSend() async throws {
        let (_, service) = try await setUp()
        let stranger = "0x1000000000000000000000000000000000000001"
        #expect(await dispatch(service, request("eth_sendTransaction", "[{\"from\":\"\(stranger)\",\"to\":\"\(account1)\"}]")) == error(-32000, "unknown account"))
        #expect(await dispatch(service, request("anvil_setBalance", "[\"\(stranger)\", \"0xde0b6b3a7640000\"]")) == result("null"))
        #expect(await dispatch(service, request("anvil_impersonateAccount", "[\"\(stranger)\"]")) == result("null"))
        let sent = await dispatch(service, request("eth_sendTransaction", "[{\"from\":\"\(stranger)\",\"to\":\"\(account1)\",\"value\":\"0x1\"}]"))
        let hash = String(sent.split(separator: "\"")[9])
        let receipt = await dispatch(service, request("eth_getTransactionReceipt", "[\"\(hash)\"]"))
        #expect(receipt.contains("\"from\":\"\(stranger)\""))
        #expect(receipt.contains("\"status\":\"0x1\""))
    }

    @Test func traceTransactionCallTracer() async throws {
        let (_, service) = try await setUp()
        let sent = await dispatch(service, request("eth_sendTransaction", "[{\"from\":\"\(account0)\",\"to\":\"\(Self.echo)\",\"gas\":\"0x186a0\",\"input\":\"0xabcd\"}]"))
        let hash = String(sent.split(separator: "\"")[9])
        let receipt = await dispatch(service, request("eth_getTransactionReceipt", "[\"\(hash)\"]"))
        let gasUsed = receipt.components(separatedBy: "\"gasUsed\":\"")[1].prefix { $0 != "\"" }
        #expect(await dispatch(service, request("debug_traceTransaction", "[\"\(hash)\", {\"tracer\":\"callTracer\"}]"))
                == result("{\"from\":\"\(account0)\",\"gas\":\"0x186a0\",\"gasUsed\":\"\(gasUsed)\",\"to\":\"\(Self.echo)\",\"input\":\"0xabcd\",\"output\":\"0xabcd\",\"value\":\"0x0\",\"type\":\"CALL\"}"))
        let structLogs = await dispatch(service, request("debug_traceTransaction", "[\"\(hash)\"]"))
        #expect(structLogs.hasPrefix("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"gas\":\(UInt64(gasUsed.dropFirst(2), radix: 16)!),\"failed\":false,\"returnValue\":\"0xabcd\",\"structLogs\":[{\"pc\":0,\"op\":\"CALLDATASIZE\",\"gas\":"))
    }

    @Test func feeHistory() async throws {
        let (node, service) = try await setUp()
        _ = await dispatch(service, request("eth_sendTransaction", "[{\"from\":\"\(account0)\",\"to\":\"\(account1)\",\"value\":\"0x1\"}]"))
        let history = try node.feeHistory(blockCount: 2, newest: .latest, rewardPercentiles: [50])
        let expected = ChainJSON.feeHistory(history, includesRewards: true).serialized
        #expect(await dispatch(service, request("eth_feeHistory", "[\"0x2\", \"latest\", [50]]")) == result(expected))
        #expect(expected.hasPrefix("{\"oldestBlock\":\"0x0\",\"reward\":[[\"0x0\"],[\"0x3b9aca00\"]],\"baseFeePerGas\":["))
    }

    @Test func ethSignNeedsAnUnlockedAccount() async throws {
        let (_, service) = try await setUp()
        let signed = await dispatch(service, request("eth_sign", "[\"\(account0)\", \"0x68656c6c6f\"]"))
        #expect(signed.count == "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x\"}\n".count + 130)
        #expect(await dispatch(service, request("eth_sign", "[\"0x0000000000000000000000000000000000000001\", \"0x00\"]"))
                == error(-32000, "unknown account"))
    }

    @Test func cliqueMethods() async throws {
        let (node, service) = try await setUp()
        #expect(await dispatch(service, request("clique_getSigners")) == result("[\"\(account0)\"]"))
        #expect(await dispatch(service, request("clique_propose", "[\"\(account1)\", true]")) == result("null"))
        #expect(await dispatch(service, request("clique_proposals")) == result("{\"\(account1)\":true}"))
        #expect(await dispatch(service, request("clique_discard", "[\"\(account1)\"]")) == result("null"))
        #expect(await dispatch(service, request("clique_proposals")) == result("{}"))
        let genesis = try node.block(.earliest)!
        #expect(await dispatch(service, request("clique_getSnapshot", "[\"0x0\"]"))
                == result("{\"number\":0,\"hash\":\"\(Hex.encode(genesis.hash.bytes))\",\"signers\":{\"\(account0)\":{}},\"recents\":{},\"votes\":[],\"tally\":{}}"))
    }
}
