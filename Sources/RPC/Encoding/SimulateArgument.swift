import Chain
import JSONRPC
import Primitives

/// Decoding eth_simulateV1's payload (`EthSimulatePayload`: `blockStateCalls`, `traceTransfers`,
/// `validation`, `returnFullTransactions`) into the node's `SimulationRequest`. Member names match
/// case-insensitively and unknown members are ignored, as Go decodes geth's untagged `simOpts` and
/// `simBlock`; each block's `blockOverrides`, `stateOverrides` and `calls` decode as eth_call's do.
public enum SimulateArgument {
    /// Decodes the payload.
    /// - Parameter value: the JSON object.
    /// - Returns: the request (blocks may be empty: the node refuses that with "empty input").
    /// - Throws: `ArgumentError` with Go's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> SimulationRequest {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type ethapi.simOpts")
        }
        var request = SimulationRequest(blocks: [])
        for (key, member) in members where !member.isNull {
            switch key.lowercased() {
            case "blockstatecalls":
                guard case .array(let elements) = member else {
                    throw ArgumentError("json: cannot unmarshal \(JSONKind.of(member)) into Go struct field simOpts.BlockStateCalls of type []ethapi.simBlock")
                }
                request.blocks = []
                for element in elements { request.blocks.append(try block(element)) }
            case "tracetransfers": request.traceTransfers = try flag(member, field: "TraceTransfers")
            case "validation": request.validation = try flag(member, field: "Validation")
            case "returnfulltransactions": request.returnFullTransactions = try flag(member, field: "ReturnFullTransactions")
            default: continue
            }
        }
        return request
    }

    static func flag(_ value: JSON, field: String) throws(ArgumentError) -> Bool {
        guard case .bool(let flag) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go struct field simOpts.\(field) of type bool")
        }
        return flag
    }

    static func block(_ value: JSON) throws(ArgumentError) -> SimulatedBlockRequest {
        if value.isNull { return SimulatedBlockRequest() }
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type ethapi.simBlock")
        }
        var block = SimulatedBlockRequest()
        for (key, member) in members where !member.isNull {
            switch key.lowercased() {
            case "blockoverrides": block.blockOverrides = try OverrideArgument.block(member)
            case "stateoverrides": block.stateOverrides = try OverrideArgument.state(member)
            case "calls":
                guard case .array(let elements) = member else {
                    throw ArgumentError("json: cannot unmarshal \(JSONKind.of(member)) into Go struct field simBlock.Calls of type []ethapi.TransactionArgs")
                }
                for element in elements { block.calls.append(try CallArgument.decode(element)) }
            default: continue
            }
        }
        return block
    }
}
