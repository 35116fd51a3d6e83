import Chain
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
