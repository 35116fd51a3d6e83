import Chain
import ChainTypes
import Primitives
import RPC
import Testing

/// callTracer with `tracerConfig` `{"withLog": true}` and `{"onlyTopCall": true}`: logs per frame
/// with their position among the frame's sub-calls, failed frames' logs dropped (geth PR 28389 and
/// `clearFailedLogs`).
@Suite struct CallTracerLogTests {
    static let account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    static let parent = "0x00000000000000000000000000000000000000d1"
    static let child = "0x00000000000000000000000000000000000000c1"
    static let reverter = "0x00000000000000000000000000000000000000e1"
    static let topic22 = "0x" + String(repeating: "22", count: 32)
    static let topic33 = "0x" + String(repeating: "33", count: 32)
    static let nine = "0x" + String(repeating: "0", count: 63) + "9"

    /// MSTORE(0, 9); LOG1(0, 32, topic22); STOP.
    static let childCode = "0x6009600052" + "7f" + String(topic22.dropFirst(2)) + "60206000a100"
    /// LOG0(0, 0); REVERT(0, 0).
    static let reverterCode = "0x60006000a060006000fd"
    /// LOG0; CALL child; LOG1(topic33); CALL reverter; LOG0; STOP.
    static var parentCode: String {
        func call(_ address: String) -> String { "60006000600060006000" + "73" + String(address.dropFirst(2)) + "5af150" }
        return "0x60006000a0" + call(child) + "7f" + String(topic33.dropFirst(2)) + "60006000a1" + call(reverter)
            + "60006000a000"
    }

    func service() async throws -> RPCService {
        let service = RPCService(configuration: RPCServerConfiguration(), node: try makeNode())
        for (address, code) in [(Self.parent, Self.parentCode), (Self.child, Self.childCode), (Self.reverter, Self.reverterCode)] {
            #expect(await dispatch(service, request("anvil_setCode", "[\"\(address)\", \"\(code)\"]")) == result("null"))
        }
        return service
    }

    func trace(_ service: RPCService, config: String) async throws -> JSON {
        let body = await dispatch(service, request("debug_traceCall",
                                                   "[{\"from\":\"\(Self.account0)\",\"to\":\"\(Self.parent)\"}, \"latest\", \(config)]"))
        return try #require(try JSON.parse(body)["result"], "\(body)")
    }

    static func log(_ address: String, _ topics: [String], _ data: String, _ position: Int) -> JSON {
        .object([("address", .string(address)), ("topics", .array(topics.map { .string($0) })), ("data", .string(data)),
                 ("position", .string("0x" + String(position, radix: 16)))])
    }

    @Test func withLogPositionsLogsAmongSubCalls() async throws {
        let service = try await service()
        let frame = try await trace(service, config: "{\"tracer\":\"callTracer\",\"tracerConfig\":{\"withLog\":true}}")
        guard case .object(let members) = frame else { Issue.record("\(frame)"); return }
        #expect(members.map(\.0) == ["from", "gas", "gasUsed", "to", "input", "calls", "logs", "value", "type"])
        #expect(frame["logs"] == .array([Self.log(Self.parent, [], "0x", 0), Self.log(Self.parent, [Self.topic33], "0x", 1),
                                         Self.log(Self.parent, [], "0x", 2)]))
        guard case .array(let calls)? = frame["calls"], calls.count == 2 else { Issue.record("\(frame)"); return }
        #expect(calls[0]["to"] == .string(Self.child))
        #expect(calls[0]["logs"] == .array([Self.log(Self.child, [Self.topic22], Self.nine, 0)]))
        // The reverted call's log never reached a receipt: dropped, and no empty "logs" key either.
        #expect(calls[1]["error"] == .string("execution reverted"))
        #expect(calls[1]["logs"] == nil)
    }

    @Test func withoutWithLogThereAreNoLogs() async throws {
        let service = try await service()
        for config in ["{\"tracer\":\"callTracer\"}", "{\"tracer\":\"callTracer\",\"tracerConfig\":{\"withLog\":false}}",
                       "{\"tracer\":\"callTracer\",\"tracerConfig\":null}"] {
            let frame = try await trace(service, config: config)
            #expect(frame["logs"] == nil)
            guard case .array(let calls)? = frame["calls"] else { Issue.record("\(frame)"); continue }
            #expect(calls.count == 2 && calls[0]["logs"] == nil)
        }
    }

    @Test func onlyTopCallKeepsTheOutermostFrameAndItsLogs() async throws {
        let service = try await service()
        let frame = try await trace(service, config: "{\"tracer\":\"callTracer\",\"tracerConfig\":{\"onlyTopCall\":true,\"withLog\":true}}")
        #expect(frame["calls"] == nil)
        // No sub-call is recorded, so every log sits at position 0, as in geth.
        #expect(frame["logs"] == .array([Self.log(Self.parent, [], "0x", 0), Self.log(Self.parent, [Self.topic33], "0x", 0),
                                         Self.log(Self.parent, [], "0x", 0)]))
        let plain = try await trace(service, config: "{\"tracer\":\"callTracer\",\"tracerConfig\":{\"onlyTopCall\":true}}")
        #expect(plain["calls"] == nil && plain["logs"] == nil && plain["type"] == .string("CALL"))
    }

    @Test func revertedTopCallDropsEveryLog() async throws {
        let service = try await service()
        let body = await dispatch(service, request("debug_traceCall",
                                                   "[{\"to\":\"\(Self.reverter)\"}, \"latest\", {\"tracer\":\"callTracer\",\"tracerConfig\":{\"withLog\":true}}]"))
        let frame = try #require(try JSON.parse(body)["result"])
        #expect(frame["error"] == .string("execution reverted"))
        #expect(frame["logs"] == nil)
    }

    @Test func traceTransactionWithLog() async throws {
        let service = try await service()
        let sent = await dispatch(service, request("eth_sendTransaction",
                                                   "[{\"from\":\"\(Self.account0)\",\"to\":\"\(Self.child)\",\"gas\":\"0x186a0\"}]"))
        let hash = try #require(try JSON.parse(sent)["result"]?.stringValue)
        let body = await dispatch(service, request("debug_traceTransaction",
                                                   "[\"\(hash)\", {\"tracer\":\"callTracer\",\"tracerConfig\":{\"withLog\":true}}]"))
        let frame = try #require(try JSON.parse(body)["result"])
        #expect(frame["logs"] == .array([Self.log(Self.child, [Self.topic22], Self.nine, 0)]))
    }

    @Test func badTracerConfigIsAServerError() async throws {
        let service = try await service()
        #expect(await dispatch(service, request("debug_traceCall",
                                                "[{\"to\":\"\(Self.child)\"}, \"latest\", {\"tracer\":\"callTracer\",\"tracerConfig\":{\"withLog\":\"yes\"}}]"))
                == error(-32000, "json: cannot unmarshal string into Go struct field callTracerConfig.withLog of type bool"))
        #expect(await dispatch(service, request("debug_traceCall",
                                                "[{\"to\":\"\(Self.child)\"}, \"latest\", {\"tracer\":\"callTracer\",\"tracerConfig\":5}]"))
                == error(-32000, "json: cannot unmarshal number into Go value of type native.callTracerConfig"))
    }
}

/// Frames without bytecode under callTracer, as geth's tracer shows them: a plain value transfer is
/// its one CALL frame, and calls into precompiles are listed among a frame's calls.
@Suite struct CallTracerCodelessFrameTests {
    static let account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    static let account1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    static let caller = "0x00000000000000000000000000000000000000a1"
    /// STATICCALL(gas 0xffff, identity 0x04, in 0..32, out 0..32); POP; STOP.
    static let callerCode = "0x6020600060206000600461fffffa5000"

    func trace(_ service: RPCService, _ call: String) async throws -> JSON {
        let body = await dispatch(service, request("debug_traceCall", "[\(call), \"latest\", {\"tracer\":\"callTracer\"}]"))
        return try #require(try JSON.parse(body)["result"], "\(body)")
    }

    @Test func aPlainTransferIsOneCallFrame() async throws {
        let service = RPCService(configuration: RPCServerConfiguration(), node: try makeNode())
        let frame = try await trace(service, "{\"from\":\"\(Self.account0)\",\"to\":\"\(Self.account1)\",\"value\":\"0x5\"}")
        // geth: {from, gas, gasUsed, to, input, value, type}; gasUsed is the intrinsic 21000.
        #expect(frame == .object([("from", .string(Self.account0)), ("gas", frame["gas"] ?? .null), ("gasUsed", .string("0x5208")),
                                  ("to", .string(Self.account1)), ("input", .string("0x")), ("value", .string("0x5")),
                                  ("type", .string("CALL"))]))
    }

    @Test func aCallIntoAPrecompileIsListed() async throws {
        let service = RPCService(configuration: RPCServerConfiguration(), node: try makeNode())
        #expect(await dispatch(service, request("anvil_setCode", "[\"\(Self.caller)\", \"\(Self.callerCode)\"]")) == result("null"))
        let frame = try await trace(service, "{\"from\":\"\(Self.account0)\",\"to\":\"\(Self.caller)\"}")
        guard case .array(let calls)? = frame["calls"], calls.count == 1 else { Issue.record("\(frame)"); return }
        // The identity precompile costs 15 + 3 per word: 18 for one word; it returns its input.
        #expect(calls[0]["type"] == .string("STATICCALL"))
        #expect(calls[0]["to"] == .string("0x0000000000000000000000000000000000000004"))
        #expect(calls[0]["gas"] == .string("0xffff"))
        #expect(calls[0]["gasUsed"] == .string("0x12"))
        #expect(calls[0]["input"] == .string("0x" + String(repeating: "00", count: 32)))
        #expect(calls[0]["output"] == .string("0x" + String(repeating: "00", count: 32)))
    }
}
