import Chain
import ChainTypes
import EVM
import Foundation
import Primitives
import RPC
import Storage
import Testing

/// eth_simulateV1 on an in-memory dev node. Expected values: execution-apis `tests/eth_simulateV1`
/// (geth's answers on hive's chain) where they do not depend on that chain, go-ethereum's
/// TestSimulateV1, and hand computation (each test names its source).
@Suite struct SimulateMethodTests {
    static let c0 = try! Address(hex: "0xc000000000000000000000000000000000000000")
    static let c1 = try! Address(hex: "0xc100000000000000000000000000000000000000")
    static let c2 = try! Address(hex: "0xc200000000000000000000000000000000000000")
    /// ethSimulate-eth-send-should-produce-more-logs-on-forward: `forward(address)` sends msg.value on.
    static let forwarder = try! Hex.decode(
        "0x60806040526004361061001e5760003560e01c80634b64e49214610023575b600080fd5b61003d6004803603810190610038919061"
        + "011f565b61003f565b005b60008173ffffffffffffffffffffffffffffffffffffffff166108fc349081150290604051600060405180"
        + "830381858888f193505050509050806100b8576040517f08c379a00000000000000000000000000000000000000000000000000000000"
        + "081526004016100af906101a9565b60405180910390fd5b5050565b600080fd5b600073ffffffffffffffffffffffffffffffffffffff"
        + "ff82169050919050565b60006100ec826100c1565b9050919050565b6100fc816100e1565b811461010757600080fd5b50565b6000813590"
        + "50610119816100f3565b92915050565b600060208284031215610135576101346100bc565b5b60006101438482850161010a565b915050"
        + "92915050565b600082825260208201905092915050565b7f4661696c656420746f2073656e64204574686572000000000000000000000000"
        + "600082015250565b600061019360148361014c565b915061019e8261015d565b602082019050919050565b600060208201905081810360"
        + "008301526101c281610186565b905091905056fea2646970667358221220563acd6f5b8ad06a3faf5c27fddd0ecbc198408b99290ce50d15"
        + "c2cf7043694964736f6c63430008120033")

    static func transfer(from: Address, to: Address, value: UInt256) -> CallRequest {
        CallRequest(from: from, to: to, value: value)
    }

    /// ethSimulate-simple: two 21000-gas transfers of override-funded wei; the chain is unchanged.
    @Test func transfersBetweenOverrideFundedAccounts() throws {
        let node = try makeNode()
        let head = node.headHeader
        let request = SimulationRequest(blocks: [SimulatedBlockRequest(
            stateOverrides: [Self.c0: AccountOverride(balance: 1000)],
            calls: [Self.transfer(from: Self.c0, to: Self.c1, value: 1000), Self.transfer(from: Self.c1, to: Self.c2, value: 1000)])])
        let blocks = try node.simulate(request)
        #expect(blocks.count == 1)
        let block = try #require(blocks.first)
        #expect(block.calls.map(\.gasUsed) == [21000, 21000])
        #expect(block.calls.allSatisfy { $0.isSuccess && $0.returnData.isEmpty && $0.logs.isEmpty })
        #expect(block.record.header.gasUsed == 42000)
        #expect(block.record.number == head.number + 1)
        #expect(block.record.header.timestamp == head.timestamp + 12)
        #expect(block.record.header.parentHash == head.hash)
        #expect(block.record.header.baseFeePerGas == 0)
        #expect(try node.balance(of: Self.c2) == 0)
        #expect(node.headHeader == head)
        // Hand-encoded EIP-2718 payload of the first call: 0x02 ‖ rlp([0x7a69, 0, 0, 0, 30000000, c1, 1000,
        // "", [], 0, 0, 0]); 40 bytes of items, so the list prefix is 0xc0 + 40.
        let encoding = try! Hex.decode("0x02e8827a698080808401c9c38094c1" + String(repeating: "00", count: 19) + "8203e880c0808080")
        #expect(block.record.transactionHashes.first == Keccak256.hash(encoding))
    }

    /// ethSimulate-eth-send-should-produce-logs: an ERC-7528 Transfer log from 0xeeee…eeee.
    @Test func traceTransfersLogsTheValue() throws {
        let node = try makeNode()
        let request = SimulationRequest(blocks: [SimulatedBlockRequest(
            stateOverrides: [Self.c0: AccountOverride(balance: 2000)],
            calls: [Self.transfer(from: Self.c0, to: Self.c1, value: 1000)])], traceTransfers: true)
        let call = try #require(try node.simulate(request).first?.calls.first)
        #expect(call.logs.count == 1)
        let log = try #require(call.logs.first)
        #expect(log.log.address == Address(Array(repeating: 0xee, count: 20)))
        #expect(log.log.topics == [Hash32(try! Hex.decode("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")),
                                   Hash32(Array(repeating: 0, count: 12) + Self.c0.bytes),
                                   Hash32(Array(repeating: 0, count: 12) + Self.c1.bytes)])
        #expect(log.log.data == Array(repeating: 0, count: 30) + [0x03, 0xe8])
        #expect(log.logIndex == 0 && log.transactionIndex == 0)
    }

    /// ethSimulate-eth-send-should-produce-more-logs-on-forward: 0xdad2 gas and two transfer logs.
    @Test func forwardedValueIsASecondTransfer() throws {
        let node = try makeNode()
        let input = try! Hex.decode("0x4b64e492" + String(repeating: "00", count: 31) + "c2")
        let request = SimulationRequest(blocks: [SimulatedBlockRequest(
            stateOverrides: [Self.c0: AccountOverride(balance: 2000), Self.c1: AccountOverride(code: Self.forwarder)],
            calls: [CallRequest(from: Self.c0, to: Self.c1, value: 1000, data: input)])], traceTransfers: true)
        let call = try #require(try node.simulate(request).first?.calls.first)
        #expect(call.isSuccess && call.gasUsed == 0xdad2)
        // The fixture forwards to the word 0xc2, the address 0x00…c2.
        let target = Address(Array(repeating: 0, count: 19) + [0xc2])
        #expect(call.logs.map { $0.log.topics.dropFirst().map { Address($0.bytes.suffix(20)) } } == [[Self.c0, Self.c1], [Self.c1, target]])
        #expect(call.logs.map(\.logIndex) == [0, 1])
    }

    /// go-ethereum TestSimulateV1 "basefee-non-validation": GASPRICE and BASEFEE per block and call.
    @Test func gasPriceAndBaseFeeWithoutValidation() throws {
        let node = try makeNode()
        let sender = devKeys[0].address
        let probe = try! Hex.decode("0x3a489060005260205260406000f3")
        let free = CallRequest(from: sender, to: Self.c2)
        let paying = CallRequest(from: sender, to: Self.c2, maxFeePerGas: 2, maxPriorityFeePerGas: 1)
        var overridden = BlockOverrides()
        overridden.baseFeePerGas = 1
        let request = SimulationRequest(blocks: [
            SimulatedBlockRequest(stateOverrides: [Self.c2: AccountOverride(code: probe)], calls: [free, paying]),
            SimulatedBlockRequest(blockOverrides: overridden, calls: [free, paying]),
            SimulatedBlockRequest(calls: [free])])
        let blocks = try node.simulate(request)
        func words(_ gasPrice: UInt256, _ baseFee: UInt256) -> [UInt8] { gasPrice.bigEndianBytes + baseFee.bigEndianBytes }
        #expect(blocks.map { $0.calls.map(\.returnData) } == [[words(0, 0), words(1, 0)], [words(0, 1), words(2, 1)], [words(0, 0)]])
        #expect(blocks.map(\.record.header.baseFeePerGas) == [0, 1, 0])
        #expect(blocks.flatMap { $0.calls.map(\.gasUsed) } == Array(repeating: 0x5227, count: 5))
    }

    /// Gaps are filled with empty blocks 12 s apart, and BLOCKHASH sees the simulated blocks' hashes.
    @Test func gapsAndBlockHash() throws {
        let node = try makeNode()
        let head = node.headHeader
        // PUSH8 head+2, BLOCKHASH, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
        let probe = [0x67] + (0..<8).map { UInt8(truncatingIfNeeded: (head.number + 2) >> (56 - 8 * $0)) }
            + [0x40, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]
        var overrides = BlockOverrides()
        overrides.number = head.number + 3
        let request = SimulationRequest(blocks: [SimulatedBlockRequest(
            blockOverrides: overrides, stateOverrides: [Self.c2: AccountOverride(code: probe)],
            calls: [CallRequest(from: Self.c0, to: Self.c2)])])
        let blocks = try node.simulate(request)
        #expect(blocks.map(\.record.number) == [head.number + 1, head.number + 2, head.number + 3])
        #expect(blocks.map(\.record.header.timestamp) == [head.timestamp + 12, head.timestamp + 24, head.timestamp + 36])
        #expect(blocks.map(\.record.header.parentHash) == [head.hash, blocks[0].record.hash, blocks[1].record.hash])
        #expect(blocks[2].calls.first?.returnData == blocks[1].record.hash.bytes)
    }

    /// The spec's codes with geth's messages (execution-apis error fixtures, geth's errors.go).
    @Test func refusalsCarryTheSpecCodes() async throws {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        let head = node.headHeader
        let c0 = "\"0xc000000000000000000000000000000000000000\""
        let c1 = "\"0xc100000000000000000000000000000000000000\""
        let cases: [(String, Int, String)] = [
            ("{\"blockStateCalls\":[]}", -32602, "empty input"),
            ("{\"blockStateCalls\":[" + Array(repeating: "{}", count: 257).joined(separator: ",") + "]}", -38026, "too many blocks"),
            ("{\"blockStateCalls\":[{\"blockOverrides\":{\"number\":\"0x\(String(head.number + 10, radix: 16))\"}},"
             + "{\"blockOverrides\":{\"number\":\"0x\(String(head.number + 5, radix: 16))\"}}]}",
             -38020, "block numbers must be in order: \(head.number + 5) \\u003c= \(head.number + 10)"),
            ("{\"blockStateCalls\":[{\"blockOverrides\":{\"time\":\"0x\(String(head.timestamp, radix: 16))\"}}]}",
             -38021, "block timestamps must be in order: \(head.timestamp) \\u003c= \(head.timestamp)"),
            ("{\"blockStateCalls\":[{\"calls\":[{\"from\":\(c0),\"to\":\(c1),\"value\":\"0x3e8\"}]}]}", -38014,
             "err: insufficient funds for gas * price + value: address 0xC000000000000000000000000000000000000000 have 0 want 1000 (supplied gas 30000000)"),
            ("{\"blockStateCalls\":[{\"calls\":[{\"from\":\(c0),\"to\":\(c1),\"gas\":\"0x0\"}]}]}", -38013,
             "err: intrinsic gas too low: have 0, want 21000 (supplied gas 0)"),
            ("{\"blockStateCalls\":[{\"calls\":[{\"from\":\(c0),\"to\":\(c1),\"gas\":\"0x1c9c381\"}]}]}", -38015,
             "block gas limit reached: remaining: 30000000, required: 30000001"),
            ("{\"blockStateCalls\":[{\"calls\":[{\"from\":\(c0),\"to\":\(c1),\"nonce\":\"0x2\"}]}],\"validation\":true}", -38011,
             "err: nonce too high: address 0xC000000000000000000000000000000000000000, tx: 2 state: 0 (supplied gas 30000000)"),
            ("{\"blockStateCalls\":[{\"blockOverrides\":{\"baseFeePerGas\":\"0xa\"},\"calls\":[{\"from\":\(c0),\"to\":\(c1)}]}],\"validation\":true}",
             -38012, "err: max fee per gas less than block base fee: address 0xC000000000000000000000000000000000000000, maxFeePerGas: 0, baseFee: 10 (supplied gas 30000000)"),
            ("{\"blockStateCalls\":[{\"stateOverrides\":{\(c0):{\"movePrecompileToAddress\":\(c1)}}}]}", -32000,
             "account 0xC000000000000000000000000000000000000000 is not a precompile"),
            ("{\"blockStateCalls\":[{\"stateOverrides\":{\"0x0000000000000000000000000000000000000001\":"
             + "{\"movePrecompileToAddress\":\"0x0000000000000000000000000000000000000001\"}}}]}", -38022,
             "MovePrecompileToAddress referenced itself in replacement: account 0x0000000000000000000000000000000000000001"),
            ("{\"blockStateCalls\":[{\"stateOverrides\":{"
             + "\"0x0000000000000000000000000000000000000001\":{\"movePrecompileToAddress\":\"0x0000000000000000000000000000000000123456\"},"
             + "\"0x0000000000000000000000000000000000000002\":{\"movePrecompileToAddress\":\"0x0000000000000000000000000000000000123456\"}}}]}",
             -38023, "Multiple MovePrecompileToAddress referencing the same address to replace: 0x0000000000000000000000000000000000123456 "
             + "(from 0x0000000000000000000000000000000000000001 and 0x0000000000000000000000000000000000000002)"),
        ]
        // The replies escape "<" as \u003c, as Go's encoder does.
        for (payload, code, message) in cases {
            let reply = await dispatch(service, request("eth_simulateV1", "[\(payload), \"latest\"]"))
            #expect(reply == error(code, message), "payload \(payload.prefix(100))")
        }
        #expect(await dispatch(service, request("eth_simulateV1", "[{\"blockStateCalls\":[{}]}, \"0x64\"]"))
                == error(-32000, "header not found"))
    }

    /// The JSON of a call: geth's member order, a revert's `{message, code: 3, data}`, a halt's -32015.
    @Test func callResultJSON() async throws {
        let node = try makeNode()
        let service = RPCService(configuration: RPCServerConfiguration(), node: node)
        let payload = "{\"blockStateCalls\":[{\"stateOverrides\":{"
            + "\"0xc100000000000000000000000000000000000000\":{\"code\":\"0x60006000fd\"},"
            + "\"0xc200000000000000000000000000000000000000\":{\"code\":\"0xfe\"}},\"calls\":["
            + "{\"to\":\"0xc100000000000000000000000000000000000000\"},"
            + "{\"to\":\"0xc200000000000000000000000000000000000000\",\"gas\":\"0x7530\"}]}]}"
        let reply = await dispatch(service, request("eth_simulateV1", "[\(payload)]"))
        #expect(reply.contains("\"calls\":[{\"returnData\":\"0x\",\"logs\":[],\"gasUsed\":\"0x520e\",\"maxUsedGas\":\"0x520e\","
                               + "\"status\":\"0x0\",\"error\":{\"message\":\"execution reverted\",\"code\":3,\"data\":\"0x\"}},"
                               + "{\"returnData\":\"0x\",\"logs\":[],\"gasUsed\":\"0x7530\",\"maxUsedGas\":\"0x7530\",\"status\":\"0x0\","
                               + "\"error\":{\"message\":\"invalid opcode: INVALID\",\"code\":-32015}}]"), "\(reply.prefix(600))")
    }

    /// The overlay keeps every write from the node's store, and a delete hides a stored key.
    @Test func simulationStoreNeverWritesThrough() throws {
        let base = MemoryStore()
        try base.put([1], forKey: [0xaa])
        let overlay = SimulationStore(base: base)
        try overlay.put([2], forKey: [0xbb])
        try overlay.delete([0xaa])
        var batch = WriteBatch()
        batch.put([3], forKey: [0xcc])
        try overlay.write(batch)
        #expect(try overlay.get([0xaa]) == nil && overlay.get([0xbb]) == [2] && overlay.get([0xcc]) == [3])
        #expect(try base.get([0xaa]) == [1] && base.get([0xbb]) == nil && base.get([0xcc]) == nil)
        var keys: [[UInt8]] = []
        try overlay.forEach(prefix: []) { key, _ in keys.append(key); return true }
        #expect(keys == [[0xbb], [0xcc]])
    }
}
