import EVM
import Primitives

/// The transaction object of `eth_call`, `eth_estimateGas`, `eth_sendTransaction` and
/// `debug_traceCall` (geth `internal/ethapi.TransactionArgs`). Every field is optional; the node
/// fills in what is missing.
public struct CallRequest: Sendable, Equatable {
    /// The sender (zero address for calls without one).
    public var from: Address?
    /// The recipient, or nil to create a contract.
    public var to: Address?
    /// The gas limit.
    public var gas: UInt64?
    /// The legacy gas price.
    public var gasPrice: UInt256?
    /// The EIP-1559 fee cap.
    public var maxFeePerGas: UInt256?
    /// The EIP-1559 tip cap.
    public var maxPriorityFeePerGas: UInt256?
    /// The wei sent.
    public var value: UInt256?
    /// The nonce.
    public var nonce: UInt64?
    /// The call data or init code (`input`, or its older name `data`).
    public var input: [UInt8]?
    /// The EIP-2930 access list.
    public var accessList: [AccessListEntry]?
    /// The chain id the sender expects.
    public var chainId: UInt64?
    /// The requested transaction type (0, 1 or 2).
    public var type: UInt64?

    /// Creates a request.
    /// - Parameters:
    ///   - from: the sender.
    ///   - to: the recipient.
    ///   - gas: the gas limit.
    ///   - gasPrice: the legacy gas price.
    ///   - maxFeePerGas: the fee cap.
    ///   - maxPriorityFeePerGas: the tip cap.
    ///   - value: the wei sent.
    ///   - nonce: the nonce.
    ///   - input: the data.
    ///   - accessList: the access list.
    ///   - chainId: the chain id.
    ///   - type: the transaction type.
    public init(from: Address? = nil, to: Address? = nil, gas: UInt64? = nil, gasPrice: UInt256? = nil,
                maxFeePerGas: UInt256? = nil, maxPriorityFeePerGas: UInt256? = nil, value: UInt256? = nil,
                nonce: UInt64? = nil, input: [UInt8]? = nil, accessList: [AccessListEntry]? = nil,
                chainId: UInt64? = nil, type: UInt64? = nil) {
        self.from = from; self.to = to; self.gas = gas; self.gasPrice = gasPrice
        self.maxFeePerGas = maxFeePerGas; self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.value = value; self.nonce = nonce; self.input = input; self.accessList = accessList
        self.chainId = chainId; self.type = type
    }

    /// Decodes the object with geth's field rules and messages ("json: cannot unmarshal … into Go
    /// struct field TransactionArgs.gas of type hexutil.Uint64", and the data/input conflict).
    /// - Parameter value: the JSON object.
    /// - Returns: the request.
    /// - Throws: `ArgumentError` with geth's message.
    public static func decode(_ value: JSON) throws(ArgumentError) -> CallRequest {
        guard case .object(let members) = value else {
            throw ArgumentError("json: cannot unmarshal \(JSONKind.of(value)) into Go value of type ethapi.TransactionArgs")
        }
        var request = CallRequest()
        var data: [UInt8]?
        for (key, member) in members where !member.isNull {
            do {
                switch key {
                case "from": request.from = try HexArgument.address(member)
                case "to": request.to = try HexArgument.address(member)
                case "gas": request.gas = try HexArgument.uint64(member)
                case "gasPrice": request.gasPrice = try HexArgument.quantity(member)
                case "maxFeePerGas": request.maxFeePerGas = try HexArgument.quantity(member)
                case "maxPriorityFeePerGas": request.maxPriorityFeePerGas = try HexArgument.quantity(member)
                case "value": request.value = try HexArgument.quantity(member)
                case "nonce": request.nonce = try HexArgument.uint64(member)
                case "input": request.input = try HexArgument.bytes(member)
                case "data": data = try HexArgument.bytes(member)
                case "accessList": request.accessList = try decodeAccessList(member)
                case "chainId": request.chainId = try HexArgument.quantity(member).uint64IfFits ?? .max
                case "type": request.type = try HexArgument.uint64(member)
                default: continue
                }
            } catch {
                throw structField(error, field: key)
            }
        }
        if let data {
            if let input = request.input, input != data {
                throw ArgumentError("both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data")
            }
            request.input = data
        }
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
