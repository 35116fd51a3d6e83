import EVM
import Foundation
import Primitives
import StateTestRunner
import Testing

// `goldengrain statetest --jsonl` (the differential fuzzer's batch mode): one case per JSON line,
// its full outcome back. Expected values are computed by hand from the Yellow Paper and EIP-2929.

private let runner = StateTestRunner(precompiles: StateTestRunner.cancunPrecompiles())

/// PUSH1 2, PUSH1 1, SSTORE, PUSH1 0x2a, PUSH1 0, MSTORE8, PUSH1 1, PUSH1 0, LOG0, PUSH1 1, PUSH1 0, RETURN.
private let contractCode = "0x6002600155602a60005360016000a060016000f3"

private func caseLine(to: String = "0x1000000000000000000000000000000000000001", gasPrice: String = "0xa",
                      nonce: String = "0x0") -> Data {
    Data("""
    {"name":"hand","env":{"currentCoinbase":"0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba","currentNumber":"0x1",
    "currentTimestamp":"0x3e8","currentGasLimit":"0x1c9c380","currentBaseFee":"0x0","currentRandom":"0x0"},
    "pre":{"0x1000000000000000000000000000000000000001":{"balance":"0x0","nonce":"0x1","code":"\(contractCode)",
    "storage":{}},"0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b":{"balance":"0xde0b6b3a7640000","nonce":"0x0",
    "code":"0x","storage":{}}},"transaction":{"nonce":"\(nonce)","gasPrice":"\(gasPrice)","gasLimit":["0x186a0"],
    "to":"\(to)","value":["0x0"],"data":["0x"],"sender":"0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"}}
    """.utf8)
}

@Test func jsonlCaseReportsGasStorageLogsAndAccounts() throws {
    let testCase = try StateTestLoader.load(caseLine: caseLine(), defaultName: "line 1")
    #expect(testCase.name == "hand")
    let outcome = try runner.execute(testCase)
    let transaction = try #require(outcome.transaction)
    // 21000 intrinsic + 8 × 3 (PUSH1) + 22100 (SSTORE 0 → 2 of a cold slot: 20000 + 2100) + 3 + 3
    // (MSTORE8 and its first memory word) + 375 + 8 (LOG0 of one byte) + 0 (RETURN) = 43513.
    #expect(transaction.status == .success)
    #expect(transaction.gasUsed == 43513)
    #expect(transaction.output == [0x2a])
    #expect(transaction.logs.count == 1 && transaction.logs[0].data == [0x2a])
    let contract = try Address(hex: "0x1000000000000000000000000000000000000001")
    let sender = try Address(hex: "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b")
    let coinbase = try Address(hex: "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba")
    #expect(outcome.accounts[contract]??.storage == [1: 2])
    #expect(outcome.accounts[sender]??.nonce == 1)
    #expect(outcome.accounts[sender]??.balance == UInt256(1_000_000_000_000_000_000 - 435_130))
    #expect(outcome.accounts[coinbase]??.balance == UInt256(435_130))
    let line = outcome.jsonLine
    #expect(line.hasPrefix("{\"name\":\"hand\",\"status\":\"success\",\"reason\":\"success\",\"output\":\"0x2a\",\"gasUsed\":43513,"))
    #expect(line.contains("\"0x1000000000000000000000000000000000000001\":{\"nonce\":1,\"balance\":\"0x0\","))
    #expect(line.contains("\"storage\":{\"0x1\":\"0x2\"}"))
}

@Test func jsonlCaseWithWrongNonceIsRejectedWithPreState() throws {
    let testCase = try StateTestLoader.load(caseLine: caseLine(nonce: "0x5"), defaultName: "line 1")
    let outcome = try runner.execute(testCase)
    #expect(outcome.transaction == nil)
    #expect(outcome.rejection?.contains("nonce too high") == true, "\(outcome.rejection ?? "nil")")
    #expect(outcome.jsonLine.contains("\"status\":\"rejected\""))
}

@Test func jsonlLineThatIsNotACaseNamesTheMissingField() {
    #expect(throws: StateTestError.missingField(test: "line 7", field: "env")) {
        try StateTestLoader.load(caseLine: Data("{\"pre\":{}}".utf8), defaultName: "line 7")
    }
}

@Test func coverageTracerRecordsOpcodesAndPrecompileOutcomes() throws {
    // CALL identity (0x04) with no input, then STATICCALL ecrecover (0x01) with 1 gas, which fails.
    let code = "0x6000600060006000600060046161a8f1506000600060006000600161" + "0001fa" + "00"
    let line = String(decoding: caseLine(), as: UTF8.self).replacingOccurrences(of: contractCode, with: code)
    let tracer = CoverageTracer()
    _ = try runner.execute(try StateTestLoader.load(caseLine: Data(line.utf8), defaultName: "line 1"), tracer: tracer)
    let executed = Set((0..<256).filter { tracer.opcodes[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 })
    #expect(executed == [0x00, 0x50, 0x60, 0x61, 0xf1, 0xfa])
    #expect(tracer.jsonMembers.hasSuffix("\"precompiles\":{\"1\":\"fail\",\"4\":\"ok\"}"))
}
