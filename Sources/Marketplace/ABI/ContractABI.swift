import Primitives

/// A contract's interface read from its JSON ABI (spec, "JSON"), as solc and vyper write it: the
/// `abi` array of a build artifact. Functions, events and errors are kept; the constructor's
/// inputs too. `tuple` types are assembled from their `components`.
public struct ContractABI: Sendable {
    /// The functions, in document order (overloads appear once per signature).
    public let functions: [ABIFunction]
    /// The events, in document order.
    public let events: [ABIEvent]
    /// Custom errors, as functions with no outputs (their selector is their revert data's prefix).
    public let errors: [ABIFunction]
    /// The constructor's argument types (empty when the ABI has no constructor entry).
    public let constructorInputs: [ABIType]

    /// Reads a JSON ABI array, or an artifact object holding one under "abi".
    /// - Parameter json: the ABI array or `{"abi": [...], …}`.
    /// - Throws: `ABIError.invalidJSON` naming the entry that is malformed, or `.invalidType`.
    public init(json: JSON) throws(ABIError) {
        let entries: [JSON]
        switch json {
        case .array(let array): entries = array
        case .object:
            guard case .array(let array)? = json["abi"] else { throw .invalidJSON("the object has no \"abi\" array") }
            entries = array
        default: throw .invalidJSON("expected an array of entries or an object with \"abi\"")
        }
        var functions: [ABIFunction] = [], events: [ABIEvent] = [], errors: [ABIFunction] = []
        var constructorInputs: [ABIType] = []
        for (index, entry) in entries.enumerated() {
            let kind = entry["type"]?.stringValue ?? "function"
            let name = entry["name"]?.stringValue ?? ""
            switch kind {
            case "function":
                guard !name.isEmpty else { throw .invalidJSON("entry \(index): a function without a name") }
                let mutability = entry["stateMutability"]?.stringValue
                let payable = mutability == "payable" || entry["payable"] == .bool(true)
                functions.append(ABIFunction(name: name, inputs: try Self.parameters(entry["inputs"], entry: index).map(\.type),
                                             outputs: try Self.parameters(entry["outputs"], entry: index).map(\.type),
                                             isPayable: payable))
            case "event":
                guard !name.isEmpty else { throw .invalidJSON("entry \(index): an event without a name") }
                events.append(ABIEvent(name: name, parameters: try Self.parameters(entry["inputs"], entry: index),
                                       isAnonymous: entry["anonymous"] == .bool(true)))
            case "error":
                errors.append(ABIFunction(name: name, inputs: try Self.parameters(entry["inputs"], entry: index).map(\.type)))
            case "constructor":
                constructorInputs = try Self.parameters(entry["inputs"], entry: index).map(\.type)
            case "fallback", "receive":
                continue
            default:
                throw .invalidJSON("entry \(index): unknown type \"\(kind)\"")
            }
        }
        self.functions = functions
        self.events = events
        self.errors = errors
        self.constructorInputs = constructorInputs
    }

    /// Reads a JSON ABI from text.
    /// - Parameter text: the JSON text (an ABI array or an artifact object).
    /// - Throws: `ABIError.invalidJSON` for text that is not JSON or not an ABI.
    public init(jsonText text: String) throws(ABIError) {
        let json: JSON
        do { json = try JSON.parse(text) } catch { throw .invalidJSON(error.description) }
        try self.init(json: json)
    }

    /// The function with this name (the first, if overloaded).
    /// - Parameter name: the function's name.
    /// - Returns: the function, or nil.
    public func function(named name: String) -> ABIFunction? { functions.first { $0.name == name } }

    /// The function whose selector starts this call data.
    /// - Parameter callData: a transaction's input.
    /// - Returns: the function, or nil for an unknown selector.
    public func function(forCallData callData: [UInt8]) -> ABIFunction? {
        guard callData.count >= 4 else { return nil }
        let selector = Array(callData.prefix(4))
        return functions.first { $0.selector == selector }
    }

    /// The event with this name.
    /// - Parameter name: the event's name.
    /// - Returns: the event, or nil.
    public func event(named name: String) -> ABIEvent? { events.first { $0.name == name } }

    /// The event a log's topics[0] names.
    /// - Parameter topics: the log's topics.
    /// - Returns: the event, or nil.
    public func event(forTopics topics: [Hash32]) -> ABIEvent? { events.first { $0.matches(topics: topics) } }

    static func parameters(_ json: JSON?, entry: Int) throws(ABIError) -> [ABIEvent.Parameter] {
        guard let json else { return [] }
        guard case .array(let items) = json else { throw .invalidJSON("entry \(entry): inputs/outputs is not an array") }
        var parameters: [ABIEvent.Parameter] = []
        for item in items {
            parameters.append(ABIEvent.Parameter(item["name"]?.stringValue ?? "", try type(of: item, entry: entry),
                                                 indexed: item["indexed"] == .bool(true)))
        }
        return parameters
    }

    /// A parameter's type; "tuple", "tuple[]", "tuple[2][]" take their components.
    static func type(of item: JSON, entry: Int) throws(ABIError) -> ABIType {
        guard let text = item["type"]?.stringValue else { throw .invalidJSON("entry \(entry): a parameter without a type") }
        guard text.hasPrefix("tuple") else { return try ABIType(parsing: text) }
        let components = try parameters(item["components"], entry: entry).map(\.type)
        // Replace the word "tuple" with the component list and parse the array suffixes with it.
        return try ABIType(parsing: ABIType.tuple(components).description + text.dropFirst("tuple".count))
    }
}
