import Hummingbird
import Primitives
import RPC
import Testing

/// JSON-RPC framing and error paths, with geth's exact codes and messages.
@Suite struct ProtocolErrorTests {
    @Test func parseErrorHasNullId() async throws {
        #expect(try await call("{\"jsonrpc\":\"2.0\",") == error(-32700, "parse error", id: "null"))
    }

    @Test func deeplyNestedBodyIsAParseErrorNotACrash() async throws {
        let body = String(repeating: "[", count: 100_000)
        #expect(try await call(body) == error(-32700, "parse error", id: "null"))
    }

    @Test func requestWithoutMethodIsInvalid() async throws {
        #expect(try await call("{\"jsonrpc\":\"2.0\",\"id\":7}") == error(-32600, "invalid request", id: "7"))
    }

    @Test func requestWithoutVersionIsInvalid() async throws {
        #expect(try await call("{\"id\":7,\"method\":\"eth_chainId\"}") == error(-32600, "invalid request", id: "7"))
        #expect(try await call("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"eth_chainId\"}") == error(-32600, "invalid request", id: "7"))
    }

    @Test func badVersionWithoutIdIsAnsweredWithNullId() async throws {
        // geth: not a notification (its version is wrong), so it gets an error like any non-request.
        #expect(try await call("{\"jsonrpc\":\"1.0\",\"method\":\"eth_chainId\"}") == error(-32600, "invalid request", id: "null"))
    }

    @Test func methodNameOverTheLimitIsInvalid() async throws {
        let longest = String(repeating: "a", count: 2048)
        #expect(try await call(request(longest)) == error(-32601, "the method \(longest) does not exist/is not available"))
        #expect(try await call(request(longest + "a")) == error(-32600, "method name too long: 2049 \\u003e 2048"))
    }

    @Test func nonObjectInBatchIsInvalid() async throws {
        let body = try await call("[1]")
        #expect(body == "[{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"invalid request\"}}]\n")
    }

    @Test func emptyBatch() async throws {
        #expect(try await call("[]") == error(-32600, "empty batch", id: "null"))
    }

    @Test func batchTooLargeCarriesFirstId() async throws {
        let items = (1...1001).map { request("eth_chainId", id: $0) }.joined(separator: ",")
        let body = try await call("[\(items)]")
        #expect(body == "[{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":\"batch too large\"}}]\n")
    }

    @Test func batchOfExactlyTheLimitIsServedInOrder() async throws {
        let items = (1...1000).map { request("eth_chainId", id: $0) }.joined(separator: ",")
        let body = try await call("[\(items)]")
        let expected = (1...1000).map { "{\"jsonrpc\":\"2.0\",\"id\":\($0),\"result\":\"0x7a69\"}" }.joined(separator: ",")
        #expect(body == "[\(expected)]\n")
    }

    @Test func unknownMethod() async throws {
        #expect(try await call(request("eth_foo")) == error(-32601, "the method eth_foo does not exist/is not available"))
    }

    @Test func notificationGetsNoResponse() async throws {
        let exchanges = try await post(["{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"params\":[]}"])
        #expect(exchanges[0].status == .ok)
        #expect(exchanges[0].body == "")
    }

    @Test func batchSkipsNotificationsAndKeepsOrder() async throws {
        let body = "[\(request("net_version", id: 2)),{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"},\(request("eth_chainId", id: 1))]"
        #expect(try await call(body) == "[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"31337\"},{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x7a69\"}]\n")
    }

    @Test func stringIdIsEchoed() async throws {
        let body = "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"eth_chainId\",\"params\":[]}"
        #expect(try await call(body) == "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":\"0x7a69\"}\n")
    }

    @Test func oversizedBodyIs413() async throws {
        let configuration = RPCServerConfiguration(maximumBodySize: 100)
        let exchanges = try await post([String(repeating: " ", count: 101) + request("eth_chainId")], configuration: configuration)
        #expect(exchanges[0].status == .contentTooLarge)
        #expect(exchanges[0].body == "content length too large (160>100)\n")
    }

    @Test func nonArrayParams() async throws {
        let body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":{}}"
        #expect(try await call(body) == error(-32602, "non-array args"))
    }

    @Test func corsHeadersLikeAnvil() async throws {
        let exchanges = try await post([request("eth_chainId")],
                                       headers: [.contentType: "application/json", .origin: "http://localhost:3000"])
        #expect(exchanges[0].headers[.accessControlAllowOrigin] == "*")
    }

    @Test(arguments: [
        (request("eth_getBalance", "[]"), error(-32602, "missing value for required argument 0")),
        (request("eth_getBalance", "[\"f39fd6e51aad88f6f4ce6ab8827279cfffb92266\"]"),
         error(-32602, "invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type common.Address")),
        (request("eth_getBalance", "[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb922\"]"),
         error(-32602, "invalid argument 0: hex string has length 38, want 40 for common.Address")),
        (request("eth_getBalance", "[1]"),
         error(-32602, "invalid argument 0: json: cannot unmarshal non-string into Go value of type common.Address")),
        (request("eth_getBlockByNumber", "[\"1\", false]"), error(-32602, "invalid argument 0: hex string without 0x prefix")),
        (request("eth_getBlockByNumber", "[\"0x01\", false]"), error(-32602, "invalid argument 0: hex number with leading zero digits")),
        (request("eth_getBlockByNumber", "[\"0x\", false]"), error(-32602, "invalid argument 0: hex string \\\"0x\\\"")),
        (request("eth_getBlockByNumber", "[\"0x0\"]"), error(-32602, "missing value for required argument 1")),
        (request("eth_chainId", "[1]"), error(-32602, "too many arguments, want at most 0")),
        (request("web3_sha3", "[\"0x1\"]"),
         error(-32602, "invalid argument 0: json: cannot unmarshal hex string of odd length into Go value of type hexutil.Bytes")),
        (request("eth_call", "[{\"to\":\"0x00000000000000000000000000000000000000aa\",\"gas\":\"0x01\"}]"),
         error(-32602, "invalid argument 0: json: cannot unmarshal hex number with leading zero digits into Go struct field TransactionArgs.gas of type hexutil.Uint64")),
        (request("eth_call", "[{\"data\":\"0x01\",\"input\":\"0x02\"}]"),
         error(-32602, "invalid argument 0: both \\\"data\\\" and \\\"input\\\" are set and not equal. Please use \\\"input\\\" to pass transaction call data")),
        (request("eth_getBalance", "[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", {\"blockHash\":\"0x0000000000000000000000000000000000000000000000000000000000000000\",\"blockNumber\":\"0x0\"}]"),
         error(-32602, "invalid argument 1: cannot specify both BlockHash and BlockNumber, choose one or the other")),
        (request("eth_getBalance", "[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"0x10\"]"), error(-32000, "header not found")),
        (request("eth_getBalance", "[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"0x0000000000000000000000000000000000000000000000000000000000000001\"]"),
         error(-32000, "header for hash not found")),
        (request("eth_feeHistory", "[\"0x1\", \"latest\", [50, 10]]"),
         error(-32000, "invalid reward percentile: #0:50.000000 \\u003e= #1:10.000000")),
        (request("eth_feeHistory", "[\"0x1\", \"latest\", [50, 50]]"),
         error(-32000, "invalid reward percentile: #0:50.000000 \\u003e= #1:50.000000")),
        (request("eth_feeHistory", "[\"0x1\", \"latest\", [\(Array(repeating: "1", count: 101).joined(separator: ","))]]"),
         error(-32000, "invalid reward percentile: over the query limit 100")),
        (request("eth_feeHistory", "[\"0x0\", \"latest\", [-1]]"), result("{\"oldestBlock\":\"0x0\",\"gasUsedRatio\":null}")),
        // Percentiles beyond Int's range once trapped while the message was formatted; Go's %f
        // prints 1e20 exactly, and its decoder refuses 1e400 (beyond float64) as a bad argument.
        (request("eth_feeHistory", "[\"0x1\", \"latest\", [1e20]]"),
         error(-32000, "invalid reward percentile: 100000000000000000000.000000")),
        (request("eth_feeHistory", "[\"0x1\", \"latest\", [-1e20]]"),
         error(-32000, "invalid reward percentile: -100000000000000000000.000000")),
        (request("eth_feeHistory", "[\"0x1\", \"latest\", [1e400]]"),
         error(-32602, "invalid argument 2: json: cannot unmarshal number 1e400 into Go value of type float64")),
        (request("eth_subscribe", "[\"newHeads\"]"), error(-32601, "notifications not supported")),
        (request("debug_getRawBlock", "[]"), error(-32602, "missing value for required argument 0")),
        (request("debug_getRawReceipts", "[null]"), error(-32602, "missing value for required argument 0")),
        (request("eth_getFilterChanges", "[\"0x1\"]"), error(-32000, "filter not found")),
    ])
    func invalidParameters(body: String, expected: String) async throws {
        let actual = try await call(body)
        #expect(actual == expected)
    }
}
