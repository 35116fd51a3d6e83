import Chain
import ChainTypes
import EVM
import JSONRPC
import Primitives

/// Decoding the transaction object of `eth_call`, `eth_estimateGas`, `eth_sendTransaction` and
/// `debug_traceCall` (geth `internal/ethapi.TransactionArgs`) into the node's `CallRequest`, with
/// geth's messages: "json: cannot unmarshal … into Go struct field TransactionArgs.gas of type
/// hexutil.Uint64", and the `data`/`input` conflict. Unknown fields are ignored, as geth does.
public enum CallArgument {
    /// Decodes the object.
    /// - Parameter value: the JSON object.
    /// - Returns: the request.
    /// - Throws: `ArgumentError` with geth's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> CallRequest {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type ethapi.TransactionArgs")
        }
        var request = CallRequest()
        var input: [UInt8]?
        var data: [UInt8]?
        for (key, member) in members where !member.isNull {
            do throws(ArgumentError) {
                switch key {
                case "from": request.from = try HexArgument.address(member)
                case "to": request.to = try HexArgument.address(member)
                case "gas": request.gas = try HexArgument.uint64(member)
                case "gasPrice": request.gasPrice = try HexArgument.quantity(member)
                case "maxFeePerGas": request.maxFeePerGas = try HexArgument.quantity(member)
                case "maxPriorityFeePerGas": request.maxPriorityFeePerGas = try HexArgument.quantity(member)
                case "value": request.value = try HexArgument.quantity(member)
                case "nonce": request.nonce = try HexArgument.uint64(member)
                case "input": input = try HexArgument.bytes(member)
                case "data": data = try HexArgument.bytes(member)
                case "accessList": request.accessList = try decodeAccessList(member)
                case "type":
                    let type = try HexArgument.uint64(member)
                    guard let known = TransactionType(rawValue: UInt8(truncatingIfNeeded: type)), type < 256 else {
                        throw ArgumentError("transaction type \(type) not supported")
                    }
                    request.type = known
                default: continue
                }
            } catch {
                throw structField(error, field: key)
            }
        }
        if let input, let data, input != data {
            throw ArgumentError("both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data")
        }
        request.data = input ?? data ?? []
        return request
    }

    static func structField(_ error: ArgumentError, field: String) -> ArgumentError {
        let marker = " into Go value of type "
        guard error.message.hasPrefix("json: cannot unmarshal "), let range = error.message.range(of: marker) else {
            return error
        }
        let type = error.message[range.upperBound...]
        return ArgumentError(error.message[..<range.lowerBound] + " into Go struct field TransactionArgs.\(field) of type \(type)")
    }

    static func decodeAccessList(_ value: JSON) throws(ArgumentError) -> [AccessListEntry] {
        guard case .array(let elements) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type types.AccessList")
        }
        var entries: [AccessListEntry] = []
        for element in elements {
            guard case .object = element, let address = element["address"] else {
                throw ArgumentError("json: cannot unmarshal \(JSONKind.of(element)) into Go value of type types.AccessTuple")
            }
            var keys: [UInt256] = []
            if case .array(let slots)? = element["storageKeys"] {
                for slot in slots { keys.append(UInt256(try HexArgument.hash(slot))) }
            }
            entries.append(AccessListEntry(address: try HexArgument.address(address), storageKeys: keys))
        }
        return entries
    }
}
